// Demo data come with a year of alert history: the rules are evaluated month by month over the last twelve
// months, as the monthly runs after each import would have done, so the board, the profiles and the
// handling have something real to show from the first start.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { addMonths, monthsBetween } from '../../domain/periods.ts';
import type { Actor } from '../audit/index.ts';
import { evaluateMonths } from './evaluate.ts';
import { latestMonth } from './facts.ts';
import { withDb } from './tx.ts';
import { clearPreviousAlertTrail } from './demo-reset.ts';

export const DEMO_ALERT_MONTHS = 12;

export async function evaluateDemoAlerts(database: Database, actor: Actor, months = DEMO_ALERT_MONTHS) {
  const last = await latestMonth(database.db);
  if (!last) return null;
  const span = monthsBetween(addMonths(last, -(months - 1)), last);
  return withDb(database.db, async (tx) => {
    // regenerated demo data: the alerts of the previous data set named firms that are gone
    await clearPreviousAlertTrail(tx);
    await tx.execute(sql`delete from alert_events`);
    await tx.execute(sql`delete from alerts`);
    await tx.execute(sql`delete from alert_evaluations`);
    return evaluateMonths(tx, span, { trigger: 'demo', actor });
  });
}
