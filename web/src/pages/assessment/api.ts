// Typed hooks over the county assessment API, validated with the server's own Zod schemas.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import {
  assessmentEditionSchema,
  assessmentListSchema,
  assessmentYearsSchema,
  countyDetailSchema,
  processSchema,
  type AssessmentEdition,
} from '../../../../src/modules/assessment/schemas.ts';

export function useAssessments() {
  return useQuery({
    queryKey: ['assessment', 'list'],
    queryFn: ({ signal }) => api('/api/assessment/editions', { schema: assessmentListSchema, signal }),
  });
}

/** The years with facts up to their latest full year, and that year: the draft year offered first. */
export function useAssessmentYears(enabled: boolean) {
  return useQuery({
    queryKey: ['assessment', 'years'],
    enabled,
    queryFn: ({ signal }) => api('/api/assessment/years', { schema: assessmentYearsSchema, signal }),
  });
}

export function useAssessment(id: number | null) {
  return useQuery({
    queryKey: ['assessment', 'edition', id],
    enabled: id !== null,
    queryFn: ({ signal }) =>
      api(`/api/assessment/editions/${id}`, { schema: assessmentEditionSchema, signal }),
  });
}

export function useCountyDetail(id: number, code: string) {
  return useQuery({
    queryKey: ['assessment', 'county', id, code],
    queryFn: ({ signal }) =>
      api(`/api/assessment/editions/${id}/counties/${code}`, { schema: countyDetailSchema, signal }),
  });
}

export function useProcess(year: number, month?: number) {
  return useQuery({
    queryKey: ['assessment', 'process', year, month],
    queryFn: ({ signal }) =>
      api('/api/assessment/process', { query: { year, month }, schema: processSchema, signal }),
  });
}

export function useCreateAssessment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { year: number; reason?: string }) =>
      api('/api/assessment/editions', { method: 'POST', body, schema: assessmentEditionSchema }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['assessment'] }),
  });
}

export function useMoveAssessment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: string }) =>
      api(`/api/assessment/editions/${id}/transition`, {
        method: 'POST',
        body: { action },
        schema: assessmentEditionSchema,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['assessment'] }),
  });
}

export function useUpdateAssessment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      adjustments,
      scheme,
    }: {
      id: number;
      adjustments?: AssessmentEdition['adjustments'];
      scheme?: AssessmentEdition['scheme'];
    }) =>
      api(`/api/assessment/editions/${id}`, {
        method: 'PUT',
        body: { adjustments, scheme },
        schema: assessmentEditionSchema,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['assessment'] }),
  });
}

export function useRecompute() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      api(`/api/assessment/editions/${id}/recompute`, { method: 'POST', schema: assessmentEditionSchema }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['assessment'] }),
  });
}

export const fmt = (x: number | null | undefined, d = 2) =>
  x === null || x === undefined ? '—' : (Math.round(x * 10 ** d) / 10 ** d).toLocaleString('zh-CN');
