// Requests opened by an early-warning alert (channel 预警转办): the alerts capability calls
// fileRequestForAlert when an alert needs a department's help for the firm. One request per alert: a second
// call with the same alertId answers the request already filed (serialised by an advisory lock, and the
// partial unique index on service_requests.alert_id holds it across processes).
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { serviceRequests } from '../../db/schema.ts';
import type { Category, Nature, RequestLevel } from '../../domain/service/index.ts';
import { notFound } from '../../server/errors.ts';
import { SYSTEM_ACTOR, type WorkActor } from '../workitems/index.ts';
import { firmFacts } from './repo.ts';
import { fileRequestAs } from './service.ts';

export type AlertLevel = 'red' | 'orange' | 'yellow';

export interface AlertRequest {
  enterpriseId: number;
  alertId: number;
  /** ≤ 100 characters (longer is cut) */
  title: string;
  /** the signal and its evidence in words */
  description: string;
  level: AlertLevel;
  tags?: string[];
}

/**
 * How an alert's level becomes a request. An alert is an operating anomaly the data show, so 新情况新问题 and
 * 求助; a red alert is the city's matter (its departments), orange and yellow the county's first
 * (属地核实). [inference: the reference names 预警转办 as a channel but gives no mapping — §3.1]
 */
export function alertRequestShape(level: AlertLevel): {
  category: Category;
  nature: Nature;
  level: RequestLevel;
  tag: string;
} {
  const tag = level === 'red' ? '红色预警' : level === 'orange' ? '橙色预警' : '黄色预警';
  return { category: 'new_issue', nature: 'help', level: level === 'red' ? 'city' : 'county', tag };
}

/** The request an alert opened, if any. */
export async function requestForAlert(
  db: Db,
  alertId: number,
): Promise<{ id: number; code: string } | undefined> {
  const [row] = await db
    .select({ id: serviceRequests.id, code: serviceRequests.code })
    .from(serviceRequests)
    .where(eq(serviceRequests.alertId, alertId));
  return row;
}

/**
 * Files a request for an alert on behalf of the platform (or of the officer who forwarded it). Returns the
 * request and whether it was created now; an alert that already opened one answers that one.
 */
export async function fileRequestForAlert(
  db: Db,
  input: AlertRequest,
  actor: WorkActor = SYSTEM_ACTOR,
  now = new Date(),
): Promise<{ id: number; code: string; created: boolean }> {
  return db.transaction(async (txx) => {
    const tx = txx as Db;
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`service_request_alert_${input.alertId}`}))`,
    );
    const existing = await requestForAlert(tx, input.alertId);
    if (existing) return { ...existing, created: false };
    const firm = await firmFacts(tx, input.enterpriseId);
    if (!firm) throw notFound('enterprise');
    const shape = alertRequestShape(input.level);
    const id = await fileRequestAs(
      tx,
      actor,
      firm,
      {
        enterpriseId: firm.id,
        nature: shape.nature,
        category: shape.category,
        chainCommon: false,
        level: shape.level,
        channel: 'alert',
        title: input.title.trim().slice(0, 100),
        description: input.description.trim().slice(0, 4000) || input.title,
        tags: [shape.tag, ...(input.tags ?? [])].slice(0, 10),
        attachments: [],
        alertId: input.alertId,
      },
      now,
      now,
      'manual',
    );
    const made = await requestForAlert(tx, input.alertId);
    return { id, code: made!.code, created: true };
  });
}
