// County figures of the 亩均 evaluation for other capabilities (the county assessment): per county, the
// 规上 firms evaluated in the latest published run of the year, their 亩均增加值 and 亩均税收 (sums over sums),
// and R&D intensity from the same firms' annual inputs. Published runs never change, so neither do these.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { annualInputRows } from '../imports/relations.ts';

export interface CountyPerMu {
  regionCode: string;
  runId: number;
  runVersion: number;
  firms: number;
  landMu: number;
  valueAdded: number;
  taxPaid: number;
  revenue: number;
  rdExpense: number;
}

export async function countyPerMu(db: Db, year: number): Promise<CountyPerMu[]> {
  const rows = await queryRows<Record<string, string | number>>(
    db,
    sql`with run as (
          select id, version from evaluation_runs
           where year = ${year} and status = 'published' and superseded_by_run_id is null
           order by published_at desc nulls last, id desc)
        select r.region_code, r.run_id, run.version as run_version, count(*)::int as firms,
               coalesce(sum(a.land_mu), 0) as land_mu, coalesce(sum(a.value_added), 0) as value_added,
               coalesce(sum(a.tax_paid), 0) as tax_paid,
               coalesce(sum(coalesce(a.revenue, a.main_revenue)), 0) as revenue,
               coalesce(sum(a.rd_expense), 0) as rd_expense
          from evaluation_results r
          join run on run.id = r.run_id
          join ${annualInputRows()} a on a.enterprise_id = r.enterprise_id and a.year = ${year}
         where r.evaluated and r.scale = 'above'
         group by r.region_code, r.run_id, run.version`,
  );
  // a county may be in a city run and its own run: the newest published one wins (first in `run` order)
  const out = new Map<string, CountyPerMu>();
  for (const r of rows) {
    const c: CountyPerMu = {
      regionCode: String(r.region_code),
      runId: Number(r.run_id),
      runVersion: Number(r.run_version),
      firms: Number(r.firms),
      landMu: Number(r.land_mu),
      valueAdded: Number(r.value_added),
      taxPaid: Number(r.tax_paid),
      revenue: Number(r.revenue),
      rdExpense: Number(r.rd_expense),
    };
    const prev = out.get(c.regionCode);
    if (!prev || c.runId > prev.runId) out.set(c.regionCode, c);
  }
  return [...out.values()];
}
