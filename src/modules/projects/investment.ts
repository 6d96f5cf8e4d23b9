// Yearly investment of cluster projects per county, from the monthly progress reports (本月完成投资): the
// input of the "产业集群工业投资年均增长率 ≥ 15 %" target (issue 16 item 3). Terminated projects keep the
// investment they reported; projects outside any cluster do not count.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';

export interface RegionYearInvestment {
  regionCode: string;
  year: number;
  /** 万元 */
  amount: number;
  /** months of the year with at least one report */
  months: number;
}

export async function clusterInvestmentByRegionYear(db: Db): Promise<RegionYearInvestment[]> {
  const rows = await queryRows<{ region_code: string; year: number; amount: number; months: number }>(
    db,
    sql`select p.region_code, extract(year from pp.month)::int as year,
          sum(pp.investment_month)::float8 as amount, count(distinct pp.month)::int as months
        from project_progress pp join projects p on p.id = pp.project_id
        where p.cluster_code is not null
        group by p.region_code, extract(year from pp.month)`,
  );
  return rows.map((r) => ({
    regionCode: r.region_code,
    year: Number(r.year),
    amount: Number(r.amount),
    months: Number(r.months),
  }));
}
