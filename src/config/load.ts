// A city is a configuration folder: config/<city>/ holds its regions, zones, industry classification, clusters,
// cluster-to-industry mapping, chains and target sets (docs/config.md). This module reads such a folder,
// validates every file with zod and checks the cross-references between files. Nothing here is specific to
// one city.
import { settings } from '../settings.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

// ---------------------------------------------------------------- file names

export const CONFIG_FILES = {
  city: 'city.json',
  regions: 'regions.csv',
  zones: 'zones.json',
  industries: 'industries.csv',
  clusters: 'clusters.json',
  clusterIndustries: 'cluster_industries.csv',
  chains: 'chains.json',
  targetSets: 'target_sets.json',
} as const;

// ---------------------------------------------------------------- shared pieces

const text = z.string().trim().min(1, 'must not be empty');
const optText = text.optional();
/** One source or several; always a list after parsing. */
const sourceList = z.union([text.transform((s) => [s]), z.array(text).min(1, 'at least one source')]);
/** GB/T 2260 (6 digits: province, city, county) or 统计用区划代码 town (9 digits). */
const regionCode = z.string().regex(/^\d{6}(\d{3})?$/, 'must be a 6-digit GB/T 2260 or 9-digit town code');
/** Synthetic zone code: never a GB/T 2260 code. */
const zoneCode = z.string().regex(/^Z-[A-Z0-9][A-Z0-9_-]*$/, 'must look like Z-ABC (synthetic zone code)');
const slug = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case');
const isoDate = z.iso.date();

// ---------------------------------------------------------------- city.json

export const CitySchema = z
  .object({
    code: z.string().regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 code'),
    name: text,
    nameEn: text,
    province: z.object({ code: z.string().regex(/^\d{6}$/), name: text, nameEn: text }).strict(),
    defaultLocale: text,
    locales: z.array(text).optional(),
    timezone: optText,
    currency: z
      .object({ code: z.string().length(3), displayUnit: text, displayUnitEn: optText, storageUnit: optText })
      .strict()
      .optional(),
    reportingUnitsNote: optText,
    sources: z.array(text).min(1),
  })
  .strict();
export type City = z.infer<typeof CitySchema>;

// ---------------------------------------------------------------- regions.csv

export const REGION_LEVELS = ['city', 'county', 'town'] as const;
export const RegionSchema = z.object({
  code: regionCode,
  name: text,
  nameEn: text.nullable(),
  level: z.enum(REGION_LEVELS),
  parentCode: regionCode.nullable(),
  source: text,
});
export type Region = z.infer<typeof RegionSchema>;
const REGION_COLUMNS = ['code', 'name', 'name_en', 'level', 'parent_code', 'source'] as const;

// ---------------------------------------------------------------- zones.json

export const ZoneSchema = z
  .object({
    code: zoneCode,
    name: text,
    shortName: text,
    nameEn: text,
    alsoKnownAs: z.array(text).optional(),
    kind: z.enum([
      'development_zone',
      'high_tech_zone',
      'new_area',
      'characteristic_town',
      'industry_base',
      'other',
    ]),
    hostRegionCode: regionCode,
    parentZoneCode: zoneCode.optional(),
    level: z.enum(['national', 'provincial', 'municipal', 'county', 'unknown']),
    levelText: optText,
    /** true when the city reports the zone beside the counties in its statistics */
    reportingUnit: z.boolean(),
    verified: z.object({ level: z.boolean(), hostRegion: z.boolean() }).strict(),
    notes: z.array(text).default([]),
    /** town codes inside the zone, only where a source asserts it */
    towns: z.array(regionCode).default([]),
    source: sourceList,
  })
  .strict();
export type Zone = z.infer<typeof ZoneSchema>;

export const ExcludedZoneSchema = z
  .object({ id: text, name: text, kind: text, reason: text, source: sourceList })
  .strict();
export type ExcludedZone = z.infer<typeof ExcludedZoneSchema>;

const ZonesFileSchema = z
  .object({
    _about: optText,
    _sources: z.array(text).optional(),
    zones: z.array(ZoneSchema),
    excluded: z.array(ExcludedZoneSchema).default([]),
  })
  .strict();

// ---------------------------------------------------------------- industries.csv

export const INDUSTRY_LEVELS = ['section', 'division', 'group', 'class'] as const;
export type IndustryLevel = (typeof INDUSTRY_LEVELS)[number];
/** Code shape per level in GB/T 4754: 门类 letter, 大类 2 digits, 中类 3 digits, 小类 4 digits. */
const INDUSTRY_CODE_SHAPE: Record<IndustryLevel, RegExp> = {
  section: /^[A-Z]$/,
  division: /^\d{2}$/,
  group: /^\d{3}$/,
  class: /^\d{4}$/,
};
export const IndustrySchema = z
  .object({
    code: z.string().regex(/^([A-Z]|\d{2,4})$/, 'must be a letter or 2–4 digits'),
    name: text,
    level: z.enum(INDUSTRY_LEVELS),
    parentCode: z.string().nullable(),
    section: z.string().regex(/^[A-Z]$/, 'must be a section letter'),
    remark: z.string().nullable(),
    source: text,
  })
  .superRefine((v, ctx) => {
    if (!INDUSTRY_CODE_SHAPE[v.level].test(v.code)) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: `"${v.code}" is not a valid ${v.level} code` });
    }
    if ((v.level === 'section') !== (v.parentCode === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['parentCode'],
        message: v.level === 'section' ? 'a section has no parent' : 'required below section level',
      });
    }
  });
export type Industry = z.infer<typeof IndustrySchema>;
const INDUSTRY_COLUMNS = ['code', 'name', 'level', 'parent_code', 'section', 'remark', 'source'] as const;

// ---------------------------------------------------------------- clusters.json

export const LeadingEnterpriseTargetSchema = z
  .object({
    thresholdYiYuan: z.number().positive(),
    /** null when the policy sets no number ("a group of enterprises"); a note must say so */
    count: z.number().int().nonnegative().nullable(),
    note: optText,
  })
  .strict()
  .refine((v) => v.count !== null || v.note !== undefined, {
    message: 'a null count needs a note',
    path: ['note'],
  });

export const SubDirectionSchema = z
  .object({
    name: text,
    nameEn: optText,
    products: z.array(text),
    focus: z.array(text).optional(),
    /** county (region) codes or zone codes */
    baseRegionCodes: z.array(text),
    basesProposed: z.boolean().optional(),
    basesNote: optText,
    goal: optText,
  })
  .strict();

export const ClusterSchema = z
  .object({
    code: slug,
    name: text,
    nameEn: text,
    sortOrder: z.number().int(),
    levelAimed: z.object({ zh: text, en: text }).strict(),
    target: z
      .object({ year: z.number().int(), outputYiYuan: z.number().positive(), metric: optText })
      .strict(),
    leadingEnterpriseTargets: z.array(LeadingEnterpriseTargetSchema),
    subDirections: z.array(SubDirectionSchema),
    /** county (region) codes or zone codes */
    baseRegionCodes: z.array(text).min(1),
    qualitativeGoals: z.array(text).default([]),
    provincialChain: z
      .object({ name: text.nullable(), proposed: z.boolean(), note: optText })
      .strict()
      .optional(),
    policySection: text,
    source: sourceList,
  })
  .strict();
export type Cluster = z.infer<typeof ClusterSchema>;

const ClustersFileSchema = z
  .object({ _about: optText, _sources: z.array(text).optional(), clusters: z.array(ClusterSchema).min(1) })
  .strict();

// ---------------------------------------------------------------- cluster_industries.csv

export const CLUSTER_INDUSTRY_CONFIDENCE = ['official', 'proposed', 'proposed_low'] as const;
export const ClusterIndustrySchema = z.object({
  clusterCode: slug,
  industryCode: text,
  confidence: z.enum(CLUSTER_INDUSTRY_CONFIDENCE),
  note: z.string().nullable(),
  source: text,
});
export type ClusterIndustry = z.infer<typeof ClusterIndustrySchema>;
const CLUSTER_INDUSTRY_COLUMNS = ['cluster_code', 'industry_code', 'confidence', 'note', 'source'] as const;

// ---------------------------------------------------------------- chains.json

export const ChainEnterpriseSchema = z
  .object({
    name: text,
    kind: z.enum(['enterprise', 'project', 'place']),
    /** the place as the source wrote it */
    location: optText,
    regionCode: regionCode.optional(),
    zoneCode: zoneCode.optional(),
    note: optText,
    source: text,
  })
  .strict();

export const ChainNodeSchema = z
  .object({
    id: slug,
    name: text,
    stage: z.enum(['upstream', 'midstream', 'downstream']),
    industryCodes: z.array(text),
    keyProducts: z.array(text).optional(),
    knownEnterprises: z.array(ChainEnterpriseSchema).default([]),
  })
  .strict();

/**
 * A chain as written in chains.json. The key is the chain's code. A cluster's own chain has the cluster's
 * code as key (`cluster` may be left out); further chains of a cluster (e.g. 标志性产业链, `landmark: true`)
 * name their `cluster`. A chain either lists its own nodes, or takes nodes of another chain of the same
 * cluster (`fromChain`): then each entry of `nodes` is a node id of that chain or a node of its own, the
 * edges of `fromChain` between taken nodes come along, and `edges` adds more.
 */
export const ChainSchema = z
  .object({
    proposed: z.boolean(),
    name: optText,
    nameEn: optText,
    description: optText,
    /** the cluster the chain belongs to; default: the chain's key */
    cluster: slug.optional(),
    /** 标志性产业链: one of the policy's landmark chains */
    landmark: z.boolean().default(false),
    /** why the chain is a landmark chain (the policy's words, with the section) */
    policyNote: optText,
    /** take nodes (by id) and the edges between them from this chain */
    fromChain: slug.optional(),
    source: sourceList,
    nodes: z.array(z.union([slug, ChainNodeSchema])).min(1),
    edges: z.array(z.tuple([text, text])).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.landmark && !c.policyNote)
      ctx.addIssue({ code: 'custom', path: ['policyNote'], message: 'a landmark chain needs a policyNote' });
    if (!c.fromChain)
      c.nodes.forEach((n, i) => {
        if (typeof n === 'string')
          ctx.addIssue({
            code: 'custom',
            path: ['nodes', i],
            message: `node "${n}" is an id: only a chain with fromChain may take nodes by id`,
          });
      });
  });
export type ChainNode = z.infer<typeof ChainNodeSchema>;
/** (fromChain: the chain its shared nodes were taken from; their definitions live there) */
const ResolvedChainSchema = z.object({
  proposed: z.boolean(),
  name: z.string().optional(),
  nameEn: z.string().optional(),
  description: z.string().optional(),
  cluster: z.string(),
  landmark: z.boolean(),
  policyNote: z.string().optional(),
  fromChain: z.string().optional(),
  source: z.array(z.string()),
  nodes: z.array(ChainNodeSchema),
  edges: z.array(z.tuple([z.string(), z.string()])),
});
/** A chain after loading: its cluster known, every node spelled out, edges complete. */
export type Chain = z.infer<typeof ResolvedChainSchema>;

/** The chains of a cluster's own chain first, then the others, in file order. */
export function chainsOfCluster(config: Pick<CityConfig, 'chains'>, cluster: string): [string, Chain][] {
  const all = Object.entries(config.chains).filter(([, c]) => c.cluster === cluster);
  return [...all.filter(([k]) => k === cluster), ...all.filter(([k]) => k !== cluster)];
}

// ---------------------------------------------------------------- target_sets.json

export const TARGET_COMPARATORS = ['>=', '>', '<=', '<', '=', '≈', 'increase', 'decrease'] as const;
export const TARGET_BASES = ['level', 'increment', 'annual', 'average_annual_growth', 'status'] as const;

export const TargetSchema = z
  .object({
    code: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case: letters, digits, "-", "_"'),
    name: text,
    nameEn: text,
    scope: z.enum(['city', 'cluster']),
    clusterCode: slug.optional(),
    /** a key the monitoring code resolves (cluster_output, tax_per_mu, …) */
    metric: slug,
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    unit: text,
    /** level = value at the deadline; increment = added since baseline; annual = each year; status = delivered */
    basis: z.enum(TARGET_BASES),
    baseline: z
      .object({ year: z.number().int(), value: z.number().nullable().optional() })
      .strict()
      .optional(),
    /** null = a direction only (comparator increase/decrease) or a goal without a number (see note) */
    goal: z.number().nullable(),
    comparator: z.enum(TARGET_COMPARATORS),
    deadline: isoDate,
    perYear: z.boolean().default(false),
    items: z.array(text).optional(),
    responsibleUnits: z.array(text),
    /** 牵头单位 as the policy names them (the first of a §四 list leads; §五 names the city-wide leads) */
    lead: z.array(text).optional(),
    /** 配合单位: the other units the policy names, and the counties for county-split targets */
    support: z.array(text).optional(),
    /** 数据来源: where the value comes from (a fact table, a register, or the unit that reports it) */
    dataSource: optText,
    /** 审核部门: who checks a reported value before it counts */
    reviewer: optText,
    /** computed from the platform's data, or reported (with evidence) and reviewed by the city */
    measurement: z.enum(['computed', 'reported']).optional(),
    /**
     * How the city target splits into county targets: by each county's share of the baseline year's value,
     * equally, the same goal for every county (a rate or ratio), by goals the city enters, or not at all
     * (a city-only deliverable).
     */
    countySplit: z.enum(['baseline_share', 'equal', 'same', 'entered', 'none']).optional(),
    policySection: text,
    /** how the platform measures it, or "manual" when an officer must report it */
    measuredBy: text,
    note: optText,
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.scope === 'cluster' && !t.clusterCode) {
      ctx.addIssue({ code: 'custom', path: ['clusterCode'], message: 'required when scope is "cluster"' });
    }
    if (t.scope === 'city' && t.clusterCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['clusterCode'],
        message: 'only allowed when scope is "cluster"',
      });
    }
    const directional = t.comparator === 'increase' || t.comparator === 'decrease';
    if (t.goal === null && !directional && !t.note) {
      ctx.addIssue({
        code: 'custom',
        path: ['goal'],
        message: 'null goal needs comparator increase/decrease or a note',
      });
    }
  });
export type Target = z.infer<typeof TargetSchema>;

export const TargetSetSchema = z
  .object({
    code: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case: letters, digits, "-", "_"'),
    name: text,
    nameEn: text,
    issuedBy: text,
    issuedOn: isoDate,
    document: text,
    status: z.enum(['active', 'superseded', 'draft']),
    statusNote: optText,
    source: sourceList,
    targets: z.array(TargetSchema).min(1),
  })
  .strict();
export type TargetSet = z.infer<typeof TargetSetSchema>;

const TargetSetsFileSchema = z
  .object({ _about: optText, _sources: z.array(text).optional(), targetSets: z.array(TargetSetSchema) })
  .strict();

// ---------------------------------------------------------------- the whole folder

export const CityConfigSchema = z.object({
  /** absolute path of the folder the configuration was read from */
  dir: z.string(),
  city: CitySchema,
  regions: z.array(RegionSchema),
  zones: z.array(ZoneSchema),
  excludedZones: z.array(ExcludedZoneSchema),
  industries: z.array(IndustrySchema),
  clusters: z.array(ClusterSchema),
  clusterIndustries: z.array(ClusterIndustrySchema),
  /** keyed by chain code (a cluster's own chain has the cluster's code) */
  chains: z.record(z.string(), ResolvedChainSchema),
  targetSets: z.array(TargetSetSchema),
});
export type CityConfig = z.infer<typeof CityConfigSchema>;

// ---------------------------------------------------------------- errors

export interface ConfigIssue {
  file: string;
  /** 1-based data row of a CSV file (the header is not counted) */
  row?: number;
  /** 1-based physical line of a CSV file */
  line?: number;
  /** field or JSON path */
  path?: string;
  message: string;
}

export function formatConfigIssue(i: ConfigIssue): string {
  const where = i.row !== undefined ? ` row ${i.row}${i.line !== undefined ? ` (line ${i.line})` : ''}` : '';
  return `${i.file}${where}${i.path ? ` [${i.path}]` : ''}: ${i.message}`;
}

const MAX_LISTED_ISSUES = 50;

export class CityConfigError extends Error {
  constructor(
    readonly dir: string,
    readonly issues: ConfigIssue[],
  ) {
    const listed = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `  - ${formatConfigIssue(i)}`);
    if (issues.length > MAX_LISTED_ISSUES) listed.push(`  … and ${issues.length - MAX_LISTED_ISSUES} more`);
    super(`invalid city configuration in ${dir} (${issues.length} problem(s)):\n${listed.join('\n')}`);
    this.name = 'CityConfigError';
  }
}

// ---------------------------------------------------------------- reading helpers

type Issues = ConfigIssue[];

function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out ? `.${String(s)}` : String(s);
  }
  return out;
}

const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

async function readText(dir: string, file: string, issues: Issues): Promise<string | undefined> {
  try {
    return await readFile(path.join(dir, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    issues.push({ file, message: code === 'ENOENT' ? 'file not found' : `cannot read file: ${String(err)}` });
    return undefined;
  }
}

async function readJson<T>(
  dir: string,
  file: string,
  schema: z.ZodType<T>,
  issues: Issues,
): Promise<T | undefined> {
  const raw = await readText(dir, file, issues);
  if (raw === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    issues.push({ file, message: `invalid JSON: ${(err as Error).message}` });
    return undefined;
  }
  const res = schema.safeParse(data);
  if (!res.success) {
    for (const e of res.error.issues) issues.push({ file, path: jsonPath(e.path), message: e.message });
    return undefined;
  }
  return res.data;
}

interface CsvRow<T> {
  value: T;
  row: number;
  line: number;
}

async function readCsv<T>(
  dir: string,
  file: string,
  columns: readonly string[],
  schema: z.ZodType<T>,
  issues: Issues,
): Promise<CsvRow<T>[] | undefined> {
  const raw = await readText(dir, file, issues);
  if (raw === undefined) return undefined;
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(raw, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    issues.push({ file, message: `CSV syntax error: ${(err as Error).message}` });
    return undefined;
  }
  const [head, ...body] = records;
  if (!head) {
    issues.push({ file, message: 'empty file: a header line is required' });
    return undefined;
  }
  const header = head.record.map((h) => h.trim());
  const missing = columns.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !columns.includes(h));
  if (missing.length || unknown.length) {
    const parts = [];
    if (missing.length) parts.push(`missing column(s) ${missing.join(', ')}`);
    if (unknown.length) parts.push(`unknown column(s) ${unknown.join(', ')}`);
    issues.push({
      file,
      line: 1,
      message: `bad header: ${parts.join('; ')} (expected ${columns.join(',')})`,
    });
    return undefined;
  }
  const out: CsvRow<T>[] = [];
  body.forEach(({ record, info }, i) => {
    const row = i + 1;
    const line = info.lines;
    if (record.length !== header.length) {
      issues.push({ file, row, line, message: `expected ${header.length} fields, found ${record.length}` });
      return;
    }
    const obj: Record<string, string | null> = {};
    header.forEach((h, j) => {
      const v = (record[j] ?? '').trim();
      obj[h.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())] = v === '' ? null : v;
    });
    const res = schema.safeParse(obj);
    if (!res.success) {
      for (const e of res.error.issues) {
        const field = e.path.length ? camelToSnake(String(e.path[0])) : undefined;
        const shown = field ? ` (value ${JSON.stringify(obj[String(e.path[0])] ?? '')})` : '';
        issues.push({ file, row, line, path: field, message: `${e.message}${shown}` });
      }
      return;
    }
    out.push({ value: res.data, row, line });
  });
  return out;
}

/** Report duplicate keys in a list; returns the first occurrence per key. */
function indexUnique<T>(
  items: readonly T[],
  key: (t: T) => string,
  report: (t: T, k: string) => void,
): Map<string, T> {
  const map = new Map<string, T>();
  for (const it of items) {
    const k = key(it);
    if (map.has(k)) report(it, k);
    else map.set(k, it);
  }
  return map;
}

// ---------------------------------------------------------------- cross-reference checks

const PARENT_LEVEL: Record<IndustryLevel, IndustryLevel | null> = {
  section: null,
  division: 'section',
  group: 'division',
  class: 'group',
};

function checkRegions(city: City | undefined, rows: CsvRow<Region>[], issues: Issues): Map<string, Region> {
  const file = CONFIG_FILES.regions;
  const at = (r: CsvRow<Region>, message: string, p?: string) =>
    issues.push({ file, row: r.row, line: r.line, path: p, message: `${message} (code ${r.value.code})` });
  const byCode = indexUnique(
    rows,
    (r) => r.value.code,
    (r, k) => at(r, `duplicate code "${k}"`, 'code'),
  );
  const regions = new Map([...byCode].map(([k, r]) => [k, r.value]));
  const cities = rows.filter((r) => r.value.level === 'city');
  if (cities.length !== 1)
    issues.push({ file, message: `expected exactly 1 city-level row, found ${cities.length}` });
  for (const r of rows) {
    const v = r.value;
    const expectedLength = v.level === 'town' ? 9 : 6;
    if (v.code.length !== expectedLength) at(r, `a ${v.level} code has ${expectedLength} digits`, 'code');
    if (v.level === 'city') {
      if (city && v.code !== city.code)
        at(r, `city row code differs from ${CONFIG_FILES.city} code "${city.code}"`);
      if (city && v.parentCode !== null && v.parentCode !== city.province.code) {
        at(
          r,
          `parent_code "${v.parentCode}" is not the province code "${city.province.code}" of ${CONFIG_FILES.city}`,
        );
      }
      continue;
    }
    if (v.parentCode === null) {
      at(r, `a ${v.level} needs a parent_code`, 'parent_code');
      continue;
    }
    const parent = regions.get(v.parentCode);
    if (!parent) {
      at(r, `parent_code "${v.parentCode}" does not exist in ${file}`, 'parent_code');
      continue;
    }
    const wanted = v.level === 'county' ? 'city' : 'county';
    if (parent.level !== wanted) {
      at(
        r,
        `parent_code "${v.parentCode}" is a ${parent.level}; a ${v.level}'s parent must be a ${wanted}`,
        'parent_code',
      );
    }
    const prefix = v.level === 'county' ? parent.code.slice(0, 4) : parent.code;
    if (!v.code.startsWith(prefix)) at(r, `code does not start with its parent's prefix "${prefix}"`, 'code');
  }
  return regions;
}

function checkZones(zones: Zone[], regions: Map<string, Region>, issues: Issues): Map<string, Zone> {
  const file = CONFIG_FILES.zones;
  const at = (i: number, p: string, message: string) =>
    issues.push({ file, path: `zones[${i}].${p}`, message });
  const byCode = new Map<string, Zone>();
  zones.forEach((z, i) => {
    if (byCode.has(z.code)) at(i, 'code', `duplicate zone code "${z.code}"`);
    else byCode.set(z.code, z);
  });
  zones.forEach((z, i) => {
    if (regions.has(z.code)) at(i, 'code', `zone code "${z.code}" collides with a region code`);
    const host = regions.get(z.hostRegionCode);
    if (!host)
      at(i, 'hostRegionCode', `host region "${z.hostRegionCode}" does not exist in ${CONFIG_FILES.regions}`);
    else if (host.level !== 'county') {
      at(i, 'hostRegionCode', `host region "${z.hostRegionCode}" is a ${host.level}, not a county`);
    }
    if (z.parentZoneCode !== undefined) {
      const parent = byCode.get(z.parentZoneCode);
      if (!parent || z.parentZoneCode === z.code) {
        at(i, 'parentZoneCode', `parent zone "${z.parentZoneCode}" does not exist`);
      } else if (parent.hostRegionCode !== z.hostRegionCode) {
        at(i, 'parentZoneCode', `parent zone "${z.parentZoneCode}" has a different host region`);
      }
    }
    z.towns.forEach((t, j) => {
      const town = regions.get(t);
      if (!town) at(i, `towns[${j}]`, `town "${t}" does not exist in ${CONFIG_FILES.regions}`);
      else if (town.level !== 'town' || town.parentCode !== z.hostRegionCode) {
        at(i, `towns[${j}]`, `"${t}" is not a town of the host region "${z.hostRegionCode}"`);
      }
    });
  });
  return byCode;
}

function checkIndustries(rows: CsvRow<Industry>[], issues: Issues): Map<string, Industry> {
  const file = CONFIG_FILES.industries;
  const at = (r: CsvRow<Industry>, message: string, p?: string) =>
    issues.push({ file, row: r.row, line: r.line, path: p, message: `${message} (code ${r.value.code})` });
  const byCode = indexUnique(
    rows,
    (r) => r.value.code,
    (r, k) => at(r, `duplicate code "${k}"`, 'code'),
  );
  const industries = new Map([...byCode].map(([k, r]) => [k, r.value]));
  for (const r of rows) {
    const v = r.value;
    if (v.level === 'section') {
      if (v.section !== v.code) at(r, `a section's section must be its own code`, 'section');
      continue;
    }
    if (v.parentCode === null) continue; // reported by the row schema
    const parent = industries.get(v.parentCode);
    if (!parent) {
      at(r, `parent_code "${v.parentCode}" does not exist in ${file}`, 'parent_code');
      continue;
    }
    if (parent.level !== PARENT_LEVEL[v.level]) {
      at(
        r,
        `parent_code "${v.parentCode}" is a ${parent.level}; a ${v.level}'s parent must be a ${PARENT_LEVEL[v.level]}`,
        'parent_code',
      );
    }
    if (v.level !== 'division' && !v.code.startsWith(parent.code)) {
      at(r, `code does not start with its parent code "${parent.code}"`, 'code');
    }
    if (v.section !== parent.section) {
      at(r, `section "${v.section}" differs from the parent's section "${parent.section}"`, 'section');
    }
  }
  return industries;
}

type RawChain = z.infer<typeof ChainSchema>;

/**
 * Checks chains.json against the other files and spells every chain out: its cluster (default: its key),
 * the nodes it takes by id from `fromChain` (with the edges between them) and its own nodes and edges.
 * Within a cluster a node id names one node: a node defined in one chain may be taken by id in another,
 * never defined twice.
 */
function resolveChains(
  raw: Record<string, RawChain>,
  issues: Issues,
  known: {
    clusterCodes?: Set<string>;
    industries?: Map<string, Industry>;
    regions: Map<string, Region>;
    zones: Map<string, Zone>;
  },
): Record<string, Chain> {
  const file = CONFIG_FILES.chains;
  const clusterOf = (code: string) => raw[code]?.cluster ?? code;
  /** cluster → node id → the chain defining it */
  const definedIn = new Map<string, Map<string, string>>();
  const out: Record<string, Chain> = {};
  for (const [cc, chain] of Object.entries(raw)) {
    const at = (p: string, message: string) => issues.push({ file, path: p ? `${cc}.${p}` : cc, message });
    const cluster = clusterOf(cc);
    if (known.clusterCodes && !known.clusterCodes.has(cluster)) {
      if (chain.cluster) at('cluster', `"${cluster}" is not a cluster code of ${CONFIG_FILES.clusters}`);
      else
        at(
          '',
          `"${cc}" is not a cluster code of ${CONFIG_FILES.clusters}; a further chain of a cluster names its "cluster"`,
        );
    }
    let base: RawChain | undefined;
    if (chain.fromChain !== undefined) {
      base = raw[chain.fromChain];
      if (!base || chain.fromChain === cc) {
        at('fromChain', `"${chain.fromChain}" is not another chain of ${file}`);
        base = undefined;
      } else if (base.fromChain !== undefined) {
        at('fromChain', `"${chain.fromChain}" takes its nodes from another chain itself; name that chain`);
        base = undefined;
      } else if (clusterOf(chain.fromChain) !== cluster) {
        at(
          'fromChain',
          `"${chain.fromChain}" belongs to cluster "${clusterOf(chain.fromChain)}", not "${cluster}"`,
        );
        base = undefined;
      }
    }
    const defined = definedIn.get(cluster) ?? new Map<string, string>();
    definedIn.set(cluster, defined);
    const nodes: ChainNode[] = [];
    const ids = new Set<string>();
    chain.nodes.forEach((entry, i) => {
      const id = typeof entry === 'string' ? entry : entry.id;
      if (ids.has(id)) at(`nodes[${i}]`, `duplicate node id "${id}"`);
      ids.add(id);
      if (typeof entry === 'string') {
        if (!base) return;
        const taken = base.nodes.find((n): n is ChainNode => typeof n !== 'string' && n.id === id);
        if (!taken) at(`nodes[${i}]`, `"${id}" is not a node of "${chain.fromChain}"`);
        else nodes.push(taken);
        return;
      }
      const elsewhere = defined.get(id);
      if (elsewhere !== undefined && elsewhere !== cc)
        at(
          `nodes[${i}].id`,
          `node "${id}" is defined in chain "${elsewhere}" of the same cluster already; take it by id (fromChain) or choose another id`,
        );
      defined.set(id, cc);
      nodes.push(entry);
      entry.industryCodes.forEach((code, j) => {
        if (known.industries && !known.industries.has(code)) {
          at(
            `nodes[${i}].industryCodes[${j}]`,
            `industry code "${code}" does not exist in ${CONFIG_FILES.industries}`,
          );
        }
      });
      entry.knownEnterprises.forEach((e, j) => {
        if (e.regionCode !== undefined && !known.regions.has(e.regionCode)) {
          at(`nodes[${i}].knownEnterprises[${j}].regionCode`, `region "${e.regionCode}" does not exist`);
        }
        if (e.zoneCode !== undefined && !known.zones.has(e.zoneCode)) {
          at(`nodes[${i}].knownEnterprises[${j}].zoneCode`, `zone "${e.zoneCode}" does not exist`);
        }
      });
    });
    const edges: [string, string][] = [];
    const seen = new Set<string>();
    const addEdge = (from: string, to: string) => {
      const k = `${from}\u0000${to}`;
      if (!seen.has(k)) edges.push([from, to]);
      seen.add(k);
    };
    for (const [from, to] of base?.edges ?? []) if (ids.has(from) && ids.has(to)) addEdge(from, to);
    chain.edges.forEach(([from, to], i) => {
      let ok = true;
      for (const end of [from, to])
        if (!ids.has(end)) {
          at(`edges[${i}]`, `edge end "${end}" is not a node id`);
          ok = false;
        }
      if (ok) addEdge(from, to);
    });
    out[cc] = {
      proposed: chain.proposed,
      name: chain.name,
      nameEn: chain.nameEn,
      description: chain.description,
      cluster,
      landmark: chain.landmark,
      policyNote: chain.policyNote,
      fromChain: chain.fromChain,
      source: chain.source,
      nodes,
      edges,
    };
  }
  return out;
}

// ---------------------------------------------------------------- entry points

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The folder config/<city> under the repository root (two levels up from src/config). */
export function resolveCityDir(city: string = settings().CLUSTERSCOPE_CITY): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(city)) {
    throw new Error(`invalid city folder name "${city}": use lower-case letters, digits, "-" or "_"`);
  }
  return path.join(REPO_ROOT, 'config', city);
}

/**
 * Read and validate a city's configuration folder. Throws CityConfigError listing every problem found, each
 * naming the file, the row (CSV) or JSON path, and the problem.
 */
export async function loadCityConfig(dir: string): Promise<CityConfig> {
  const root = path.resolve(dir);
  const issues: Issues = [];

  const chainFileSchema = z
    .record(z.string(), z.unknown())
    .transform((o) => Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('_'))))
    .pipe(z.record(slug, ChainSchema));

  const [city, regionRows, zonesFile, industryRows, clustersFile, ciRows, chains, targetsFile] =
    await Promise.all([
      readJson(root, CONFIG_FILES.city, CitySchema, issues),
      readCsv(root, CONFIG_FILES.regions, REGION_COLUMNS, RegionSchema, issues),
      readJson(root, CONFIG_FILES.zones, ZonesFileSchema, issues),
      readCsv(root, CONFIG_FILES.industries, INDUSTRY_COLUMNS, IndustrySchema, issues),
      readJson(root, CONFIG_FILES.clusters, ClustersFileSchema, issues),
      readCsv(root, CONFIG_FILES.clusterIndustries, CLUSTER_INDUSTRY_COLUMNS, ClusterIndustrySchema, issues),
      readJson(root, CONFIG_FILES.chains, chainFileSchema, issues),
      readJson(root, CONFIG_FILES.targetSets, TargetSetsFileSchema, issues),
    ]);

  // Cross-references are checked against whatever parsed, so one broken file does not hide others' problems.
  const regions = checkRegions(city, regionRows ?? [], issues);
  const zones = checkZones(zonesFile?.zones ?? [], regions, issues);
  const industries = checkIndustries(industryRows ?? [], issues);
  const isPlace = (code: string) => regions.has(code) || zones.has(code);

  const clusterCodes = new Set<string>();
  (clustersFile?.clusters ?? []).forEach((c, i) => {
    const at = (p: string, message: string) =>
      issues.push({ file: CONFIG_FILES.clusters, path: `clusters[${i}].${p}`, message });
    if (clusterCodes.has(c.code)) at('code', `duplicate cluster code "${c.code}"`);
    clusterCodes.add(c.code);
    c.baseRegionCodes.forEach((b, j) => {
      if (!isPlace(b)) at(`baseRegionCodes[${j}]`, `"${b}" is neither a region nor a zone code`);
    });
    c.subDirections.forEach((s, k) =>
      s.baseRegionCodes.forEach((b, j) => {
        if (!isPlace(b))
          at(`subDirections[${k}].baseRegionCodes[${j}]`, `"${b}" is neither a region nor a zone code`);
      }),
    );
  });

  const file = CONFIG_FILES.clusterIndustries;
  const pairs = new Set<string>();
  for (const r of ciRows ?? []) {
    const v = r.value;
    const at = (p: string, message: string) =>
      issues.push({ file, row: r.row, line: r.line, path: p, message });
    if (clustersFile && !clusterCodes.has(v.clusterCode)) {
      at('cluster_code', `cluster "${v.clusterCode}" does not exist in ${CONFIG_FILES.clusters}`);
    }
    if (industryRows && !industries.has(v.industryCode)) {
      at('industry_code', `industry code "${v.industryCode}" does not exist in ${CONFIG_FILES.industries}`);
    }
    const key = `${v.clusterCode}\u0000${v.industryCode}`;
    if (pairs.has(key)) at('industry_code', `duplicate pair (${v.clusterCode}, ${v.industryCode})`);
    pairs.add(key);
  }

  const resolvedChains = resolveChains(chains ?? {}, issues, {
    clusterCodes: clustersFile ? clusterCodes : undefined,
    industries: industryRows ? industries : undefined,
    regions,
    zones,
  });

  const setCodes = new Set<string>();
  (targetsFile?.targetSets ?? []).forEach((s, i) => {
    const at = (p: string, message: string) =>
      issues.push({ file: CONFIG_FILES.targetSets, path: `targetSets[${i}]${p}`, message });
    if (setCodes.has(s.code)) at('.code', `duplicate target set code "${s.code}"`);
    setCodes.add(s.code);
    const codes = new Set<string>();
    s.targets.forEach((t, j) => {
      if (codes.has(t.code)) at(`.targets[${j}].code`, `duplicate target code "${t.code}"`);
      codes.add(t.code);
      if (t.clusterCode !== undefined && clustersFile && !clusterCodes.has(t.clusterCode)) {
        at(
          `.targets[${j}].clusterCode`,
          `cluster "${t.clusterCode}" does not exist in ${CONFIG_FILES.clusters}`,
        );
      }
    });
  });

  if (
    issues.length ||
    !city ||
    !regionRows ||
    !zonesFile ||
    !industryRows ||
    !clustersFile ||
    !ciRows ||
    !chains ||
    !targetsFile
  ) {
    throw new CityConfigError(root, issues);
  }

  return {
    dir: root,
    city,
    regions: [...regions.values()],
    zones: zonesFile.zones,
    excludedZones: zonesFile.excluded,
    industries: [...industries.values()],
    clusters: [...clustersFile.clusters].sort((a, b) => a.sortOrder - b.sortOrder),
    clusterIndustries: ciRows.map((r) => r.value),
    chains: resolvedChains,
    targetSets: targetsFile.targetSets,
  };
}
