// Reference data changes rarely; it is cached for the whole session.
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from './client.ts';
import {
  cityInfoSchema,
  clusterSchema,
  healthSchema,
  industrySchema,
  regionSchema,
  zoneSchema,
  type Industry,
} from './contract.ts';

const LONG = 30 * 60_000;

export function useCity() {
  return useQuery({
    queryKey: ['city'],
    queryFn: ({ signal }) => api('/api/city', { schema: cityInfoSchema, signal }),
    staleTime: LONG,
  });
}

export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => api('/api/health', { schema: healthSchema, signal }),
  });
}

export function useRegions() {
  return useQuery({
    queryKey: ['regions'],
    queryFn: ({ signal }) => api('/api/regions', { schema: z.array(regionSchema), signal }),
    staleTime: LONG,
  });
}

export function useZones() {
  return useQuery({
    queryKey: ['zones'],
    queryFn: ({ signal }) => api('/api/zones', { schema: z.array(zoneSchema), signal }),
    staleTime: LONG,
  });
}

/** `enabled: false` for a role without `reference.data` read (a department): no request, no 403. */
export function useClusters(enabled = true) {
  return useQuery({
    queryKey: ['clusters'],
    queryFn: ({ signal }) => api('/api/clusters', { schema: z.array(clusterSchema), signal }),
    staleTime: LONG,
    enabled,
  });
}

export interface IndustryFilter {
  level?: Industry['level'];
  parent?: string;
  q?: string;
  clustered?: boolean;
}

export function useIndustries(filter: IndustryFilter, enabled = true) {
  return useQuery({
    queryKey: ['industries', filter],
    queryFn: ({ signal }) =>
      api('/api/industries', { query: { ...filter }, schema: z.array(industrySchema), signal }),
    staleTime: LONG,
    enabled,
  });
}
