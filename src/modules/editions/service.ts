// Stores editions of definitions and moves them through the state machine of src/domain/editions, each
// change audited in its transaction. Used by capabilities through ./index.ts; they authorise the route
// (their own resources) and add what their definition needs through the `within` hooks (results computed
// or frozen in the same transaction).
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { definitions } from '../../db/schema.ts';
import {
  availableActions,
  diffBodies,
  nextVersion,
  reasonRequired,
  supersededBy,
  transition,
  type BodyChange,
  type EditionAction,
  type EditionStatus,
} from '../../domain/editions/index.ts';
import { badRequest, conflict, forbidden, notFound } from '../../server/errors.ts';
import { writeAudit, type Actor } from '../audit/index.ts';

export type DefinitionRow = typeof definitions.$inferSelect;
export type Tx = Db;

export interface Edition<B = unknown> {
  id: number;
  kind: string;
  key: string;
  version: number;
  status: EditionStatus;
  title: string;
  body: B;
  reason: string | null;
  basedOnId: number | null;
  note: string | null;
  created: Stamp;
  submitted: Stamp;
  reviewed: Stamp;
  published: Stamp;
  withdrawn: Stamp;
  supersededById: number | null;
  actions: EditionAction[];
}
interface Stamp {
  id: number | null;
  name: string | null;
  at: string | null;
}

/** Who acts: the id is what four eyes compares. */
export interface EditionUser {
  id: number;
}

const stamp = (id: number | null, name: string | null, at: Date | null): Stamp => ({
  id,
  name,
  at: at?.toISOString() ?? null,
});

function facts(r: DefinitionRow) {
  return {
    status: r.status as EditionStatus,
    createdBy: r.createdBy,
    submittedBy: r.submittedBy,
    reviewedBy: r.reviewedBy,
  };
}

export function toEdition<B>(
  r: DefinitionRow,
  siblings: readonly DefinitionRow[],
  user?: EditionUser,
): Edition<B> {
  const versions = siblings.map((s) => ({
    id: s.id,
    version: s.version,
    status: s.status as EditionStatus,
    publishedAt: s.publishedAt?.toISOString() ?? null,
  }));
  const self = versions.find((v) => v.id === r.id) ?? {
    id: r.id,
    version: r.version,
    status: r.status as EditionStatus,
    publishedAt: null,
  };
  return {
    id: r.id,
    kind: r.kind,
    key: r.key,
    version: r.version,
    status: r.status as EditionStatus,
    title: r.title,
    body: r.body as B,
    reason: r.reason,
    basedOnId: r.basedOnId,
    note: r.note,
    created: stamp(r.createdBy, r.createdByName, r.createdAt),
    submitted: stamp(r.submittedBy, r.submittedByName, r.submittedAt),
    reviewed: stamp(r.reviewedBy, r.reviewedByName, r.reviewedAt),
    published: stamp(r.publishedBy, r.publishedByName, r.publishedAt),
    withdrawn: stamp(r.withdrawnBy, null, r.withdrawnAt),
    supersededById: supersededBy(self, versions)?.id ?? null,
    actions: user ? availableActions(facts(r), user.id) : [],
  };
}

async function siblingsOf(db: Db, kind: string, key: string): Promise<DefinitionRow[]> {
  return db
    .select()
    .from(definitions)
    .where(and(eq(definitions.kind, kind), eq(definitions.key, key)))
    .orderBy(asc(definitions.version));
}

/** Every edition of one definition, oldest first. */
export async function listEditions<B>(db: Db, kind: string, key?: string, user?: EditionUser) {
  const rows = await db
    .select()
    .from(definitions)
    .where(key ? and(eq(definitions.kind, kind), eq(definitions.key, key)) : eq(definitions.kind, kind))
    .orderBy(asc(definitions.key), asc(definitions.version));
  return rows.map((r) =>
    toEdition<B>(
      r,
      rows.filter((s) => s.key === r.key),
      user,
    ),
  );
}

/**
 * How many editions of a kind await this user's second signature: submitted (to review) or reviewed (to
 * publish), and neither drafted nor submitted by the user — the four-eyes rule of `transition` (the caller
 * checks the capability's own grant to review or publish).
 */
export async function editionsAwaitingCount(db: Db, kind: string, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(definitions)
    .where(
      and(
        eq(definitions.kind, kind),
        inArray(definitions.status, ['submitted', 'reviewed']),
        sql`${definitions.createdBy} is distinct from ${userId}`,
        sql`${definitions.submittedBy} is distinct from ${userId}`,
      ),
    );
  return Number(row?.n ?? 0);
}

/** One edition of the given kind (404 for another kind: ids are not a way into other capabilities). */
export async function getEdition<B>(
  db: Db,
  kind: string,
  id: number,
  user?: EditionUser,
): Promise<Edition<B>> {
  const [r] = await db.select().from(definitions).where(eq(definitions.id, id));
  if (!r || r.kind !== kind) throw notFound('edition');
  return toEdition<B>(r, await siblingsOf(db, r.kind, r.key), user);
}

/** The edition in force: the highest published version of the definition, or null. */
export async function currentEdition<B>(db: Db, kind: string, key: string): Promise<Edition<B> | null> {
  const rows = await siblingsOf(db, kind, key);
  const pub = rows.filter((r) => r.status === 'published');
  const top = pub[pub.length - 1];
  return top ? toEdition<B>(top, rows) : null;
}

export interface DraftInput<B> {
  kind: string;
  key: string;
  title: string;
  body: B;
  reason?: string | null;
  basedOnId?: number | null;
}

/**
 * Starts a new edition as a draft. Once the definition has a published edition, the new one is a
 * correction and must say why. `within` runs in the same transaction (e.g. compute the draft's results).
 */
export async function createDraft<B>(
  db: Db,
  user: EditionUser,
  actor: Actor,
  input: DraftInput<B>,
  within?: (tx: Tx, row: DefinitionRow) => Promise<void>,
): Promise<Edition<B>> {
  const row = await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const siblings = await siblingsOf(tx, input.kind, input.key);
    if (reasonRequired(siblings.map((s) => ({ status: s.status as EditionStatus }))) && !input.reason?.trim())
      throw badRequest(
        'A new edition of a published definition needs its reason.',
        '已发布定义的新版本须说明更正理由。',
        [{ field: 'reason', message: 'required', messageZh: '必填' }],
      );
    const [created] = await tx
      .insert(definitions)
      .values({
        kind: input.kind,
        key: input.key,
        version: nextVersion(siblings),
        status: 'draft',
        title: input.title,
        body: input.body as never,
        reason: input.reason ?? null,
        basedOnId: input.basedOnId ?? null,
        createdBy: user.id,
        createdByName: actor.username,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: 'definition.create',
      entity: 'definition',
      entityId: created!.id,
      after: { kind: created!.kind, key: created!.key, version: created!.version, reason: created!.reason },
    });
    if (within) await within(tx, created!);
    return created!;
  });
  return getEdition<B>(db, input.kind, row.id, user);
}

async function lockRow(tx: Db, kind: string, id: number): Promise<DefinitionRow> {
  const [r] = await tx.select().from(definitions).where(eq(definitions.id, id)).for('update');
  if (!r || r.kind !== kind) throw notFound('edition');
  return r;
}

function refuse(r: DefinitionRow, action: EditionAction, userId: number) {
  const t = transition(facts(r), action, userId);
  if (t.ok) return t.to;
  if (t.code === 'four_eyes') {
    throw forbidden(`Forbidden: ${t.reasonEn}.`, `无权限：${t.reasonZh}。`);
  }
  throw conflict(`Edition ${r.id}: ${t.reasonEn}.`, `版本 ${r.version}：${t.reasonZh}。`);
}

/** Changes the body (and title, reason) of a draft; anything else is refused. */
export async function updateDraft<B>(
  db: Db,
  user: EditionUser,
  actor: Actor,
  kind: string,
  id: number,
  patch: { title?: string; body?: B; reason?: string | null },
  within?: (tx: Tx, row: DefinitionRow) => Promise<void>,
): Promise<Edition<B>> {
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const r = await lockRow(tx, kind, id);
    refuse(r, 'edit', user.id);
    const [after] = await tx
      .update(definitions)
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.body !== undefined ? { body: patch.body as never } : {}),
        ...(patch.reason !== undefined ? { reason: patch.reason } : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(definitions.id, id), eq(definitions.status, 'draft')))
      .returning();
    await writeAudit(tx, actor, {
      action: 'definition.edit',
      entity: 'definition',
      entityId: id,
      before: { title: r.title, reason: r.reason, changes: diffBodies(r.body, after!.body).length },
      after: { title: after!.title, reason: after!.reason, changes: diffBodies(r.body, after!.body) },
    });
    if (within) await within(tx, after!);
  });
  return getEdition<B>(db, kind, id, user);
}

/**
 * Moves an edition (submit, return, review, publish, withdraw). Four eyes and the state machine are the
 * domain's; the UPDATE names the status it moves from, so two people acting at once cannot both win.
 */
export async function transitionEdition<B>(
  db: Db,
  user: EditionUser,
  actor: Actor,
  kind: string,
  id: number,
  action: Exclude<EditionAction, 'edit'>,
  options: { note?: string; within?: (tx: Tx, row: DefinitionRow) => Promise<void> } = {},
): Promise<Edition<B>> {
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const r = await lockRow(tx, kind, id);
    const to = refuse(r, action, user.id);
    const now = new Date();
    const by = { id: user.id, name: actor.username };
    const set: Partial<typeof definitions.$inferInsert> = { status: to, updatedAt: now };
    if (action === 'submit')
      Object.assign(set, { submittedBy: by.id, submittedByName: by.name, submittedAt: now });
    if (action === 'review')
      Object.assign(set, { reviewedBy: by.id, reviewedByName: by.name, reviewedAt: now });
    if (action === 'publish')
      Object.assign(set, { publishedBy: by.id, publishedByName: by.name, publishedAt: now });
    if (action === 'withdraw')
      Object.assign(set, { withdrawnBy: by.id, withdrawnAt: now, note: options.note ?? null });
    if (action === 'return')
      Object.assign(set, {
        note: options.note ?? null,
        submittedBy: null,
        submittedByName: null,
        submittedAt: null,
        reviewedBy: null,
        reviewedByName: null,
        reviewedAt: null,
      });
    const moved = await tx
      .update(definitions)
      .set(set)
      .where(and(eq(definitions.id, id), eq(definitions.status, r.status)))
      .returning();
    if (!moved.length)
      throw conflict('The edition changed meanwhile; reload it.', '该版本已被他人处理，请刷新。');
    await writeAudit(tx, actor, {
      action: `definition.${action}`,
      entity: 'definition',
      entityId: id,
      before: { status: r.status },
      after: { status: to, kind: r.kind, key: r.key, version: r.version, note: options.note ?? null },
    });
    if (options.within) await options.within(tx, moved[0]!);
  });
  return getEdition<B>(db, kind, id, user);
}

/** What a draft changes against another edition's body (the edition in force, usually). */
export function changesBetween(before: unknown, after: unknown): BodyChange[] {
  return diffBodies(before, after);
}
