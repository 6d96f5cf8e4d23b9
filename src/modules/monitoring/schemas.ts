// Shared with the web app: cluster monitoring queries and answers. Money in 万元 (the web shows 亿元),
// growth as ratios (0.123 = +12.3 %), months as 'YYYY-MM'.
import { z } from 'zod';
import { queryInt, queryMonth } from '../../domain/query-params.ts';

export const MEASURES = [
  'outputValue',
  'revenue',
  'profit',
  'tax',
  'energyTce',
  'electricity',
  'employees',
  'exportValue',
] as const;
export type Measure = (typeof MEASURES)[number];

const month = queryMonth();
const num = z.number().nullable();

export const monitoringQuery = z.object({
  month: month.optional(),
  /** above = 规上 (default), below = 规下, all = both */
  scale: z.enum(['above', 'below', 'all']).default('above'),
  targetSet: z.string().max(80).optional(),
});
export type MonitoringQuery = z.infer<typeof monitoringQuery>;

/** 本月, 1–N月累计 and their 同比 of one measure. */
export const figureSchema = z.object({
  month: num,
  ytd: num,
  yoy: num,
  ytdYoy: num,
  /** months of 1–N月 with no figures: ytd is partial and ytdYoy null when non-empty */
  ytdMissingMonths: z.array(z.string()),
  /** why ytdYoy is null */
  ytdYoyReason: z.enum(['incompleteCurrentYear', 'incompletePreviousYear', 'nonPositiveBase']).nullable(),
});
export type Figure = z.infer<typeof figureSchema>;

export const figureSetSchema = z.object({
  /** enterprises reporting in the month */
  enterprises: z.number(),
  output: figureSchema,
  measures: z.record(z.enum(MEASURES), z.object({ month: num, ytd: num })),
  /** 累计 output as a share of all industry in the same area, 0–1 */
  shareOfIndustry: num,
  /** why the figures are hidden from this user (disclosure control); absent when shown */
  suppressed: z.enum(['frequency', 'dominance', 'p-percent', 'secondary']).optional(),
});
export type FigureSet = z.infer<typeof figureSetSchema>;

export const targetSetInfoSchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  status: z.string(),
  issuedOn: z.string(),
  issuedBy: z.string(),
  document: z.string(),
});

export const projectionSchema = z.object({
  year: z.number(),
  value: z.number(),
  low: num,
  high: num,
  level: z.number(),
  method: z.enum(['trend', 'seasonal']),
  observations: z.number(),
});

export const TARGET_STATUSES = [
  'achieved',
  'missed',
  'on_track',
  'at_risk',
  'off_track',
  'no_data',
  'no_goal',
  'not_measured',
] as const;

export const targetProgressSchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  clusterCode: z.string().nullable(),
  metric: z.string(),
  unit: z.string(),
  comparator: z.string(),
  goal: num,
  deadline: z.string(),
  measuredBy: z.string(),
  note: z.string().nullable(),
  /** values in the target's unit (亿元, 家, 万元/亩 …) */
  actual: num,
  actualYear: num,
  progress: num,
  baselineYear: num,
  baselineValue: num,
  growthNeeded: num,
  growthAchieved: num,
  growthNeededFromNow: num,
  projection: projectionSchema.nullable(),
  deadlinePassed: z.boolean(),
  status: z.enum(TARGET_STATUSES),
  /** yearly actuals used, in the target's unit */
  history: z.array(z.object({ year: z.number(), value: num })),
  /** why disclosure control withholds the actual figures from this reader (the city cell's rule) */
  suppressed: z.enum(['frequency', 'dominance', 'p-percent', 'secondary']).optional(),
});
export type TargetProgressRow = z.infer<typeof targetProgressSchema>;

export const targetsSchema = z.object({
  set: targetSetInfoSchema,
  sets: z.array(targetSetInfoSchema),
  asOf: z.string(),
  targets: z.array(targetProgressSchema),
});
export type TargetsAnswer = z.infer<typeof targetsSchema>;

export const metaSchema = z.object({
  firstMonth: z.string().nullable(),
  latestMonth: z.string().nullable(),
  clusters: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string() })),
  counties: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string().nullable() })),
  zones: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      shortName: z.string().nullable(),
      hostRegionCode: z.string(),
    }),
  ),
  targetSets: z.array(targetSetInfoSchema),
  defaultTargetSet: z.string().nullable(),
});
export type MonitoringMeta = z.infer<typeof metaSchema>;

const trendPointSchema = z.object({ month: z.string(), values: z.record(z.string(), num) });

/**
 * 同比 on a comparable basis (同口径): only the enterprises with output in both periods; the firms that
 * entered (output now, none a year earlier) or left (the reverse) are counted apart with their output.
 */
export const comparableGrowthSchema = z.object({
  growth: num,
  /** enterprises with output in both periods */
  firms: z.number(),
  /** their output now and a year earlier, 万元 */
  current: z.number(),
  previous: z.number(),
  entered: z.object({ firms: z.number(), output: z.number() }),
  left: z.object({ firms: z.number(), output: z.number() }),
});
export type ComparableGrowth = z.infer<typeof comparableGrowthSchema>;
/** 本月 and 1–N月累计 同比 on a comparable basis. */
export const comparableSchema = z.object({ month: comparableGrowthSchema, ytd: comparableGrowthSchema });
export type Comparable = z.infer<typeof comparableSchema>;

/**
 * The page's month while it is the newest on record and still open for reporting (the alert rules' closed-month
 * rule, src/domain/alerts/reporting.ts, under the share of the rule set in force): firms with a row in it and
 * in the month before (city-wide), and the share of the month before's that closes it. Null otherwise.
 */
export const openMonthSchema = z
  .object({ month: z.string(), firms: z.number(), before: z.number(), share: z.number() })
  .nullable();
export type OpenMonthNote = z.infer<typeof openMonthSchema>;

export const cockpitSchema = z.object({
  month: z.string().nullable(),
  /** the month still open for reporting, or null (the routes always answer it) */
  reporting: openMonthSchema.optional(),
  scale: z.string(),
  /** the five clusters together, each enterprise counted once */
  total: figureSetSchema.extend({ comparable: comparableSchema.nullable() }),
  industry: figureSetSchema,
  clusters: z.array(
    figureSetSchema.extend({
      code: z.string(),
      name: z.string(),
      nameEn: z.string(),
      comparable: comparableSchema.nullable(),
    }),
  ),
  counties: z.array(
    figureSetSchema.extend({ code: z.string(), name: z.string(), nameEn: z.string().nullable() }),
  ),
  /** monthly output of each cluster (and `_clusters`) for the 25 months up to `month` */
  trend: z.array(trendPointSchema),
  /** the target set judged against, with its output targets only (all targets: /api/monitoring/targets) */
  targets: targetsSchema.nullable(),
});
export type Cockpit = z.infer<typeof cockpitSchema>;

export const areaRowSchema = figureSetSchema.extend({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['county', 'zone']),
  hostRegionCode: z.string().nullable(),
  /** location quotient of 累计 output against the city */
  lq: num,
});
export type AreaRow = z.infer<typeof areaRowSchema>;

export const concentrationSchema = z.object({
  hhi: z.number(),
  hhiNormalised: num,
  equivalentNumber: z.number(),
  topShare: z.number(),
  topN: z.number(),
  n: z.number(),
  /** the top firms, only those inside the caller's scope; others are counted, not named */
  top: z.array(z.object({ id: z.number(), name: z.string(), value: z.number(), share: z.number() })),
  hiddenInTop: z.number(),
});

export const ladderSchema = z.object({
  year: z.number(),
  complete: z.boolean(),
  /** the target set the rungs' target counts come from (the one judged against), null when it has none */
  targetSet: z.object({ code: z.string(), name: z.string(), nameEn: z.string() }).nullable(),
  rungs: z.array(
    z.object({
      thresholdYiYuan: z.number(),
      /** enterprises at or above the threshold (cumulative) */
      count: z.number(),
      targetCount: num,
      targetNote: z.string().nullable(),
      enterprises: z.array(z.object({ id: z.number(), name: z.string(), outputYiYuan: z.number() })),
      hidden: z.number(),
    }),
  ),
});
export type Ladder = z.infer<typeof ladderSchema>;

export const clusterPageSchema = z.object({
  month: z.string().nullable(),
  /** the month still open for reporting, or null (the routes always answer it) */
  reporting: openMonthSchema.optional(),
  cluster: z.object({
    code: z.string(),
    name: z.string(),
    nameEn: z.string(),
    details: z.record(z.string(), z.unknown()),
  }),
  city: figureSetSchema.extend({ comparable: comparableSchema.nullable() }),
  areas: z.array(areaRowSchema),
  trend: z.array(z.object({ month: z.string(), value: num, yoy: num })),
  concentration: concentrationSchema.nullable(),
  ladder: ladderSchema,
  targets: z.array(targetProgressSchema),
});
export type ClusterPage = z.infer<typeof clusterPageSchema>;

export const shiftShareRowSchema = z.object({
  key: z.string(),
  name: z.string(),
  base: z.number(),
  current: z.number(),
  change: z.number(),
  referenceGrowth: z.number(),
  industryMix: z.number(),
  regionalShare: z.number(),
});

export const regionPageSchema = z.object({
  month: z.string().nullable(),
  /** the month still open for reporting, or null (the routes always answer it) */
  reporting: openMonthSchema.optional(),
  area: z.object({
    code: z.string(),
    name: z.string(),
    kind: z.enum(['county', 'zone']),
    hostRegionCode: z.string().nullable(),
  }),
  total: figureSetSchema,
  industry: figureSetSchema,
  clusters: z.array(figureSetSchema.extend({ code: z.string(), name: z.string(), lq: num })),
  zones: z.array(areaRowSchema),
  trend: z.array(trendPointSchema),
  /** 1–N月累计 against the same months a year earlier; reference = the city */
  shiftShare: z
    .object({
      baseLabel: z.string(),
      currentLabel: z.string(),
      referenceTotalGrowth: num,
      rows: z.array(shiftShareRowSchema),
      total: shiftShareRowSchema.omit({ key: true, name: true }),
    })
    .nullable(),
  /** the caller may see this area's enterprises (rankings link) */
  enterprisesVisible: z.boolean(),
});
export type RegionPage = z.infer<typeof regionPageSchema>;

export const figuresQuery = monitoringQuery.extend({
  from: month.optional(),
  cluster: z.string().max(40).optional(),
  region: z.string().max(20).optional(),
  zone: z.string().max(40).optional(),
  /** county = one row per county (zones summed in), zone = one row per county × zone */
  by: z.enum(['county', 'zone']).default('county'),
});
export type FiguresQuery = z.infer<typeof figuresQuery>;

export const figuresSchema = z.object({
  rows: z.array(
    z.object({
      month: z.string(),
      clusterCode: z.string(),
      regionCode: z.string(),
      zoneCode: z.string().nullable(),
      enterprises: z.number(),
      measures: z.record(z.enum(MEASURES), z.object({ month: num, ytd: num, yoy: num, ytdYoy: num })),
      /** why the figures are hidden from this user (disclosure control); absent when shown */
      suppressed: z.enum(['frequency', 'dominance', 'p-percent', 'secondary']).optional(),
    }),
  ),
});
export type FiguresAnswer = z.infer<typeof figuresSchema>;

export const structureSchema = z.object({
  month: z.string().nullable(),
  clusters: z.array(z.object({ code: z.string(), name: z.string() })),
  /** LQ of 累计 output, county × cluster, against the city */
  lq: z.array(z.object({ regionCode: z.string(), name: z.string(), values: z.record(z.string(), num) })),
  concentration: z.array(z.object({ clusterCode: z.string(), value: concentrationSchema.nullable() })),
});
export type StructureAnswer = z.infer<typeof structureSchema>;

export const rankingQuery = monitoringQuery.extend({
  cluster: z.string().max(40).optional(),
  region: z.string().max(20).optional(),
  zone: z.string().max(40).optional(),
  measure: z.enum(MEASURES).default('outputValue'),
  /** rank on 本月 or 1–N月累计 */
  period: z.enum(['month', 'ytd']).default('ytd'),
  q: z.string().trim().max(100).optional(),
  page: queryInt({ min: 1 }).default(1),
  pageSize: queryInt({ min: 1, max: 200 }).default(50),
});
export type RankingQuery = z.infer<typeof rankingQuery>;

export const rankingSchema = z.object({
  month: z.string().nullable(),
  total: z.number(),
  items: z.array(
    z.object({
      rank: z.number(),
      id: z.number(),
      name: z.string(),
      regionCode: z.string(),
      regionName: z.string().nullable(),
      zoneCode: z.string().nullable(),
      industryCode: z.string(),
      clusters: z.array(z.string()),
      value: z.number(),
      previous: num,
      yoy: num,
    }),
  ),
});
export type RankingAnswer = z.infer<typeof rankingSchema>;
