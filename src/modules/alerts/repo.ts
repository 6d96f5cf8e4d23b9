// Reads of alerts within the user's scope: the board (filters, pages, counts by level), one alert with its
// history, alert density by county. The scope rule is one SQL condition (alertScopeCondition).
import { sql, type SQL } from 'drizzle-orm';
import { currentMemberships, registryRows } from '../enterprises/index.ts';
import { monthlyFactRows } from '../imports/index.ts';
import { workItemRows } from '../workitems/index.ts';
import { queryRows, type Db } from '../../db/client.ts';
import type { Scope } from '../../server/scope.ts';
import type { Rule, RuleSet } from '../../domain/alerts/index.ts';
import type { AlertListQuery, AlertView } from './schemas.ts';

/**
 * Which alerts a scope sees (alias `a`): a county its county's firms and the county itself; a cluster
 * agency its member firms (current membership) and its cluster; city roles all.
 */
export function alertScopeCondition(scope: Scope): SQL {
  switch (scope.kind) {
    case 'all':
      return sql`true`;
    case 'region':
      return sql`(a.subject_kind in ('firm', 'county') and a.region_code = ${scope.regionCode})`;
    case 'cluster':
      return sql`((a.subject_kind = 'cluster' and a.cluster_code = ${scope.clusterCode}) or (a.subject_kind = 'firm' and exists (
        select 1 from ${currentMemberships()} ec where ec.enterprise_id = a.enterprise_id
          and ec.cluster_code = ${scope.clusterCode})))`;
    case 'enterprise':
      return sql`a.enterprise_id = ${scope.enterpriseId}`;
    case 'none':
      return sql`false`;
  }
}

interface AlertRow {
  id: number;
  subject_kind: AlertView['subjectKind'];
  subject_key: string;
  subject_name: string | null;
  enterprise_id: number | null;
  uscc: string | null;
  cluster_code: string | null;
  region_code: string | null;
  region_name: string | null;
  signal: AlertView['signal'];
  rule_id: string;
  level: AlertView['level'];
  rule_set_version: number;
  first_month: string;
  last_month: string;
  evidence: AlertView['evidence'];
  status: AlertView['status'];
  open: boolean;
  closed_reason: string | null;
  deadline: string | null;
  overdue: boolean;
  work_item_id: number | null;
  handling_level: number;
  created_at: string;
}

const SELECT = sql`select a.id::int as id, a.subject_kind, a.subject_key,
    coalesce(e.name, c.name, r.name, a.subject_key) as subject_name, a.enterprise_id::int as enterprise_id, e.uscc,
    a.cluster_code, a.region_code, r.name as region_name, a.signal, a.rule_id, a.level, a.rule_set_version,
    to_char(a.first_month, 'YYYY-MM') as first_month, to_char(a.last_month, 'YYYY-MM') as last_month, a.evidence,
    a.status, a.open, a.closed_reason, ${deadlineExpr()} as deadline, ${overdueExpr()} as overdue,
    a.work_item_id::int as work_item_id, coalesce(w.level, 0)::int as handling_level,
    to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at
  from alerts a
  left join ${registryRows()} e on e.id = a.enterprise_id
  left join clusters c on a.subject_kind = 'cluster' and c.code = a.cluster_code
  left join regions r on r.code = a.region_code
  left join ${workItemRows()} w on w.id = a.work_item_id`;

/**
 * The handling deadline and escalation level come from the alert's work item; a yellow alert without one yet
 * shows the deadline it was given when raised (the same its item will get), overdue alike.
 */
function deadlineExpr(): SQL {
  return sql`to_char(coalesce(w.deadline_at, a.deadline_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
}
function overdueExpr(): SQL {
  // an alert without any deadline (raised before deadlines were kept) is not overdue: never null
  return sql`(a.open and coalesce(coalesce(w.deadline_at, a.deadline_at) < now(), false))`;
}

export function toView(r: AlertRow, rules: ReadonlyMap<string, Rule>): AlertView {
  const rule = rules.get(r.rule_id);
  return {
    id: r.id,
    subjectKind: r.subject_kind,
    subjectKey: r.subject_key,
    subjectName: r.subject_name ?? r.subject_key,
    enterpriseId: r.enterprise_id,
    uscc: r.uscc,
    clusterCode: r.cluster_code,
    regionCode: r.region_code,
    regionName: r.region_name,
    signal: r.signal,
    ruleId: r.rule_id,
    ruleNameZh: rule?.nameZh ?? r.rule_id,
    ruleNameEn: rule?.nameEn ?? r.rule_id,
    level: r.level,
    ruleSetVersion: r.rule_set_version,
    firstMonth: r.first_month,
    lastMonth: r.last_month,
    evidence: r.evidence,
    status: r.status,
    open: r.open,
    closedReason: r.closed_reason,
    deadline: r.deadline,
    overdue: r.overdue,
    workItemId: r.work_item_id,
    handlingLevel: r.handling_level,
    createdAt: r.created_at,
  };
}

export const rulesById = (set: RuleSet) => new Map(set.rules.map((r) => [r.id, r]));

function filters(scope: Scope, q: AlertListQuery): SQL {
  const parts: SQL[] = [alertScopeCondition(scope)];
  const state = q.state ?? 'open';
  if (state === 'open') parts.push(sql`a.open`);
  if (state === 'closed') parts.push(sql`not a.open`);
  if (q.level) parts.push(sql`a.level = ${q.level}`);
  if (q.status) parts.push(sql`a.status = ${q.status}`);
  if (q.subject) parts.push(sql`a.subject_kind = ${q.subject}`);
  if (q.signal) parts.push(sql`a.signal = ${q.signal}`);
  if (q.enterprise) parts.push(sql`a.enterprise_id = ${q.enterprise}`);
  if (q.county) parts.push(sql`a.region_code = ${q.county}`);
  if (q.cluster)
    parts.push(sql`((a.subject_kind = 'cluster' and a.cluster_code = ${q.cluster}) or (a.subject_kind = 'firm' and exists (
      select 1 from ${currentMemberships()} ec2 where ec2.enterprise_id = a.enterprise_id
        and ec2.cluster_code = ${q.cluster})))`);
  return sql.join(parts, sql` and `);
}

export async function listAlerts(
  db: Db,
  scope: Scope,
  q: AlertListQuery,
  rules: ReadonlyMap<string, Rule>,
  limit?: number,
) {
  const where = filters(scope, q);
  const page = q.page ?? 1;
  const pageSize = limit ?? q.pageSize ?? 50;
  const rows = await queryRows<AlertRow>(
    db,
    sql`${SELECT} where ${where}
        order by case a.level when 'red' then 0 when 'orange' then 1 else 2 end, a.last_month desc, a.id desc
        limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const counts = await queryRows<{ level: string; n: number }>(
    db,
    sql`select a.level, count(*)::int as n from alerts a where ${where} group by a.level`,
  );
  const byLevel: Record<string, number> = { red: 0, orange: 0, yellow: 0 };
  for (const c of counts) byLevel[c.level] = c.n;
  return {
    total: counts.reduce((s, c) => s + c.n, 0),
    page,
    pageSize,
    rows: rows.map((r) => toView(r, rules)),
    byLevel,
  };
}

/**
 * The board's open alerts within a scope, counted (the home page's to-dos): the board's own conditions
 * (default state open) and its overdue rule (the handling deadline passed).
 */
export async function openAlertCounts(db: Db, scope: Scope): Promise<{ total: number; overdue: number }> {
  const [row] = await queryRows<{ total: number; overdue: number }>(
    db,
    sql`select count(*)::int as total, count(*) filter (where ${overdueExpr()})::int as overdue
        from alerts a left join ${workItemRows()} w on w.id = a.work_item_id
        where ${filters(scope, {})}`,
  );
  return { total: Number(row?.total ?? 0), overdue: Number(row?.overdue ?? 0) };
}

export async function getAlertRow(
  db: Db,
  id: number,
  rules: ReadonlyMap<string, Rule>,
): Promise<AlertView | null> {
  const [row] = await queryRows<AlertRow>(db, sql`${SELECT} where a.id = ${id}`);
  return row ? toView(row, rules) : null;
}

/** The clusters an enterprise belongs to now (for the row-visibility check of a single alert). */
export async function clustersOf(db: Db, enterpriseId: number): Promise<string[]> {
  const rows = await queryRows<{ c: string }>(
    db,
    sql`select ec.cluster_code as c from ${currentMemberships()} ec where ec.enterprise_id = ${enterpriseId}`,
  );
  return rows.map((r) => r.c);
}

export async function alertEvents(db: Db, id: number) {
  return queryRows<{
    id: number;
    at: string;
    kind: string;
    month: string | null;
    level: string | null;
    ruleId: string | null;
    evidence: AlertView['evidence'] | null;
    reason: string | null;
    username: string | null;
  }>(
    db,
    sql`select id::int as id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, kind,
          to_char(month, 'YYYY-MM') as month, level, rule_id as "ruleId", evidence, reason, username
        from alert_events where alert_id = ${id} order by id`,
  );
}

/** Open alerts per county (firm and county subjects), with the reporting firms of the latest month. */
export async function densityByCounty(db: Db, scope: Scope, month: string | null) {
  return queryRows<{
    regionCode: string;
    name: string;
    open: number;
    red: number;
    orange: number;
    yellow: number;
    firms: number;
  }>(
    db,
    sql`select r.code as "regionCode", r.name,
          count(a.id)::int as open,
          count(a.id) filter (where a.level = 'red')::int as red,
          count(a.id) filter (where a.level = 'orange')::int as orange,
          count(a.id) filter (where a.level = 'yellow')::int as yellow,
          (select count(*)::int from ${monthlyFactRows()} ms join ${registryRows()} e2 on e2.id = ms.enterprise_id
            where e2.region_code = r.code and ms.month = ${month ? `${month}-01` : null}::date) as firms
        from regions r
        left join alerts a on a.region_code = r.code and a.open and a.subject_kind = 'firm' and ${alertScopeCondition(scope)}
        where r.level = 'county'
        group by r.code, r.name order by r.code`,
  );
}

/** The name of a subject: the firm's, the cluster's or the county's. */
export async function subjectName(db: Db, subjectKey: string): Promise<string> {
  const [kind, code] = subjectKey.split(':');
  const q =
    kind === 'firm'
      ? sql`select e.name from ${registryRows()} e where e.id = ${Number(code)}`
      : kind === 'cluster'
        ? sql`select name from clusters where code = ${code}`
        : sql`select name from regions where code = ${code}`;
  const [row] = await queryRows<{ name: string }>(db, q);
  return row?.name ?? subjectKey;
}
