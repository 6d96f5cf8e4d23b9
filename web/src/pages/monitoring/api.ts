// Monitoring API hooks. The contract is the server's own Zod schemas.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import {
  clusterPageSchema,
  cockpitSchema,
  metaSchema,
  rankingSchema,
  regionPageSchema,
  structureSchema,
  targetsSchema,
  type RankingQuery,
} from '../../../../src/modules/monitoring/schemas.ts';
import { ledgerAnswerSchema } from '../../../../src/modules/targets/schemas.ts';

export * from '../../../../src/modules/monitoring/schemas.ts';

export interface ViewParams {
  month?: string;
  scale: 'above' | 'below' | 'all';
  targetSet?: string;
}

const FIVE_MINUTES = 5 * 60_000;

export function useMonitoringMeta() {
  return useQuery({
    queryKey: ['monitoring', 'meta'],
    queryFn: ({ signal }) => api('/api/monitoring/meta', { schema: metaSchema, signal }),
    staleTime: FIVE_MINUTES,
  });
}

export function useCockpit(p: ViewParams) {
  return useQuery({
    queryKey: ['monitoring', 'cockpit', p],
    queryFn: ({ signal }) =>
      api('/api/monitoring/cockpit', { query: { ...p }, schema: cockpitSchema, signal }),
    placeholderData: keepPreviousData,
    staleTime: FIVE_MINUTES,
  });
}

export function useClusterPage(code: string, p: ViewParams) {
  return useQuery({
    queryKey: ['monitoring', 'cluster', code, p],
    queryFn: ({ signal }) =>
      api(`/api/monitoring/clusters/${encodeURIComponent(code)}`, {
        query: { ...p },
        schema: clusterPageSchema,
        signal,
      }),
    placeholderData: keepPreviousData,
    staleTime: FIVE_MINUTES,
  });
}

export function useRegionPage(code: string, p: ViewParams) {
  return useQuery({
    queryKey: ['monitoring', 'region', code, p],
    queryFn: ({ signal }) =>
      api(`/api/monitoring/regions/${encodeURIComponent(code)}`, {
        query: { ...p },
        schema: regionPageSchema,
        signal,
      }),
    placeholderData: keepPreviousData,
    staleTime: FIVE_MINUTES,
  });
}

export function useStructure(p: ViewParams) {
  return useQuery({
    queryKey: ['monitoring', 'structure', p],
    queryFn: ({ signal }) =>
      api('/api/monitoring/structure', { query: { ...p }, schema: structureSchema, signal }),
    staleTime: FIVE_MINUTES,
  });
}

export function useRankings(q: Partial<RankingQuery>) {
  return useQuery({
    queryKey: ['monitoring', 'rankings', q],
    queryFn: ({ signal }) =>
      api('/api/monitoring/rankings', { query: { ...q }, schema: rankingSchema, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useTargets(p: ViewParams) {
  return useQuery({
    queryKey: ['monitoring', 'targets', p],
    queryFn: ({ signal }) =>
      api('/api/monitoring/targets', { query: { ...p }, schema: targetsSchema, signal }),
    placeholderData: keepPreviousData,
    staleTime: FIVE_MINUTES,
  });
}

/**
 * The target ledger of the same set (the targets capability): what monitoring does not measure — the
 * approved reported values and the figures the ledger computes — shown beside the measured ones.
 */
export function useLedgerOfSet(setCode: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['targets', 'ledger', { setCode }],
    enabled: enabled && setCode !== undefined,
    queryFn: ({ signal }) =>
      api('/api/targets/ledger', { query: { setCode }, schema: ledgerAnswerSchema, signal }),
    staleTime: FIVE_MINUTES,
  });
}
