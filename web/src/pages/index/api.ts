// Typed queries and mutations of the cluster index API, validated by the server's own Zod schemas.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import {
  compareSchema,
  editionListSchema,
  firmListSchema,
  indexEditionSchema,
  publicIndexSchema,
  resultListSchema,
  settingsSchema,
} from '../../../../src/modules/cluster-index/schemas.ts';

export type {
  IndexEdition,
  ResultList,
  ResultRow,
  EditionBody,
} from '../../../../src/modules/cluster-index/schemas.ts';

export type Frequency = 'year' | 'quarter';
export type Level = 'cluster' | 'county';

export const useEditions = () =>
  useQuery({
    queryKey: ['index', 'editions'],
    queryFn: ({ signal }) => api('/api/index/editions', { schema: editionListSchema, signal }),
  });

export const useEdition = (id: number | null) =>
  useQuery({
    queryKey: ['index', 'edition', id],
    queryFn: ({ signal }) => api(`/api/index/editions/${id}`, { schema: indexEditionSchema, signal }),
    enabled: id !== null && id > 0,
  });

export const useResults = (
  id: number | null,
  q: { frequency: Frequency; level: Level; period?: string; cluster?: string },
) =>
  useQuery({
    queryKey: ['index', 'results', id, q],
    queryFn: ({ signal }) =>
      api(`/api/index/editions/${id}/results`, { query: q, schema: resultListSchema, signal }),
    enabled: id !== null && id > 0,
  });

export const useFirms = (
  id: number | null,
  q: { frequency: Frequency; period: string; cluster: string; region?: string } | null,
) =>
  useQuery({
    queryKey: ['index', 'firms', id, q],
    queryFn: ({ signal }) =>
      api(`/api/index/editions/${id}/firms`, { query: q ?? undefined, schema: firmListSchema, signal }),
    enabled: id !== null && q !== null,
  });

export const useCompare = (q: { a: number; b: number; period?: string; level: Level } | null) =>
  useQuery({
    queryKey: ['index', 'compare', q],
    queryFn: ({ signal }) =>
      api('/api/index/compare', { query: q ?? undefined, schema: compareSchema, signal }),
    enabled: q !== null && q.a > 0 && q.b > 0,
  });

export const useSettings = (enabled: boolean) =>
  useQuery({
    queryKey: ['index', 'settings'],
    queryFn: ({ signal }) => api('/api/index/settings', { schema: settingsSchema, signal }),
    enabled,
  });

export const usePublicIndex = () =>
  useQuery({
    queryKey: ['index', 'public'],
    queryFn: ({ signal }) => api('/api/public/index', { schema: publicIndexSchema, signal }),
    retry: false,
  });

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['index'] });
}

export function useCreateEdition() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { reason?: string; years?: { from: number; to: number }; basedOnId?: number }) =>
      api('/api/index/editions', { method: 'POST', body, schema: indexEditionSchema }),
    onSuccess: invalidate,
  });
}

export function useTransition(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { action: 'submit' | 'return' | 'review' | 'publish' | 'withdraw'; note?: string }) =>
      api(`/api/index/editions/${id}/transition`, { method: 'POST', body, schema: indexEditionSchema }),
    onSuccess: invalidate,
  });
}

export function useRecompute(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () =>
      api(`/api/index/editions/${id}/recompute`, { method: 'POST', schema: indexEditionSchema }),
    onSuccess: invalidate,
  });
}

export function useSetSettings() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { publicView: boolean }) =>
      api('/api/index/settings', { method: 'PUT', body, schema: settingsSchema }),
    onSuccess: invalidate,
  });
}
