// The uploads folder (CLUSTERSCOPE_UPLOADS): each uploaded file is kept while its import may still
// need it — to preview again, to commit, to regenerate a full problem report — and removed after:
// at once when its import is committed or discarded; by a sweep (at server start and hourly) when
// its import was refused, failed, interrupted or never committed and is older than the retention
// period (CLUSTERSCOPE_UPLOAD_RETENTION_HOURS, default 72), or when no import names it at all.
// Nothing needs the file after a commit: rollback works from the database (import_replaced_values),
// and the problem report from the stored problems and their rows' cells (import_issues).
// Several API servers must share one uploads folder (the server that commits may not be the one
// that received the upload).
import { settings } from '../../settings.ts';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { queryRows, textArray, type Db } from '../../db/client.ts';
import { imports } from '../../db/schema.ts';

export function uploadsDir(): string {
  const dir = settings().CLUSTERSCOPE_UPLOADS ?? path.join(os.tmpdir(), 'clusterscope-uploads');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The stored name of an upload: its sha256, a random part (one file per upload) and its extension. */
export function uploadName(sha256: string, fileName: string): string {
  const ext = path
    .extname(fileName)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, '')
    .slice(0, 6);
  return `${sha256}-${crypto.randomBytes(6).toString('hex')}${ext}`;
}

/** A stored name as a path in the uploads folder; null for a name that is not a plain file name. */
export function uploadPath(storedAs: string | null): string | null {
  if (!storedAs || storedAs !== path.basename(storedAs) || storedAs.startsWith('.')) return null;
  return path.join(uploadsDir(), storedAs);
}

export function uploadExists(storedAs: string | null): boolean {
  const p = uploadPath(storedAs);
  return p !== null && fs.existsSync(p);
}

/** Import statuses whose file may still be needed (the first two always, the others until the retention ends). */
const RUNNING = ['previewing', 'committing'];
const WAITING = ['previewed', 'refused', 'failed', 'interrupted'];

export function retentionHours(): number {
  return settings().CLUSTERSCOPE_UPLOAD_RETENTION_HOURS;
}

function remove(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Removes the upload of an import that no longer needs it (committed or discarded), unless another
 * import still waiting names the same file (uploads stored before one file per upload were shared
 * by identical files).
 */
export async function releaseUpload(db: Db, importId: number): Promise<boolean> {
  const [rec] = await db.select({ storedAs: imports.storedAs }).from(imports).where(eq(imports.id, importId));
  const file = uploadPath(rec?.storedAs ?? null);
  if (!file) return false;
  const [other] = await db
    .select({ id: imports.id })
    .from(imports)
    .where(
      and(
        eq(imports.storedAs, rec!.storedAs!),
        ne(imports.id, importId),
        inArray(imports.status, [...RUNNING, ...WAITING]),
      ),
    )
    .limit(1);
  if (other) return false;
  return remove(file);
}

export interface SweepOptions {
  /** hours a refused/failed/interrupted/uncommitted import keeps its file; default retentionHours() */
  retentionHours?: number;
  /** a file no import names is removed once this old (an upload is saved a moment before its import is recorded); default 1 h */
  orphanGraceMs?: number;
  /**
   * Whether files no import of this database names may be removed: only in a folder of its own
   * (CLUSTERSCOPE_UPLOADS set). The default temp folder may be shared by other instances on the machine
   * (another data folder or database), whose pending uploads this database does not know.
   */
  orphans?: boolean;
}

export interface SweepResult {
  removed: string[];
  kept: number;
}

/** One sweep of the uploads folder. */
export async function sweepUploads(db: Db, o: SweepOptions = {}): Promise<SweepResult> {
  const retention = o.retentionHours ?? retentionHours();
  const grace = o.orphanGraceMs ?? 3_600_000;
  const dir = uploadsDir();
  const orphans = o.orphans ?? settings().CLUSTERSCOPE_UPLOADS !== undefined;
  const names = fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isFile());
  const removed: string[] = [];
  let kept = 0;
  const old = (name: string) => {
    try {
      return Date.now() - fs.statSync(path.join(dir, name)).mtimeMs >= grace;
    } catch {
      return false;
    }
  };
  // half-written uploads (a connection dropped mid-file) and files no import names
  const stored = names.filter((n) => !n.startsWith('.'));
  for (const n of names) {
    if (orphans && n.startsWith('.upload-') && old(n) && remove(path.join(dir, n))) removed.push(n);
  }
  for (let i = 0; i < stored.length; i += 1000) {
    const chunk = stored.slice(i, i + 1000);
    const rows = await queryRows<{ stored_as: string; needed: boolean }>(
      db,
      sql`select stored_as, bool_or(status in ('previewing', 'committing')
            or (status in ('previewed', 'refused', 'failed', 'interrupted')
                and coalesce(finished_at, created_at) > now() - make_interval(secs => ${retention * 3600}))) as needed
          from imports where stored_as = any(${textArray(chunk)}) group by stored_as`,
    );
    const named = new Map(rows.map((r) => [r.stored_as, r.needed]));
    for (const n of chunk) {
      const needed = named.get(n);
      const drop = needed === undefined ? orphans && old(n) : !needed;
      if (drop && remove(path.join(dir, n))) removed.push(n);
      else kept++;
    }
  }
  return { removed, kept };
}

/** Sweeps now and every hour (an unref'd timer: it never keeps the process alive); answers a stop function. */
export function startUploadSweeper(
  db: Db,
  onError: (error: unknown) => void,
  everyMs = 3_600_000,
): { first: Promise<SweepResult | null>; stop: () => void } {
  const run = () => sweepUploads(db).catch((error: unknown) => (onError(error), null));
  const first = run();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return { first, stop: () => clearInterval(timer) };
}
