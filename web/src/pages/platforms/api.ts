// Typed hooks over the platforms register API, validated with the server's own Zod schemas.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '../../api/client.ts';
import {
  platformImportResultSchema,
  platformListSchema,
  platformSchema,
  type PlatformBody,
} from '../../../../src/modules/platforms/schemas.ts';

export interface PlatformFilter {
  kind?: string;
  county?: string;
  cluster?: string;
  level?: string;
  q?: string;
}

export function usePlatforms(q: PlatformFilter) {
  return useQuery({
    queryKey: ['platforms', q],
    queryFn: ({ signal }) => api('/api/platforms', { query: { ...q }, schema: platformListSchema, signal }),
  });
}

export function useSavePlatform() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: PlatformBody }) =>
      api(id ? `/api/platforms/${id}` : '/api/platforms', {
        method: id ? 'PUT' : 'POST',
        body,
        schema: platformSchema,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['platforms'] }),
  });
}

export function useDeletePlatform() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api(`/api/platforms/${id}`, { method: 'DELETE', schema: z.undefined() }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['platforms'] }),
  });
}

export function useImportPlatforms() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { fileName: string; contentBase64: string }) =>
      api('/api/platforms/import', { method: 'POST', body, schema: platformImportResultSchema }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['platforms'] }),
  });
}

export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}
