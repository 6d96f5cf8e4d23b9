// Import batch API hooks: upload several files (each multipart field named by its kind), the batch
// (polled while its preview or commit runs), commit, rollback, preview again, discard.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, APP_HEADERS } from '../../api/client.ts';
import { problemSchema as apiProblemSchema } from '../../api/contract.ts';
import { importBatchSchema, type ImportBatch } from '../../../../src/modules/imports/schemas.ts';
import type { ImportKindName } from './api.ts';

export type { ImportBatch };

const RUNNING = new Set(['previewing', 'committing']);

export function useBatch(id: number | null) {
  return useQuery({
    queryKey: ['imports', 'batch', id],
    queryFn: ({ signal }) => api(`/api/imports/batches/${id}`, { schema: importBatchSchema, signal }),
    enabled: id !== null && id > 0,
    refetchInterval: (q) => (q.state.data && RUNNING.has(q.state.data.status) ? 1000 : false),
  });
}

export interface BatchEntry {
  kind: ImportKindName;
  file: File;
}

async function uploadBatch(entries: BatchEntry[]): Promise<ImportBatch> {
  const body = new FormData();
  for (const e of entries) body.append(e.kind, e.file, e.file.name);
  const response = await fetch('/api/imports/batches', {
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
  return importBatchSchema.parse(json);
}

function useBatchMutation<A>(fn: (a: A) => Promise<ImportBatch>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (batch) => {
      client.setQueryData(['imports', 'batch', batch.id], batch);
      void client.invalidateQueries({ queryKey: ['imports', 'list'] });
    },
  });
}

export const useBatchUpload = () => useBatchMutation(uploadBatch);

export const useBatchCommit = () =>
  useBatchMutation((id: number) =>
    api(`/api/imports/batches/${id}/commit`, { method: 'POST', schema: importBatchSchema }),
  );

export const useBatchRollback = () =>
  useBatchMutation((id: number) =>
    api(`/api/imports/batches/${id}/rollback`, { method: 'POST', schema: importBatchSchema }),
  );

/** Runs the preview of an interrupted or failed batch again, over all its files. */
export const useBatchRerun = () =>
  useBatchMutation((id: number) =>
    api(`/api/imports/batches/${id}/preview`, { method: 'POST', schema: importBatchSchema }),
  );

/** Discards a batch that was not committed: all its files (their uploads are removed). */
export const useBatchDiscard = () =>
  useBatchMutation((id: number) =>
    api(`/api/imports/batches/${id}/discard`, { method: 'POST', schema: importBatchSchema }),
  );
