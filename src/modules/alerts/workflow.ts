// Alert handling runs on the shared work items (src/modules/workitems): the 'alert' workflow below is the
// state machine as data (核实 → 走访 → 帮扶 → 关闭, or 误报; closing needs a reason), the deadline is set by
// the alert's level in working days (the rule set's `deadlines`), and overdue items are reminded, urged
// (催办) and escalated (督办) by the work-item sweep. Red and orange alerts get their work item when they are
// raised (or escalated to orange); a yellow one carries its deadline from when it was raised and gets its item
// (with that deadline) when someone first acts on it — evaluate.ts says why.
import { sql } from 'drizzle-orm';
import { executeCount, queryRows, textArray, type Db } from '../../db/client.ts';
import type { WorkflowDefinition } from '../../domain/workitems/index.ts';
import type { Level } from '../../domain/alerts/index.ts';
import { accountRows } from '../auth/index.ts';
import {
  addUnitMembers,
  createWorkItems,
  ensureUnits,
  registerWorkflow,
  unitRows,
  type WorkActor,
} from '../workitems/index.ts';

const HANDLERS = ['owner', 'coordinator'] as const;
const OPEN = ['open', 'verifying', 'visited', 'supporting'] as const;

export const ALERT_WORKFLOW: WorkflowDefinition = registerWorkflow({
  kind: 'alert',
  zh: '风险预警处置',
  en: 'Alert handling',
  states: [
    { key: 'open', zh: '待处置', en: 'Open', timed: true },
    { key: 'verifying', zh: '核实中', en: 'Verifying', timed: true },
    { key: 'visited', zh: '已走访', en: 'Visited', timed: true },
    { key: 'supporting', zh: '帮扶中', en: 'Supporting', timed: true },
    { key: 'closed', zh: '已关闭', en: 'Closed', final: true },
    { key: 'false_alarm', zh: '误报', en: 'False alarm', final: true },
  ],
  initial: 'open',
  initialDeadline: { kind: 'given' },
  transitions: [
    {
      name: 'verify',
      zh: '核实',
      en: 'Verify',
      from: ['open'],
      to: 'verifying',
      by: HANDLERS,
      deadline: { kind: 'keep' },
    },
    {
      name: 'visit',
      zh: '走访',
      en: 'Visit',
      from: ['open', 'verifying'],
      to: 'visited',
      by: HANDLERS,
      deadline: { kind: 'keep' },
    },
    {
      name: 'support',
      zh: '帮扶',
      en: 'Support',
      from: ['open', 'verifying', 'visited'],
      to: 'supporting',
      by: HANDLERS,
      deadline: { kind: 'keep' },
    },
    { name: 'close', zh: '关闭', en: 'Close', from: OPEN, to: 'closed', by: HANDLERS, reasonRequired: true },
    {
      name: 'false_alarm',
      zh: '误报',
      en: 'False alarm',
      from: OPEN,
      to: 'false_alarm',
      by: HANDLERS,
      reasonRequired: true,
    },
    {
      name: 'reassign',
      zh: '改派',
      en: 'Reassign',
      from: OPEN,
      to: 'open',
      by: ['coordinator'],
      assigns: true,
      reasonRequired: true,
      deadline: { kind: 'keep' },
    },
  ],
  // the 12345 rule (reference §3.2): remind before the deadline, 催办 the day after, 督办 5 working days later
  escalation: { remindBeforeWorkingHours: 4, urgeAfterWorkingDays: 1, escalateAfterWorkingDays: 5 },
});

/**
 * The units that own alerts — each county's office and each cluster's agency — and the users who act for
 * them: a county officer for their county's office, an agency user for their cluster's agency. Set-based;
 * existing units and memberships are left as an administrator edited them.
 */
export async function ensureAlertUnits(tx: Db, actor: WorkActor): Promise<void> {
  const places = await queryRows<{ kind: 'county' | 'cluster_agency'; code: string; name: string }>(
    tx,
    sql`select 'county' as kind, code, name from regions where level = 'county'
        union all select 'cluster_agency', code, name from clusters`,
  );
  await ensureUnits(
    tx,
    actor,
    places.map((p, i) =>
      p.kind === 'county'
        ? {
            code: `county.${p.code}`,
            name: `${p.name}经信局`,
            kind: 'county',
            level: 'county',
            regionCode: p.code,
            sortOrder: 100 + i,
            source: 'alerts',
          }
        : {
            code: `agency.${p.code}`,
            name: `${p.name}集群促进机构`,
            kind: 'cluster_agency',
            level: 'city',
            clusterCode: p.code,
            sortOrder: 200 + i,
            source: 'alerts',
          },
    ),
  );
  await addUnitMembers(
    tx,
    sql`select u.id as unit_id, us.id as user_id from ${accountRows()} us join ${unitRows()} u
          on (u.code = 'county.' || us.region_code and us.role = 'county')
          or (u.code = 'agency.' || us.cluster_code and us.role = 'cluster_agency')
        where us.active`,
  );
}

interface AlertForItem {
  id: number;
  subjectKind: string;
  subjectName: string;
  enterpriseId: number | null;
  regionCode: string | null;
  clusterCode: string | null;
  level: Level;
  ruleNameZh: string;
  createdAt: Date;
}

/** Opens the alert's work item (owner: its county's office, or the cluster's agency) and links it. */
export async function openAlertWorkItem(
  tx: Db,
  actor: WorkActor,
  a: AlertForItem,
  deadlines: Record<Level, number>,
) {
  const [item] = await openAlertWorkItems(tx, actor, [a], deadlines);
  return item!;
}

/**
 * Opens the alerts' work items and links them, set-based: the owner units read once (by code), the items
 * created together (createWorkItems: one insert each of items, events and audit rows), and every alert
 * linked to its item in one update from arrays. Answers the items in the alerts' order.
 */
export async function openAlertWorkItems(
  tx: Db,
  actor: WorkActor,
  alerts: readonly AlertForItem[],
  deadlines: Record<Level, number>,
) {
  if (!alerts.length) return [];
  const ownerCode = (a: AlertForItem) =>
    a.subjectKind === 'cluster' ? `agency.${a.clusterCode}` : `county.${a.regionCode}`;
  const codes = [...new Set(alerts.map(ownerCode))];
  const units = await queryRows<{ id: number; code: string }>(
    tx,
    sql`select id::int as id, code from ${unitRows()} u where code = any(${textArray(codes)})`,
  );
  const unitOf = new Map(units.map((u) => [u.code, Number(u.id)]));
  const items = await createWorkItems(
    tx,
    actor,
    alerts.map((a) => ({
      kind: 'alert',
      subjectType: 'alert',
      subjectId: a.id,
      title: `${a.subjectName}：${a.ruleNameZh}`,
      ownerUnitId: unitOf.get(ownerCode(a)) ?? null,
      enterpriseId: a.enterpriseId,
      regionCode: a.regionCode,
      clusterCode: a.clusterCode,
      data: { level: a.level },
      deadline: { workingDays: deadlines[a.level] },
      receivedAt: a.createdAt,
    })),
  );
  const links = alerts.map((a, i) => ({
    alert: a.id,
    item: items[i]!.id,
    deadline: items[i]!.deadlineAt?.toISOString() ?? null,
  }));
  await executeCount(
    tx,
    sql`update alerts a set work_item_id = l.item, deadline_at = l.deadline
          from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as l(alert bigint, item bigint, deadline timestamptz)
         where a.id = l.alert`,
  );
  return items;
}
