// Rollups of cluster monitoring (docs/methodology.md, "Rollups"). Derived data only: rebuilt from
// monthly_stats, enterprises and enterprise_clusters by src/modules/monitoring/rollup.ts, never edited.
import {
  bigint,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';

/**
 * Monthly sums per cluster × county × zone × scale. Besides the real cluster codes, two reserved
 * codes are kept: `_clusters` (enterprises in at least one cluster, each counted once — the
 * 五大集群 total without double-counting dual members) and `_industry` (all industrial enterprises,
 * GB/T 4754 sections B, C, D — the denominator of shares and location quotients).
 * zone_code is '' outside any zone; a county's figure is the sum over all its zone codes, because an
 * enterprise's region_code is always its county and its zone lies inside that county.
 */
export const clusterRegionMonth = pgTable(
  'cluster_region_month',
  {
    clusterCode: text('cluster_code').notNull(),
    regionCode: text('region_code').notNull(),
    zoneCode: text('zone_code').notNull().default(''),
    /** above = 规上, below = 规下 (the enterprise's current registry scale) */
    scale: text('scale').notNull(),
    month: date('month').notNull(),
    outputValue: doublePrecision('output_value'), // 万元
    revenue: doublePrecision('revenue'), // 万元
    profit: doublePrecision('profit'), // 万元
    tax: doublePrecision('tax'), // 万元
    energyTce: doublePrecision('energy_tce'), // 吨标准煤
    electricity: doublePrecision('electricity'), // 万千瓦时
    employees: bigint('employees', { mode: 'number' }), // 人
    exportValue: doublePrecision('export_value'), // 万元
    /** enterprises with a monthly_stats row in the month */
    enterprises: integer('enterprises').notNull(),
    /** of those, how many reported 工业总产值 */
    outputReporters: integer('output_reporters').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clusterCode, t.month, t.regionCode, t.zoneCode, t.scale] }),
    index('cluster_region_month_region_idx').on(t.regionCode, t.month),
  ],
);
