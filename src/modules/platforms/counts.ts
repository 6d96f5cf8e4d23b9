// Counts of the register over the years, for the targets that count platforms (示范基地 by level, 特色产业园
// and 小微企业园 added, 创新中心, 工业互联网平台, 设计基地) and 综合体 coverage. Moved here from monitoring with
// the table's ownership; monitoring reads them through ./index.ts.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';

/**
 * `platforms_count` counts platforms of a kind (and level, when the target names one) recognised by the
 * end of each year; `platforms_added` those recognised after the baseline year. Within a cluster when the
 * target names one, within a county when a county target names one.
 */
export async function platformCountHistory(
  db: Db,
  kind: string,
  level: string | null,
  clusterCode: string | null,
  years: { from: number; to: number },
  addedAfter: number | null,
  regionCode: string | null = null,
): Promise<{ year: number; value: number }[]> {
  const rows = await queryRows<{ year: number | null }>(
    db,
    sql`select year from platforms where kind = ${kind}
        ${level ? sql`and level = ${level}` : sql``}
        ${clusterCode ? sql`and cluster_code = ${clusterCode}` : sql``}
        ${regionCode ? sql`and region_code = ${regionCode}` : sql``}`,
  );
  const out: { year: number; value: number }[] = [];
  for (let y = years.from; y <= years.to; y++) {
    const value = rows.filter(
      (r) => r.year !== null && r.year <= y && (addedAfter === null || r.year > addedAfter),
    ).length;
    out.push({ year: y, value });
  }
  return out;
}

/** Clusters with at least one platform of a kind by the end of each year (产业创新服务综合体 coverage). */
export async function clustersWithPlatformHistory(
  db: Db,
  kind: string,
  years: { from: number; to: number },
): Promise<{ year: number; value: number }[]> {
  const rows = await queryRows<{ cluster_code: string; first: number }>(
    db,
    sql`select cluster_code, min(year)::int as first from platforms
        where kind = ${kind} and cluster_code is not null and year is not null group by cluster_code`,
  );
  const out: { year: number; value: number }[] = [];
  for (let y = years.from; y <= years.to; y++)
    out.push({ year: y, value: rows.filter((r) => r.first <= y).length });
  return out;
}

/** Platforms recognised up to a year per county (所有类型, and 省级以上), for the county assessment. */
export async function platformsByCounty(
  db: Db,
  year: number,
): Promise<{ regionCode: string; total: number; provincialOrAbove: number; ids: number[] }[]> {
  const rows = await queryRows<{ region_code: string; total: number; high: number; ids: number[] }>(
    db,
    sql`select region_code, count(*)::int as total,
          count(*) filter (where level in ('national', 'provincial'))::int as high,
          array_agg(id order by id) as ids
        from platforms where region_code is not null and year is not null and year <= ${year}
        group by region_code`,
  );
  return rows.map((r) => ({
    regionCode: r.region_code,
    total: r.total,
    provincialOrAbove: r.high,
    ids: (r.ids ?? []).map(Number),
  }));
}
