// The bulletin's background jobs: a simple in-process queue whose state is the `job` column of the
// bulletins table (queued → running → none), so a bulletin queued by another process (an import run
// from the CLI) or left by a server that stopped is picked up by the next poll. One job at a time per
// process: printing a PDF is CPU-heavy and the machine's cores serve the users first.
import { and, eq, lt, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { bulletinFiles, bulletins } from '../../db/schema.ts';
import type { BulletinData, ScopeKind } from '../../domain/bulletin/index.ts';
import { writeAudit } from '../audit/index.ts';
import { gatherBulletinData, timed, type Timings } from './gather.ts';
import { monitoringMeta } from '../monitoring/index.ts';
import { settings } from '../../settings.ts';

export const SYSTEM_ACTOR = { id: null, username: 'system' } as const;
type Row = typeof bulletins.$inferSelect;

let worker: { db: Db; timer: NodeJS.Timeout | null; poll: NodeJS.Timeout | null } | null = null;
let running: Promise<void> | null = null;
let again = false;

/** Claims the oldest queued bulletin (SKIP LOCKED: two servers never take the same one). */
async function claim(db: Db): Promise<Row | null> {
  const rows = await queryRows<{ id: number | string }>(
    db,
    sql`
    update bulletins set job = 'running', progress = 1, stage = 'start', updated_at = now()
    where id = (select id from bulletins where job = 'queued' order by id limit 1 for update skip locked)
    returning id`,
  );
  const id = rows[0]?.id;
  if (id === undefined) return null;
  const [row] = await db
    .select()
    .from(bulletins)
    .where(eq(bulletins.id, Number(id)));
  return row ?? null;
}

async function setProgress(db: Db, id: number, progress: number, stage: string) {
  await db.update(bulletins).set({ progress, stage, updatedAt: new Date() }).where(eq(bulletins.id, id));
}

/**
 * The rendering code (ECharts, Playwright, the font subsetter: ≈ 600 modules, most of a process's start) is
 * loaded when a bulletin is first rendered, not with the facts-changed hook that queues one: a process that
 * only imports (`clusterscope import`, issue 13) registers the hook and never renders.
 */
let rendering: Promise<typeof import('./rendering.ts')> | null = null;
const renderer = () => (rendering ??= import('./rendering.ts'));

/** Runs one bulletin's job: gather the figures (first time only), then render the PDF and the xlsx. */
export async function runJob(db: Db, row: Row): Promise<void> {
  const started = performance.now();
  const timings: Timings = {};
  try {
    const { filesOf, warmPdfBrowser } = await renderer();
    // Chromium starts while the figures are gathered (it is another process: the two overlap)
    warmPdfBrowser();
    let data = row.data as BulletinData | null;
    if (!data) {
      data = await timed(timings, 'data', () =>
        gatherBulletinData(
          db,
          row.month,
          { kind: row.scopeKind as ScopeKind, code: row.scopeCode },
          (p, stage) => setProgress(db, row.id, p, stage),
          timings,
        ),
      );
    }
    const status = row.status === 'pending' || row.status === 'failed' ? 'draft' : row.status;
    const generatedAt = row.generatedAt ?? new Date();
    await setProgress(db, row.id, 60, 'pdf');
    const files = await filesOf({ data, commentary: row.commentary, status, generatedAt }, timings);
    await setProgress(db, row.id, 90, 'store');
    const storeStarted = performance.now();
    await db.transaction(async (t) => {
      const tx = t as unknown as Db;
      for (const [format, content] of Object.entries(files))
        await tx
          .insert(bulletinFiles)
          .values({ bulletinId: row.id, format, content, bytes: content.length })
          .onConflictDoUpdate({
            target: [bulletinFiles.bulletinId, bulletinFiles.format],
            set: { content, bytes: content.length, createdAt: new Date() },
          });
      await tx
        .update(bulletins)
        .set({
          data,
          scopeName: data.scope.name || row.scopeName,
          demoData: data.demoData,
          // a submit or a commentary edit may have come in meanwhile: keep its status, and a job it queued
          status: sql`case when ${bulletins.status} in ('pending', 'failed') then 'draft' else ${bulletins.status} end`,
          job: sql`case when ${bulletins.job} = 'running' then null else ${bulletins.job} end`,
          progress: 100,
          stage: 'done',
          error: null,
          generatedAt,
          generationMs: Math.round(performance.now() - started),
          // the store's own time is not known until it commits: the transaction's start is what is kept
          timings: { ...timings, store: Math.round(performance.now() - storeStarted) },
          updatedAt: new Date(),
        })
        .where(eq(bulletins.id, row.id));
      await writeAudit(tx, SYSTEM_ACTOR, {
        action: 'bulletin.render',
        entity: 'bulletin',
        entityId: row.id,
        after: { status, pdfBytes: files.pdf.length, xlsxBytes: files.xlsx.length },
      });
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(bulletins)
      .set({
        job: sql`case when ${bulletins.job} = 'running' then null else ${bulletins.job} end`,
        stage: 'failed',
        error: message.slice(0, 2000),
        timings,
        status: sql`case when ${bulletins.status} = 'pending' then 'failed' else ${bulletins.status} end`,
        updatedAt: new Date(),
      })
      .where(eq(bulletins.id, row.id));
  }
}

async function drain(db: Db): Promise<void> {
  do {
    again = false;
    for (let row = await claim(db); row; row = await claim(db)) await runJob(db, row);
  } while (again);
}

/** Runs the queue now (or once more after the current run), in the background. */
export function kickBulletinJobs(db?: Db): void {
  const target = db ?? worker?.db;
  if (!target) return;
  if (running) {
    again = true;
    return;
  }
  running = drain(target)
    .catch(() => {})
    .finally(() => {
      running = null;
    });
}

/** Asks for a run shortly (after the transaction that queued a bulletin has committed). */
export function kickSoon(delayMs = 1_000): void {
  if (!worker) return;
  if (worker.timer) clearTimeout(worker.timer);
  worker.timer = setTimeout(() => kickBulletinJobs(), delayMs);
  worker.timer.unref();
}

/**
 * Starts the worker of this process: jobs left running by a process that stopped (untouched for five
 * minutes) are queued again, and the queue is polled every `pollMs` for bulletins queued elsewhere.
 */
export async function startBulletinWorker(db: Db, pollMs = 30_000): Promise<void> {
  worker = { db, timer: null, poll: null };
  await db
    .update(bulletins)
    .set({ job: 'queued' })
    .where(and(eq(bulletins.job, 'running'), lt(bulletins.updatedAt, new Date(Date.now() - 5 * 60_000))));
  worker.poll = setInterval(() => kickBulletinJobs(), pollMs);
  worker.poll.unref();
  kickBulletinJobs();
  if (settings().CLUSTERSCOPE_BULLETIN_WARMUP) {
    // after the server answers: the warm-up is reads and this process's CPU, never a wait for /api/health
    const timer = setTimeout(() => {
      warming = warmBulletin(db);
    }, 0);
    timer.unref();
  }
}

let warming: Promise<WarmUp | null> | null = null;

export interface WarmUp {
  month: string;
  ms: number;
  timings: Timings;
}

/**
 * A fresh process pays for the first city bulletin what no later one pays (bench/bulletin.ts: ~3 s of a
 * 10 s goal): the monitoring answers it reads are computed and cached, and the chart, page and workbook
 * code runs for the first time. Gathering the latest month's city figures and rendering them once,
 * thrown away, moves that to the server's start, in the background; it writes nothing, and a job that
 * comes meanwhile shares the answers being computed (the monitoring cache keeps promises).
 */
export async function warmBulletin(db: Db): Promise<WarmUp | null> {
  const started = performance.now();
  const timings: Timings = {};
  try {
    const month = (await monitoringMeta(db)).latestMonth;
    if (!month) return null;
    const data = await timed(timings, 'data', () =>
      gatherBulletinData(db, month, { kind: 'city', code: null }, async () => {}, timings),
    );
    await timed(timings, 'render', async () => {
      const { bulletinHtml, bulletinXlsx, pageCodePoints, subsetFontFaces, viewOf } = await renderer();
      const view = await viewOf({ data, commentary: '', status: 'draft', generatedAt: null });
      const page = bulletinHtml(view, { status: 'draft', generatedAt: null });
      await bulletinXlsx(view);
      // the font subsetter and both faces (~50 MB, dropped with the print browser once it idles)
      await subsetFontFaces(pageCodePoints(page));
    });
    return { month, ms: Math.round(performance.now() - started), timings };
  } catch {
    // a warm-up that fails costs the first bulletin its time, nothing more; the job reports real errors
    return null;
  }
}

/** The warm-up started with the worker, if any (the bench waits for it before its first run). */
export function bulletinWarmUp(): Promise<WarmUp | null> | null {
  return warming;
}

/** Stops polling and waits for the job in hand (server shutdown). */
export async function stopBulletinWorker(): Promise<void> {
  if (worker?.poll) clearInterval(worker.poll);
  if (worker?.timer) clearTimeout(worker.timer);
  worker = null;
  await running;
  // no bulletin rendered in this process: no print browser to close
  if (rendering) await (await rendering).closePdfBrowser();
}

/** Waits until no job runs in this process (tests). */
export async function waitForBulletinJobs(): Promise<void> {
  while (running) await running;
}
