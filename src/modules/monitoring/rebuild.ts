// Rebuilding every rollup at once: after a migration that adds what the rollups keep (0026: each cell's
// two largest firms, which disclosure control judges), rows written before it stay withheld from
// scoped readers until their months are refreshed. `clusterscope rollups refresh` rebuilds them on
// demand; preparing the database (`migrate`, `start`, `dev`) does it once when any row lacks them.
// Never a read's doing: GET requests write nothing.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { refreshClusterRollups, type RefreshResult } from './rollup.ts';

/**
 * Whether some rollup row has output or revenue but not its largest firm's: written before the rollups
 * kept their top firms (the test disclosure control's rollupReason withholds such rows on).
 */
export async function rollupsLackTopFirms(db: Db): Promise<boolean> {
  const [r] = await queryRows<{ stale: boolean }>(
    db,
    sql`select exists (
          select 1 from cluster_region_month
           where enterprises > 0
             and ((output_value > 0 and output_top1 is null) or (revenue > 0 and revenue_top1 is null))
        ) as stale`,
  );
  return Boolean(r?.stale);
}

/** Rebuilds every month of every rollup in one transaction, audited (who, why, how much). */
export async function refreshAllRollups(db: Db, actor: Actor, reason: string): Promise<RefreshResult> {
  return db.transaction(async (tx) => {
    const result = await refreshClusterRollups(tx);
    await writeAudit(tx, actor, {
      action: 'monitoring.rollups.refresh',
      entity: 'cluster_region_month',
      entityId: null,
      after: { reason, rows: result.rows, ytdRows: result.ytdRows },
    });
    return result;
  });
}
