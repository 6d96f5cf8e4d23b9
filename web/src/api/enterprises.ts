import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import {
  enterpriseListSchema,
  enterpriseProfileSchema,
  type EnterpriseCreate,
  type EnterpriseListQuery,
  type EnterpriseUpdate,
} from './contract.ts';

export function useEnterpriseList(query: EnterpriseListQuery) {
  return useQuery({
    queryKey: ['enterprises', 'list', query],
    queryFn: ({ signal }) =>
      api('/api/enterprises', { query: { ...query }, schema: enterpriseListSchema, signal }),
    // Keeps the current page on screen while the next one loads, so the table does not flash empty.
    placeholderData: keepPreviousData,
  });
}

export function useEnterprise(id: number) {
  return useQuery({
    queryKey: ['enterprises', 'one', id],
    queryFn: ({ signal }) => api(`/api/enterprises/${id}`, { schema: enterpriseProfileSchema, signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useCreateEnterprise() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: EnterpriseCreate) =>
      api('/api/enterprises', { method: 'POST', body, schema: enterpriseProfileSchema }),
    onSuccess: (profile) => {
      client.setQueryData(['enterprises', 'one', profile.id], profile);
      void client.invalidateQueries({ queryKey: ['enterprises', 'list'] });
    },
  });
}

export function useUpdateEnterprise(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: EnterpriseUpdate) =>
      api(`/api/enterprises/${id}`, { method: 'PATCH', body, schema: enterpriseProfileSchema }),
    onSuccess: (profile) => {
      client.setQueryData(['enterprises', 'one', profile.id], profile);
      void client.invalidateQueries({ queryKey: ['enterprises', 'list'] });
    },
  });
}
