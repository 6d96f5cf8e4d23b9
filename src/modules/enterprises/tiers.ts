// Writes of enterprise_tiers by other capabilities (issue 11: the registry owns the table). Cultivation
// records the tier a recognition confers, in the transaction of the move, so the tier targets and the
// library counts follow; its demo replaces its own rows. The tiers import writes its file set-based in
// its commit (an exception on the allow-list of eslint.config.js).
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { enterpriseTiers } from '../../db/schema.ts';
import { forgetEnterpriseAnswers } from './answers.ts';

export interface TierRecord {
  enterpriseId: number;
  tier: string;
  year: number;
  /** national | provincial | city */
  level: string | null;
  /** where the tier came from, e.g. `cultivation:<entry id>` */
  source: string;
}

/**
 * Records tiers (one statement, the rows as one jsonb parameter); a tier the firm already holds for that
 * year is left as it is. Returns how many were new.
 */
export async function recordTiers(tx: Db, rows: readonly TierRecord[]): Promise<number> {
  if (!rows.length) return 0;
  const inserted = await queryRows<{ one: number }>(
    tx,
    sql`insert into ${enterpriseTiers} (enterprise_id, tier, year, level, source)
        select r.enterprise_id, r.tier, r.year, r.level, r.source
          from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ enterprise_id: r.enterpriseId, tier: r.tier, year: r.year, level: r.level, source: r.source })))}::jsonb)
            as r(enterprise_id bigint, tier text, year int, level text, source text)
        on conflict (enterprise_id, tier, year) do nothing
        returning 1 as one`,
  );
  // the registry list shows the tiers: its kept answers go (the stamp tells other processes at commit)
  forgetEnterpriseAnswers();
  return inserted.length;
}

/** Removes the tiers whose source starts with `prefix` (a capability's demo re-run), set-based. */
export async function removeTiersFrom(tx: Db, prefix: string): Promise<void> {
  const pattern = prefix.replace(/[%_\\]/g, (c) => '\\' + c) + '%';
  await tx.execute(sql`delete from ${enterpriseTiers} where source like ${pattern}`);
  forgetEnterpriseAnswers();
}
