// Typed hooks over the enterprise-request API, validated with the server's own Zod schemas.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { LEVEL_LABEL, type Level } from '../../../../src/domain/workitems/types.ts';
import { api, type QueryValue } from '../../api/client.ts';
import { unitSchema } from '../../../../src/modules/workitems/schemas.ts';
import {
  duplicateListSchema,
  metaSchema,
  recurringSchema,
  requestDetailSchema,
  requestListSchema,
  scoresSchema,
  statsSchema,
  type ActionInput,
  type NewRequest,
} from '../../../../src/modules/service/schemas.ts';

export type ListFilters = Record<string, QueryValue>;

export function useServiceMeta() {
  return useQuery({
    queryKey: ['service', 'meta'],
    queryFn: ({ signal }) => api('/api/service/meta', { schema: metaSchema, signal }),
    staleTime: 60_000,
  });
}

/**
 * A unit's, a state's, a time-limit level's and a term's (nature, category, channel, rating) name in the UI
 * language (answers give them in Chinese).
 */
export function useServiceNames() {
  const { i18n } = useTranslation();
  const meta = useServiceMeta();
  const en = i18n.language === 'en';
  const terms = meta.data
    ? [...meta.data.natures, ...meta.data.categories, ...meta.data.channels, ...meta.data.ratings]
    : [];
  return {
    /** a term of the meta answer as an option label */
    label: (x: { zh: string; en: string }) => (en ? x.en : x.zh),
    /** a term the answer names in Chinese (statistics rows) */
    term: (zh: string) => (en ? (terms.find((x) => x.zh === zh)?.en ?? zh) : zh),
    unit: (zh: string | null | undefined) => (zh ? (en ? (meta.data?.unitNamesEn[zh] ?? zh) : zh) : '—'),
    state: (item: { stateZh: string; stateEn: string }) => (en ? item.stateEn : item.stateZh),
    level: (item: { level: Level; levelZh: string }) => (en ? LEVEL_LABEL[item.level].en : item.levelZh),
  };
}

export function useRequests(query: ListFilters) {
  return useQuery({
    queryKey: ['service', 'list', query],
    queryFn: ({ signal }) => api('/api/service/requests', { query, schema: requestListSchema, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useRequest(id: number) {
  return useQuery({
    queryKey: ['service', 'one', id],
    queryFn: ({ signal }) => api(`/api/service/requests/${id}`, { schema: requestDetailSchema, signal }),
  });
}

export function useDuplicates(
  query: { enterpriseId?: number; title: string; description: string },
  enabled: boolean,
) {
  return useQuery({
    queryKey: ['service', 'dup', query],
    queryFn: ({ signal }) =>
      api('/api/service/requests/duplicates', { query, schema: duplicateListSchema, signal }),
    enabled,
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['service'] });
}

export function useFile() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (body: Partial<NewRequest>) =>
      api('/api/service/requests', { method: 'POST', body, schema: requestDetailSchema }),
    onSuccess: done,
  });
}

export function useAct(id: number) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (body: ActionInput) =>
      api(`/api/service/requests/${id}/actions`, { method: 'POST', body, schema: requestDetailSchema }),
    onSuccess: done,
  });
}

export function useAssistInput(id: number) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (body: { unitId?: number; text: string; files?: NewRequest['files'] }) =>
      api(`/api/service/requests/${id}/assist`, { method: 'POST', body, schema: requestDetailSchema }),
    onSuccess: done,
  });
}

export function useUnits(all: boolean) {
  return useQuery({
    queryKey: ['service', 'units', all],
    queryFn: ({ signal }) =>
      api('/api/workitems/units', {
        query: { all: all ? 'true' : undefined },
        schema: z.object({ items: z.array(unitSchema) }),
        signal,
      }),
  });
}

export function useUnitEdit() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number } & Record<string, unknown>) =>
      api(`/api/workitems/units/${id}`, { method: 'PATCH', body, schema: unitSchema }),
    onSuccess: done,
  });
}

export function useUnitMember() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: ({
      unitId,
      ...body
    }: {
      unitId: number;
      username: string;
      duty?: string;
      remove?: boolean;
    }) => api(`/api/workitems/units/${unitId}/members`, { method: 'POST', body }),
    onSuccess: done,
  });
}

export function useSupplement() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: ({ id, text, files }: { id: number; text: string; files?: NewRequest['files'] }) =>
      api(`/api/service/requests/${id}/supplements`, { method: 'POST', body: { text, files } }),
    onSuccess: done,
  });
}

export function useBulkAssign() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (body: { ids: number[]; ownerUnitId: number }) =>
      api('/api/service/requests/bulk-assign', { method: 'POST', body }),
    onSuccess: done,
  });
}

export function useStats(query: { from?: string; to?: string; by: string }) {
  return useQuery({
    queryKey: ['service', 'stats', query],
    queryFn: ({ signal }) => api('/api/service/stats', { query, schema: statsSchema, signal }),
  });
}

export function useScores(query: { from?: string; to?: string }, enabled = true) {
  return useQuery({
    queryKey: ['service', 'scores', query],
    queryFn: ({ signal }) => api('/api/service/scores', { query, schema: scoresSchema, signal }),
    enabled,
  });
}

export function useRecurring(query: { from?: string; to?: string }) {
  return useQuery({
    queryKey: ['service', 'recurring', query],
    queryFn: ({ signal }) => api('/api/service/recurring', { query, schema: recurringSchema, signal }),
  });
}
