// Creating and moving work items. Every change writes the item's event and an audit row in the caller's
// transaction (pass a transaction to keep it all-or-nothing with the capability's own rows), or in one of
// its own when given the database.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { executeCount, idArray, queryRows, type Db } from '../../db/client.ts';
import { unitMembers, units, workItemEvents, workItemParties, workItems } from '../../db/schema.ts';
import {
  checkTransition,
  escalationMarks,
  deadlineFor,
  isFinal,
  isTimed,
  levelAt,
  levelIndex,
  stateDef,
  RELATIONS,
  type DeadlineRule,
  type Relation,
  type WorkflowDefinition,
} from '../../domain/workitems/index.ts';
import { writeAudit, writeAudits } from '../audit/index.ts';
import { AppError, notFound } from '../../server/errors.ts';
import type { WorkActor } from './actor.ts';
import { workCalendar, workflowOf } from './workflows.ts';

export type WorkItemRecord = typeof workItems.$inferSelect;

/** A deadline a caller gives: so many working days or office hours from now, or an instant. */
export type DeadlineInput = { workingDays: number } | { workingHours: number } | { at: Date };

export interface NewWorkItem {
  kind: string;
  subjectType: string;
  subjectId: string | number;
  title: string;
  ownerUnitId?: number | null;
  ownerUserId?: number | null;
  enterpriseId?: number | null;
  regionCode?: string | null;
  clusterCode?: string | null;
  data?: Record<string, unknown>;
  /** overrides the workflow's initial deadline rule */
  deadline?: DeadlineInput;
  /** when the item arrived (an officer recording yesterday's phone call); defaults to now */
  receivedAt?: Date;
}

export interface TransitionInput {
  id: number;
  transition: string;
  reason?: string | null;
  /** for transitions that assign (分派 / 改派) */
  ownerUnitId?: number | null;
  ownerUserId?: number | null;
  /** overrides the transition's deadline rule */
  deadline?: DeadlineInput;
  /** merged into the item's data */
  data?: Record<string, unknown>;
  /** recorded on the event only */
  eventData?: Record<string, unknown>;
  /** refuse when the item changed since the caller read it */
  expectedVersion?: number;
}

const inTx = <T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> => db.transaction((tx) => fn(tx as Db));

interface Clock {
  timed: boolean;
  level: number;
  clockStartedAt: Date | null;
  deadlineAt: Date | null;
  remindAt: Date | null;
  urgeAt: Date | null;
  escalateAt: Date | null;
}

const NO_CLOCK: Omit<Clock, 'timed'> = {
  level: 0,
  clockStartedAt: null,
  deadlineAt: null,
  remindAt: null,
  urgeAt: null,
  escalateAt: null,
};

function levelOfClock(c: Clock, now: Date): number {
  if (!c.timed || !c.deadlineAt || !c.remindAt || !c.urgeAt || !c.escalateAt) return 0;
  return levelIndex(
    levelAt(
      { deadlineAt: c.deadlineAt, remindAt: c.remindAt, urgeAt: c.urgeAt, escalateAt: c.escalateAt },
      now,
    ),
  );
}

function resolveDeadline(
  rule: DeadlineRule,
  given: DeadlineInput | undefined,
  now: Date,
): Date | 'keep' | null {
  const cal = workCalendar();
  if (given) {
    if ('at' in given) return given.at;
    if ('workingDays' in given) return cal.deadlineAfterWorkingDays(now, given.workingDays);
    return cal.addWorkingHours(now, given.workingHours);
  }
  if (rule.kind === 'keep') return 'keep';
  return deadlineFor(rule, now, cal) ?? null;
}

/** The clock of an item entering `state` with this deadline decision. */
function clockFor(def: WorkflowDefinition, state: string, deadline: Date | null, now: Date): Clock {
  if (!deadline) return { timed: false, ...NO_CLOCK };
  const marks = escalationMarks(now, deadline, workCalendar(), def.escalation);
  const timed = isTimed(def, state);
  return {
    timed,
    level: timed ? levelIndex(levelAt(marks, now)) : 0,
    clockStartedAt: now,
    ...marks,
  };
}

export async function createWorkItem(
  db: Db,
  actor: WorkActor,
  input: NewWorkItem,
  now: Date = new Date(),
): Promise<WorkItemRecord> {
  const [row] = await createWorkItems(db, actor, [input], now);
  return row!;
}

/**
 * Creates many items at once, answered in the inputs' order: each one's deadline and clock computed here as
 * for one item, then ONE insert of the items, ONE of their 'created' events and ONE of their audit rows
 * (each a single jsonb array parameter, however many items: no statement grows with them).
 */
export async function createWorkItems(
  db: Db,
  actor: WorkActor,
  inputs: readonly NewWorkItem[],
  now: Date = new Date(),
): Promise<WorkItemRecord[]> {
  if (!inputs.length) return [];
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const planned = inputs.map((input) => {
    const def = workflowOf(input.kind);
    const start = input.receivedAt ?? now;
    const d = resolveDeadline(def.initialDeadline ?? { kind: 'none' }, input.deadline, start);
    const clock = clockFor(def, def.initial, d === 'keep' ? null : d, start);
    clock.level = levelOfClock(clock, now);
    return {
      kind: input.kind,
      subjectType: input.subjectType,
      subjectId: String(input.subjectId),
      title: input.title,
      state: def.initial,
      ownerUnitId: input.ownerUnitId ?? null,
      ownerUserId: input.ownerUserId ?? null,
      enterpriseId: input.enterpriseId ?? null,
      regionCode: input.regionCode ?? null,
      clusterCode: input.clusterCode ?? null,
      data: input.data ?? {},
      createdAt: start.toISOString(),
      timed: clock.timed,
      level: clock.level,
      clockStartedAt: iso(clock.clockStartedAt),
      deadlineAt: iso(clock.deadlineAt),
      remindAt: iso(clock.remindAt),
      urgeAt: iso(clock.urgeAt),
      escalateAt: iso(clock.escalateAt),
    };
  });
  return inTx(db, async (tx) => {
    const made = await queryRows<{ id: number; kind: string; subjectType: string; subjectId: string }>(
      tx,
      sql`insert into work_items (kind, subject_type, subject_id, title, state, owner_unit_id, owner_user_id,
            enterprise_id, region_code, cluster_code, data, created_by, created_at, updated_at, timed, level,
            clock_started_at, deadline_at, remind_at, urge_at, escalate_at)
          select e.v->>'kind', e.v->>'subjectType', e.v->>'subjectId', e.v->>'title', e.v->>'state',
                 (e.v->>'ownerUnitId')::bigint, (e.v->>'ownerUserId')::bigint, (e.v->>'enterpriseId')::bigint,
                 e.v->>'regionCode', e.v->>'clusterCode', e.v->'data', ${actor.id}::bigint,
                 (e.v->>'createdAt')::timestamptz, ${now.toISOString()}::timestamptz, (e.v->>'timed')::boolean,
                 (e.v->>'level')::smallint, (e.v->>'clockStartedAt')::timestamptz,
                 (e.v->>'deadlineAt')::timestamptz, (e.v->>'remindAt')::timestamptz,
                 (e.v->>'urgeAt')::timestamptz, (e.v->>'escalateAt')::timestamptz
            from jsonb_array_elements(${JSON.stringify(planned)}::jsonb) with ordinality as e(v, ord)
           order by e.ord
          returning id::int as id, kind, subject_type as "subjectType", subject_id as "subjectId"`,
    );
    // matched to the inputs by their subject (unique per kind: work_items_subject_idx)
    const key = (k: string, t: string, id: string) => `${k}\u0000${t}\u0000${id}`;
    const idOf = new Map(made.map((m) => [key(m.kind, m.subjectType, m.subjectId), Number(m.id)]));
    const ids = planned.map((p) => idOf.get(key(p.kind, p.subjectType, p.subjectId))!);
    const records = await tx
      .select()
      .from(workItems)
      .where(sql`${workItems.id} = any(${idArray(ids)})`);
    const byId = new Map(records.map((r) => [r.id, r]));
    const rows = ids.map((id) => byId.get(id)!);
    await executeCount(
      tx,
      sql`insert into work_item_events (work_item_id, at, type, to_state, to_unit_id, actor_user_id,
            actor_username, data)
          select (e.v->>'id')::bigint, (e.v->>'at')::timestamptz, 'created', e.v->>'state',
                 (e.v->>'ownerUnitId')::bigint, ${actor.id}::bigint, ${actor.username}::text,
                 jsonb_build_object('deadlineAt', e.v->'deadlineAt')
            from jsonb_array_elements(${JSON.stringify(
              rows.map((r) => ({
                id: r.id,
                at: r.createdAt.toISOString(),
                state: r.state,
                ownerUnitId: r.ownerUnitId,
                deadlineAt: iso(r.deadlineAt),
              })),
            )}::jsonb) with ordinality as e(v, ord)
           order by e.ord`,
    );
    await writeAudits(
      tx,
      actor,
      rows.map((r) => ({
        action: 'workitem.create',
        entity: 'work_item',
        entityId: r.id,
        after: {
          kind: r.kind,
          subject: `${r.subjectType}:${r.subjectId}`,
          state: r.state,
          ownerUnitId: r.ownerUnitId,
        },
      })),
    );
    return rows;
  });
}

/** How an actor stands to an item (owner, assist, coordinator, supervisor, subject, creator, system). */
export async function relationsOf(db: Db, actor: WorkActor, item: WorkItemRecord): Promise<Set<Relation>> {
  const rel = new Set<Relation>();
  // The platform itself (sweeps, generators, automatic steps of another capability) is trusted code: it
  // stands in every relation, so a workflow never needs a person to exist for an automatic step.
  if (actor.role === 'system') return new Set(RELATIONS);
  if (actor.id == null) return new Set<Relation>(['system']);
  if (actor.role === 'admin') rel.add('coordinator');
  if (item.createdBy === actor.id) rel.add('creator');
  if (item.ownerUserId === actor.id) rel.add('owner');
  if (actor.role === 'enterprise' && actor.enterpriseId != null && actor.enterpriseId === item.enterpriseId)
    rel.add('subject');
  const mine = await db
    .select({ id: units.id, kind: units.kind })
    .from(unitMembers)
    .innerJoin(units, eq(units.id, unitMembers.unitId))
    .where(eq(unitMembers.userId, actor.id));
  if (!mine.length) return rel;
  const ids = new Set(mine.map((u) => u.id));
  if (mine.some((u) => u.kind === 'coordinator')) rel.add('coordinator');
  if (mine.some((u) => u.kind === 'supervisor')) rel.add('supervisor');
  if (item.ownerUnitId != null && ids.has(item.ownerUnitId)) rel.add('owner');
  const parties = await db
    .select({ unitId: workItemParties.unitId })
    .from(workItemParties)
    .where(and(eq(workItemParties.workItemId, item.id), inArray(workItemParties.unitId, [...ids])));
  if (parties.length) rel.add('assist');
  return rel;
}

async function lockItem(tx: Db, id: number): Promise<WorkItemRecord> {
  const [row] = await tx.select().from(workItems).where(eq(workItems.id, id)).for('update');
  if (!row) throw notFound('work item');
  return row;
}

/** Fires a transition of the item's workflow as the actor; refuses (409/403/400) with the machine's reason. */
export async function transitionWorkItem(
  db: Db,
  actor: WorkActor,
  input: TransitionInput,
  now: Date = new Date(),
): Promise<WorkItemRecord> {
  return inTx(db, async (tx) => {
    const item = await lockItem(tx, input.id);
    if (input.expectedVersion != null && input.expectedVersion !== item.version)
      throw new AppError(
        409,
        'conflict',
        'The item changed meanwhile; reload it.',
        '该事项已被他人更新，请刷新后再操作。',
      );
    const def = workflowOf(item.kind);
    const relations = await relationsOf(tx, actor, item);
    const check = checkTransition(def, item.state, input.transition, relations, {
      reason: input.reason,
      ownerUnitId: input.ownerUnitId ?? null,
      deadlineGiven: input.deadline != null,
    });
    if (!check.ok) {
      const status = check.code === 'not_allowed' ? 403 : check.code === 'wrong_state' ? 409 : 400;
      throw new AppError(
        status,
        status === 403 ? 'forbidden' : status === 409 ? 'conflict' : 'bad-request',
        `Refused: ${check.en}.`,
        `${check.zh}。`,
      );
    }
    const t = check.transition;
    const decided = resolveDeadline(t.deadline ?? { kind: 'keep' }, input.deadline, now);
    let clock: Clock;
    if (decided === 'keep') {
      const timed = isTimed(def, check.to) && item.deadlineAt != null;
      clock = {
        timed,
        level: timed ? item.level : 0,
        clockStartedAt: item.clockStartedAt,
        deadlineAt: item.deadlineAt,
        remindAt: item.remindAt,
        urgeAt: item.urgeAt,
        escalateAt: item.escalateAt,
      };
    } else clock = clockFor(def, check.to, decided, now);
    const lateNow = item.timed && item.deadlineAt != null && now > item.deadlineAt;
    const final = isFinal(def, check.to);
    const ownerUnitId = t.assigns ? (input.ownerUnitId ?? null) : item.ownerUnitId;
    const ownerUserId = t.assigns ? (input.ownerUserId ?? null) : (input.ownerUserId ?? item.ownerUserId);
    const [row] = await tx
      .update(workItems)
      .set({
        state: check.to,
        ownerUnitId,
        ownerUserId,
        ...clock,
        everOverdue: item.everOverdue || lateNow,
        closedAt: final ? now : null,
        closeReason: final ? (input.reason ?? t.zh) : null,
        data: input.data ? { ...(item.data as Record<string, unknown>), ...input.data } : item.data,
        updatedAt: now,
        version: item.version + 1,
      })
      .where(eq(workItems.id, item.id))
      .returning();
    await tx.insert(workItemEvents).values({
      workItemId: item.id,
      at: now,
      type: 'transition',
      transition: t.name,
      fromState: item.state,
      toState: check.to,
      fromUnitId: item.ownerUnitId,
      toUnitId: ownerUnitId,
      level: clock.level,
      actorUserId: actor.id,
      actorUsername: actor.username,
      reason: input.reason ?? null,
      data: {
        ...(input.eventData ?? {}),
        deadlineAt: clock.deadlineAt?.toISOString() ?? null,
        relations: [...relations],
      },
    });
    await writeAudit(tx, actor, {
      action: `workitem.${t.name}`,
      entity: 'work_item',
      entityId: item.id,
      before: { state: item.state, ownerUnitId: item.ownerUnitId, deadlineAt: item.deadlineAt },
      after: { state: check.to, ownerUnitId, deadlineAt: clock.deadlineAt, reason: input.reason ?? null },
    });
    return row!;
  });
}

/** Moves the running deadline (an extension granted, a deadline corrected); recorded with its reason. */
export async function changeDeadline(
  db: Db,
  actor: WorkActor,
  input: { id: number; deadline: DeadlineInput; reason: string; from?: 'now' | 'clock' },
  now: Date = new Date(),
): Promise<WorkItemRecord> {
  return inTx(db, async (tx) => {
    const item = await lockItem(tx, input.id);
    const def = workflowOf(item.kind);
    if (isFinal(def, item.state))
      throw new AppError(409, 'conflict', 'The item is closed.', '该事项已办结。');
    const start = input.from === 'clock' && item.clockStartedAt ? item.clockStartedAt : now;
    const d = resolveDeadline({ kind: 'none' }, input.deadline, start) as Date;
    const clock = clockFor(def, item.state, d, start);
    clock.level = levelOfClock(clock, now);
    const [row] = await tx
      .update(workItems)
      .set({ ...clock, updatedAt: now, version: item.version + 1 })
      .where(eq(workItems.id, item.id))
      .returning();
    await tx.insert(workItemEvents).values({
      workItemId: item.id,
      at: now,
      type: 'deadline',
      level: clock.level,
      actorUserId: actor.id,
      actorUsername: actor.username,
      reason: input.reason,
      data: { from: item.deadlineAt?.toISOString() ?? null, to: d.toISOString() },
    });
    await writeAudit(tx, actor, {
      action: 'workitem.deadline',
      entity: 'work_item',
      entityId: item.id,
      before: { deadlineAt: item.deadlineAt },
      after: { deadlineAt: d, reason: input.reason },
    });
    return row!;
  });
}

/** Sets the co-handling units (协办) of an item, each due after `dueWorkingDays` working days. */
export async function setAssistUnits(
  db: Db,
  actor: WorkActor,
  input: { id: number; unitIds: number[]; dueWorkingDays?: number; reason?: string | null },
  now: Date = new Date(),
): Promise<void> {
  await inTx(db, async (tx) => {
    const item = await lockItem(tx, input.id);
    const due =
      input.dueWorkingDays != null
        ? workCalendar().deadlineAfterWorkingDays(now, input.dueWorkingDays)
        : null;
    const before = await tx.select().from(workItemParties).where(eq(workItemParties.workItemId, item.id));
    const keep = new Set(input.unitIds);
    const gone = before.filter((p) => !keep.has(p.unitId)).map((p) => p.unitId);
    if (gone.length)
      await tx
        .delete(workItemParties)
        .where(and(eq(workItemParties.workItemId, item.id), inArray(workItemParties.unitId, gone)));
    const had = new Set(before.map((p) => p.unitId));
    const fresh = input.unitIds.filter((u) => !had.has(u));
    if (fresh.length)
      await tx.insert(workItemParties).values(
        fresh.map((unitId) => ({
          workItemId: item.id,
          unitId,
          role: 'assist',
          assignedAt: now,
          dueAt: due,
        })),
      );
    await tx.insert(workItemEvents).values({
      workItemId: item.id,
      at: now,
      type: 'party',
      actorUserId: actor.id,
      actorUsername: actor.username,
      reason: input.reason ?? null,
      data: { assist: input.unitIds, added: fresh, removed: gone, dueAt: due?.toISOString() ?? null },
    });
    await writeAudit(tx, actor, {
      action: 'workitem.assist',
      entity: 'work_item',
      entityId: item.id,
      before: { assist: before.map((p) => p.unitId) },
      after: { assist: input.unitIds },
    });
  });
}

/** A co-handling unit hands in its input (协办意见). */
export async function completeAssist(
  db: Db,
  actor: WorkActor,
  input: { id: number; unitId: number; note: string },
  now: Date = new Date(),
): Promise<void> {
  await inTx(db, async (tx) => {
    const item = await lockItem(tx, input.id);
    const relations = await relationsOf(tx, actor, item);
    const member = await tx
      .select()
      .from(unitMembers)
      .where(and(eq(unitMembers.unitId, input.unitId), eq(unitMembers.userId, actor.id ?? -1)));
    if (!member.length && !relations.has('coordinator'))
      throw new AppError(
        403,
        'forbidden',
        'Only the co-handling unit hands in its input.',
        '仅协办单位可提交协办意见。',
      );
    const updated = await tx
      .update(workItemParties)
      .set({ doneAt: now, note: input.note })
      .where(and(eq(workItemParties.workItemId, item.id), eq(workItemParties.unitId, input.unitId)))
      .returning();
    if (!updated.length) throw notFound('co-handling unit');
    await noteEvent(tx, actor, item.id, now, input.note, {
      assistUnitId: input.unitId,
      late: updated[0]!.dueAt != null && now > updated[0]!.dueAt,
    });
    await writeAudit(tx, actor, {
      action: 'workitem.assist_done',
      entity: 'work_item',
      entityId: item.id,
      after: { unitId: input.unitId, note: input.note },
    });
  });
}

function noteEvent(
  tx: Db,
  actor: WorkActor,
  workItemId: number,
  at: Date,
  note: string,
  data: Record<string, unknown>,
) {
  return tx.insert(workItemEvents).values({
    workItemId,
    at,
    type: 'note',
    actorUserId: actor.id,
    actorUsername: actor.username,
    reason: note,
    data,
  });
}

/** A note on the item's history (a phone call made, a 催办 by hand) without changing its state. */
export async function addNote(
  db: Db,
  actor: WorkActor,
  input: { id: number; note: string; data?: Record<string, unknown> },
  now: Date = new Date(),
): Promise<void> {
  await inTx(db, async (tx) => {
    const item = await lockItem(tx, input.id);
    await noteEvent(tx, actor, item.id, now, input.note, input.data ?? {});
    await tx.update(workItems).set({ updatedAt: now }).where(eq(workItems.id, item.id));
    await writeAudit(tx, actor, {
      action: 'workitem.note',
      entity: 'work_item',
      entityId: item.id,
      after: { note: input.note },
    });
  });
}

export function stateLabel(kind: string, state: string) {
  const s = stateDef(workflowOf(kind), state);
  return s ? { zh: s.zh, en: s.en } : { zh: state, en: state };
}
