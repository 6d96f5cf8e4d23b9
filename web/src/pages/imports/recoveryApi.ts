// Hooks of an import's later life: its problems by severity (paged on the server), previewing an
// interrupted or failed import again, discarding one that was not committed.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { importDetailSchema, problemListSchema } from '../../../../src/modules/imports/schemas.ts';

export type Severity = 'error' | 'warning' | 'notice';

/** `stamp` changes when the import's problems may have (a preview or commit finished). */
export function useProblems(id: number, severity: Severity, page: number, stamp: string, pageSize = 20) {
  return useQuery({
    queryKey: ['imports', 'problems', id, severity, page, pageSize, stamp],
    queryFn: ({ signal }) =>
      api(`/api/imports/${id}/problems`, {
        query: { severity, page, pageSize },
        schema: problemListSchema,
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

function useImportAction(action: 'preview' | 'discard') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      api(`/api/imports/${id}/${action}`, { method: 'POST', schema: importDetailSchema }),
    onSuccess: (detail) => {
      client.setQueryData(['imports', 'one', detail.id], detail);
      void client.invalidateQueries({ queryKey: ['imports', 'list'] });
      void client.invalidateQueries({ queryKey: ['imports', 'problems', detail.id] });
    },
  });
}

/** Runs the preview of an interrupted or failed import again. */
export const useRerun = () => useImportAction('preview');
/** Discards an import that was not committed (its upload is removed). */
export const useDiscard = () => useImportAction('discard');
