// Calibration report: how close the generated demo data land to the targets in calibration.ts.
// Reads the database written by generateDemo (used by bench/demo.ts and docs/demo-data.md).
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.ts';
import { CALIBRATION_TARGETS, LUNAR_NEW_YEAR } from './calibration.ts';

export interface CalibrationLine {
  key: string;
  label: string;
  unit: string;
  target: number;
  band: [number, number];
  actual: number | null;
  ok: boolean;
  basis: string;
  source: string;
}

export interface DemoReport {
  lines: CalibrationLine[];
  outputByYear: { year: number; yi: number; firms: number }[];
  clusterOutput2025: { cluster: string; yi: number; firms: number; over100: number; leaderYi: number }[];
  countyOutput2022: { region: string; yi: number }[];
  springFestival: {
    year: number;
    month: number;
    value: number;
    prev: number | null;
    next: number | null;
    trough: boolean;
  }[];
  statuses: Record<string, number>;
  jan2019ToSep: number;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function demoReport(db: Db, base2018Yi: number | null): Promise<DemoReport> {
  const byYear = await queryRows<{ year: number; yi: number; firms: number }>(
    db,
    sql`select extract(year from month)::int as year, sum(output_value) / 10000 as yi,
               count(distinct enterprise_id)::int as firms
        from monthly_stats group by 1 order by 1`,
  );
  const outputByYear = byYear.map((r) => ({
    year: Number(r.year),
    yi: Number(r.yi),
    firms: Number(r.firms),
  }));
  const out2025 = outputByYear.find((r) => r.year === 2025)?.yi ?? null;

  const [share] = await queryRows<{ share: number }>(
    db,
    sql`select sum(m.output_value) filter (where exists (
               select 1 from enterprise_clusters c where c.enterprise_id = m.enterprise_id)) / sum(m.output_value) as share
        from monthly_stats m where m.month >= '2025-01-01' and m.month < '2026-01-01'`,
  );

  const [outside] = await queryRows<{ share: number }>(
    db,
    sql`select avg(case when exists (select 1 from enterprise_clusters c where c.enterprise_id = e.id) then 0 else 1 end) as share
        from enterprises e where e.scale = 'above'`,
  );

  const perFirm2025 = sql`select enterprise_id, sum(output_value) as v from monthly_stats
                          where month >= '2025-01-01' and month < '2026-01-01' group by 1`;
  const clusters = await queryRows<{
    cluster: string;
    yi: number;
    firms: number;
    over100: number;
    leader: number;
  }>(
    db,
    sql`select c.cluster_code as cluster, sum(f.v) / 10000 as yi, count(*)::int as firms,
               count(*) filter (where f.v >= 1000000)::int as over100, max(f.v) / 10000 as leader
        from (${perFirm2025}) f join enterprise_clusters c on c.enterprise_id = f.enterprise_id
        group by 1 order by 1`,
  );
  const clusterOutput2025 = clusters.map((r) => ({
    cluster: r.cluster,
    yi: Number(r.yi),
    firms: Number(r.firms),
    over100: Number(r.over100),
    leaderYi: Number(r.leader),
  }));

  const counties = await queryRows<{ region: string; yi: number }>(
    db,
    sql`select r.region, sum(m.output_value) / 10000 as yi
        from monthly_stats m join enterprises e on e.id = m.enterprise_id
        cross join lateral (values (e.region_code), (e.zone_code)) as r(region)
        where m.month >= '2022-01-01' and m.month < '2023-01-01' and r.region is not null
        group by 1 order by 1`,
  );
  const countyOutput2022 = counties.map((r) => ({ region: r.region, yi: Number(r.yi) }));
  const xiuzhou = countyOutput2022.find((r) => r.region === '330411')?.yi ?? null;

  const [mu] = await queryRows<{ v: number }>(
    db,
    sql`select sum(a.tax_paid) / sum(a.land_mu) as v
        from annual_inputs a join enterprises e on e.id = a.enterprise_id
        where e.scale = 'above' and a.year = 2025 and a.land_mu > 0`,
  );
  const [htz] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from enterprises
        where scale = 'above' and status <> 'closed' and zone_code in ('Z-XZHTZ', 'Z-XZPV')`,
  );
  const [tex] = await queryRows<{ v: number }>(
    db,
    sql`select max(f.v) / 10000 as v from (${perFirm2025}) f
        join enterprise_clusters c on c.enterprise_id = f.enterprise_id where c.cluster_code = 'textile'`,
  );
  const [jan2019] = await queryRows<{ v: number }>(
    db,
    sql`select sum(output_value) / 10000 as v from monthly_stats where month between '2019-01-01' and '2019-09-01'`,
  );

  const monthly = await queryRows<{ month: string; v: number }>(
    db,
    sql`select to_char(month, 'YYYY-MM') as month, sum(output_value) as v from monthly_stats group by 1 order by 1`,
  );
  const byMonth = new Map(monthly.map((r) => [r.month, Number(r.v)]));
  const ym = (y: number, m: number) => {
    const d = new Date(Date.UTC(y, m - 1, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  };
  const springFestival = Object.entries(LUNAR_NEW_YEAR).map(([y, date]) => {
    const year = Number(y);
    const month = Number(date.slice(5, 7));
    const value = byMonth.get(ym(year, month)) ?? 0;
    const prev = byMonth.get(ym(year, month - 1)) ?? null;
    const next = byMonth.get(ym(year, month + 1)) ?? null;
    return {
      year,
      month,
      value,
      prev,
      next,
      trough: (prev === null || value < prev) && (next === null || value < next),
    };
  });

  const statusRows = await queryRows<{ status: string; n: number }>(
    db,
    sql`select scale || ':' || status as status, count(*)::int as n from enterprises group by 1 order by 1`,
  );
  const statuses = Object.fromEntries(statusRows.map((r) => [r.status, Number(r.n)]));

  const actual: Record<string, number | null> = {
    base2018: base2018Yi,
    output2025: out2025,
    clusterShare2025: num(share?.share),
    outsideShare: num(outside?.share),
    xiuzhou2022: xiuzhou,
    taxPerMu2025: num(mu?.v),
    xiuzhouHtzFirms: num(htz?.n),
    textileLeader2025: num(tex?.v),
  };
  const lines = CALIBRATION_TARGETS.map((t) => {
    const a = actual[t.key] ?? null;
    return {
      key: t.key,
      label: t.label,
      unit: t.unit,
      target: t.value,
      band: t.band,
      actual: a,
      ok: a !== null && a >= t.band[0] && a <= t.band[1],
      basis: t.basis,
      source: t.source,
    };
  });
  return {
    lines,
    outputByYear,
    clusterOutput2025,
    countyOutput2022,
    springFestival,
    statuses,
    jan2019ToSep: Number(jan2019?.v ?? 0),
  };
}
