// Imports: upload → preview (a dry run in the background) → commit (one transaction: all or
// nothing, audited, hooks of other capabilities inside) → history, problem report, rollback.
import { assertAllowed } from '../../server/policy.ts';
import { scopeCondition } from '../../server/scope.ts';
import { rowVisible } from '../../domain/policy/index.ts';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { and, asc, count, desc, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.ts';
import { importIssues, imports } from '../../db/schema.ts';
import { committedImportOf } from './duplicates.ts';
import { isImportKind, KINDS, templateHeader, type ImportKind } from '../../domain/imports/columns.ts';
import { failureText, storableText, type ImportProblem } from '../../domain/imports/problems.ts';
import type { Cell } from '../../domain/imports/cells.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../server/errors.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { publishSteps, runFactsChanged, StepClock, type FactsChange } from './hooks.ts';
import { jobOf, keepView, liveJob, startJob, viewOf, type JobControl } from './jobs.ts';
import { recoverInterruptedJobs } from './recovery.ts';
import { releaseUpload, uploadExists, uploadName, uploadsDir } from './uploads.ts';
import { cellKey, RESOLVE_CHUNK_ROWS, runPass, type PassResult } from './pipeline.ts';
import type { ReferenceLookup } from '../../domain/imports/rows.ts';
import { lockFacts } from './fact-locks.ts';
import { EnterpriseCodes } from './enterprise-codes.ts';
import { settings } from '../../settings.ts';
import {
  dependentImports,
  ExistingRows,
  FactWriter,
  laterImports,
  lineage,
  loadReferenceLookup,
  rollbackFacts,
  withTransaction,
  type WriteCounts,
} from './repo.ts';
import type { ImportDetail, ImportListQuery, ImportRecord } from './schemas.ts';

export {
  factsChangedHooks,
  onCommitSteps,
  onFactsChanged,
  runFactsChanged,
  type FactsChange,
  type FactsChangedHook,
} from './hooks.ts';
export { waitForJobs } from './jobs.ts';

/** Who imports: an administrator or the CLI (any county), or a county officer (their county only). */
export interface Importer {
  id: number | null;
  username: string;
  regionCode: string | null;
}

export function importerOf(user: AuthedUser): Importer {
  assertAllowed(user, 'imports.import', 'import');
  // an importer limited to a county imports its county's firms only (the policy's `region` scope)
  if (user.scope.kind === 'all') return { id: user.id, username: user.username, regionCode: null };
  if (user.scope.kind === 'region')
    return { id: user.id, username: user.username, regionCode: user.scope.regionCode };
  throw forbidden('Your account has no county to import for.', '您的账号未设置所属区县，不能导入数据。');
}

/**
 * Who may read the import history (imports and batches): everyone who may import, and city analysts
 * (read only) — the policy's `imports.import` row rule: a county officer its county's imports. An
 * import by a city role has no county and spans counties, so it is not a city-wide row here.
 */
export function historyVisible(user: AuthedUser, regionCode: string | null): boolean {
  assertAllowed(user, 'imports.import', 'read');
  return rowVisible(user, 'imports.import', { regionCode, cityWide: false });
}

/** historyVisible as SQL over a table's county column, for lists (src/server/scope.ts). */
export function historyScope(user: AuthedUser, regionCode: SQLWrapper): SQL | undefined {
  assertAllowed(user, 'imports.import', 'read');
  return scopeCondition(user.scope, 'imports.import', { regionCode, cityWide: false });
}

export { uploadsDir };

/**
 * Read in 1 MiB chunks, not the stream's default 64 KiB: each chunk is a trip through the stream and the
 * async iterator, and a province's monthly file (80 MB) is 1,230 of them — 60–150 ms of CPU before the
 * commit (issue 13), against 60–85 ms for the whole hash in 1 MiB chunks.
 */
const HASH_CHUNK_BYTES = 1 << 20;

export async function sha256OfFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: HASH_CHUNK_BYTES }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** What an upload route allows, named in the refusal of an upload beyond it. */
export interface UploadLimits {
  /** files in one request */
  files?: number;
  /** bytes of one file */
  fileBytes?: number;
}

/**
 * An error met while reading a multipart upload, as its answer: ours as they are; the multipart plugin's
 * limits (too many files, a file too large, too many fields) a 413 naming the limit, Chinese first (its
 * own message, "reach files limit", is English only); a malformed or cut-off body (no boundary, a part
 * ended early, the connection closed) a 400 rather than a 500 with a stack in the log.
 */
export function brokenUpload(error: unknown, limits: UploadLimits = {}): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_FILES_LIMIT')
    return new AppError(
      413,
      'too-many-files',
      `Too many files: at most ${limits.files ?? 1} per upload; send the rest in another upload.`,
      `文件过多：一次最多上传 ${limits.files ?? 1} 个文件，其余文件请另行上传。`,
    );
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    const mb = limits.fileBytes ? Math.round(limits.fileBytes / 1024 / 1024) : null;
    return new AppError(
      413,
      'too-large',
      mb ? `A file is larger than ${mb} MB.` : 'A file is too large.',
      mb ? `有文件超过 ${mb} MB。` : '文件过大。',
    );
  }
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
    return new AppError(
      413,
      'too-many-parts',
      'The upload has too many form fields.',
      '上传内容的表单字段过多。',
    );
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status < 500) return error;
  return badRequest(
    `The upload is incomplete or malformed (${(error as Error).message}); send the file again.`,
    `上传内容不完整或格式有误（${(error as Error).message}），请重新上传文件。`,
  );
}

/** Saves an upload stream into the uploads folder under its sha256; returns where and what it is. */
export async function saveUpload(
  stream: Readable,
  fileName: string,
): Promise<{ path: string; storedAs: string; sha256: string; size: number }> {
  // a body that ended before its file did (no closing boundary) has had its file stream destroyed by the
  // multipart plugin before it is handed here: a pipeline from it would wait for ever
  if (stream.destroyed)
    throw badRequest(
      'The upload ended before its file did; send the file again.',
      '上传内容在文件传完之前就结束了，请重新上传文件。',
    );
  const dir = uploadsDir();
  const tmp = path.join(dir, `.upload-${crypto.randomBytes(8).toString('hex')}`);
  const hash = crypto.createHash('sha256');
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  try {
    await pipeline(stream, fs.createWriteStream(tmp));
  } catch (error) {
    // a connection dropped or a body cut off mid-file: its half-written part goes now (not at a sweep)
    await fs.promises.rm(tmp, { force: true });
    throw brokenUpload(error);
  }
  const sha256 = hash.digest('hex');
  // one file per upload (never shared by two imports), so it can be removed with its import
  const storedAs = uploadName(sha256, fileName);
  const dest = path.join(dir, storedAs);
  fs.renameSync(tmp, dest);
  return { path: dest, storedAs, sha256, size };
}

// ---------------------------------------------------------------------------------------------
// The passes
// ---------------------------------------------------------------------------------------------

export interface FileRef {
  kind: ImportKind;
  path: string;
  fileName: string;
}

/** Reads and checks the whole file without writing anything. */
export async function analyseFile(
  database: Database,
  f: FileRef,
  importer: Importer,
  control?: JobControl,
): Promise<PassResult> {
  const ref = await loadReferenceLookup(database.db);
  const codes = new EnterpriseCodes(database.db, { keep: f.kind !== 'enterprises' });
  return runPass({
    kind: f.kind,
    path: f.path,
    fileName: f.fileName,
    ref,
    enterprise: (u) => codes.get(u),
    resolve: (c) => codes.resolve(c),
    scopeRegion: importer.regionCode,
    onProgress: control ? (p) => control.progress(p) : undefined,
  });
}

export type CommitOutcome =
  | { status: 'committed'; pass: PassResult; write: WriteCounts }
  | { status: 'refused'; pass: PassResult }
  | { status: 'duplicate'; duplicateOf: number };

/** Thrown inside a commit's transaction when a file has errors: the transaction rolls back. */
export class ImportRefused extends Error {
  constructor(readonly pass: PassResult) {
    super('refused');
  }
}

export type CommittedFile = Exclude<CommitOutcome, { status: 'refused' }>;

/**
 * Reads, checks and writes the file in ONE transaction: a problem anywhere rolls everything back.
 * Monthly and annual rows of periods not on record are COPied straight into the fact table; when
 * some already exist, the pass runs again through a staging table and replaced values go to history.
 */
export async function commitFile(
  database: Database,
  importId: number,
  f: FileRef,
  importer: Importer,
  actor: Actor,
  control?: JobControl,
): Promise<CommitOutcome> {
  const ref = await loadReferenceLookup(database.db);
  try {
    return await withTransaction(database, (tx) =>
      commitFileIn(database, tx, importId, f, importer, actor, ref, control, registryReader(database)),
    );
  } catch (error) {
    if (error instanceof ImportRefused) return { status: 'refused', pass: error.pass };
    if (isCommittedShaConflict(error)) {
      // the other commit of the same bytes won the race: name it (not any committed import of the kind)
      const [rec] = await database.db
        .select({ sha256: imports.sha256 })
        .from(imports)
        .where(eq(imports.id, importId));
      const dup = rec ? await committedImportOf(database.db, f.kind, rec.sha256) : null;
      return { status: 'duplicate', duplicateOf: dup ?? 0 };
    }
    throw error;
  }
}

/**
 * Where a single import on PostgreSQL looks its rows' firms up: another connection of the pool, beside
 * the COPY on the import's own (whose every lookup would otherwise end the COPY first — at province
 * scale, 200 pauses of a million-row file sorted by firm cost more than the whole registry did). Safe
 * because it answers what the import's transaction would: that transaction (READ COMMITTED) sees the
 * rows committed before each statement plus its own writes, and a single import has written nothing to
 * the registry before its rows are read; registry imports and rollbacks wait for it (lockFacts holds
 * the registry's lock), and the fact table's foreign key still checks every row's firm as it is
 * written. A plain select never waits for the import's locks (it takes none on `enterprises` that
 * conflict). Not in a batch (its registry file's firms are not committed yet), not on PGlite (one
 * connection), not with a pool of one. Null: look up on the transaction.
 */
function registryReader(database: Database): Db | undefined {
  return database.kind === 'postgres' && settings().DATABASE_POOL_SIZE >= 2 ? database.db : undefined;
}

/** Another commit of the same file won the race (the unique index of committed files). */
export function isCommittedShaConflict(error: unknown): boolean {
  return (
    (error as { code?: string }).code === '23505' &&
    String((error as Error).message).includes('imports_committed_sha_idx')
  );
}

/**
 * Commits one file inside the caller's transaction (a single import, or one file of an import batch
 * after the files before it): throws ImportRefused when the file has an error, so the caller's whole
 * transaction rolls back. A file committed before answers `duplicate` and writes nothing.
 */
export async function commitFileIn(
  database: Database,
  tx: Db,
  importId: number,
  f: FileRef,
  importer: Importer,
  actor: Actor,
  ref: ReferenceLookup,
  control?: JobControl,
  /** a connection that sees the registry as this transaction does (see registryReader); default the transaction */
  reader?: Db,
): Promise<CommittedFile> {
  // before reading anything: what this commit replaces must be what the previous commit left
  await lockFacts(tx, [f.kind]);
  const clock = new StepClock();
  const [rec] = await tx.select().from(imports).where(eq(imports.id, importId));
  const dup = await committedImportOf(tx, f.kind, rec!.sha256);
  if (dup != null) return { status: 'duplicate', duplicateOf: dup } as const;
  // The rows' enterprises, looked up chunk by chunk, kept for both passes; no registry import or rollback
  // can change the registry meanwhile (lockFacts holds the registry's lock). On this transaction (in a
  // batch it sees the enterprises the batch's registry file has just created) a lookup is one more
  // statement on the import's one connection, so a COPY in progress is ended first (the next good row
  // opens another); a single import on PostgreSQL asks another connection instead (registryReader).
  const codes = new EnterpriseCodes(reader ?? tx, { keep: f.kind !== 'enterprises' });

  /** One pass over the file, its good rows streamed into a COPY; a refused file writes nothing. */
  const pass = async (mode: 'direct' | 'staging') => {
    const out: { writer: FactWriter | null } = { writer: null };
    try {
      const result = await runPass({
        kind: f.kind,
        path: f.path,
        fileName: f.fileName,
        ref,
        enterprise: (u) => codes.get(u),
        resolve: (c) => codes.resolve(c, reader ? undefined : async () => out.writer?.pause()),
        // a lookup that ends the COPY is made for many rows at once; another connection's, batch by batch
        resolveRows: reader ? undefined : RESOLVE_CHUNK_ROWS,
        afterChunk: () => out.writer?.flush(),
        scopeRegion: importer.regionCode,
        onProgress: control ? (p) => control.progress(p) : undefined,
        sink: (row) => {
          if (out.writer) return out.writer.add(row);
          // the header is known once the first good row arrives
          const w = new FactWriter(database, tx, f.kind, Object.keys(row.values), importId, mode);
          out.writer = w;
          return w.begin().then(() => w.add(row));
        },
      });
      if (result.counts.error > 0) throw new ImportRefused(result);
      clock.lap(`read, check and COPY (${mode})`);
      const write = out.writer ? await out.writer.finish() : { inserted: 0, replaced: 0, unchanged: 0 };
      clock.lap(mode === 'staging' ? 'merge from staging' : 'end COPY');
      return { result, write, wrote: out.writer !== null, staged: out.writer?.mode === 'staging' };
    } catch (error) {
      // the COPY must end before anything else runs on the transaction's connection
      if (error instanceof ExistingRows && out.writer) await out.writer.abandon();
      else await out.writer?.abort().catch(() => undefined);
      throw error;
    }
  };
  const fast = f.kind === 'monthly' || f.kind === 'annual';
  let run: Awaited<ReturnType<typeof pass>>;
  try {
    run = await pass(fast ? 'direct' : 'staging');
  } catch (error) {
    if (!(error instanceof ExistingRows)) throw error;
    // some rows are on record already: read the file again through the staging table
    run = await pass('staging');
  }
  const write = run.write;
  const r = run.result;
  // Many new rows: fresh planner statistics for the hooks' queries inside this transaction (rows the
  // planner has never seen are estimated at a handful, and bulk joins over them turn into nested loops).
  if (write.inserted + write.replaced >= ANALYZE_AFTER_ROWS) {
    await tx.execute(sql.raw(`analyze ${FACT_TABLES[f.kind]}`));
    clock.lap('analyze');
  }
  const counts = countsOf(r, write);
  await tx
    .update(imports)
    .set({ status: 'committed', committedAt: new Date(), finishedAt: new Date(), counts })
    .where(eq(imports.id, importId));
  await replaceIssues(tx, importId, r);
  const change: FactsChange = {
    kind: f.kind,
    importId,
    action: 'commit',
    months: [...r.months].sort(),
    years: [...r.years].sort(),
    enterpriseIds: [...r.enterpriseIds],
  };
  // a registry file: the enterprises it created or changed (unchanged rows need no refresh)
  if (f.kind === 'enterprises') change.enterpriseIds = write.touched ?? [];
  // the staging table lives until the transaction ends: the next file of a batch makes its own
  if (run.staged) await tx.execute(sql`drop table if exists import_stage`);
  clock.lap('record import and problems');
  await runFactsChanged(tx, change, clock);
  await writeAudit(tx, actor, {
    action: 'import.commit',
    entity: 'import',
    entityId: importId,
    after: {
      kind: f.kind,
      fileName: f.fileName,
      sha256: rec!.sha256,
      inserted: write.inserted,
      replaced: write.replaced,
      unchanged: write.unchanged,
      rows: r.counts.rows,
    },
  });
  clock.lap('audit');
  publishSteps(importId, clock);
  return { status: 'committed', pass: r, write } as const;
}

/** Rows written by one file past which its table is analysed inside the import's transaction. */
const ANALYZE_AFTER_ROWS = 20_000;
const FACT_TABLES: Record<ImportKind, string> = {
  enterprises: 'enterprises',
  monthly: 'monthly_stats',
  annual: 'annual_inputs',
  tiers: 'enterprise_tiers',
  flags: 'evaluation_flags',
};

export function countsOf(r: PassResult, write?: WriteCounts): Record<string, unknown> {
  return {
    ...r.counts,
    ...(write ? { inserted: write.inserted, replaced: write.replaced, unchanged: write.unchanged } : {}),
    months: [...r.months].sort(),
    years: [...r.years].sort(),
    headers: r.headers,
  };
}

/** A problem row's cells as jsonb can hold them (no NUL: "\u0000" is refused by jsonb). */
function storableCells(cells: readonly Cell[] | undefined): readonly Cell[] | null {
  if (!cells) return null;
  return cells.some((c) => typeof c === 'string' && c.includes('\u0000'))
    ? cells.map((c) => (typeof c === 'string' ? storableText(c) : c))
    : cells;
}

/** Stores the kept problems with the cells of their rows (errors first), replacing earlier ones. */
export async function replaceIssues(db: Db, importId: number, r: PassResult): Promise<void> {
  await db.delete(importIssues).where(eq(importIssues.importId, importId));
  const order = { error: 0, warning: 1, notice: 2 } as const;
  const list = [...r.problems].sort((a, b) => order[a.severity] - order[b.severity]);
  for (let i = 0; i < list.length; i += 500) {
    await db.insert(importIssues).values(
      list.slice(i, i + 500).map((p) => ({
        importId,
        severity: p.severity,
        file: p.file,
        sheet: p.sheet,
        row: p.row,
        column: p.column,
        columnIndex: p.columnIndex ?? null,
        headerRow: p.headerRow ?? null,
        value: p.value,
        code: p.code,
        messageZh: p.zh,
        messageEn: p.en,
        cells: storableCells(
          p.row !== null ? r.problemCells.get(cellKey(p.sheet, p.row)) : undefined,
        ) as never,
      })),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Upload, preview, commit (web)
// ---------------------------------------------------------------------------------------------

export interface UploadedFile {
  path: string;
  storedAs: string;
  fileName: string;
  sha256: string;
  size: number;
}

/** Records an upload and starts its preview in the background; a file committed before changes nothing. */
export async function startUpload(
  database: Database,
  user: AuthedUser,
  kind: string,
  file: UploadedFile,
  actor: Actor,
): Promise<ImportDetail> {
  if (!isImportKind(kind)) {
    throw badRequest(
      `Unknown import kind "${kind}" (enterprises, monthly, annual, tiers, flags).`,
      `未知的导入类型“${kind}”。`,
    );
  }
  const importer = importerOf(user);
  const dup = await committedImportOf(database.db, kind, file.sha256);
  if (dup != null) {
    const detail = await getImport(database.db, user, dup).catch(() => null);
    if (detail) return { ...detail, duplicateOf: dup };
    throw conflict(
      `This file was imported before (import ${dup}); nothing was changed.`,
      `该文件已导入过（第 ${dup} 号导入），未作任何更改。`,
    );
  }
  const id = await database.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(imports)
      .values({
        kind,
        fileName: file.fileName,
        sha256: file.sha256,
        fileSize: file.size,
        storedAs: file.storedAs,
        userId: importer.id,
        username: importer.username,
        regionCode: importer.regionCode,
        status: 'previewing',
      })
      .returning({ id: imports.id });
    await writeAudit(tx as unknown as Db, actor, {
      action: 'import.upload',
      entity: 'import',
      entityId: row!.id,
      after: { kind, fileName: file.fileName, sha256: file.sha256, size: file.size },
    });
    return row!.id;
  });
  await startPreview(database, id, { kind, path: file.path, fileName: file.fileName }, file.size, importer);
  return getImport(database.db, user, id);
}

/** Runs the preview of a recorded import in the background (after an upload, or again after an interruption). */
export async function startPreview(
  database: Database,
  id: number,
  f: FileRef,
  size: number,
  importer: Importer,
): Promise<void> {
  await startJob(database.db, id, 'preview', size, async (control) => {
    try {
      const r = await analyseFile(database, f, importer, control);
      await database.db.transaction(async (tx) => {
        await replaceIssues(tx as unknown as Db, id, r);
        await tx
          .update(imports)
          .set({
            status: r.counts.error > 0 ? 'refused' : 'previewed',
            finishedAt: new Date(),
            error: null,
            counts: countsOf(r),
          })
          .where(eq(imports.id, id));
      });
    } catch (error) {
      await markImportFailed(database.db, id, error);
      throw error;
    }
  });
}

/** An import whose job failed: its status and the failure as it can be stored (failureText). */
export async function markImportFailed(db: Db, id: number, error: unknown): Promise<void> {
  await db
    .update(imports)
    .set({ status: 'failed', error: failureText(error), finishedAt: new Date() })
    .where(eq(imports.id, id));
}

export async function loadOwnImport(db: Db, user: AuthedUser, id: number) {
  const [rec] = await db.select().from(imports).where(eq(imports.id, id));
  if (!historyVisible(user, rec?.regionCode ?? null) || !rec) throw notFound('import');
  return rec;
}

/** Commits a previewed import in the background: the preview must have found no errors. */
export async function startCommit(
  database: Database,
  user: AuthedUser,
  id: number,
  actor: Actor,
): Promise<ImportDetail> {
  const importer = importerOf(user);
  const rec = await loadOwnImport(database.db, user, id);
  if (rec.batchId !== null) {
    throw conflict(
      `Import ${id} belongs to import batch ${rec.batchId}: commit the batch.`,
      `第 ${id} 号导入属于第 ${rec.batchId} 批导入，请提交整个批次。`,
    );
  }
  if (rec.status !== 'previewed') {
    throw conflict(
      `Import ${id} is ${rec.status}; only a previewed import without errors can be committed.`,
      `第 ${id} 号导入状态为 ${rec.status}，只有预览无错误的导入才能提交。`,
    );
  }
  const file = path.join(uploadsDir(), rec.storedAs ?? '');
  if (!rec.storedAs || !fs.existsSync(file)) {
    throw new AppError(
      410,
      'gone',
      'The uploaded file is no longer on the server; upload it again.',
      '服务器上已没有该上传文件，请重新上传。',
    );
  }
  const moved = await database.db
    .update(imports)
    .set({ status: 'committing' })
    .where(and(eq(imports.id, id), eq(imports.status, 'previewed')))
    .returning({ id: imports.id });
  if (moved.length === 0)
    throw conflict(`Import ${id} is being committed already.`, `第 ${id} 号导入已在提交中。`);
  const kind = rec.kind as ImportKind;
  // read before the commit takes the database: polls are answered from it while the job runs
  const view = await readImport(database.db, user, id);
  await startJob(database.db, id, 'commit', rec.fileSize ?? 0, async (control) => {
    try {
      const outcome = await commitFile(
        database,
        id,
        { kind, path: file, fileName: rec.fileName },
        importer,
        actor,
        control,
      );
      await afterCommit(database, id, outcome, actor);
      // nothing needs the upload after a commit (rollback and the report work from the database)
      if (outcome.status === 'committed') await releaseUpload(database.db, id).catch(() => false);
    } catch (error) {
      await markImportFailed(database.db, id, error);
      throw error;
    }
  });
  keepView(importViewKey(id), id, view);
  return liveImport(user, id) ?? getImport(database.db, user, id);
}

export const importViewKey = (id: number) => `import:${id}`;

/**
 * An import whose commit runs in this process, answered without the database (which the commit's
 * transaction holds): the read kept when the job started, with the live progress. Scoped as
 * loadOwnImport is. Null when no such job runs here.
 */
export function liveImport(user: AuthedUser, id: number): ImportDetail | null {
  const view = viewOf<ImportDetail>(importViewKey(id));
  const job = liveJob(id);
  if (!view || !job) return null;
  if (!historyVisible(user, view.regionCode)) throw notFound('import');
  return { ...view, job };
}

/** Records a refused or duplicate outcome (a committed one is recorded inside its transaction). */
export async function afterCommit(
  database: Database,
  id: number,
  outcome: CommitOutcome,
  actor: Actor,
): Promise<void> {
  if (outcome.status === 'committed') return;
  await database.db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    if (outcome.status === 'refused') {
      await replaceIssues(t, id, outcome.pass);
      await t
        .update(imports)
        .set({ status: 'refused', finishedAt: new Date(), counts: countsOf(outcome.pass) })
        .where(eq(imports.id, id));
      await writeAudit(t, actor, {
        action: 'import.refused',
        entity: 'import',
        entityId: id,
        after: outcome.pass.counts,
      });
    } else {
      await t
        .update(imports)
        .set({
          status: 'refused',
          finishedAt: new Date(),
          error: `duplicate of import ${outcome.duplicateOf}`,
        })
        .where(eq(imports.id, id));
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Rollback
// ---------------------------------------------------------------------------------------------

export async function rollbackImport(
  database: Database,
  user: AuthedUser,
  id: number,
  actor: Actor,
): Promise<ImportDetail> {
  assertAllowed(user, 'imports.import', 'rollback');
  await rollbackById(database, id, actor);
  return getImport(database.db, user, id);
}

/** Puts back what an import replaced and removes what it added; later imports must be rolled back first. */
export async function rollbackById(database: Database, id: number, actor: Actor): Promise<void> {
  await withTransaction(database, (tx) => rollbackIn(tx, id, actor));
}

/** rollbackById inside the caller's transaction (a batch rolls back its files newest first in one). */
export async function rollbackIn(tx: Db, id: number, actor: Actor): Promise<void> {
  // all kinds: a registry rollback removes firms other kinds' facts stand on
  await lockFacts(tx, 'all');
  const [rec] = await tx.select().from(imports).where(eq(imports.id, id));
  if (!rec) throw notFound('import');
  if (rec.status !== 'committed') {
    throw conflict(
      `Import ${id} is ${rec.status}; only a committed import can be rolled back.`,
      `第 ${id} 号导入状态为 ${rec.status}，只有已提交的导入可以撤销。`,
    );
  }
  const later = await laterImports(tx, id);
  const dependent = rec.kind === 'enterprises' ? await dependentImports(tx, id) : [];
  const blocking = [...new Set([...later, ...dependent])];
  if (blocking.length) {
    throw conflict(
      `Later imports changed or use these rows; roll back import(s) ${blocking.join(', ')} first.`,
      `之后的导入（第 ${blocking.join('、')} 号）修改或使用了这些数据，请先撤销它们。`,
    );
  }
  const kind = rec.kind as ImportKind;
  const effect = await rollbackFacts(tx, kind, id);
  const counts = {
    ...(rec.counts as Record<string, unknown>),
    removed: effect.removed,
    restored: effect.restored,
  };
  await tx
    .update(imports)
    .set({ status: 'rolled_back', rolledBackAt: new Date(), rolledBackBy: actor.username, counts })
    .where(eq(imports.id, id));
  await runFactsChanged(tx, {
    kind,
    importId: id,
    action: 'rollback',
    months: effect.months,
    years: effect.years,
    enterpriseIds: effect.enterpriseIds,
  });
  await writeAudit(tx, actor, {
    action: 'import.rollback',
    entity: 'import',
    entityId: id,
    before: { status: 'committed' },
    after: { status: 'rolled_back', removed: effect.removed, restored: effect.restored },
  });
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

type ImportRow = typeof imports.$inferSelect;

function toRecord(r: ImportRow): ImportRecord {
  const { headers: _h, ...counts } = (r.counts ?? {}) as Record<string, unknown>;
  return {
    id: r.id,
    kind: r.kind as ImportKind,
    fileName: r.fileName,
    sha256: r.sha256,
    fileSize: r.fileSize,
    username: r.username,
    regionCode: r.regionCode,
    status: r.status as ImportRecord['status'],
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    committedAt: r.committedAt?.toISOString() ?? null,
    rolledBackAt: r.rolledBackAt?.toISOString() ?? null,
    rolledBackBy: r.rolledBackBy,
    error: r.error,
    counts: counts as ImportRecord['counts'],
    batchId: r.batchId ?? null,
  };
}

export async function listImports(db: Db, user: AuthedUser, q: ImportListQuery) {
  const scoped = historyScope(user, imports.regionCode);
  await recoverInterruptedJobs(db);
  const conds: SQL[] = [];
  if (scoped) conds.push(scoped);
  if (q.kind) conds.push(eq(imports.kind, q.kind));
  if (q.status) conds.push(eq(imports.status, q.status));
  if (q.batch) conds.push(eq(imports.batchId, q.batch));
  const where = conds.length ? and(...conds) : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(imports)
      .where(where)
      .orderBy(desc(imports.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(imports).where(where),
  ]);
  return { items: rows.map(toRecord), total: totals[0]?.n ?? 0, page: q.page, pageSize: q.pageSize };
}

function toProblem(i: typeof importIssues.$inferSelect): ImportProblem {
  return {
    severity: i.severity as ImportProblem['severity'],
    code: i.code,
    file: i.file ?? '',
    sheet: i.sheet,
    row: i.row,
    column: i.column,
    columnIndex: i.columnIndex,
    headerRow: i.headerRow,
    value: i.value,
    zh: i.messageZh,
    en: i.messageEn,
  };
}

export async function getImport(db: Db, user: AuthedUser, id: number): Promise<ImportDetail> {
  const live = liveImport(user, id);
  if (live) return live;
  await recoverInterruptedJobs(db);
  return readImport(db, user, id);
}

/** An import as recorded, without looking for interrupted jobs first (getImport does; a batch does once for its files). */
export async function readImport(db: Db, user: AuthedUser, id: number): Promise<ImportDetail> {
  const rec = await loadOwnImport(db, user, id);
  const [job, issues, lin] = await Promise.all([
    jobOf(db, id),
    db
      .select()
      .from(importIssues)
      .where(eq(importIssues.importId, id))
      .orderBy(asc(importIssues.id))
      .limit(100),
    lineage(db, id),
  ]);
  return {
    ...toRecord(rec),
    job: job ? { ...job } : null,
    fileKept: uploadExists(rec.storedAs),
    problems: issues.map(toProblem),
    duplicateOf: null,
    lineage: lin,
  };
}

export async function listProblems(
  db: Db,
  user: AuthedUser,
  id: number,
  q: { severity?: string; page: number; pageSize: number },
) {
  const rec = await loadOwnImport(db, user, id);
  const found = foundProblems(rec.counts, q.severity);
  const where = q.severity
    ? and(eq(importIssues.importId, id), eq(importIssues.severity, q.severity))
    : eq(importIssues.importId, id);
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(importIssues)
      .where(where)
      .orderBy(asc(importIssues.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(importIssues).where(where),
  ]);
  const total = totals[0]?.n ?? 0;
  return {
    items: rows.map(toProblem),
    total,
    found: Math.max(found, total),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** How many problems (of a severity, or all) the file has: exact, while at most MAX_KEPT_PROBLEMS are stored. */
export function foundProblems(counts: unknown, severity?: string): number {
  const c = (counts ?? {}) as Record<string, unknown>;
  const n = (k: string) => (typeof c[k] === 'number' ? (c[k] as number) : 0);
  return severity ? n(severity) : n('error') + n('warning') + n('notice');
}

/** Everything the problem report needs: the import, its kept problems with their rows' cells, and the headers. */
export async function reportData(db: Db, user: AuthedUser | null, id: number) {
  const rec = user
    ? await loadOwnImport(db, user, id)
    : (await db.select().from(imports).where(eq(imports.id, id)))[0];
  if (!rec) throw notFound('import');
  const issues = await db
    .select()
    .from(importIssues)
    .where(eq(importIssues.importId, id))
    .orderBy(asc(importIssues.id));
  const headers = ((rec.counts ?? {}) as { headers?: PassResult['headers'] }).headers ?? {};
  return {
    id: rec.id,
    status: rec.status,
    storedAs: rec.storedAs,
    regionCode: rec.regionCode,
    fileName: rec.fileName,
    kind: rec.kind as ImportKind,
    problems: issues.map((i) => ({ ...toProblem(i), cells: (i.cells ?? null) as unknown[] | null })),
    headers,
    counts: rec.counts as Record<string, unknown>,
  };
}

export function kindInfos() {
  return (Object.keys(KINDS) as ImportKind[]).map((kind) => {
    const def = KINDS[kind];
    return {
      kind,
      zh: def.zh,
      en: def.en,
      columns: def.columns.map((c) => ({
        key: c.key,
        header: templateHeader(c),
        zh: c.zh,
        en: c.en,
        unit: c.unit ?? null,
        required: c.required,
        noteZh: c.noteZh,
        noteEn: c.noteEn,
        example: String(c.example),
      })),
    };
  });
}
