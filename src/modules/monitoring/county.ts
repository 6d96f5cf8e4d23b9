// County figures of the monthly monitoring for other capabilities (the county assessment): 五大集群 规上
// 工业总产值 1–N月 of a year against the same months of the year before (同口径 by months, not by firms:
// the rollups keep sums only), all 规上 industry of the previous year (the size tier), and the firms whose
// year's output reached a threshold (百亿级). Read from the rollups, whose version stamps every answer.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { registryRows } from '../enterprises/index.ts';

export interface CountyOutput {
  regionCode: string;
  /** 五大集群 规上 1–N月, 万元 */
  clusters: number;
  clustersPrev: number;
  /** all 规上 industry of the whole previous year, 万元 */
  industryPrevYear: number;
}

/** The last month of the year with monitoring data (1–12), or null. */
export async function lastMonthWithData(db: Db, year: number): Promise<number | null> {
  const [r] = await queryRows<{ m: number | null }>(
    db,
    sql`select max(extract(month from month))::int as m from cluster_region_month
         where month between ${`${year}-01-01`}::date and ${`${year}-12-01`}::date`,
  );
  return r?.m ?? null;
}

export async function countyOutput(db: Db, year: number, throughMonth: number): Promise<CountyOutput[]> {
  const mm = String(throughMonth).padStart(2, '0');
  const rows = await queryRows<Record<string, string | number>>(
    db,
    sql`select region_code,
          coalesce(sum(output_value) filter (where cluster_code = '_clusters' and month between ${`${year}-01-01`}::date and ${`${year}-${mm}-01`}::date), 0) as cur,
          coalesce(sum(output_value) filter (where cluster_code = '_clusters' and month between ${`${year - 1}-01-01`}::date and ${`${year - 1}-${mm}-01`}::date), 0) as prev,
          coalesce(sum(output_value) filter (where cluster_code = '_industry' and month between ${`${year - 1}-01-01`}::date and ${`${year - 1}-12-01`}::date), 0) as industry_prev
        from cluster_region_month
       where scale = 'above' and month between ${`${year - 1}-01-01`}::date and ${`${year}-12-01`}::date
       group by region_code`,
  );
  return rows.map((r) => ({
    regionCode: String(r.region_code),
    clusters: Number(r.cur),
    clustersPrev: Number(r.prev),
    industryPrevYear: Number(r.industry_prev),
  }));
}

/** Firms per county whose 1–12月 output (cluster_enterprise_ytd, `_all`) reached `thresholdWan` 万元. */
export async function countyLeadingFirms(
  db: Db,
  year: number,
  thresholdWan: number,
): Promise<{ regionCode: string; firms: number }[]> {
  const rows = await queryRows<{ region_code: string; firms: number }>(
    db,
    sql`select e.region_code, count(*)::int as firms
          from cluster_enterprise_ytd y join ${registryRows()} e on e.id = y.enterprise_id
         where y.cluster_code = '_all' and y.month = ${`${year}-12-01`}::date and y.output_ytd >= ${thresholdWan}
         group by e.region_code`,
  );
  return rows.map((r) => ({ regionCode: r.region_code, firms: Number(r.firms) }));
}
