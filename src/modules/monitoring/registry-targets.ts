// Targets counted from registers (issue 16 item 3). Tier-count targets: "N 家单项冠军 / 小巨人 / 上市企业 …" counted from the tiers data
// (`enterprise_tiers`, imported or recorded by a cultivation recognition), per year, city-wide or within a
// cluster. `enterprises_with_tier`: firms holding the tier by the end of the year (cumulative).
// `enterprises_with_tier_added`: firms whose first recognition in that tier came after the baseline year.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { TIER_VALUES } from '../../domain/imports/columns.ts';
import { currentMemberships, tierRows } from '../enterprises/index.ts';

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
    ? sql`and exists (select 1 from ${currentMemberships()} ec where ec.enterprise_id = t.enterprise_id
          and ec.cluster_code = ${clusterCode})`
    : sql``;
  const firsts = await queryRows<{ first: number }>(
    db,
    sql`select min(t.year)::int as first from ${tierRows()} t where t.tier = ${tier} ${cluster}
        group by t.enterprise_id`,
  );
  const out: { year: number; value: number }[] = [];
  for (let y = years.from; y <= years.to; y++) {
    const value = firsts.filter((f) => f.first <= y && (addedAfter === null || f.first > addedAfter)).length;
    out.push({ year: y, value });
  }
  return out;
}

// Platform-count targets read the platforms register, which the platforms capability owns.
export { platformCountHistory, clustersWithPlatformHistory } from '../platforms/index.ts';
