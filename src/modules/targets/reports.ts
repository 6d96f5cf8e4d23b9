// Reported target values (issue 16 item 2): a county officer (or a department, city-wide) enters a value for
// a year with evidence files; the city reviews it on the shared work items — 退回 with a reason or 通过; a
// returned value is corrected and goes back for review; a correction after 通过 is reviewed again. Every
// value ever submitted stays (target_report_revisions), every step writes its work-item event and an
// audit row in the same transaction as the report's own rows.
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { targetReportRevisions, targetReports } from '../../db/schema.ts';
import { reportDueOn, TARGET_REPORT_KIND, TARGET_REPORT_WORKFLOW } from '../../domain/targets/index.ts';
import { actsForCity, can, regionWritable } from '../../domain/policy/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { assertAllowed, assertFourEyes } from '../../server/policy.ts';
import { AppError, badRequest, notFound } from '../../server/errors.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { checkDocument, listDocuments, storeDocuments, visibleDocumentContent } from '../documents/index.ts';
import {
  createWorkItem,
  registerWorkflow,
  transitionWorkItem,
  unitByCode,
  unitsOfUser,
  workActor,
  workItemHistory,
  workItemRows,
} from '../workitems/index.ts';
import { cityConfig } from '../monitoring/index.ts';
import { assertMayReportFor, cityCode, reportedTarget, reportsVisible } from './access.ts';
import type { ReportDetail, ReportHead, ReportSubmitBody } from './schemas.ts';

registerWorkflow(TARGET_REPORT_WORKFLOW);

type Status = 'approved' | 'pending' | 'returned';
const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

async function targetNames(): Promise<Map<string, { name: string; unit: string }>> {
  const config = await cityConfig();
  const out = new Map<string, { name: string; unit: string }>();
  for (const s of config.targetSets)
    for (const t of s.targets) out.set(`${s.code}/${t.code}`, { name: t.name, unit: t.unit });
  return out;
}

function actionsFor(user: AuthedUser, status: Status, submittedBy: number | null): ReportHead['actions'] {
  const out: ReportHead['actions'] = [];
  if (status === 'pending' && can(user, 'targets.report', 'review') && submittedBy !== user.id)
    out.push('approve', 'return');
  if (status !== 'pending' && can(user, 'targets.report', 'update')) out.push('resubmit');
  return out;
}

async function heads(db: Db, user: AuthedUser, cond: ReturnType<typeof sql>): Promise<ReportHead[]> {
  const city = await cityCode();
  const config = await cityConfig();
  const names = await targetNames();
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select r.*, r.due_on::text as due, coalesce(g.name, ${config.city.name}) as region_name
        from target_reports r left join regions g on g.code = r.region_code
        where ${reportsVisible(user, city)} and ${cond}
        order by r.updated_at desc, r.id desc limit 2000`,
  );
  return rows.map((r) => {
    const key = `${String(r.set_code)}/${String(r.target_code)}`;
    const status = r.status as Status;
    const submittedBy = r.submitted_by == null ? null : Number(r.submitted_by);
    return {
      id: Number(r.id),
      setCode: String(r.set_code),
      targetCode: String(r.target_code),
      targetName: names.get(key)?.name ?? String(r.target_code),
      unit: names.get(key)?.unit ?? '',
      regionCode: String(r.region_code),
      regionName: String(r.region_name),
      year: Number(r.year),
      value: Number(r.value),
      note: (r.note as string | null) ?? null,
      status,
      revision: Number(r.revision),
      dueOn: String(r.due),
      submittedAt: iso(r.submitted_at)!,
      submittedBy: (r.submitted_by_name as string | null) ?? null,
      reviewedAt: iso(r.reviewed_at),
      reviewedBy: (r.reviewed_by_name as string | null) ?? null,
      returnReason: (r.return_reason as string | null) ?? null,
      source: String(r.source),
      workItemId: r.work_item_id == null ? null : Number(r.work_item_id),
      actions: actionsFor(user, status, submittedBy),
    };
  });
}

export async function listReports(
  db: Db,
  user: AuthedUser,
  q: { setCode?: string; targetCode?: string; year?: number; status?: string },
): Promise<{ items: ReportHead[] }> {
  const conds = [sql`true`];
  if (q.setCode) conds.push(sql`r.set_code = ${q.setCode}`);
  if (q.targetCode) conds.push(sql`r.target_code = ${q.targetCode}`);
  if (q.year) conds.push(sql`r.year = ${q.year}`);
  if (q.status) conds.push(sql`r.status = ${q.status}`);
  return { items: await heads(db, user, sql.join(conds, sql` and `)) };
}

/**
 * The home page's to-dos of reported values, within the reports the user sees: those awaiting its review
 * (pending, not submitted by the user: four eyes, as reviewReport checks) for a reviewer, and for one who
 * reports without reviewing those returned to it for correction in a region it may report for
 * (regionWritable). Overdue: the value's work item past its deadline.
 */
export async function reportTodoCounts(
  db: Db,
  user: AuthedUser,
): Promise<{
  toReview?: { total: number; overdue: number };
  toCorrect?: { total: number; overdue: number };
}> {
  const reviewer = can(user, 'targets.report', 'review');
  const corrector = !reviewer && can(user, 'targets.report', 'update');
  if (!reviewer && !corrector) return {};
  const city = await cityCode();
  const rows = await queryRows<{ region_code: string; status: string; total: number; overdue: number }>(
    db,
    sql`select r.region_code, r.status, count(*)::int as total,
          count(*) filter (where w.timed and w.level >= 2)::int as overdue
        from target_reports r left join ${workItemRows()} w on w.id = r.work_item_id
        where ${reportsVisible(user, city)}
          and ${reviewer ? sql`r.status = 'pending' and r.submitted_by is distinct from ${user.id}` : sql`r.status = 'returned'`}
        group by r.region_code, r.status`,
  );
  const sum = { total: 0, overdue: 0 };
  for (const r of rows) {
    if (corrector && !regionWritable(user, 'targets.report', r.region_code, city)) continue;
    sum.total += Number(r.total);
    sum.overdue += Number(r.overdue);
  }
  return reviewer ? { toReview: sum } : { toCorrect: sum };
}

export async function getReport(db: Db, user: AuthedUser, id: number): Promise<ReportDetail> {
  const [head] = await heads(db, user, sql`r.id = ${id}`);
  if (!head) throw notFound('reported value');
  const revisions = await db
    .select()
    .from(targetReportRevisions)
    .where(eq(targetReportRevisions.reportId, id))
    .orderBy(targetReportRevisions.revision);
  const documents = (await listDocuments(db, 'target_report', id)).map((d) => ({
    id: d.id,
    revision: d.revision ?? 0,
    fileName: d.fileName,
    sizeBytes: d.sizeBytes,
    at: d.createdAt,
  }));
  const items = [...new Set(revisions.map((r) => r.workItemId).filter((x): x is number => x != null))];
  const events = (await Promise.all(items.map((w) => workItemHistory(db, w)))).flat();
  return {
    ...head,
    revisions: revisions.map((r) => ({
      revision: r.revision,
      value: r.value,
      note: r.note,
      username: r.username,
      at: r.createdAt.toISOString(),
    })),
    documents: documents.map((d) => ({ ...d, at: d.at.toISOString() })),
    events: events
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id)
      .map((e) => ({
        at: e.at.toISOString(),
        transition: e.transition ?? (e.type === 'created' ? 'submit' : e.type),
        fromState: e.fromState ?? null,
        toState: e.toState ?? null,
        username: e.actorUsername ?? null,
        reason: e.reason ?? null,
      })),
  };
}

/**
 * The unit that owns a report's review item: the county office, or — for a city-wide value — the unit of
 * whoever acts for the city through one (the policy's actsForCity: a department).
 */
async function ownerUnit(db: Db, user: AuthedUser, regionCode: string, city: string): Promise<number | null> {
  if (regionCode !== city) return (await unitByCode(db, `county.${regionCode}`))?.id ?? null;
  if (actsForCity(user, 'targets.report')) return (await unitsOfUser(db, user.id))[0]?.id ?? null;
  return null;
}

/**
 * Enters (or corrects) the value of a reported target for a region and year. The first value needs at
 * least one evidence file; a correction may add more. A value awaiting review cannot be changed (409): the
 * reviewer decides on what was submitted.
 */
export async function submitReport(
  db: Db,
  user: AuthedUser,
  body: ReportSubmitBody,
  actor: Actor,
  source: 'manual' | 'import' | 'demo' = 'manual',
  now = new Date(),
): Promise<number> {
  assertAllowed(user, 'targets.report', 'create');
  const city = await cityCode();
  assertMayReportFor(user, body.regionCode, city);
  const { target } = await reportedTarget(body.setCode, body.targetCode, body.regionCode, city);
  const docs = body.evidence.map((f) => checkDocument(f));
  const wa = workActor(user, actor.ip);
  return db.transaction(async (txDb) => {
    const tx = txDb as Db;
    const key = and(
      eq(targetReports.setCode, body.setCode),
      eq(targetReports.targetCode, body.targetCode),
      eq(targetReports.regionCode, body.regionCode),
      eq(targetReports.year, body.year),
    );
    const [existing] = await tx.select().from(targetReports).where(key).for('update');
    if (existing?.status === 'pending')
      throw new AppError(
        409,
        'awaiting-review',
        'This value awaits review; it can be changed once the city has returned or approved it.',
        '该填报正在审核中，市级退回或通过后方可修改。',
      );
    if (!existing && docs.length === 0 && source === 'manual')
      throw badRequest('A reported value needs at least one evidence file.', '填报需附至少一份佐证材料。', [
        { field: 'evidence', message: 'required', messageZh: '必填' },
      ]);
    const title = `${target.name} · ${body.year} · ${body.regionCode}`;
    let id: number;
    let revision: number;
    let workItemId: number;
    let action: string;
    if (!existing) {
      const [row] = await tx
        .insert(targetReports)
        .values({
          setCode: body.setCode,
          targetCode: body.targetCode,
          regionCode: body.regionCode,
          year: body.year,
          value: body.value,
          note: body.note ?? null,
          status: 'pending',
          revision: 1,
          dueOn: reportDueOn(body.year),
          firstSubmittedAt: now,
          submittedAt: now,
          submittedBy: user.id,
          submittedByName: user.displayName,
          source,
          updatedAt: now,
        })
        .returning({ id: targetReports.id });
      id = row!.id;
      revision = 1;
      action = 'target_report.submit';
    } else {
      id = existing.id;
      revision = existing.revision + 1;
      action = existing.status === 'returned' ? 'target_report.resubmit' : 'target_report.correct';
    }
    if (existing?.status === 'returned' && existing.workItemId != null) {
      await transitionWorkItem(
        tx,
        wa,
        { id: existing.workItemId, transition: 'resubmit', data: { value: body.value, revision } },
        now,
      );
      workItemId = existing.workItemId;
    } else {
      const item = await createWorkItem(
        tx,
        wa,
        {
          kind: TARGET_REPORT_KIND,
          subjectType: 'target_report',
          subjectId: id,
          title,
          ownerUnitId: await ownerUnit(tx, user, body.regionCode, city),
          ownerUserId: user.id,
          regionCode: body.regionCode === city ? null : body.regionCode,
          clusterCode: target.clusterCode ?? null,
          data: {
            setCode: body.setCode,
            targetCode: body.targetCode,
            year: body.year,
            value: body.value,
            revision,
          },
        },
        now,
      );
      workItemId = item.id;
    }
    if (existing)
      await tx
        .update(targetReports)
        .set({
          value: body.value,
          note: body.note ?? null,
          status: 'pending',
          revision,
          workItemId,
          submittedAt: now,
          submittedBy: user.id,
          submittedByName: user.displayName,
          reviewedAt: null,
          reviewedByName: null,
          updatedAt: now,
        })
        .where(eq(targetReports.id, id));
    else await tx.update(targetReports).set({ workItemId }).where(eq(targetReports.id, id));
    await tx.insert(targetReportRevisions).values({
      reportId: id,
      revision,
      value: body.value,
      note: body.note ?? null,
      workItemId,
      userId: user.id,
      username: user.username,
      createdAt: now,
    });
    await storeDocuments(tx, 'target_report', id, docs, {
      revision,
      regionCode: body.regionCode,
      userId: user.id,
      userName: user.username,
    });
    await writeAudit(tx, actor, {
      action,
      entity: 'target_report',
      entityId: id,
      before: existing
        ? { value: existing.value, status: existing.status, revision: existing.revision }
        : null,
      after: {
        setCode: body.setCode,
        targetCode: body.targetCode,
        regionCode: body.regionCode,
        year: body.year,
        value: body.value,
        revision,
        source,
        evidence: docs.map((d) => ({ fileName: d.fileName, sha256: d.sha256 })),
      },
    });
    return id;
  });
}

/** 通过 or 退回 (with a reason) of a value awaiting review, by the city — never by whoever submitted it. */
export async function reviewReport(
  db: Db,
  user: AuthedUser,
  id: number,
  body: { decision: 'approve' | 'return'; reason?: string; expectedRevision?: number },
  actor: Actor,
  now = new Date(),
): Promise<ReportDetail> {
  assertAllowed(user, 'targets.report', 'review');
  await getReport(db, user, id); // 404 outside the user's reports
  if (body.decision === 'return' && !body.reason)
    throw badRequest('Say why the value is returned.', '退回须填写原因。', [
      { field: 'reason', message: 'required', messageZh: '必填' },
    ]);
  await db.transaction(async (txDb) => {
    const tx = txDb as Db;
    const [row] = await tx.select().from(targetReports).where(eq(targetReports.id, id)).for('update');
    if (!row || row.status !== 'pending' || (body.expectedRevision && body.expectedRevision !== row.revision))
      throw new AppError(
        409,
        'not-pending',
        'The value is not awaiting review (or changed meanwhile); reload.',
        '该填报不在待审核状态或已被更新，请刷新。',
      );
    assertFourEyes(user, row.submittedBy);
    await transitionWorkItem(
      tx,
      workActor(user, actor.ip),
      { id: row.workItemId!, transition: body.decision, reason: body.reason ?? null },
      now,
    );
    const status: Status = body.decision === 'approve' ? 'approved' : 'returned';
    await tx
      .update(targetReports)
      .set({
        status,
        reviewedAt: now,
        reviewedByName: user.displayName,
        returnReason: status === 'returned' ? (body.reason ?? null) : null,
        updatedAt: now,
      })
      .where(eq(targetReports.id, id));
    await writeAudit(tx, actor, {
      action: `target_report.${body.decision}`,
      entity: 'target_report',
      entityId: id,
      before: { status: row.status, value: row.value, revision: row.revision },
      after: { status, reason: body.reason ?? null },
    });
  });
  return getReport(db, user, id);
}

/** An evidence file, for whoever may see its report (404 otherwise: another county learns nothing). */
export async function getEvidence(db: Db, user: AuthedUser, documentId: number) {
  const city = await cityCode();
  const row = await visibleDocumentContent(
    db,
    'target_report',
    documentId,
    (ownerId) =>
      sql`exists (select 1 from target_reports r where r.id = ${ownerId} and ${reportsVisible(user, city)})`,
  );
  if (!row) throw notFound('document');
  return row;
}
