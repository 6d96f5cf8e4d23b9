// A bulletin template as data (config/<city>/bulletin.json): the sections in order, which scopes each
// appears in, the API answer each is bound to, and its text with placeholders for the figures. Which
// placeholders a section kind offers is fixed here, so a template naming an unknown one is refused when
// it is loaded, not printed as "{typo}" in a leader's report.
import { z } from 'zod';
import { placeholdersIn } from './placeholders.ts';

export const SCOPE_KINDS = ['city', 'county', 'cluster'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export const SECTION_KINDS = [
  'kpi',
  'clusterTable',
  'countyTable',
  'trendChart',
  'shareChart',
  'targets',
  'movers',
  'alerts',
  'projects',
  'service',
  'serviceUnits',
  'commentary',
] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

const COMMON = ['scopeName', 'period', 'monthLabel', 'year'] as const;

/** The placeholders each section kind fills (besides the common ones: scope, period, month, year). */
export const SECTION_PLACEHOLDERS: Record<SectionKind, readonly string[]> = {
  kpi: ['ytd', 'ytdYoy', 'month', 'yoy', 'share', 'enterprises', 'comparableYtdYoy'],
  clusterTable: ['top', 'topYtd', 'topShare', 'fastest', 'fastestYoy', 'count'],
  countyTable: ['top', 'topYtd', 'topShare', 'fastest', 'fastestYoy', 'count'],
  trendChart: ['months'],
  shareChart: ['top', 'topShare'],
  targets: ['total', 'onTrack', 'behind', 'noData'],
  movers: ['upCount', 'downCount', 'firms'],
  alerts: ['total', 'red', 'orange', 'yellow'],
  projects: ['total', 'maxDaysLate', 'asOf'],
  service: ['received', 'closed', 'closeRate', 'onTimeRate', 'satisfactionRate', 'from', 'to'],
  serviceUnits: ['count'],
  commentary: [],
};

const sectionSchema = z.object({
  id: z.string().regex(/^[a-z][a-zA-Z0-9_-]*$/),
  kind: z.enum(SECTION_KINDS),
  title: z.string().min(1),
  scopes: z.array(z.enum(SCOPE_KINDS)).min(1),
  /** the API answer the section shows (documentation; the module implements the binding) */
  binding: z.string().min(1),
  /** one text, or one per scope kind (a cluster's bulletin does not speak of "five clusters") */
  text: z.union([z.string(), z.partialRecord(z.enum(SCOPE_KINDS), z.string())]).optional(),
  /** rows shown at most (tables of firms, alerts, projects) */
  limit: z.number().int().positive().max(100).optional(),
});
export type SectionTemplate = z.infer<typeof sectionSchema>;

export const templateSchema = z.object({
  version: z.string().min(1),
  source: z.array(z.string().min(1)).min(1),
  /** the report's title per scope kind; placeholders: the common ones */
  title: z.partialRecord(z.enum(SCOPE_KINDS), z.string().min(1)),
  issuer: z.string().min(1),
  sections: z.array(sectionSchema).min(1),
});
export type BulletinTemplate = z.infer<typeof templateSchema>;

/** Every problem of a template: duplicate ids, placeholders a section does not offer. Empty = usable. */
export function templateProblems(t: BulletinTemplate): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const s of t.sections) {
    if (seen.has(s.id)) problems.push(`section ${s.id}: duplicate id`);
    seen.add(s.id);
    const offered = new Set<string>([...COMMON, ...SECTION_PLACEHOLDERS[s.kind]]);
    const texts =
      typeof s.text === 'object' ? Object.values(s.text).filter((x) => x !== undefined) : [s.text ?? ''];
    for (const name of texts.flatMap(placeholdersIn))
      if (!offered.has(name)) problems.push(`section ${s.id}: unknown placeholder {${name}}`);
  }
  for (const [kind, title] of Object.entries(t.title))
    for (const name of placeholdersIn(title))
      if (!(COMMON as readonly string[]).includes(name))
        problems.push(`title ${kind}: unknown placeholder {${name}}`);
  return problems;
}

/** Parses and checks a template; throws with every problem listed. */
export function parseTemplate(raw: unknown): BulletinTemplate {
  const t = templateSchema.parse(raw);
  const problems = templateProblems(t);
  if (problems.length) throw new Error(`bulletin template: ${problems.join('; ')}`);
  return t;
}

/** The sections of the template that a bulletin of this scope kind contains, in order. */
export function sectionsFor(t: BulletinTemplate, kind: ScopeKind): SectionTemplate[] {
  return t.sections.filter((s) => s.scopes.includes(kind));
}

/** The section's text for a scope kind (undefined: the section has none). */
export function textFor(s: SectionTemplate, kind: ScopeKind): string | undefined {
  return typeof s.text === 'object' ? s.text[kind] : s.text;
}
