// Typed queries and mutations of the evaluation API, validated by the server's own Zod schemas.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { z } from 'zod';
import {
  objectionFileListSchema,
  objectionFileSchema,
  previewSchema,
  classCountsSchema,
  classTrendSchema,
  evaluationYearsSchema,
  aggregateSchema,
  policyListSchema,
  explanationSchema,
  objectionListSchema,
  objectionSchema,
  resultListSchema,
  ruleSetListSchema,
  runListSchema,
  ruleSetSchema,
  runSchema,
  simulationSchema,
  watchListSchema,
  type ruleSetDefinition,
} from '../../../../src/modules/evaluation/schemas.ts';

export type Definition = z.infer<typeof ruleSetDefinition>;
export type { Preview } from '../../../../src/modules/evaluation/schemas.ts';

export type {
  ExplanationDto,
  ResultRow,
  Run,
  Objection,
} from '../../../../src/modules/evaluation/schemas.ts';

export const useRuns = () =>
  useQuery({
    queryKey: ['evaluation', 'runs'],
    queryFn: ({ signal }) => api('/api/evaluation/runs', { schema: runListSchema, signal }),
  });
/** The years with annual inputs or a visible run, and the newest: the year the pages open on. */
export const useEvaluationYears = (enabled = true) =>
  useQuery({
    queryKey: ['evaluation', 'years'],
    enabled,
    queryFn: ({ signal }) => api('/api/evaluation/years', { schema: evaluationYearsSchema, signal }),
  });
export const useRun = (id: number) =>
  useQuery({
    queryKey: ['evaluation', 'run', id],
    queryFn: ({ signal }) => api(`/api/evaluation/runs/${id}`, { schema: runSchema, signal }),
    enabled: id > 0,
  });
export const useRuleSets = () =>
  useQuery({
    queryKey: ['evaluation', 'rule-sets'],
    queryFn: ({ signal }) => api('/api/evaluation/rule-sets', { schema: ruleSetListSchema, signal }),
  });

export function useResults(
  runId: number,
  query: { class?: string; scale?: string; page: number; pageSize: number },
) {
  return useQuery({
    queryKey: ['evaluation', 'results', runId, query],
    queryFn: ({ signal }) =>
      api(`/api/evaluation/runs/${runId}/results`, { query, schema: resultListSchema, signal }),
    enabled: runId > 0,
  });
}
export const useClassCounts = (runId: number, enabled: boolean) =>
  useQuery({
    queryKey: ['evaluation', 'counts', runId],
    queryFn: ({ signal }) =>
      api(`/api/evaluation/runs/${runId}/class-counts`, {
        query: { by: 'county' },
        schema: classCountsSchema,
        signal,
      }),
    enabled: enabled && runId > 0,
  });
export const useExplanation = (runId: number, enterpriseId: number) =>
  useQuery({
    queryKey: ['evaluation', 'explanation', runId, enterpriseId],
    queryFn: ({ signal }) =>
      api(`/api/evaluation/runs/${runId}/results/${enterpriseId}/explanation`, {
        schema: explanationSchema,
        signal,
      }),
    enabled: runId > 0 && enterpriseId > 0,
    retry: false,
  });
export const useObjections = () =>
  useQuery({
    queryKey: ['evaluation', 'objections'],
    queryFn: ({ signal }) => api('/api/evaluation/objections', { schema: objectionListSchema, signal }),
  });
/** One page of the watch list (the server pages it: the city's list is thousands of firms). */
export const useWatch = (year: number | undefined, page: number, pageSize: number) =>
  useQuery({
    queryKey: ['evaluation', 'watch', year, page, pageSize],
    queryFn: ({ signal }) =>
      api('/api/evaluation/watch', { query: { year, page, pageSize }, schema: watchListSchema, signal }),
    placeholderData: keepPreviousData,
    // no year until the years are read (the page's default is the data's newest year)
    enabled: year !== undefined,
  });
export const useSimulation = (q: { year: number; a: number; b: number } | null) =>
  useQuery({
    queryKey: ['evaluation', 'simulate', q],
    queryFn: ({ signal }) =>
      api('/api/evaluation/simulate', { query: q ?? {}, schema: simulationSchema, signal }),
    enabled: q != null,
  });

function useEvaluationMutation<T>(fn: (body: T) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => void client.invalidateQueries({ queryKey: ['evaluation'] }),
  });
}

export const useCreateRun = () =>
  useEvaluationMutation((body: { year: number; ruleSetId?: number }) =>
    api('/api/evaluation/runs', { method: 'POST', body, schema: runSchema }),
  );
/** A preview writes nothing: a plain mutation, no cache to invalidate. */
export const usePreviewRuleSet = () =>
  useMutation({
    mutationFn: ({ id, definition }: { id: number; definition: Definition }) =>
      api(`/api/evaluation/rule-sets/${id}/preview`, {
        method: 'POST',
        body: { definition },
        schema: previewSchema,
      }),
  });
export const useSaveRuleSetVersion = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; definition: Definition; reason: string }) =>
      api(`/api/evaluation/rule-sets/${id}/versions`, { method: 'POST', body, schema: ruleSetSchema }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['evaluation', 'rule-sets'] }),
  });
};
export const useRunStep = () =>
  useEvaluationMutation(
    ({ id, step, reason }: { id: number; step: 'submit' | 'publish' | 'correct'; reason?: string }) =>
      api(`/api/evaluation/runs/${id}/${step}`, {
        method: 'POST',
        body: step === 'correct' ? { reason } : undefined,
        schema: runSchema,
      }),
  );
export const useResolveObjection = () =>
  useEvaluationMutation(
    ({ id, ...body }: { id: number; status: 'upheld' | 'rejected'; resolution: string }) =>
      api(`/api/evaluation/objections/${id}/resolve`, { method: 'POST', body, schema: objectionSchema }),
  );
export const useSetHandling = () =>
  useEvaluationMutation(
    ({
      year,
      enterpriseId,
      ...body
    }: {
      year: number;
      enterpriseId: number;
      status: string;
      owner?: string | null;
      deadline?: string | null;
      progress?: string | null;
    }) => api(`/api/evaluation/watch/${year}/${enterpriseId}`, { method: 'PUT', body }),
  );

export const useObjectionFiles = () =>
  useQuery({
    queryKey: ['evaluation', 'objection-files'],
    queryFn: ({ signal }) =>
      api('/api/evaluation/objection-files', { schema: objectionFileListSchema, signal }),
  });

/** The file as base64 (without the data: prefix) for the JSON upload. */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** Files an objection, then attaches its evidence files one by one. */
export const useFileObjectionWithFiles = (runId: number) =>
  useEvaluationMutation(
    async (body: { enterpriseId: number; text: string; evidence: string; files: File[] }) => {
      const { files, ...objection } = body;
      const o = await api(`/api/evaluation/runs/${runId}/objections`, {
        method: 'POST',
        body: objection,
        schema: objectionSchema,
      });
      for (const f of files)
        await api(`/api/evaluation/objections/${o.id}/files`, {
          method: 'POST',
          body: { fileName: f.name, contentBase64: await base64Of(f) },
          schema: objectionFileSchema,
        });
      return o;
    },
  );

/** One page of a run's policy list, with the totals per policy over the whole list (server-side). */
export const useRunPolicies = (
  runId: number,
  department: string | undefined,
  page: number,
  pageSize: number,
) =>
  useQuery({
    queryKey: ['evaluation', 'policies', runId, department ?? '', page, pageSize],
    queryFn: ({ signal }) =>
      api(`/api/evaluation/runs/${runId}/policies`, {
        query: { ...(department ? { department } : {}), page, pageSize },
        schema: policyListSchema,
        signal,
      }),
    enabled: runId > 0,
    placeholderData: keepPreviousData,
  });
export const useClassTrend = (by: string) =>
  useQuery({
    queryKey: ['evaluation', 'class-trend', by],
    queryFn: ({ signal }) =>
      api('/api/evaluation/class-trend', { query: { by }, schema: classTrendSchema, signal }),
  });
export const useAggregates = (by: string) =>
  useQuery({
    queryKey: ['evaluation', 'aggregates', by],
    queryFn: ({ signal }) =>
      api('/api/evaluation/aggregates', { query: { by }, schema: aggregateSchema, signal }),
  });
