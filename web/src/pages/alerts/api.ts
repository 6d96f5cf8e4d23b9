// Typed hooks over the alerts API, validated with the server's own Zod schemas.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, toQueryString, type QueryValue } from '../../api/client.ts';
import {
  alertDetailSchema,
  alertListSchema,
  backtestJobSchema,
  densitySchema,
  profileSchema,
  ruleSetPreviewSchema,
  ruleSetVersionsSchema,
  type AlertListQuery,
} from '../../../../src/modules/alerts/schemas.ts';
import type { RuleSet } from '../../../../src/domain/alerts/types.ts';

export type BoardFilters = Partial<Record<keyof AlertListQuery, string>>;

export function useBoard(query: BoardFilters) {
  return useQuery({
    queryKey: ['alerts', 'board', query],
    queryFn: ({ signal }) => api('/api/alerts', { query, schema: alertListSchema, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useDensity() {
  return useQuery({
    queryKey: ['alerts', 'density'],
    queryFn: ({ signal }) => api('/api/alerts/density', { schema: densitySchema, signal }),
  });
}

export function useAlert(id: number | null) {
  return useQuery({
    queryKey: ['alerts', 'one', id],
    queryFn: ({ signal }) => api(`/api/alerts/${id}`, { schema: alertDetailSchema, signal }),
    enabled: id != null,
  });
}

export function useProfile(key: string) {
  return useQuery({
    queryKey: ['alerts', 'profile', key],
    queryFn: ({ signal }) =>
      api(`/api/alerts/profile/${encodeURIComponent(key)}`, { schema: profileSchema, signal }),
  });
}

export function useHandle(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { step: string; reason?: string }) =>
      alertDetailSchema.parse(await api(`/api/alerts/${id}/handle`, { method: 'POST', body })),
    onSuccess: (detail) => {
      client.setQueryData(['alerts', 'one', id], detail);
      void client.invalidateQueries({ queryKey: ['alerts'], predicate: (q) => q.queryKey[1] !== 'one' });
    },
  });
}

export function useRules() {
  return useQuery({
    queryKey: ['alerts', 'rules'],
    queryFn: ({ signal }) => api('/api/alerts/rules', { schema: ruleSetVersionsSchema, signal }),
  });
}

/** The backtest of the rules in force: polled each second while it runs in the background. */
export function useBacktest() {
  return useQuery({
    queryKey: ['alerts', 'backtest'],
    queryFn: ({ signal }) => api('/api/alerts/backtest', { schema: backtestJobSchema, signal }),
    refetchInterval: (q) =>
      q.state.data?.status === 'queued' || q.state.data?.status === 'running' ? 1000 : false,
  });
}

export function useStartBacktest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      backtestJobSchema.parse(await api('/api/alerts/backtest', { method: 'POST', body: {} })),
    onSuccess: (job) => client.setQueryData(['alerts', 'backtest'], job),
  });
}

export function usePreview() {
  return useMutation({
    mutationFn: async (definition: RuleSet) =>
      ruleSetPreviewSchema.parse(
        await api('/api/alerts/rules/preview', { method: 'POST', body: { definition } }),
      ),
  });
}

export function useSaveRules() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { definition: RuleSet; reason: string }) =>
      ruleSetVersionsSchema.parse(await api('/api/alerts/rules', { method: 'POST', body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['alerts'] }),
  });
}

export function useMoveRuleEdition() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (v: { id: number; action: 'review' | 'publish' | 'return' | 'withdraw' }) =>
      ruleSetVersionsSchema.parse(
        await api(`/api/alerts/rules/editions/${v.id}/transition`, {
          method: 'POST',
          body: { action: v.action },
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['alerts'] }),
  });
}

export const exportUrl = (query: Record<string, QueryValue>) =>
  `/api/alerts/export.xlsx${toQueryString(query)}`;

/** Text put into an ECharts tooltip or label is HTML: escape it. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
