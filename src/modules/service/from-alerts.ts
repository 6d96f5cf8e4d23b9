// Red and orange alerts of a firm become enterprise requests in the one 涉企问题池 (reference B2 §5: "every
// red or orange alert becomes a task in the B3 问题池 with 标签 '预警'"), filed through the same intake as any
// request (fileRequestAs: code, work item, audit). The alerts capability calls this inside its evaluation
// transaction. At most one request per alert: an alert that already has one (open or answered) gets no
// second; its own work item carries the alert's handling and escalation.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import type { WorkActor } from '../workitems/index.ts';
import { fileRequestAs } from './service.ts';

export interface AlertForRequest {
  alertId: number;
  enterpriseId: number;
  /** 'red' | 'orange' */
  level: string;
  /** what fired, e.g. the rule's name in Chinese */
  title: string;
  /** the values that fired it, with their months */
  description: string;
}

/** Files a request for each alert that has none yet; returns the ids of the requests filed. */
export async function fileAlertRequests(
  tx: Db,
  actor: WorkActor,
  alerts: readonly AlertForRequest[],
  opts: { now?: Date; demo?: boolean } = {},
): Promise<number[]> {
  if (!alerts.length) return [];
  const ids = `{${alerts.map((a) => a.alertId).join(',')}}`;
  const had = await queryRows<{ id: number }>(
    tx,
    sql`select distinct alert_id::int as id from service_requests where alert_id = any(${ids}::bigint[])`,
  );
  const done = new Set(had.map((h) => h.id));
  const todo = alerts.filter((a) => !done.has(a.alertId));
  if (!todo.length) return [];
  const firms = await queryRows<{ id: number; regionCode: string; clusterCode: string | null }>(
    tx,
    sql`select e.id::int as id, e.region_code as "regionCode",
          (select min(ec.cluster_code) from enterprise_clusters ec
            where ec.enterprise_id = e.id and ec.valid_to is null) as "clusterCode"
        from enterprises e where e.id = any(${`{${todo.map((a) => a.enterpriseId).join(',')}}`}::bigint[])`,
  );
  const firmById = new Map(firms.map((f) => [f.id, f]));
  const now = opts.now ?? new Date();
  const filed: number[] = [];
  for (const a of todo) {
    const firm = firmById.get(a.enterpriseId);
    if (!firm) continue;
    filed.push(
      await fileRequestAs(
        tx,
        actor,
        firm,
        {
          nature: 'help',
          category: 'new_issue',
          chainCommon: false,
          level: 'county',
          channel: 'alert',
          title: `【${a.level === 'red' ? '红色' : '橙色'}预警】${a.title}`.slice(0, 100),
          description: a.description.slice(0, 4000),
          tags: ['预警'],
          attachments: [],
          alertId: a.alertId,
        },
        now,
        now,
        opts.demo ? 'demo' : 'manual',
      ),
    );
  }
  return filed;
}
