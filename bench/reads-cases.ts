// What the reads bench measures (bench/reads.ts alone uses this): every GET route the server registers
// under the five capabilities' prefixes — taken from the app's own route list, so a route added later
// is measured without anyone editing the bench — each classified as a page (JSON read) or a file
// download, with the goal it is held to, and the variants of its query asked besides the first page.
import type { RouteEntry } from '../src/server/auth-context.ts';

export const PREFIXES = [
  '/api/monitoring',
  '/api/enterprises',
  '/api/evaluation',
  '/api/chains',
  '/api/projects',
];

export type Kind = 'read' | 'stored file' | 'built file';

/**
 * Downloads, by name. A STORED file (a project's evidence document, an objection's evidence) is bytes
 * read back from the database: a read like any page, held to the page's 100 ms. A BUILT file (an xlsx
 * workbook: project export, 亩均 ledger, chain roadmap, templates) is composed cell by cell on the
 * server's one JavaScript thread for each request; at 50 connections its p95 is about 50 × its CPU
 * time, so the page goal cannot apply. It is held to 1,000 ms: a download is a deliberate click whose
 * answer the browser saves rather than renders, and one second is the limit within which a user's
 * flow stays unbroken (Nielsen's response-time limits) — 50 people exporting at the same second is
 * already far above this platform's use. The bench checks every answer's type against this list
 * (JSON for a read, anything else for a download), so a new download route not named here is
 * reported as misclassified instead of passing as a page.
 */
const DOWNLOADS: { pattern: RegExp; kind: Kind }[] = [
  { pattern: /\/documents\/:documentId$/, kind: 'stored file' },
  { pattern: /\/files\/:fileId$/, kind: 'stored file' },
  { pattern: /\.(xlsx|pdf|csv|docx|zip)$/, kind: 'built file' },
];

export const kindOf = (url: string): Kind => DOWNLOADS.find((d) => d.pattern.test(url))?.kind ?? 'read';

/** The goals: p95 ≤ 100 ms, rankings ≤ 200 ms, a chain's atlas and roadmap ≤ 300 ms. */
export function goalOf(url: string): number {
  const kind = kindOf(url);
  if (kind === 'built file') return 1_000;
  if (kind === 'stored file') return 100;
  if (/rank/.test(url)) return 200;
  if (/^\/api\/chains\/:code(\/roadmap)?$/.test(url)) return 300;
  return 100;
}

/** Every GET route under the prefixes, as registered (`:param` form), sorted. */
export function readRoutes(routeList: RouteEntry[], only: RegExp | null): string[] {
  const urls = routeList
    .filter((r) => r.method === 'GET' && PREFIXES.some((p) => r.url.startsWith(p)))
    .map((r) => r.url)
    .filter((u) => !only || only.test(u));
  return [...new Set(urls)].sort();
}

/** A query parameter as the OpenAPI document states it. */
export interface QueryParam {
  name: string;
  required: boolean;
  schema?: { enum?: string[]; default?: unknown; type?: string };
}

/** The route's query parameters from the OpenAPI document (none for a route it does not list). */
export function queryParams(
  doc: { paths: Record<string, { get?: { parameters?: (QueryParam & { in: string })[] } }> },
  url: string,
): QueryParam[] {
  const openapi = url.replace(/:(\w+)/g, '{$1}');
  return (doc.paths[openapi]?.get?.parameters ?? []).filter((p) => p.in === 'query');
}

/** One measured request shape of a route. */
export interface Variant {
  /** what it asks, as printed: 'first page', 'last page', 'sort …', 'filter …' */
  label: string;
  /** the query string after the required parameters ('' for none) */
  query: string;
}

// The variant chosen by hand where the generic rule below would pick a dull one: a sort on a figure
// (descending, as users sort figures), a filter users apply, the chain method panel's own knob.
const CHOSEN: Record<string, Variant> = {
  '/api/monitoring/rankings': { label: 'tax, 本月', query: 'measure=tax&period=month' },
  '/api/enterprises': { label: 'sort outputValue desc', query: 'sort=outputValue&order=desc' },
  '/api/projects': { label: 'delayed, sort desc', query: 'delayed=true&order=desc' },
  '/api/evaluation/runs/:id/results': { label: 'filter class D', query: 'class=D' },
  '/api/evaluation/runs/:id/policies': { label: 'filter class D', query: 'class=D' },
  '/api/chains/:code': { label: 'method minFirms=3', query: 'minFirms=3' },
  '/api/chains/:code/gaps': { label: 'method minFirms=3', query: 'minFirms=3' },
  '/api/chains/:code/roadmap': { label: 'method minFirms=3', query: 'minFirms=3' },
};

/**
 * The non-default variant of a route's query, where it offers one: the hand-chosen one above, else a
 * `sort` other than the default (descending), else the first optional choice (an enum) set to a value
 * other than its default. Null when the route has no such parameter.
 */
export function otherVariant(url: string, params: QueryParam[]): Variant | null {
  const chosen = CHOSEN[url];
  if (chosen) return chosen;
  const sort = params.find((p) => p.name === 'sort' && p.schema?.enum);
  if (sort) {
    const value = sort.schema!.enum!.find((v) => v !== sort.schema!.default)!;
    return { label: `sort ${value} desc`, query: `sort=${value}&order=desc` };
  }
  for (const p of params) {
    const values = p.schema?.enum;
    if (p.required || !values || ['order', 'page', 'pageSize'].includes(p.name)) continue;
    const value = values.find((v) => v !== p.schema!.default);
    if (value) return { label: `${p.name}=${value}`, query: `${p.name}=${value}` };
  }
  return null;
}

export const isPaged = (params: QueryParam[]) => params.some((p) => p.name === 'page');
