// A firm's path through a library (issue 20 item 3): taken in from the candidate list (入库培育),
// applied (申报, with the application as evidence), recognised (认定, with the notice) or not (未通过).
// A recognition also records the firm's tier, so the tier targets and the library counts follow; an
// imported tier closes the loop the other way (screening counts it as held). Every move is audited. The
// registry and the tiers belong to the enterprises module, the files to documents: read through their
// relations and written through their functions, in the move's transaction.
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { cultivationEntries, cultivationEvents } from '../../db/schema.ts';
import { canMove, needsEvidence, TRANSITIONS, type Stage } from '../../domain/cultivation/index.ts';
import { can } from '../../domain/policy/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { AppError, badRequest, notFound } from '../../server/errors.ts';
import { enterpriseScopeCondition, type Scope } from '../../server/scope.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import {
  checkDocument,
  documentFiles,
  storeDocuments,
  visibleDocumentContent,
  type DocumentFile,
} from '../documents/index.ts';
import { recordTiers, registryRows } from '../enterprises/index.ts';
import { runFactsChanged } from '../imports/index.ts';
import { libraryByKey } from './libraries.ts';
import { latestCompleteYear } from './metrics.ts';
import type { Entry } from './schemas.ts';

type EntryHead = Omit<Entry, 'events'>;

async function entriesWhere(db: Db, user: AuthedUser, cond: ReturnType<typeof sql>): Promise<EntryHead[]> {
  const scopeCond = enterpriseScopeCondition(user.scope) ?? sql`true`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select ce.id, ce.enterprise_id, enterprises.name, enterprises.region_code, ce.library, ce.stage, ce.owner_name, ce.year,
          ce.updated_at
        from cultivation_entries ce join ${registryRows()} enterprises on enterprises.id = ce.enterprise_id
        where ${scopeCond} and ${cond}
        order by ce.updated_at desc, ce.id desc`,
  );
  const mayMove = can(user, 'cultivation.pipeline', 'update');
  return rows.map((r) => ({
    id: Number(r.id),
    enterpriseId: Number(r.enterprise_id),
    enterpriseName: String(r.name),
    regionCode: String(r.region_code),
    library: String(r.library),
    stage: r.stage as Stage,
    ownerName: (r.owner_name as string | null) ?? null,
    year: Number(r.year),
    updatedAt: new Date(r.updated_at as string).toISOString(),
    moves: mayMove ? [...TRANSITIONS[r.stage as Stage]] : [],
  }));
}

export async function listEntries(db: Db, user: AuthedUser, q: { library?: string; stage?: string }) {
  const conds = [sql`true`];
  if (q.library) conds.push(sql`ce.library = ${q.library}`);
  if (q.stage) conds.push(sql`ce.stage = ${q.stage}`);
  return { items: await entriesWhere(db, user, sql.join(conds, sql` and `)) };
}

export async function getEntry(db: Db, user: AuthedUser, id: number): Promise<Entry> {
  const [head] = await entriesWhere(db, user, sql`ce.id = ${id}`);
  if (!head) throw notFound('cultivation entry');
  const events = await queryRows<Record<string, unknown>>(
    db,
    sql`select ev.id, ev.from_stage, ev.to_stage, ev.note, ev.document_id, d.file_name, ev.username, ev.created_at
        from cultivation_events ev left join ${documentFiles('cultivation_entry')} d on d.id = ev.document_id
        where ev.entry_id = ${id} order by ev.created_at, ev.id`,
  );
  return {
    ...head,
    events: events.map((r) => ({
      id: Number(r.id),
      fromStage: (r.from_stage as string | null) ?? null,
      toStage: String(r.to_stage),
      note: (r.note as string | null) ?? null,
      documentId: r.document_id == null ? null : Number(r.document_id),
      documentName: (r.file_name as string | null) ?? null,
      username: (r.username as string | null) ?? null,
      createdAt: new Date(r.created_at as string).toISOString(),
    })),
  };
}

async function enterpriseInScope(db: Db, scope: Scope, enterpriseId: number): Promise<boolean> {
  const [r] = await queryRows<{ id: number }>(
    db,
    sql`select enterprises.id from ${registryRows()} enterprises where enterprises.id = ${enterpriseId} and ${enterpriseScopeCondition(scope) ?? sql`true`}`,
  );
  return !!r;
}

/** Takes a candidate into the library's pipeline (入库培育). */
export async function createEntry(
  db: Db,
  user: AuthedUser,
  body: { enterpriseId: number; library: string; note?: string },
  actor: Actor,
): Promise<Entry> {
  const lib = await libraryByKey(body.library);
  if (!lib)
    throw badRequest(`Unknown library ${body.library}.`, `没有培育库 ${body.library}。`, [
      { field: 'library', message: 'unknown library', messageZh: '未知培育库' },
    ]);
  if (!(await enterpriseInScope(db, user.scope, body.enterpriseId))) throw notFound('enterprise');
  const year = await latestCompleteYear(db);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(cultivationEntries)
      .values({
        enterpriseId: body.enterpriseId,
        library: lib.key,
        stage: 'nurturing',
        ownerUserId: user.id,
        ownerName: user.displayName,
        year,
      })
      .onConflictDoNothing()
      .returning({ id: cultivationEntries.id });
    if (!row)
      throw new AppError(
        409,
        'already-in-pipeline',
        'This enterprise is already in the library’s pipeline.',
        '该企业已在此培育库的培育进程中。',
      );
    await tx.insert(cultivationEvents).values({
      entryId: row.id,
      enterpriseId: body.enterpriseId,
      fromStage: 'candidate',
      toStage: 'nurturing',
      note: body.note ?? null,
      userId: actor.id,
      username: actor.username,
    });
    await writeAudit(tx, actor, {
      action: 'cultivation.enter',
      entity: 'cultivation_entry',
      entityId: row.id,
      after: {
        enterpriseId: body.enterpriseId,
        library: lib.key,
        stage: 'nurturing',
        note: body.note ?? null,
      },
    });
    return row.id;
  });
  return getEntry(db, user, id);
}

/** Moves an entry one step (申报, 认定, 未通过, back to 培育), with evidence where the step needs it. */
export async function moveEntry(
  db: Db,
  user: AuthedUser,
  id: number,
  body: { to: Stage; note?: string; evidence?: DocumentFile },
  actor: Actor,
): Promise<Entry> {
  const before = await getEntry(db, user, id); // 404 outside the scope
  if (!canMove(before.stage, body.to))
    throw new AppError(
      409,
      'invalid-move',
      `An entry at stage ${before.stage} cannot move to ${body.to}.`,
      `当前阶段不能转到该阶段。`,
    );
  if (needsEvidence(body.to) && !body.evidence)
    throw badRequest('This step needs an evidence file.', '此步骤需上传佐证材料（申报材料或认定文件）。', [
      { field: 'evidence', message: 'required', messageZh: '必填' },
    ]);
  if (body.to === 'rejected' && !body.note)
    throw badRequest('Say why the application failed.', '请填写未通过的原因。', [
      { field: 'note', message: 'required', messageZh: '必填' },
    ]);
  const doc = body.evidence ? checkDocument(body.evidence) : null;
  const lib = await libraryByKey(before.library);
  await db.transaction(async (tx) => {
    // the stage in the WHERE: two officers moving the same entry at once cannot both succeed
    const moved = await tx
      .update(cultivationEntries)
      .set({ stage: body.to, updatedAt: new Date() })
      .where(and(eq(cultivationEntries.id, id), eq(cultivationEntries.stage, before.stage)))
      .returning({ id: cultivationEntries.id });
    if (moved.length === 0)
      throw new AppError(
        409,
        'stale',
        'The entry was changed meanwhile; reload.',
        '该记录已被他人修改，请刷新。',
      );
    let documentId: number | null = null;
    if (doc) {
      const [d] = await storeDocuments(tx, 'cultivation_entry', id, [doc], {
        enterpriseId: before.enterpriseId,
        userId: actor.id,
        userName: actor.username,
      });
      documentId = d!.id;
    }
    await tx.insert(cultivationEvents).values({
      entryId: id,
      enterpriseId: before.enterpriseId,
      fromStage: before.stage,
      toStage: body.to,
      note: body.note ?? null,
      documentId,
      userId: actor.id,
      username: actor.username,
    });
    if (body.to === 'recognised' && lib?.tier) {
      const year = new Date().getFullYear();
      await recordTiers(tx, [
        {
          enterpriseId: before.enterpriseId,
          tier: lib.tier,
          year,
          level: lib.level === 'city' ? 'city' : lib.level,
          source: `cultivation:${id}`,
        },
      ]);
      await runFactsChanged(tx, { kind: 'tiers', years: [year], enterpriseIds: [before.enterpriseId] });
    }
    await writeAudit(tx, actor, {
      action: `cultivation.${body.to}`,
      entity: 'cultivation_entry',
      entityId: id,
      before: { stage: before.stage },
      after: { stage: body.to, note: body.note ?? null, documentId, sha256: doc?.sha256 ?? null },
    });
  });
  return getEntry(db, user, id);
}

export async function getDocument(db: Db, user: AuthedUser, documentId: number) {
  const scopeCond = enterpriseScopeCondition(user.scope) ?? sql`true`;
  // the entry's firm must be in the caller's scope, in the same query (404 otherwise)
  const row = await visibleDocumentContent(
    db,
    'cultivation_entry',
    documentId,
    (ownerId) =>
      sql`exists (select 1 from cultivation_entries ce join ${registryRows()} enterprises on enterprises.id = ce.enterprise_id
                  where ce.id = ${ownerId} and ${scopeCond})`,
  );
  if (!row) throw notFound('document');
  return row;
}
