// Requests opened by an early-warning alert (channel 预警转办): the alerts capability calls
// fileRequestsForAlerts (or fileRequestForAlert, one) when alerts need a department's help for the firm. One
// request per alert: a second call with the same alertId answers the request already filed (serialised by
// an advisory lock, and the partial unique index on service_requests.alert_id holds it across processes).
import { eq, sql } from 'drizzle-orm';
import { idArray, queryRows, type Db } from '../../db/client.ts';
import { serviceRequests } from '../../db/schema.ts';
import { localDate } from '../../domain/calendar/index.ts';
import {
  SERVICE_REQUEST_KIND,
  type Category,
  type Nature,
  type RequestLevel,
} from '../../domain/service/index.ts';
import { notFound } from '../../server/errors.ts';
import { createWorkItems, SYSTEM_ACTOR, type WorkActor } from '../workitems/index.ts';
import { firmFactsOf } from './repo.ts';
import { reserveCodes } from './service.ts';

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
  const [made] = await fileRequestsForAlerts(db, [input], actor, now);
  return made!;
}

/**
 * Files the requests of many alerts at once, answered in the inputs' order (each: the request, and whether it
 * was created now). Set-based, with the single alert's guarantees: the alert intake is serialised (one
 * advisory lock until the transaction ends; the partial unique index on service_requests.alert_id holds it
 * across processes too), an alert that already opened a request answers that one (found in one query), the
 * firms are read in one query, the codes numbered as one block in the inputs' order after one max() of the
 * year (service.ts reserveCodes), the requests written in one insert and their work items through
 * createWorkItems. issue 13: one call per alert took ~10 round trips each and a max() over the year's
 * requests each (quadratic), for a province's 220,000 not-reported alerts.
 */
export async function fileRequestsForAlerts(
  db: Db,
  inputs: readonly AlertRequest[],
  actor: WorkActor = SYSTEM_ACTOR,
  now = new Date(),
): Promise<{ id: number; code: string; created: boolean }[]> {
  if (!inputs.length) return [];
  return db.transaction(async (txx) => {
    const tx = txx as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('service_request_alert_intake'))`);
    const alertIds = [...new Set(inputs.map((i) => i.alertId))];
    const existing = await queryRows<{ id: number; code: string; alertId: number }>(
      tx,
      sql`select id::int as id, code, alert_id::int as "alertId" from ${serviceRequests}
           where alert_id = any(${idArray(alertIds)})`,
    );
    const answered = new Map<number, { id: number; code: string; created: boolean }>(
      existing.map((r) => [Number(r.alertId), { id: Number(r.id), code: r.code, created: false }]),
    );
    // the alerts to file now, each once (the first input of an alert named twice), in the inputs' order
    const fresh: AlertRequest[] = [];
    const seen = new Set(answered.keys());
    for (const i of inputs)
      if (!seen.has(i.alertId)) {
        seen.add(i.alertId);
        fresh.push(i);
      }
    if (fresh.length) {
      const firms = await firmFactsOf(tx, [...new Set(fresh.map((i) => i.enterpriseId))]);
      if (fresh.some((i) => !firms.has(i.enterpriseId))) throw notFound('enterprise');
      const codes = await reserveCodes(tx, Number(localDate(now).slice(0, 4)), fresh.length);
      const rows = fresh.map((input, k) => {
        const firm = firms.get(input.enterpriseId)!;
        const shape = alertRequestShape(input.level);
        return {
          code: codes[k]!,
          enterpriseId: firm.id,
          regionCode: firm.regionCode,
          clusterCode: firm.clusterCode,
          nature: shape.nature,
          category: shape.category,
          level: shape.level,
          title: input.title.trim().slice(0, 100),
          description: input.description.trim().slice(0, 4000) || input.title,
          tags: [shape.tag, ...(input.tags ?? [])].slice(0, 10),
          alertId: input.alertId,
        };
      });
      const made = await queryRows<{ id: number; alertId: number }>(
        tx,
        sql`insert into ${serviceRequests} (code, enterprise_id, region_code, cluster_code, chain_node_id, nature,
              category, chain_common, level, channel, title, description, contact_name, contact_phone, tags,
              attachments, alert_id, received_at, created_by, source, created_at)
            select e.v->>'code', (e.v->>'enterpriseId')::bigint, e.v->>'regionCode', e.v->>'clusterCode', null,
                   e.v->>'nature', e.v->>'category', false, e.v->>'level', 'alert', e.v->>'title',
                   e.v->>'description', null, null, e.v->'tags', '[]'::jsonb, (e.v->>'alertId')::bigint,
                   ${now.toISOString()}::timestamptz, ${actor.id}::bigint, 'manual', ${now.toISOString()}::timestamptz
              from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) with ordinality as e(v, ord)
             order by e.ord
            returning id::int as id, alert_id::int as "alertId"`,
      );
      const idOf = new Map(made.map((m) => [Number(m.alertId), Number(m.id)]));
      await createWorkItems(
        tx,
        actor,
        rows.map((r) => ({
          kind: SERVICE_REQUEST_KIND,
          subjectType: 'service_request',
          subjectId: idOf.get(r.alertId)!,
          title: `${r.code} ${r.title}`,
          enterpriseId: r.enterpriseId,
          regionCode: r.regionCode,
          clusterCode: r.clusterCode,
          receivedAt: now,
        })),
        now,
      );
      for (const r of rows)
        answered.set(r.alertId, { id: idOf.get(r.alertId)!, code: r.code, created: true });
    }
    // an alert named twice in one call: filed by its first input, answered as already filed to the next
    const told = new Set<number>();
    return inputs.map((i) => {
      const a = answered.get(i.alertId)!;
      const first = !told.has(i.alertId);
      told.add(i.alertId);
      return first ? a : { ...a, created: false };
    });
  });
}
