// Typed queries and mutations of the bulletin API, validated by the server's own Zod schemas.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import {
  bulletinListSchema,
  bulletinOptionsSchema,
  bulletinSchema,
} from '../../../../src/modules/bulletin/schemas.ts';

export type { Bulletin, BulletinOptions } from '../../../../src/modules/bulletin/schemas.ts';

/** Polls while any bulletin in view is generating, so progress moves without a reload. */
export const useBulletins = () =>
  useQuery({
    queryKey: ['bulletins'],
    queryFn: ({ signal }) => api('/api/bulletins', { schema: bulletinListSchema, signal }),
    refetchInterval: (q) => (q.state.data?.items.some((b) => b.job) ? 1000 : false),
  });

export const useBulletin = (id: number) =>
  useQuery({
    queryKey: ['bulletins', id],
    queryFn: ({ signal }) => api(`/api/bulletins/${id}`, { schema: bulletinSchema, signal }),
    refetchInterval: (q) => (q.state.data?.job ? 1000 : false),
  });

export const useBulletinOptions = () =>
  useQuery({
    queryKey: ['bulletins', 'options'],
    queryFn: ({ signal }) => api('/api/bulletins/options', { schema: bulletinOptionsSchema, signal }),
  });

function useBulletinMutation<V>(request: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: () => qc.invalidateQueries({ queryKey: ['bulletins'] }),
  });
}

export const useGenerate = () =>
  useBulletinMutation((body: { month: string; scopeKind: string; scopeCode?: string }) =>
    api('/api/bulletins', { method: 'POST', body, schema: bulletinSchema }),
  );

export const useCommentary = (id: number) =>
  useBulletinMutation((commentary: string) =>
    api(`/api/bulletins/${id}/commentary`, { method: 'PUT', body: { commentary }, schema: bulletinSchema }),
  );

export const useTransition = (id: number) =>
  useBulletinMutation((action: 'submit' | 'publish' | 'return' | 'retry') =>
    api(`/api/bulletins/${id}/${action}`, {
      method: 'POST',
      body: action === 'return' ? {} : undefined,
      schema: bulletinSchema,
    }),
  );
