import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import { auditListSchema } from './contract.ts';

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  username?: string;
  page: number;
  pageSize: number;
}

export function useAuditList(filter: AuditFilter) {
  return useQuery({
    queryKey: ['audit', filter],
    queryFn: ({ signal }) => api('/api/audit', { query: { ...filter }, schema: auditListSchema, signal }),
    placeholderData: keepPreviousData,
  });
}
