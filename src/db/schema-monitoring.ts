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
 * 五大集群 total without double-counting dual members), `_industry` (all industrial enterprises,
 * GB/T 4754 sections B, C, D — the denominator of shares and location quotients) and `_other`
 * (industrial enterprises in no cluster: the "other industry" a page gives away as industry minus the
 * five clusters, which disclosure control must judge on its own firms).
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
    /**
     * The two largest single firms' 工业总产值 and 营业收入 in the row (null when fewer firms reported):
     * what the dominance and p % rules of disclosure control need (docs/methodology.md "Disclosure
     * control"). The two largest of a union of rows are among the rows' own two largest, so any
     * grouping of rows can still be judged.
     */
    outputTop1: doublePrecision('output_top1'),
    outputTop2: doublePrecision('output_top2'),
    revenueTop1: doublePrecision('revenue_top1'),
    revenueTop2: doublePrecision('revenue_top2'),
    /**
     * The same for every other measure the pages show (issue 12: every figure shown to a user outside
     * the firms' scope is judged). Profit can be negative: its firms are ranked by the absolute value
     * and judged against `profit_abs`, the sum of absolute values (a loss-maker dominates a cell as much
     * as a profit-maker).
     */
    profitAbs: doublePrecision('profit_abs'),
    profitTop1: doublePrecision('profit_top1'),
    profitTop2: doublePrecision('profit_top2'),
    taxTop1: doublePrecision('tax_top1'),
    taxTop2: doublePrecision('tax_top2'),
    energyTceTop1: doublePrecision('energy_tce_top1'),
    energyTceTop2: doublePrecision('energy_tce_top2'),
    electricityTop1: doublePrecision('electricity_top1'),
    electricityTop2: doublePrecision('electricity_top2'),
    employeesTop1: doublePrecision('employees_top1'),
    employeesTop2: doublePrecision('employees_top2'),
    exportValueTop1: doublePrecision('export_value_top1'),
    exportValueTop2: doublePrecision('export_value_top2'),
  },
  (t) => [
    primaryKey({ columns: [t.clusterCode, t.month, t.regionCode, t.zoneCode, t.scale] }),
    index('cluster_region_month_region_idx').on(t.regionCode, t.month),
  ],
);

/**
 * Each enterprise's 工业总产值 summed from January to the month (1–N月累计, 万元), per cluster it belongs
 * to as at the month's last day (the same membership rule as cluster_region_month) and under the
 * reserved code `_all` (every enterprise with monthly facts, member or not). What leading-enterprise
 * ladders (the December row is the year), concentration (HHI, top-5 share) and band counts read, so
 * they never sum monthly facts per request. Only positive sums are kept. An enterprise has a row for
 * every month from its first report of the year to December, or to the latest month on record in the
 * year that holds it (a month it did not report carries the months it did).
 *
 * Partitioned by year (range on month), which drizzle cannot declare: migration 0035_ytd_partitions made it
 * so, with a DEFAULT partition for any month, and the refresh creates a year's partition on demand
 * (src/modules/monitoring/rollup.ts). A refresh that writes many rows of a year rebuilds that partition's
 * index alone. The declaration below is the parent's, and its index is the parent's (one part per partition).
 */
export const clusterEnterpriseYtd = pgTable(
  'cluster_enterprise_ytd',
  {
    clusterCode: text('cluster_code').notNull(),
    month: date('month').notNull(),
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    /** the enterprise's current registry scale, as in cluster_region_month */
    scale: text('scale').notNull(),
    outputYtd: doublePrecision('output_ytd').notNull(), // 万元
  },
  // One row per cluster × month × enterprise by construction (the refresh writes each once; a test
  // checks it). No unique index on purpose: the refresh deletes a month and writes it again in one
  // transaction, and a unique index would check every new row against the dead one it replaces —
  // that check cost more than the rest of the refresh after a month's import. One index, month first:
  // the reads (a month, a cluster, a scale, largest first) and the refresh's deletes share it. The firm
  // last: the rankings read a month's firms and sums from the index alone (a month's rows lie scattered
  // over the table's pages: reading them cost 5,000 page reads per ranking request, issue 13).
  (t) => [
    index('cluster_enterprise_ytd_rank_idx').on(
      t.month,
      t.clusterCode,
      t.scale,
      t.outputYtd.desc(),
      t.enterpriseId,
    ),
  ],
);
