// Hooks of the chain editing pages: structure (nodes, edges), history, the 招商 target library and the
// chain projects. Every change invalidates the chain's cached views, so the graph, the quadrants and the
// roadmap show it at once.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '../../api/client.ts';
import {
  chainSummarySchema,
  chainUpdateBody,
  historySchema,
  okSchema,
  projectSchema,
  targetSchema,
  type NodeCreate,
  type NodeUpdate,
  type ProjectCreate,
  type ProjectUpdate,
  type TargetCreate,
  type TargetUpdate,
} from '../../../../src/modules/chains/schemas.ts';

export type ChainUpdate = z.infer<typeof chainUpdateBody>;
export type HistoryEntry = z.infer<typeof historySchema>[number];

/** Everything cached about one chain (map, quadrants, node lists, roadmap, history, library), and the list. */
function invalidateChain(client: QueryClient, code: string) {
  void client.invalidateQueries({
    predicate: (q) => q.queryKey[0] === 'chains' && (q.queryKey[2] === code || q.queryKey[1] === 'list'),
  });
}

export function useChainHistory(code: string) {
  return useQuery({
    queryKey: ['chains', 'history', code],
    queryFn: ({ signal }) => api(`/api/chains/${code}/history`, { schema: historySchema, signal }),
    enabled: !!code,
  });
}

export function useTargets(code: string) {
  return useQuery({
    queryKey: ['chains', 'targets', code],
    queryFn: ({ signal }) => api(`/api/chains/${code}/targets`, { schema: z.array(targetSchema), signal }),
    enabled: !!code,
  });
}

export function useChainProjects(code: string) {
  return useQuery({
    queryKey: ['chains', 'projects', code],
    queryFn: ({ signal }) => api(`/api/chains/${code}/projects`, { schema: z.array(projectSchema), signal }),
    enabled: !!code,
  });
}

/** One mutation hook per edit; each invalidates the chain's views on success. */
function useChainMutation<V, R>(code: string, fn: (v: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => invalidateChain(client, code) });
}

export const useUpdateChain = (code: string) =>
  useChainMutation(code, (body: ChainUpdate) =>
    api(`/api/chains/${code}`, { method: 'PATCH', body, schema: chainSummarySchema }),
  );

export const useCreateNode = (code: string) =>
  useChainMutation(code, (body: NodeCreate) =>
    api(`/api/chains/${code}/nodes`, { method: 'POST', body, schema: okSchema }),
  );

export const useUpdateNode = (code: string) =>
  useChainMutation(code, ({ node, body }: { node: string; body: NodeUpdate }) =>
    api(`/api/chains/${code}/nodes/${node}`, { method: 'PATCH', body, schema: okSchema }),
  );

export const useDeleteNode = (code: string) =>
  useChainMutation(code, (node: string) =>
    api(`/api/chains/${code}/nodes/${node}`, { method: 'DELETE', schema: okSchema }),
  );

export const useCreateEdge = (code: string) =>
  useChainMutation(code, (body: { from: string; to: string }) =>
    api(`/api/chains/${code}/edges`, { method: 'POST', body, schema: okSchema }),
  );

export const useDeleteEdge = (code: string) =>
  useChainMutation(code, ({ from, to }: { from: string; to: string }) =>
    api(`/api/chains/${code}/edges/${from}/${to}`, { method: 'DELETE', schema: okSchema }),
  );

export const useSaveTarget = (code: string) =>
  useChainMutation(code, ({ id, body }: { id?: number; body: TargetCreate | TargetUpdate }) =>
    id
      ? api(`/api/chain-targets/${id}`, { method: 'PATCH', body, schema: targetSchema })
      : api(`/api/chains/${code}/targets`, { method: 'POST', body, schema: targetSchema }),
  );

export const useSaveProject = (code: string) =>
  useChainMutation(code, ({ id, body }: { id?: number; body: ProjectCreate | ProjectUpdate }) =>
    id
      ? api(`/api/chain-projects/${id}`, { method: 'PATCH', body, schema: projectSchema })
      : api(`/api/chains/${code}/projects`, { method: 'POST', body, schema: projectSchema }),
  );

export const useDeleteTarget = (code: string) =>
  useChainMutation(code, (id: number) =>
    api(`/api/chain-targets/${id}`, { method: 'DELETE', schema: okSchema }),
  );

export const useDeleteProject = (code: string) =>
  useChainMutation(code, (id: number) =>
    api(`/api/chain-projects/${id}`, { method: 'DELETE', schema: okSchema }),
  );
