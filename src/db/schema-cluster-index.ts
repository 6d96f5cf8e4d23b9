// The published cluster index (集群指数): results of each edition (a `definitions` row of kind
// index_framework) per unit and period, the edition's uncertainty/sensitivity summary, and the bureau's
// setting for the public view. Results of a published edition are never written again.
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
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
