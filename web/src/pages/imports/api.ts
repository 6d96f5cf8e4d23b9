// Imports API hooks: kinds, history, one import (polled while a job runs), upload, commit, rollback.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, APP_HEADERS } from '../../api/client.ts';
import { problemSchema as apiProblemSchema } from '../../api/contract.ts';
import {
  importDetailSchema,
  importListSchema,
  kindListSchema,
  type ImportDetail,
  type ImportKindName,
  type ImportListQuery,
} from '../../../../src/modules/imports/schemas.ts';

export type { ImportDetail, ImportKindName };

const RUNNING = new Set(['previewing', 'committing']);

export function useImportKinds() {
  return useQuery({
    queryKey: ['imports', 'kinds'],
    queryFn: ({ signal }) => api('/api/imports/kinds', { schema: kindListSchema, signal }),
    staleTime: Infinity,
  });
}

export function useImportList(query: Partial<ImportListQuery>) {
  return useQuery({
    queryKey: ['imports', 'list', query],
    queryFn: ({ signal }) => api('/api/imports', { query: { ...query }, schema: importListSchema, signal }),
    placeholderData: keepPreviousData,
  });
}

/** One import; polled every second while its preview or commit runs (so a reload picks it up again). */
export function useImport(id: number | null) {
  return useQuery({
    queryKey: ['imports', 'one', id],
    queryFn: ({ signal }) => api(`/api/imports/${id}`, { schema: importDetailSchema, signal }),
    enabled: id !== null && id > 0,
    refetchInterval: (q) => (q.state.data && RUNNING.has(q.state.data.status) ? 1000 : false),
  });
}

async function uploadFile(kind: ImportKindName, file: File): Promise<ImportDetail> {
  const body = new FormData();
  body.append('file', file, file.name);
  const response = await fetch(`/api/imports?kind=${kind}`, {
    method: 'POST',
    body,
    credentials: 'same-origin',
    headers: APP_HEADERS,
  });
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = apiProblemSchema.safeParse(json);
    throw new ApiError(
      parsed.success
        ? parsed.data
        : {
            type: 'about:blank',
            title: 'Error',
            status: response.status,
            detail: `Upload failed (${response.status})`,
            detailZh: `上传失败（${response.status}）`,
          },
    );
  }
  return importDetailSchema.parse(json);
}

export function useUpload() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, file }: { kind: ImportKindName; file: File }) => uploadFile(kind, file),
    onSuccess: (detail) => {
      client.setQueryData(['imports', 'one', detail.id], detail);
      void client.invalidateQueries({ queryKey: ['imports', 'list'] });
    },
  });
}

export function useCommit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      api(`/api/imports/${id}/commit`, { method: 'POST', schema: importDetailSchema }),
    onSuccess: (detail) => {
      client.setQueryData(['imports', 'one', detail.id], detail);
      void client.invalidateQueries({ queryKey: ['imports', 'list'] });
    },
  });
}

export function useRollback() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      api(`/api/imports/${id}/rollback`, { method: 'POST', schema: importDetailSchema }),
    onSuccess: (detail) => {
      client.setQueryData(['imports', 'one', detail.id], detail);
      void client.invalidateQueries({ queryKey: ['imports'] });
    },
  });
}
