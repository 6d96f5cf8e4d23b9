// Current alerts after an evaluation: red and orange alerts of the newest months get their work item and,
// of a firm, an enterprise request (split from evaluate.ts, which computes and writes the signals' alerts).
import { sql } from 'drizzle-orm';
import { registryRows } from '../enterprises/index.ts';
import { queryRows, type Db } from '../../db/client.ts';
import type { Firing, RuleSet } from '../../domain/alerts/index.ts';
import type { Actor } from '../audit/index.ts';
import { fileRequestsForAlerts } from '../service/index.ts';
import { ensureAlertUnits, openAlertWorkItems } from './workflow.ts';
import { rulesById } from './repo.ts';

/**
 * Current open red and orange alerts get their work item at once (assigned to the county's office or the
 * cluster's agency, deadline by level), all together (openAlertWorkItems: the units read once, one insert
 * each of the items, their events and their audit rows, one update linking the alerts — issue 13: a
 * province's 220,000 not-reported alerts took one round trip each, ~6 per alert, for minutes). Yellow alerts do not: at city scale they are ~4,300 a year (the 荣枯线 watch rule above all),
 * and opening an item each made the demo's 12-month evaluation take 389 s instead of 68 s (measured on
 * PostgreSQL, docs/methodology.md). A yellow alert carries the same deadline from when it was raised (the
 * board shows it and marks it overdue alike) and gets its item — with that deadline — when first acted on.
 */
export async function openWorkItems(
  tx: Db,
  set: RuleSet,
  actor: Actor,
  currentFrom: string,
): Promise<number> {
  const rows = await queryRows<{
    id: number;
    subjectKind: string;
    subjectName: string;
    enterpriseId: number | null;
    regionCode: string | null;
    clusterCode: string | null;
    level: 'red' | 'orange';
    ruleId: string;
    createdAt: Date;
  }>(
    tx,
    sql`select a.id::int as id, a.subject_kind as "subjectKind", coalesce(e.name, c.name, r.name, a.subject_key) as "subjectName",
          a.enterprise_id::int as "enterpriseId", coalesce(a.region_code, e.region_code) as "regionCode",
          a.cluster_code as "clusterCode", a.level, a.rule_id as "ruleId", a.created_at as "createdAt"
        from alerts a left join ${registryRows()} e on e.id = a.enterprise_id
          left join clusters c on a.subject_kind = 'cluster' and c.code = a.cluster_code
          left join regions r on a.subject_kind = 'county' and r.code = a.region_code
        where a.open and a.work_item_id is null and a.level in ('red', 'orange')
          and a.last_month >= ${currentFrom}::date order by a.id`,
  );
  if (!rows.length) return 0;
  const wa = { ...actor, role: 'system' as const };
  await ensureAlertUnits(tx, wa);
  const rules = rulesById(set);
  await inChunks(rows, (chunk) =>
    openAlertWorkItems(
      tx,
      wa,
      chunk.map((r) => ({
        ...r,
        createdAt: new Date(r.createdAt),
        ruleNameZh: rules.get(r.ruleId)?.nameZh ?? r.ruleId,
      })),
      set.deadlines,
    ),
  );
  return rows.length;
}

/**
 * Alerts handed on this many at a time. Each call carries its alerts as one array parameter per statement,
 * and at province scale one call for all 220,000 current alerts of a file held ≈ 1.8 GiB at its peak (the
 * arrays' JSON, the records read back); a chunk keeps that to tens of MB, for a few statements more per
 * CHUNK alerts (issue 13).
 */
const CHUNK = 10_000;
async function inChunks<T>(rows: readonly T[], take: (chunk: readonly T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await take(rows.slice(i, i + CHUNK));
}

/**
 * Open current red and orange alerts of firms become enterprise requests through the service capability's
 * intake, all together (`fileRequestsForAlerts`: channel 预警转办, one request per alert — a second call
 * answers the one already filed), tagged 预警 (reference B2 §5). Returns how many were filed now.
 */
export async function openServiceRequests(
  tx: Db,
  set: RuleSet,
  actor: Actor,
  currentFrom: string,
): Promise<number> {
  const rows = await queryRows<{
    id: number;
    enterpriseId: number;
    name: string;
    level: 'red' | 'orange';
    ruleId: string;
    evidence: Firing['evidence'];
  }>(
    tx,
    sql`select a.id::int as id, a.enterprise_id::int as "enterpriseId", e.name, a.level, a.rule_id as "ruleId",
          a.evidence
        from alerts a join ${registryRows()} e on e.id = a.enterprise_id
        where a.open and a.subject_kind = 'firm' and a.level in ('red', 'orange')
          and a.last_month >= ${currentFrom}::date order by a.id`,
  );
  const rules = rulesById(set);
  let filed = 0;
  await inChunks(rows, async (chunk) => {
    const made = await fileRequestsForAlerts(tx, chunk.map(requestOf), { ...actor, role: 'system' });
    filed += made.filter((m) => m.created).length;
  });
  return filed;

  function requestOf(r: (typeof rows)[number]) {
    const name = rules.get(r.ruleId)?.nameZh ?? r.ruleId;
    const values = r.evidence
      .map(
        (e) =>
          `${e.month}：${Object.entries(e.values)
            .map(([k, v]) => `${k} = ${v}`)
            .join('，')}`,
      )
      .join('；');
    return {
      enterpriseId: r.enterpriseId,
      alertId: r.id,
      level: r.level,
      title: `${r.name}：${name}`,
      description: `风险预警 #${r.id} 触发规则「${name}」（${r.ruleId}）。触发数值：${values || '—'}。请核实企业经营情况并回应企业诉求。`,
      tags: ['预警'],
    };
  }
}
