// Alert handling runs on the shared work items (src/modules/workitems): the 'alert' workflow below is the
// state machine as data (核实 → 走访 → 帮扶 → 关闭, or 误报; closing needs a reason), the deadline is set by
// the alert's level in working days (the rule set's `deadlines`), and overdue items are reminded, urged
// (催办) and escalated (督办) by the work-item sweep. Red and orange alerts get their work item when they are
// raised (or escalated to orange); a yellow one carries its deadline from when it was raised and gets its item
// (with that deadline) when someone first acts on it — evaluate.ts says why.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import type { WorkflowDefinition } from '../../domain/workitems/index.ts';
import type { Level } from '../../domain/alerts/index.ts';
import { accountRows } from '../auth/index.ts';
import {
  addUnitMembers,
  createWorkItem,
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
  const [unit] = await queryRows<{ id: number }>(
    tx,
    sql`select id::int as id from ${unitRows()} u where code = ${a.subjectKind === 'cluster' ? `agency.${a.clusterCode}` : `county.${a.regionCode}`}`,
  );
  const item = await createWorkItem(tx, actor, {
    kind: 'alert',
    subjectType: 'alert',
    subjectId: a.id,
    title: `${a.subjectName}：${a.ruleNameZh}`,
    ownerUnitId: unit?.id ?? null,
    enterpriseId: a.enterpriseId,
    regionCode: a.regionCode,
    clusterCode: a.clusterCode,
    data: { level: a.level },
    deadline: { workingDays: deadlines[a.level] },
    receivedAt: a.createdAt,
  });
  await tx.execute(
    sql`update alerts set work_item_id = ${item.id}, deadline_at = ${item.deadlineAt} where id = ${a.id}`,
  );
  return item;
}
