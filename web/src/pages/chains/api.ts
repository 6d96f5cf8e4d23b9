// Chain API hooks. The contract is the server's own Zod schemas.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '../../api/client.ts';
import {
  chainDetailSchema,
  chainSummarySchema,
  nodeEnterprisesSchema,
  projectSchema,
  quadrantListSchema,
  roadmapSchema,
  targetSchema,
  type DecisionBody,
  type ProjectCreate,
  type TargetCreate,
} from '../../../../src/modules/chains/schemas.ts';

export * from '../../../../src/modules/chains/schemas.ts';

export function useChains() {
  return useQuery({
    queryKey: ['chains', 'list'],
    queryFn: ({ signal }) => api('/api/chains', { schema: z.array(chainSummarySchema), signal }),
    staleTime: 5 * 60_000,
  });
}

export function useChain(code: string | undefined) {
  return useQuery({
    queryKey: ['chains', 'one', code],
    queryFn: ({ signal }) => api(`/api/chains/${code}`, { schema: chainDetailSchema, signal }),
    enabled: !!code,
  });
}

export function useQuadrants(code: string | undefined) {
  return useQuery({
    queryKey: ['chains', 'quadrants', code],
    queryFn: ({ signal }) => api(`/api/chains/${code}/quadrants`, { schema: quadrantListSchema, signal }),
    enabled: !!code,
  });
}

/** The page of a node's firms the panel shows (the server pages them: a node can hold thousands). */
export interface NodePage {
  page: number;
  pageSize: number;
}
const pageQuery = ({ page, pageSize }: NodePage) => `page=${page}&pageSize=${pageSize}`;

export function useNodeEnterprises(code: string | undefined, node: string | null, paging: NodePage) {
  return useQuery({
    queryKey: ['chains', 'node', code, node, paging.page, paging.pageSize],
    queryFn: ({ signal }) =>
      api(`/api/chains/${code}/nodes/${node}/enterprises?${pageQuery(paging)}`, {
        schema: nodeEnterprisesSchema,
        signal,
      }),
    enabled: !!code && !!node,
    // the page shown stays while the next one loads (no empty table between pages)
    placeholderData: keepPreviousData,
  });
}

export function useRoadmap(code: string | undefined) {
  return useQuery({
    queryKey: ['chains', 'roadmap', code],
    queryFn: ({ signal }) => api(`/api/chains/${code}/roadmap`, { schema: roadmapSchema, signal }),
    enabled: !!code,
  });
}

/** A placement decision; the answer is the page shown, and the node's other pages are read again. */
export function useDecision(code: string, node: string, paging: NodePage) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: DecisionBody }) =>
      api(`/api/chains/${code}/nodes/${node}/enterprises/${id}?${pageQuery(paging)}`, {
        method: 'PUT',
        body,
        schema: nodeEnterprisesSchema,
      }),
    onSuccess: (data) => {
      const shown = ['chains', 'node', code, node, data.page, data.pageSize];
      client.setQueryData(shown, data);
      void client.invalidateQueries({
        queryKey: ['chains', 'node', code, node],
        predicate: (q) => JSON.stringify(q.queryKey) !== JSON.stringify(shown),
      });
      void client.invalidateQueries({ queryKey: ['chains', 'one', code] });
      void client.invalidateQueries({ queryKey: ['chains', 'quadrants', code] });
      void client.invalidateQueries({ queryKey: ['chains', 'roadmap', code] });
    },
  });
}

export function useCreateTarget(code: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TargetCreate) =>
      api(`/api/chains/${code}/targets`, { method: 'POST', body, schema: targetSchema }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['chains', 'roadmap', code] }),
  });
}

export function useCreateProject(code: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ProjectCreate) =>
      api(`/api/chains/${code}/projects`, { method: 'POST', body, schema: projectSchema }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['chains', 'roadmap', code] }),
  });
}
