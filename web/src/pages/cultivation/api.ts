// Typed hooks over the cultivation API (企业培育), validated with the server's own Zod schemas.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '../../api/client.ts';
import {
  candidatesAnswerSchema,
  entryListSchema,
  entrySchema,
  firmAnswerSchema,
  ladderAnswerSchema,
  librariesAnswerSchema,
  type entryMoveBody,
} from '../../../../src/modules/cultivation/schemas.ts';

export function useLibraries(q: { year?: number; cluster?: string }) {
  return useQuery({
    queryKey: ['cultivation', 'libraries', q],
    queryFn: ({ signal }) =>
      api('/api/cultivation/libraries', { query: q, schema: librariesAnswerSchema, signal }),
  });
}

export function useCandidates(q: { year?: number; cluster?: string; library?: string; maxMissing: number }) {
  return useQuery({
    queryKey: ['cultivation', 'candidates', q],
    enabled: !!q.library,
    queryFn: ({ signal }) =>
      api('/api/cultivation/candidates', { query: q, schema: candidatesAnswerSchema, signal }),
  });
}

export function useFirm(id: number | null, year?: number) {
  return useQuery({
    queryKey: ['cultivation', 'firm', id, year],
    enabled: id !== null,
    queryFn: ({ signal }) =>
      api(`/api/cultivation/firms/${id}`, { query: { year }, schema: firmAnswerSchema, signal }),
  });
}

export function useLadder(cluster?: string) {
  return useQuery({
    queryKey: ['cultivation', 'ladder', cluster],
    queryFn: ({ signal }) =>
      api('/api/cultivation/ladder', { query: { cluster }, schema: ladderAnswerSchema, signal }),
  });
}

export function useEntries(q: { library?: string; stage?: string }) {
  return useQuery({
    queryKey: ['cultivation', 'entries', q],
    queryFn: ({ signal }) => api('/api/cultivation/entries', { query: q, schema: entryListSchema, signal }),
  });
}

export function useEntry(id: number | null) {
  return useQuery({
    queryKey: ['cultivation', 'entry', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api(`/api/cultivation/entries/${id}`, { schema: entrySchema, signal }),
  });
}

export function useEnter() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { enterpriseId: number; library: string; note?: string }) =>
      api('/api/cultivation/entries', { method: 'POST', body, schema: entrySchema }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['cultivation'] }),
  });
}

export function useMove(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: z.infer<typeof entryMoveBody>) =>
      api(`/api/cultivation/entries/${id}/move`, { method: 'POST', body, schema: entrySchema }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['cultivation'] }),
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
