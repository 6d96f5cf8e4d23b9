// Typed hooks over the targets API (目标考核), validated with the server's own Zod schemas.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../api/client.ts';
import {
  breakdownAnswerSchema,
  importResultSchema,
  ledgerAnswerSchema,
  reportDetailSchema,
  reportListSchema,
  type reportSubmitBody,
} from '../../../../src/modules/targets/schemas.ts';

export function useLedger(q: { setCode?: string; year?: number }) {
  return useQuery({
    queryKey: ['targets', 'ledger', q],
    queryFn: ({ signal }) => api('/api/targets/ledger', { query: q, schema: ledgerAnswerSchema, signal }),
  });
}

export function useBreakdown(q: { setCode: string; targetCode: string; year: number } | null) {
  return useQuery({
    queryKey: ['targets', 'breakdown', q],
    enabled: q !== null,
    queryFn: ({ signal }) =>
      api('/api/targets/breakdown', { query: q!, schema: breakdownAnswerSchema, signal }),
  });
}

export function useReports(q: { year?: number }) {
  return useQuery({
    queryKey: ['targets', 'reports', q],
    queryFn: ({ signal }) => api('/api/targets/reports', { query: q, schema: reportListSchema, signal }),
  });
}

export function useReport(id: number | null) {
  return useQuery({
    queryKey: ['targets', 'report', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api(`/api/targets/reports/${id}`, { schema: reportDetailSchema, signal }),
  });
}

export function useSubmitReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof reportSubmitBody>) =>
      api('/api/targets/reports', { method: 'POST', body, schema: reportDetailSchema }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['targets'] }),
  });
}

export function useReview(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { decision: 'approve' | 'return'; reason?: string }) =>
      api(`/api/targets/reports/${id}/review`, { method: 'POST', body, schema: reportDetailSchema }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['targets'] }),
  });
}

export function useImportReports() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: { fileName: string; contentBase64: string }) =>
      api('/api/targets/reports/import', { method: 'POST', body: { file }, schema: importResultSchema }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['targets'] }),
  });
}

/** A File as base64 (without the data: prefix), for the JSON evidence upload. */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
