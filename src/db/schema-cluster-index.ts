// The published cluster index (集群指数): results of each edition (a `definitions` row of kind
// index_framework) per unit and period, the edition's uncertainty/sensitivity summary, and the bureau's
// setting for the public view. Results of a published edition are never written again.
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  timestamp,
} from 'drizzle-orm/pg-core';

export const indexResults = pgTable(
  'index_results',
  {
    definitionId: bigint('definition_id', { mode: 'number' }).notNull(),
    /** year | quarter */
    frequency: text('frequency').notNull(),
    /** '2025' or '2025-Q3' */
    period: text('period').notNull(),
    clusterCode: text('cluster_code').notNull(),
    /** '' at the cluster (city) level, else the county code (part of the key, hence not null) */
    regionCode: text('region_code').notNull(),
    firms: integer('firms').notNull(),
    score: doublePrecision('score'),
    rank: integer('rank'),
    band: text('band'),
    /** [{ key, score, weight }] */
    dimensions: jsonb('dimensions').notNull(),
    /** [{ key, raw, normalised, imputed, weight, contribution }] in the framework's order */
    indicators: jsonb('indicators').notNull(),
    /** [{ key, pass, values }] */
    gates: jsonb('gates').notNull(),
    medianRank: doublePrecision('median_rank'),
    p5Rank: doublePrecision('p5_rank'),
    p95Rank: doublePrecision('p95_rank'),
    medianScore: doublePrecision('median_score'),
    p5Score: doublePrecision('p5_score'),
    p95Score: doublePrecision('p95_score'),
    /**
     * The unit's 营业收入 (万元) and its two largest firms' shares of it, for the dominance (n, k) and
     * p % rules of the withheld views (src/domain/disclosure); null for rows computed before they existed.
     */
    revenueTotal: doublePrecision('revenue_total'),
    revenueTop1: doublePrecision('revenue_top1'),
    revenueTop2: doublePrecision('revenue_top2'),
  },
  (t) => [
    primaryKey({ columns: [t.definitionId, t.frequency, t.period, t.clusterCode, t.regionCode] }),
    index('index_results_cluster_idx').on(t.clusterCode, t.period),
  ],
);

/** One row per edition and frequency: when its results were computed and the sensitivity table. */
export const indexComputations = pgTable(
  'index_computations',
  {
    definitionId: bigint('definition_id', { mode: 'number' }).notNull(),
    frequency: text('frequency').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
    /** units × periods computed */
    rows: integer('rows').notNull(),
    /** latest month of monthly facts the computation saw (provenance) */
    dataThrough: text('data_through'),
    /** sensitivity tables per level: { cluster: [...], county: [...] } */
    sensitivity: jsonb('sensitivity').notNull(),
    runs: integer('runs').notNull(),
    seed: bigint('seed', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.definitionId, t.frequency] })],
);

/** The bureau's switches for the index, e.g. `public_view` (the unauthenticated page). */
export const indexSettings = pgTable('index_settings', {
  key: text('key').primaryKey(),
  enabled: boolean('enabled').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Reported values (填报值) an indicator may read instead of a platform figure (its metric is
 * `reported:<code>`): one value per code, period ('2025' or '2025-Q3') and unit (cluster; county or ''
 * for the city level), entered by an administrator with its source; every change is audited.
 */
export const indexReportedValues = pgTable(
  'index_reported_values',
  {
    code: text('code').notNull(),
    period: text('period').notNull(),
    clusterCode: text('cluster_code').notNull(),
    regionCode: text('region_code').notNull(),
    value: doublePrecision('value').notNull(),
    unit: text('unit'),
    source: text('source').notNull(),
    note: text('note'),
    enteredBy: text('entered_by').notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.code, t.period, t.clusterCode, t.regionCode] })],
);

/**
 * The negative list (负面清单) of the index's gate: events of a firm (重大安全/环保事故, 严重失信 …) with
 * their date and source, entered by an administrator. A withdrawn entry stays, marked, for the audit.
 */
export const indexNegativeEvents = pgTable(
  'index_negative_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    eventDate: date('event_date').notNull(),
    /** safety | environment | credit | quality */
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    source: text('source').notNull(),
    withdrawn: boolean('withdrawn').notNull().default(false),
    enteredBy: text('entered_by').notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('index_negative_events_key_idx').on(t.enterpriseId, t.eventDate, t.kind),
    index('index_negative_events_date_idx').on(t.eventDate),
  ],
);
