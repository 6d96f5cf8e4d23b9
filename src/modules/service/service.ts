// Use cases of enterprise requests: file (with duplicate check), act on one (assign, acknowledge, contest,
// reassign, uphold, answer, rate → close or redo, merge, withdraw), extend, add to an open one, bulk assign.
// Each use case is one transaction: the request's outcome facts, its work item, history and audit together.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { serviceRequests } from '../../db/schema.ts';
import { localDate } from '../../domain/calendar/index.ts';
import {
  closeWorkingDays,
  likelyDuplicates,
  SERVICE_ESCALATION,
  SERVICE_REQUEST_KIND,
  SERVICE_WORKFLOW,
  TIME_LIMITS,
} from '../../domain/service/index.ts';
import {
  availableTransitions,
  escalationMarks,
  levelAt,
  slaColour,
  type Level,
} from '../../domain/workitems/index.ts';
import { createScopeOf, ownFirmOf } from '../../domain/policy/index.ts';
import { scopeAllowsRegistry } from '../../server/scope.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { AppError, badRequest, forbidden, notFound } from '../../server/errors.ts';
import {
  addNote,
  changeDeadline,
  completeAssist,
  createWorkItem,
  registerWorkflow,
  relationsOf,
  setAssistUnits,
  transitionWorkItem,
  unitById,
  workActor,
  workCalendar,
  workItemParties,
  type WorkActor,
} from '../workitems/index.ts';
import { sees, visibilityOf } from './access.ts';
import { checkFiles, fileOf, storeFiles, type CheckedFile } from './files.ts';
import { firmFacts, openRequestsOf, requestById, toRequestView } from './repo.ts';
import type { ActionInput, NewRequest } from './schemas.ts';

registerWorkflow(SERVICE_WORKFLOW);

const inTx = <T>(db: Db, fn: (tx: Db) => Promise<T>) => db.transaction((tx) => fn(tx as Db));

/**
 * `n` consecutive request codes of a year (SQ-YYYY-NNNNNN), numbered after the highest so far: the year's
 * numbering is serialised (an advisory lock until the transaction ends) and its max() read once, however
 * many codes are taken.
 */
export async function reserveCodes(tx: Db, year: number, n: number): Promise<string[]> {
  if (n <= 0) return [];
  // serialise numbering per year until the transaction ends
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`service_request_code_${year}`}))`);
  // the highest number so far, not the count: a request removed (a demo re-run) must not free a number
  // that a later request still holds
  const [row] = await tx
    .select({ n: sql<number>`coalesce(max(split_part(${serviceRequests.code}, '-', 3)::int), 0)::int` })
    .from(serviceRequests)
    .where(sql`${serviceRequests.code} like ${`SQ-${year}-%`}`);
  const last = Number(row?.n ?? 0);
  return Array.from({ length: n }, (_, i) => `SQ-${year}-${String(last + 1 + i).padStart(6, '0')}`);
}

async function nextCode(tx: Db, year: number): Promise<string> {
  const [code] = await reserveCodes(tx, year, 1);
  return code!;
}

/**
 * The firm a user files for: an enterprise user its own; anyone else a firm the policy lets it file for
 * (createScopeOf: its scope, every firm for the offices and the city departments).
 */
async function firmFor(db: Db, user: AuthedUser, enterpriseId: number | undefined) {
  const id = ownFirmOf(user) ?? enterpriseId;
  if (id == null)
    throw badRequest('Name the enterprise.', '请选择企业。', [
      { field: 'enterpriseId', message: 'required', messageZh: '必填' },
    ]);
  const firm = await firmFacts(db, id);
  if (!firm) throw notFound('enterprise');
  const { units } = await visibilityOf(db, user);
  const inScope = scopeAllowsRegistry(createScopeOf(user, 'service.request', units), {
    id: firm.id,
    regionCode: firm.regionCode,
    clusterCodes: firm.clusterCode ? [firm.clusterCode] : [],
  });
  if (!inScope) throw notFound('enterprise');
  return firm;
}

export async function findDuplicates(
  db: Db,
  user: AuthedUser,
  q: { enterpriseId?: number; title: string; description: string },
) {
  const firm = await firmFor(db, user, q.enterpriseId);
  const open = await openRequestsOf(db, firm.id);
  return likelyDuplicates(q, open).map((c) => ({
    id: c.id,
    code: c.code,
    title: c.title,
    state: c.state,
    similarity: Math.round(c.similarity * 100) / 100,
  }));
}

export async function fileRequest(
  db: Db,
  user: AuthedUser,
  input: NewRequest,
  ip: string | null,
  now = new Date(),
) {
  const firm = await firmFor(db, user, input.enterpriseId);
  if (ownFirmOf(user) != null && input.channel !== 'online')
    throw badRequest('A firm files online.', '企业用户只能在线提交。');
  const receivedAt = input.receivedAt && input.receivedAt < now ? input.receivedAt : now;
  const actor = workActor(user, ip);
  const files = checkFiles(input.files);
  return fileRequestAs(db, actor, firm, input, receivedAt, now, 'manual', files);
}

/** Filing without a signed-in user's checks (the demo generator, alerts opening a request). */
export async function fileRequestAs(
  db: Db,
  actor: WorkActor,
  firm: { id: number; regionCode: string; clusterCode: string | null },
  input: NewRequest,
  receivedAt: Date,
  now: Date,
  source: 'manual' | 'demo',
  /** files checked by files.ts checkFiles, stored with the request */
  files: readonly CheckedFile[] = [],
): Promise<number> {
  return inTx(db, async (tx) => {
    const code = await nextCode(tx, Number(localDate(receivedAt).slice(0, 4)));
    const [row] = await tx
      .insert(serviceRequests)
      .values({
        code,
        enterpriseId: firm.id,
        regionCode: firm.regionCode,
        clusterCode: firm.clusterCode,
        chainNodeId: input.chainNodeId ?? null,
        nature: input.nature,
        category: input.category,
        chainCommon: input.chainCommon,
        level: input.level,
        channel: input.channel,
        title: input.title,
        description: input.description,
        contactName: input.contactName ?? null,
        contactPhone: input.contactPhone ?? null,
        tags: input.tags,
        attachments: input.attachments,
        alertId: input.alertId ?? null,
        receivedAt,
        createdBy: actor.id,
        source,
        createdAt: now,
      })
      .returning({ id: serviceRequests.id });
    await createWorkItem(
      tx,
      actor,
      {
        kind: SERVICE_REQUEST_KIND,
        subjectType: 'service_request',
        subjectId: row!.id,
        title: `${code} ${input.title}`,
        enterpriseId: firm.id,
        regionCode: firm.regionCode,
        clusterCode: firm.clusterCode,
        receivedAt,
      },
      now,
    );
    await storeFiles(tx, actor, row!.id, 'intake', files, now);
    return row!.id;
  });
}

async function loadVisible(db: Db, user: AuthedUser, id: number) {
  const row = await requestById(db, id);
  if (!row) throw notFound('request');
  const v = await visibilityOf(db, user);
  const assists = await workItemParties(db, row.item.id);
  if (
    !sees(v, {
      enterpriseId: row.r.enterpriseId,
      regionCode: row.r.regionCode,
      clusterCode: row.r.clusterCode,
      ownerUnitId: row.item.ownerUnitId,
      assistUnitIds: assists.map((a) => a.unitId),
    })
  )
    throw notFound('request');
  return { ...row, v };
}

export async function requestView(db: Db, user: AuthedUser, id: number) {
  const row = await loadVisible(db, user, id);
  const unitName = row.item.ownerUnitId ? ((await unitById(db, row.item.ownerUnitId))?.name ?? null) : null;
  return {
    view: toRequestView(row.r, row.name, { ...row.item, ownerUnitName: unitName }),
    row,
    v: row.v,
  };
}

/** One file of a request the caller sees (GET: read only, never audited as a write). */
export async function requestFile(db: Db, user: AuthedUser, id: number, fileId: number) {
  await loadVisible(db, user, id);
  return fileOf(db, id, fileId);
}

export async function availableActions(db: Db, user: AuthedUser, id: number) {
  const row = await requestById(db, id);
  if (!row) return [];
  const rel = await relationsOf(db, workActor(user), row.item);
  return availableTransitions(SERVICE_WORKFLOW, row.item.state, rel).map((t) => ({
    name: t.name,
    zh: t.zh,
    en: t.en,
    reasonRequired: t.reasonRequired === true,
    assigns: t.assigns === true,
  }));
}

/** Fires one step of a request's workflow and keeps its outcome facts. */
export async function actOn(
  db: Db,
  user: AuthedUser,
  id: number,
  input: ActionInput,
  ip: string | null,
  now = new Date(),
) {
  await loadVisible(db, user, id);
  const files = checkFiles(input.files);
  if (files.length && input.transition !== 'answer' && input.transition !== 'answer_direct')
    throw badRequest('Files go with an answer.', '只有答复时可附文件。');
  return actAs(db, workActor(user, ip), id, input, now, files);
}

export async function actAs(
  db: Db,
  actor: WorkActor,
  id: number,
  input: ActionInput,
  now: Date,
  files: readonly CheckedFile[] = [],
): Promise<void> {
  const cal = workCalendar();
  await inTx(db, async (tx) => {
    const row = await requestById(tx, id);
    if (!row) throw notFound('request');
    const r = row.r;
    const t = input.transition;
    const facts: Partial<typeof serviceRequests.$inferInsert> = {};
    let deadline: { at: Date } | undefined;
    let transition = t;
    if (t === 'assign' || t === 'reassign') {
      if (input.ownerUnitId == null || !(await unitById(tx, input.ownerUnitId)))
        throw badRequest('Choose the lead unit.', '请选择主办单位。', [
          { field: 'ownerUnitId', message: 'required', messageZh: '必填' },
        ]);
      facts.firstAssignedAt = r.firstAssignedAt ?? now;
      facts.lastAssignedAt = now;
      facts.acceptedAt = null;
    }
    if (t === 'accept' || t === 'uphold') {
      const from = r.lastAssignedAt ?? now;
      deadline = { at: cal.deadlineAfterWorkingDays(from, closeWorkingDays(r.nature, r.complex)) };
      if (t === 'accept') facts.acceptedAt = now;
      facts.answerDueAt = deadline.at;
    }
    if (t === 'contest') {
      const from = r.lastAssignedAt ?? row.item.createdAt;
      if (cal.workingDaysBetween(localDate(from), localDate(now)) > TIME_LIMITS.contestWorkingDays.value)
        throw new AppError(
          409,
          'conflict',
          'An assignment is contested within one working day.',
          '须在分派后1个工作日内提出异议。',
        );
      facts.contestCount = r.contestCount + 1;
    }
    if (t === 'answer' || t === 'answer_direct') {
      if (!input.reason?.trim()) throw badRequest('Write the answer.', '请填写答复内容。');
      facts.answer = input.reason;
      facts.answeredAt = now;
      facts.directAnswer = t === 'answer_direct';
      facts.answeredOnTime = t === 'answer_direct' ? true : r.answerDueAt == null || now <= r.answerDueAt;
    }
    if (t === 'rate') {
      if (!input.rating) throw badRequest('Give a rating.', '请选择满意度。');
      facts.rating = input.rating;
      facts.ratingNote = input.reason ?? null;
      facts.ratedAt = now;
      if (input.rating === 'unsatisfied' && input.subjective !== false) {
        transition = 'reopen';
        facts.reopenCount = r.reopenCount + 1;
        facts.answeredAt = null;
        facts.answeredOnTime = null;
        facts.answerDueAt = cal.deadlineAfterWorkingDays(now, closeWorkingDays(r.nature, r.complex));
        deadline = { at: facts.answerDueAt };
      } else {
        transition = 'close';
        facts.closedAt = now;
      }
    }
    if (t === 'merge') {
      const target = input.mergeInto != null ? await requestById(tx, input.mergeInto) : undefined;
      if (!target || target.r.enterpriseId !== r.enterpriseId || target.item.closedAt || target.r.id === r.id)
        throw badRequest('Merge into an open request of the same firm.', '只能合并到同一企业未办结的诉求。');
      facts.mergedInto = target.r.id;
      await addNote(
        tx,
        actor,
        { id: target.item.id, note: `合并诉求 ${r.code}：${r.title}`, data: { merged: r.id } },
        now,
      );
    }
    if (t === 'withdraw' || t === 'close') facts.closedAt = now;
    const reason =
      t === 'rate'
        ? `${input.rating === 'satisfied' ? '满意' : input.rating === 'basic' ? '基本满意' : '不满意'}${input.reason ? `：${input.reason}` : ''}`
        : (input.reason ?? null);
    const moved = await transitionWorkItem(
      tx,
      actor,
      {
        id: row.item.id,
        transition,
        reason,
        ownerUnitId: input.ownerUnitId ?? null,
        deadline,
        expectedVersion: input.expectedVersion,
        eventData: input.rating ? { rating: input.rating } : undefined,
      },
      now,
    );
    if ((t === 'assign' || t === 'reassign') && input.assistUnitIds)
      await setAssistUnits(
        tx,
        actor,
        {
          id: row.item.id,
          unitIds: input.assistUnitIds,
          dueWorkingDays: TIME_LIMITS.assistWorkingDays.value,
        },
        now,
      );
    if (t === 'assign' || t === 'reassign') facts.acceptDueAt = moved.deadlineAt;
    if (Object.keys(facts).length)
      await tx.update(serviceRequests).set(facts).where(eq(serviceRequests.id, r.id));
    await storeFiles(tx, actor, r.id, 'answer', files, now);
  });
}

/** An extension for a complex case: asked ≥ 1 working day before the deadline, ≤ 25 working days in all. */
export async function extendRequest(
  db: Db,
  user: AuthedUser,
  id: number,
  input: { workingDays: number; reason: string },
  ip: string | null,
  now = new Date(),
) {
  const row = await loadVisible(db, user, id);
  const actor = workActor(user, ip);
  const rel = await relationsOf(db, actor, row.item);
  if (!rel.has('owner') && !rel.has('coordinator'))
    throw forbidden('Only the lead unit asks for an extension.', '仅主办单位可申请延期。');
  if (row.item.state !== 'handling' || !row.item.deadlineAt)
    throw new AppError(409, 'conflict', 'Only a request in hand is extended.', '仅办理中的诉求可延期。');
  const cal = workCalendar();
  if (
    cal.workingDaysBetween(localDate(now), localDate(row.item.deadlineAt)) <
    TIME_LIMITS.extensionNoticeWorkingDays.value
  )
    throw new AppError(
      409,
      'conflict',
      'An extension is asked at least one working day before the deadline.',
      '延期须在办理时限届满1个工作日前申请。',
    );
  const from = row.r.lastAssignedAt ?? row.item.createdAt;
  const at = cal.deadlineAfterWorkingDays(row.item.deadlineAt, input.workingDays);
  if (cal.workingDaysBetween(localDate(from), localDate(at)) > TIME_LIMITS.complexMaxWorkingDays.value)
    throw badRequest(
      'A complex case closes within 25 working days of its assignment.',
      '复杂诉求办理时限自分派起不超过25个工作日。',
    );
  await inTx(db, async (tx) => {
    await changeDeadline(tx, actor, { id: row.item.id, deadline: { at }, reason: input.reason }, now);
    await tx
      .update(serviceRequests)
      .set({ complex: true, answerDueAt: at })
      .where(eq(serviceRequests.id, id));
  });
}

/** Adds a firm's new text to an open request instead of filing a duplicate (merge before saving). */
export async function supplementRequest(
  db: Db,
  user: AuthedUser,
  id: number,
  text: string,
  ip: string | null,
  now = new Date(),
  rawFiles?: ActionInput['files'],
) {
  const row = await loadVisible(db, user, id);
  if (row.item.closedAt) throw new AppError(409, 'conflict', 'The request is closed.', '该诉求已办结。');
  const files = checkFiles(rawFiles);
  const actor = workActor(user, ip);
  await inTx(db, async (tx) => {
    await addNote(tx, actor, { id: row.item.id, note: `补充：${text}`, data: { supplement: true } }, now);
    await storeFiles(tx, actor, id, 'supplement', files, now);
  });
}

/** The level of a 协办 duty at `now`, from the same marks as every deadline (reminder, overdue, 催办, 督办). */
export function assistLevel(
  p: { assignedAt: Date; dueAt: Date | null; doneAt: Date | null },
  now = new Date(),
): { level: Level; sla: string } {
  if (!p.dueAt) return { level: 'normal', sla: 'none' };
  if (p.doneAt) return { level: 'normal', sla: p.doneAt > p.dueAt ? 'red' : 'green' };
  const level = levelAt(escalationMarks(p.assignedAt, p.dueAt, workCalendar(), SERVICE_ESCALATION), now);
  return { level, sla: slaColour(level, true) };
}

/**
 * A 协办 unit hands in its input (within 3 working days of its assignment; later is accepted and marked
 * late in the history). The lead unit and the coordinator see it on the request.
 */
export async function submitAssistInput(
  db: Db,
  user: AuthedUser,
  id: number,
  input: { unitId?: number; text: string; files?: ActionInput['files'] },
  ip: string | null,
  now = new Date(),
) {
  const row = await loadVisible(db, user, id);
  if (row.item.closedAt) throw new AppError(409, 'conflict', 'The request is closed.', '该诉求已办结。');
  const parties = await workItemParties(db, row.item.id);
  const mine = parties.filter(
    (p) => row.v.unitIds.includes(p.unitId) && (input.unitId == null || p.unitId === input.unitId),
  );
  const party = mine.find((p) => !p.doneAt) ?? mine[0];
  if (!party) throw forbidden('Only a co-handling unit hands in 协办 input.', '仅协办单位可提交协办意见。');
  if (party.doneAt)
    throw new AppError(409, 'conflict', 'The input was handed in already.', '该单位已提交协办意见。');
  const files = checkFiles(input.files);
  const actor = workActor(user, ip);
  await inTx(db, async (tx) => {
    await completeAssist(tx, actor, { id: row.item.id, unitId: party.unitId, note: input.text }, now);
    await storeFiles(tx, actor, id, 'assist', files, now);
  });
}

export async function bulkAssign(
  db: Db,
  user: AuthedUser,
  input: { ids: number[]; ownerUnitId: number; reason?: string | null },
  ip: string | null,
  now = new Date(),
) {
  const done: number[] = [];
  const refused: { id: number; detailZh: string }[] = [];
  for (const id of input.ids) {
    try {
      await actOn(
        db,
        user,
        id,
        { transition: 'assign', ownerUnitId: input.ownerUnitId, reason: input.reason ?? null },
        ip,
        now,
      );
      done.push(id);
    } catch (e) {
      refused.push({ id, detailZh: e instanceof AppError ? e.detailZh : String(e) });
    }
  }
  return { assigned: done, refused };
}
