// Targets counted from registers (issue 16 item 3). Tier-count targets: "N 家单项冠军 / 小巨人 / 上市企业 …" counted from the tiers data
// (`enterprise_tiers`, imported or recorded by a cultivation recognition), per year, city-wide or within a
// cluster. `enterprises_with_tier`: firms holding the tier by the end of the year (cumulative).
// `enterprises_with_tier_added`: firms whose first recognition in that tier came after the baseline year.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { TIER_VALUES } from '../../domain/imports/columns.ts';

/** The stored tier code of a target's tier label ('单项冠军', '小巨人' …), or null for tiers no data holds. */
export function tierCode(label: string): string | null {
  const l = label.trim().toLowerCase();
  const hit = TIER_VALUES.find(
    (v) => v.value === l || v.zh === label.trim() || v.aliases.some((a) => a.toLowerCase() === l),
  );
  return hit?.value ?? null;
}

export async function tierCountHistory(
  db: Db,
  tier: string,
  clusterCode: string | null,
  years: { from: number; to: number },
  addedAfter: number | null,
): Promise<{ year: number; value: number }[]> {
  const cluster = clusterCode
    ? sql`and exists (select 1 from enterprise_clusters ec where ec.enterprise_id = t.enterprise_id
          and ec.valid_to is null and ec.cluster_code = ${clusterCode})`
    : sql``;
  const firsts = await queryRows<{ first: number }>(
    db,
    sql`select min(t.year)::int as first from enterprise_tiers t where t.tier = ${tier} ${cluster}
        group by t.enterprise_id`,
  );
  const out: { year: number; value: number }[] = [];
  for (let y = years.from; y <= years.to; y++) {
    const value = firsts.filter((f) => f.first <= y && (addedAfter === null || f.first > addedAfter)).length;
    out.push({ year: y, value });
  }
  return out;
}

/**
 * Platform-count targets from the platforms register: `platforms_count` counts platforms of a kind (and
 * level, when the target names one) recognised by the end of each year; `platforms_added` those recognised
 * after the baseline year. Within a cluster when the target names one.
 */
export async function platformCountHistory(
  db: Db,
  kind: string,
  level: string | null,
  clusterCode: string | null,
  years: { from: number; to: number },
  addedAfter: number | null,
): Promise<{ year: number; value: number }[]> {
  const rows = await queryRows<{ year: number | null }>(
    db,
    sql`select year from platforms where kind = ${kind}
        ${level ? sql`and level = ${level}` : sql``}
        ${clusterCode ? sql`and cluster_code = ${clusterCode}` : sql``}`,
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
