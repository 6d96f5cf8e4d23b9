// Typed hooks over the projects API, validated with the server's own Zod schemas.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, toQueryString, type QueryValue } from '../../api/client.ts';
import {
  chainNodeListSchema,
  countySummarySchema,
  ganttSchema,
  growthSchema,
  importResultSchema,
  kanbanSchema,
  projectDetailSchema,
  projectListSchema,
  type DocumentUpload,
  type ProgressBody,
  type ProjectCreate,
  type ProjectListQuery,
  type ProjectUpdate,
  type RiskCreate,
  type RiskUpdate,
  type StageUpdate,
  type TransitionBody,
} from '../../../../src/modules/projects/schemas.ts';

export type Filters = Partial<Record<Exclude<keyof ProjectListQuery, 'page' | 'pageSize'>, string>>;

export function useProjectList(query: Filters & { page?: number; pageSize?: number }) {
  return useQuery({
    queryKey: ['projects', 'list', query],
    queryFn: ({ signal }) => api('/api/projects', { query, schema: projectListSchema, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useStalled() {
  return useQuery({
    queryKey: ['projects', 'stalled'],
    queryFn: ({ signal }) => api('/api/projects/stalled', { schema: projectListSchema, signal }),
  });
}

export function useKanban(query: Filters) {
  return useQuery({
    queryKey: ['projects', 'kanban', query],
    queryFn: ({ signal }) => api('/api/projects/kanban', { query, schema: kanbanSchema, signal }),
  });
}

export function useGantt(query: Filters) {
  return useQuery({
    queryKey: ['projects', 'gantt', query],
    queryFn: ({ signal }) => api('/api/projects/gantt', { query, schema: ganttSchema, signal }),
  });
}

export function useByCounty(query: Filters) {
  return useQuery({
    queryKey: ['projects', 'by-county', query],
    queryFn: ({ signal }) => api('/api/projects/by-county', { query, schema: countySummarySchema, signal }),
  });
}

export function useGrowth(by: 'cluster' | 'county', through?: string) {
  return useQuery({
    queryKey: ['projects', 'growth', by, through],
    queryFn: ({ signal }) =>
      api('/api/projects/growth', { query: { by, through }, schema: growthSchema, signal }),
  });
}

export function useChainNodes() {
  return useQuery({
    queryKey: ['projects', 'chain-nodes'],
    queryFn: ({ signal }) => api('/api/projects/chain-nodes', { schema: chainNodeListSchema, signal }),
    staleTime: Infinity,
  });
}

export function useProject(id: number) {
  return useQuery({
    queryKey: ['projects', 'one', id],
    queryFn: ({ signal }) => api(`/api/projects/${id}`, { schema: projectDetailSchema, signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

/** Every write answers with the project page's data, which replaces the cached one. */
function useProjectWrite<B>(id: number, request: (body: B) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: B) => projectDetailSchema.parse(await request(body)),
    onSuccess: (detail) => {
      client.setQueryData(['projects', 'one', id], detail);
      void client.invalidateQueries({ queryKey: ['projects'], predicate: (q) => q.queryKey[1] !== 'one' });
    },
  });
}

export const useUpdateProject = (id: number) =>
  useProjectWrite(id, (body: ProjectUpdate) => api(`/api/projects/${id}`, { method: 'PATCH', body }));
export const useTransition = (id: number) =>
  useProjectWrite(id, (body: TransitionBody) =>
    api(`/api/projects/${id}/transitions`, { method: 'POST', body }),
  );
export const useReportProgress = (id: number) =>
  useProjectWrite(id, ({ month, ...body }: ProgressBody & { month: string }) =>
    api(`/api/projects/${id}/progress/${month}`, { method: 'PUT', body }),
  );
export const useCreateRisk = (id: number) =>
  useProjectWrite(id, (body: RiskCreate) => api(`/api/projects/${id}/risks`, { method: 'POST', body }));
export const useUpdateRisk = (id: number) =>
  useProjectWrite(id, ({ riskId, ...body }: RiskUpdate & { riskId: number }) =>
    api(`/api/projects/${id}/risks/${riskId}`, { method: 'PATCH', body }),
  );
export const useUploadDocument = (id: number) =>
  useProjectWrite(id, ({ stage, ...body }: DocumentUpload & { stage: string }) =>
    api(`/api/projects/${id}/stages/${stage}/documents`, { method: 'POST', body }),
  );
export const useDeleteDocument = (id: number) =>
  useProjectWrite(id, (documentId: number) =>
    api(`/api/projects/${id}/documents/${documentId}`, { method: 'DELETE' }),
  );
/** Where an uploaded evidence file is downloaded. */
export const documentUrl = (id: number, documentId: number) => `/api/projects/${id}/documents/${documentId}`;
export const useUpdateStage = (id: number) =>
  useProjectWrite(id, ({ stage, ...body }: StageUpdate & { stage: string }) =>
    api(`/api/projects/${id}/stages/${stage}`, { method: 'PUT', body }),
  );

export function useCreateProject() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: ProjectCreate) =>
      projectDetailSchema.parse(await api('/api/projects', { method: 'POST', body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['projects'] }),
  });
}

export function useImportProgress() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { fileName: string; contentBase64: string; dryRun: boolean }) =>
      api('/api/projects/progress-import', { method: 'POST', body, schema: importResultSchema }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['projects'] }),
  });
}

/** A download link for an export, with the current filters. */
export const exportUrl = (path: string, query: Record<string, QueryValue> = {}) =>
  `${path}${toQueryString(query)}`;
