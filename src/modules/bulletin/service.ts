// The monthly bulletin's use cases: request one (on demand or after an import), list and read within the
// user's scope, edit the commentary of a draft, submit, return, publish (a second person: four eyes).
// Every change is audited in its transaction; generation itself runs in the background (jobs.ts).
import { and, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { bulletinFiles, bulletins } from '../../db/schema.ts';
import { can, rowVisible, scopeOf } from '../../domain/policy/index.ts';
import { monthsBetween } from '../../domain/periods.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { badRequest, conflict, forbidden, notFound } from '../../server/errors.ts';
import { assertAllowed, assertFourEyes } from '../../server/policy.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { monitoringMeta } from '../monitoring/index.ts';
import { kickBulletinJobs } from './jobs.ts';
import type { Bulletin, BulletinOptions, BulletinRequest } from './schemas.ts';

type Row = typeof bulletins.$inferSelect;
type Files = Map<number, { format: 'pdf' | 'xlsx'; bytes: number }[]>;

const stamp = (id: number | null, name: string | null, at: Date | null) => ({
  id,
  name,
  at: at?.toISOString() ?? null,
});

/** The row facts the policy's enterprise scope looks at: a county's bulletin is its county's, etc. */
const facts = (r: Pick<Row, 'scopeKind' | 'scopeCode'>) => ({
  enterpriseId: null,
  regionCode: r.scopeKind === 'county' ? r.scopeCode : null,
  clusterCodes: r.scopeKind === 'cluster' && r.scopeCode ? [r.scopeCode] : [],
});

/** The same scope in SQL, for lists: city roles all; a county its county's; a cluster agency its cluster's. */
function scopeCondition(user: AuthedUser): SQL | undefined {
  const s = scopeOf(user);
  if (s.kind === 'all') return undefined;
  if (s.kind === 'region')
    return and(eq(bulletins.scopeKind, 'county'), eq(bulletins.scopeCode, s.regionCode));
  if (s.kind === 'cluster')
    return and(eq(bulletins.scopeKind, 'cluster'), eq(bulletins.scopeCode, s.clusterCode));
  return sql`false`;
}

/** A generation that failed (the first one: status failed; a later one: the error kept) and is not queued. */
const retryable = (r: Pick<Row, 'job' | 'status' | 'error'>) =>
  !r.job && (r.status === 'failed' || r.error !== null);

function actionsOf(r: Row, user: AuthedUser): Bulletin['actions'] {
  const out: Bulletin['actions'] = [];
  if (r.status === 'draft' && can(user, 'bulletin.report', 'update')) out.push('editCommentary');
  if (r.status === 'draft' && can(user, 'bulletin.report', 'submit')) out.push('submit');
  if (r.status === 'submitted' && can(user, 'bulletin.report', 'update')) out.push('return');
  if (r.status === 'submitted' && can(user, 'bulletin.report', 'publish') && r.submittedBy !== user.id)
    out.push('publish');
  if (retryable(r) && can(user, 'bulletin.report', 'create')) out.push('retry');
  return out;
}

function toBulletin(r: Row, files: Files, user: AuthedUser): Bulletin {
  return {
    id: r.id,
    month: r.month,
    scopeKind: r.scopeKind as Bulletin['scopeKind'],
    scopeCode: r.scopeCode,
    scopeName: r.scopeName,
    status: r.status as Bulletin['status'],
    job: (r.job as Bulletin['job']) ?? null,
    progress: r.progress,
    stage: r.stage,
    error: r.error,
    trigger: r.trigger as Bulletin['trigger'],
    commentary: r.commentary,
    demoData: r.demoData,
    generatedAt: r.generatedAt?.toISOString() ?? null,
    generationMs: r.generationMs,
    timings: (r.timings as Record<string, number> | null) ?? null,
    files: files.get(r.id) ?? [],
    created: stamp(r.createdBy, r.createdByName, r.createdAt),
    submitted: stamp(r.submittedBy, r.submittedByName, r.submittedAt),
    published: stamp(r.publishedBy, r.publishedByName, r.publishedAt),
    actions: actionsOf(r, user),
  };
}

async function filesOfRows(db: Db, ids: number[]): Promise<Files> {
  const out: Files = new Map();
  if (!ids.length) return out;
  const rows = await db
    .select({ id: bulletinFiles.bulletinId, format: bulletinFiles.format, bytes: bulletinFiles.bytes })
    .from(bulletinFiles)
    .where(inArray(bulletinFiles.bulletinId, ids));
  for (const f of rows) {
    const list = out.get(f.id) ?? [];
    list.push({ format: f.format as 'pdf' | 'xlsx', bytes: f.bytes });
    out.set(f.id, list);
  }
  return out;
}

/**
 * Bulletins awaiting this user's publication (the home page's to-dos): submitted, within the user's
 * bulletins, not submitted by the user (four eyes, as publishBulletin checks). 0 without the grant.
 */
export async function bulletinsAwaitingPublicationCount(db: Db, user: AuthedUser): Promise<number> {
  if (!can(user, 'bulletin.report', 'publish')) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(bulletins)
    .where(
      and(
        scopeCondition(user),
        eq(bulletins.status, 'submitted'),
        sql`${bulletins.submittedBy} is distinct from ${user.id}`,
      ),
    );
  return Number(row?.n ?? 0);
}

export async function listBulletins(
  db: Db,
  user: AuthedUser,
  q: { month?: string; scopeKind?: string },
): Promise<Bulletin[]> {
  const rows = await db
    .select()
    .from(bulletins)
    .where(
      and(
        scopeCondition(user),
        q.month ? eq(bulletins.month, q.month) : undefined,
        q.scopeKind ? eq(bulletins.scopeKind, q.scopeKind) : undefined,
      ),
    )
    .orderBy(desc(bulletins.month), desc(bulletins.id))
    .limit(500);
  const files = await filesOfRows(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toBulletin(r, files, user));
}

/** The row, or 404 when it does not exist or lies outside the user's scope (revealing nothing). */
export async function visibleRow(db: Db, user: AuthedUser, id: number): Promise<Row> {
  const [r] = await db.select().from(bulletins).where(eq(bulletins.id, id));
  if (!r || !rowVisible(user, 'bulletin.report', facts(r))) throw notFound('bulletin');
  return r;
}

export async function getBulletin(db: Db, user: AuthedUser, id: number): Promise<Bulletin> {
  const r = await visibleRow(db, user, id);
  return toBulletin(r, await filesOfRows(db, [r.id]), user);
}

/** The months on record and the scopes the user may generate. */
export async function bulletinOptions(db: Db, user: AuthedUser): Promise<BulletinOptions> {
  const meta = await monitoringMeta(db);
  const months =
    meta.firstMonth && meta.latestMonth ? monthsBetween(meta.firstMonth, meta.latestMonth).reverse() : [];
  const all = [
    { kind: 'city' as const, code: null, name: '全市' },
    ...meta.counties.map((c) => ({ kind: 'county' as const, code: c.code, name: c.name })),
    ...meta.clusters.map((c) => ({ kind: 'cluster' as const, code: c.code, name: c.name })),
  ];
  const scopes = all.filter((s) =>
    rowVisible(user, 'bulletin.report', facts({ scopeKind: s.kind, scopeCode: s.code })),
  );
  return { latestMonth: meta.latestMonth, months, scopes };
}

/** Queues a bulletin for generation; the job fills it in the background. */
export async function requestBulletin(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  body: BulletinRequest,
): Promise<Bulletin> {
  assertAllowed(user, 'bulletin.report', 'create');
  const options = await bulletinOptions(db, user);
  const code = body.scopeKind === 'city' ? null : (body.scopeCode ?? null);
  const meta = await monitoringMeta(db);
  const known =
    body.scopeKind === 'city' ||
    (body.scopeKind === 'county' && meta.counties.some((c) => c.code === code)) ||
    (body.scopeKind === 'cluster' && meta.clusters.some((c) => c.code === code));
  if (!known)
    throw badRequest(`Unknown ${body.scopeKind}: ${code}.`, `未知的范围：${code ?? '（空）'}。`, [
      { field: 'scopeCode', message: 'unknown', messageZh: '不存在' },
    ]);
  const scope = options.scopes.find((s) => s.kind === body.scopeKind && s.code === code);
  if (!scope) throw forbidden('Forbidden: outside your scope.', '无权限：只能生成本辖区（本集群）的月报。');
  if (!options.months.includes(body.month))
    throw badRequest(`No monitoring data for ${body.month}.`, `${body.month} 尚无监测数据。`, [
      { field: 'month', message: 'no data', messageZh: '无数据' },
    ]);
  const created = await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const row = await insertQueued(tx, actor, {
      month: body.month,
      kind: body.scopeKind,
      code,
      name: scope.name,
    });
    return row;
  });
  kickBulletinJobs(db);
  return toBulletin(created, new Map(), user);
}

/** Inserts a queued bulletin and its audit row (the request, and the automatic run after an import). */
export async function insertQueued(
  tx: Db,
  actor: Actor,
  b: {
    month: string;
    kind: string;
    code: string | null;
    name: string;
    trigger?: 'auto' | 'manual';
    importId?: number | null;
  },
): Promise<Row> {
  const [row] = await tx
    .insert(bulletins)
    .values({
      month: b.month,
      scopeKind: b.kind,
      scopeCode: b.code,
      scopeName: b.name,
      status: 'pending',
      job: 'queued',
      trigger: b.trigger ?? 'manual',
      importId: b.importId ?? null,
      createdBy: actor.id,
      createdByName: actor.username,
    })
    .returning();
  await writeAudit(tx, actor, {
    action: 'bulletin.request',
    entity: 'bulletin',
    entityId: row!.id,
    after: { month: b.month, scopeKind: b.kind, scopeCode: b.code, trigger: b.trigger ?? 'manual' },
  });
  return row!;
}

/**
 * Moves a bulletin, the UPDATE naming the status it moves from (two people acting at once cannot both
 * win); `files` queues the files to be rendered again (the commentary or the 草稿 mark changed).
 */
async function move(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  id: number,
  action: string,
  from: string,
  set: Partial<typeof bulletins.$inferInsert>,
  audit: { before?: object; after?: object } = {},
): Promise<Bulletin> {
  const r = await visibleRow(db, user, id);
  if (r.status !== from)
    throw conflict(`Bulletin ${id} is ${r.status}.`, `该月报当前状态（${r.status}）不允许此操作。`);
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const moved = await tx
      .update(bulletins)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(bulletins.id, id), eq(bulletins.status, from)))
      .returning({ id: bulletins.id });
    if (!moved.length)
      throw conflict('The bulletin changed meanwhile; reload it.', '该月报已被他人处理，请刷新。');
    await writeAudit(tx, actor, {
      action: `bulletin.${action}`,
      entity: 'bulletin',
      entityId: id,
      before: { status: r.status, ...audit.before },
      after: { status: set.status ?? r.status, ...audit.after },
    });
  });
  if (set.job === 'queued') kickBulletinJobs(db);
  return getBulletin(db, user, id);
}

export async function editCommentary(db: Db, user: AuthedUser, actor: Actor, id: number, commentary: string) {
  assertAllowed(user, 'bulletin.report', 'update');
  const r = await visibleRow(db, user, id);
  return move(
    db,
    user,
    actor,
    id,
    'commentary',
    'draft',
    { commentary, job: 'queued', progress: 0, stage: 'queued' },
    { before: { commentary: r.commentary }, after: { commentary } },
  );
}

export async function submitBulletin(db: Db, user: AuthedUser, actor: Actor, id: number) {
  assertAllowed(user, 'bulletin.report', 'submit');
  const r = await visibleRow(db, user, id);
  if (r.job) throw conflict('The bulletin is being generated.', '月报正在生成，请稍候再提交。');
  return move(db, user, actor, id, 'submit', 'draft', {
    status: 'submitted',
    submittedBy: user.id,
    submittedByName: actor.username,
    submittedAt: new Date(),
  });
}

export async function returnBulletin(db: Db, user: AuthedUser, actor: Actor, id: number, note?: string) {
  assertAllowed(user, 'bulletin.report', 'update');
  return move(
    db,
    user,
    actor,
    id,
    'return',
    'submitted',
    { status: 'draft', submittedBy: null, submittedByName: null, submittedAt: null },
    { after: { note: note ?? null } },
  );
}

/** Publishing: a second person (four eyes); the files are printed again without the 草稿 mark. */
export async function publishBulletin(db: Db, user: AuthedUser, actor: Actor, id: number) {
  assertAllowed(user, 'bulletin.report', 'publish');
  const r = await visibleRow(db, user, id);
  assertFourEyes(user, r.submittedBy);
  return move(db, user, actor, id, 'publish', 'submitted', {
    status: 'published',
    publishedBy: user.id,
    publishedByName: actor.username,
    publishedAt: new Date(),
    job: 'queued',
    progress: 0,
    stage: 'queued',
  });
}

/**
 * Generates a failed bulletin again (whoever may generate it): the job is queued anew with the error
 * cleared; the audit row keeps the error it replaces. The UPDATE repeats the condition, so two people
 * pressing at once queue it once.
 */
export async function retryBulletin(db: Db, user: AuthedUser, actor: Actor, id: number) {
  assertAllowed(user, 'bulletin.report', 'create');
  const r = await visibleRow(db, user, id);
  if (!retryable(r))
    throw conflict(
      `Bulletin ${id} has no failed generation to retry.`,
      r.job ? '月报正在生成，无需重试。' : '该月报没有失败的生成，无需重试。',
    );
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const moved = await tx
      .update(bulletins)
      .set({ job: 'queued', progress: 0, stage: 'queued', error: null, updatedAt: new Date() })
      .where(
        and(
          eq(bulletins.id, id),
          isNull(bulletins.job),
          or(eq(bulletins.status, 'failed'), isNotNull(bulletins.error)),
        ),
      )
      .returning({ id: bulletins.id });
    if (!moved.length)
      throw conflict('The bulletin changed meanwhile; reload it.', '该月报已被他人处理，请刷新。');
    await writeAudit(tx, actor, {
      action: 'bulletin.retry',
      entity: 'bulletin',
      entityId: id,
      before: { status: r.status, error: r.error, stage: r.stage },
      after: { job: 'queued' },
    });
  });
  kickBulletinJobs(db);
  return getBulletin(db, user, id);
}

/** A generated file, within scope (404 otherwise, or when not generated yet). */
export async function bulletinFile(db: Db, user: AuthedUser, id: number, format: 'pdf' | 'xlsx') {
  const r = await visibleRow(db, user, id);
  const [f] = await db
    .select()
    .from(bulletinFiles)
    .where(and(eq(bulletinFiles.bulletinId, id), eq(bulletinFiles.format, format)));
  if (!f) throw notFound('bulletin file');
  return { row: r, content: f.content };
}
