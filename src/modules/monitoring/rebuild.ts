// Rebuilding every rollup at once: after a migration that adds what the rollups keep (0026: each cell's
// two largest firms, which disclosure control judges; later every measure's, and the `_other` rows), rows written before it stay withheld from
// scoped readers until their months are refreshed. `clusterscope rollups refresh` rebuilds them on
// demand; preparing the database (`migrate`, `start`, `dev`) does it once when any row lacks them.
// Never a read's doing: GET requests write nothing.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { refreshClusterRollups, type RefreshResult } from './rollup.ts';

/**
 * Whether some rollup row has a measure but not its largest firm's, or a cell lacks its `_other` row:
 * written before the rollups kept them (the test disclosure control's rollupReason withholds such rows on).
 */
export async function rollupsLackTopFirms(db: Db): Promise<boolean> {
  const [r] = await queryRows<{ stale: boolean }>(
    db,
    sql`select exists (
          select 1 from cluster_region_month
           where enterprises > 0
             and ((output_value > 0 and output_top1 is null) or (revenue > 0 and revenue_top1 is null)
               or (profit <> 0 and profit_abs is null) or (tax > 0 and tax_top1 is null)
               or (energy_tce > 0 and energy_tce_top1 is null) or (electricity > 0 and electricity_top1 is null)
               or (employees > 0 and employees_top1 is null) or (export_value > 0 and export_value_top1 is null))
        ) or exists (
          -- more industrial firms than cluster firms in a cell, yet no "other industry" row: written
          -- before the rollups kept \`_other\`
          select 1 from cluster_region_month i
           where i.cluster_code = '_industry'
             and i.enterprises > coalesce((select c.enterprises from cluster_region_month c
               where c.cluster_code = '_clusters' and c.month = i.month and c.region_code = i.region_code
                 and c.zone_code = i.zone_code and c.scale = i.scale), 0)
             and not exists (select 1 from cluster_region_month o
               where o.cluster_code = '_other' and o.month = i.month and o.region_code = i.region_code
                 and o.zone_code = i.zone_code and o.scale = i.scale)
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
