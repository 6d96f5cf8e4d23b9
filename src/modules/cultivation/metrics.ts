// The yearly figures the criteria look at, for every firm in the user's scope, in one set-based
// statement: three years of monthly sums (营业收入, 利润总额), the year's output and exports, the
// annual R&D expense and employees, and the founding year. Scope is in the SQL. The registry, memberships
// and tiers come from the enterprises module, the facts from imports, as relations joined into the one
// statement (issue 11: no module names another's tables).
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { enterpriseScopeCondition, type Scope } from '../../server/scope.ts';
import { metricsOf, type FirmYearMetrics } from '../../domain/cultivation/index.ts';
import { idArray } from '../../db/arrays.ts';
import { currentMemberships, registryRows, tierRows } from '../enterprises/index.ts';
import { annualInputRows, monthlyFactRows } from '../imports/index.ts';

export interface FirmRow {
  enterpriseId: number;
  name: string;
  regionCode: string;
  clusters: string[];
  metrics: FirmYearMetrics;
}

/** The latest year whose 12 months are in (monthly facts through December), or the year before. */
export async function latestCompleteYear(db: Db): Promise<number> {
  const [r] = await queryRows<{ m: string | null }>(
    db,
    sql`select max(ms.month)::text as m from ${monthlyFactRows()} ms`,
  );
  if (!r?.m) return new Date().getFullYear() - 1;
  const [y, m] = r.m.split('-').map(Number) as [number, number];
  return m === 12 ? y : y - 1;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export async function firmMetrics(
  db: Db,
  scope: Scope,
  year: number,
  opts: { enterpriseId?: number; cluster?: string } = {},
): Promise<FirmRow[]> {
  const scopeCond = enterpriseScopeCondition(scope) ?? sql`true`;
  const one = opts.enterpriseId != null ? sql`enterprises.id = ${opts.enterpriseId}` : sql`true`;
  const cluster = opts.cluster
    ? sql`exists (select 1 from ${currentMemberships()} c2 where c2.enterprise_id = enterprises.id and c2.cluster_code = ${opts.cluster})`
    : sql`true`;
  const y0 = `${year}-01-01`;
  const y1 = `${year + 1}-01-01`;
  const ym1 = `${year - 1}-01-01`;
  const ym2 = `${year - 2}-01-01`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`
      with m as (
        select enterprise_id,
          sum(revenue) filter (where month >= ${y0}::date) as rev0,
          sum(revenue) filter (where month >= ${ym1}::date and month < ${y0}::date) as rev1,
          sum(revenue) filter (where month < ${ym1}::date) as rev2,
          sum(profit) filter (where month >= ${y0}::date) as pro0,
          sum(profit) filter (where month >= ${ym1}::date and month < ${y0}::date) as pro1,
          sum(profit) filter (where month < ${ym1}::date) as pro2,
          sum(output_value) filter (where month >= ${y0}::date) as out0,
          sum(export_value) filter (where month >= ${y0}::date) as exp0,
          avg(employees) filter (where month >= ${y0}::date) as emp0
        from ${monthlyFactRows()} ms
        where month >= ${ym2}::date and month < ${y1}::date
        group by enterprise_id
      ),
      c as (
        select enterprise_id, array_agg(cluster_code order by cluster_code) as clusters
        from ${currentMemberships()} cm group by enterprise_id
      )
      select enterprises.id, enterprises.name, enterprises.region_code, extract(year from enterprises.founded)::int as founded_year,
        m.rev0, m.rev1, m.rev2, m.pro0, m.pro1, m.pro2, m.out0, m.exp0, m.emp0,
        a.rd_expense, a.avg_employees, coalesce(c.clusters, '{}') as clusters
      from ${registryRows()} enterprises
      join m on m.enterprise_id = enterprises.id
      left join ${annualInputRows()} a on a.enterprise_id = enterprises.id and a.year = ${year}
      left join c on c.enterprise_id = enterprises.id
      where ${scopeCond} and ${one} and ${cluster} and m.rev0 is not null
      order by enterprises.id`,
  );
  return rows.map((r) => ({
    enterpriseId: Number(r.id),
    name: String(r.name),
    regionCode: String(r.region_code),
    clusters: (r.clusters as string[] | null) ?? [],
    metrics: metricsOf({
      revenue: [num(r.rev0), num(r.rev1), num(r.rev2)],
      profit: [num(r.pro0), num(r.pro1), num(r.pro2)],
      output: num(r.out0),
      exportValue: num(r.exp0),
      rdExpense: num(r.rd_expense),
      employees: num(r.avg_employees) ?? (r.emp0 == null ? null : Math.round(Number(r.emp0))),
      foundedYear: num(r.founded_year),
      year,
    }),
  }));
}

/** Tiers each firm holds by the end of the year (the registry's tiers), as library tier codes. */
export async function tiersHeld(
  db: Db,
  year: number,
  enterpriseIds?: number[],
): Promise<Map<number, Set<string>>> {
  const filter = enterpriseIds ? sql`and t.enterprise_id = any(${idArray(enterpriseIds)})` : sql``;
  const rows = await queryRows<{ enterprise_id: string | number; tier: string }>(
    db,
    sql`select distinct t.enterprise_id, t.tier from ${tierRows()} t where t.year <= ${year} ${filter}`,
  );
  const out = new Map<number, Set<string>>();
  for (const r of rows) {
    const id = Number(r.enterprise_id);
    let s = out.get(id);
    if (!s) out.set(id, (s = new Set()));
    s.add(r.tier);
  }
  return out;
}
