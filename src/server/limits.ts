// Heavy read routes (rankings, figures, structure, chain maps …) run at most a few at a time per
// process; the rest wait their turn in a bounded queue, and beyond it get 503 with Retry-After. Ten
// concurrent rankings once took every pooled connection and the event loop for over a minute while
// /api/health waited 70 s; now cheap requests always find a connection and a turn.
// CLUSTERSCOPE_HEAVY_CONCURRENCY (default 2) and CLUSTERSCOPE_HEAVY_QUEUE (default 50).
import { settings } from '../settings.ts';
import { withStatementCeiling } from '../db/statement-ceiling.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';
import { Gate } from '../gate.ts';

export { Gate };

/** Routes (as registered) whose answers aggregate many firms or months. */
export const HEAVY_ROUTES: ReadonlySet<string> = new Set([
  '/api/monitoring/cockpit',
  '/api/monitoring/rankings',
  '/api/monitoring/figures',
  '/api/monitoring/structure',
  '/api/monitoring/targets',
  '/api/monitoring/clusters/:code',
  '/api/monitoring/regions/:code',
  '/api/chains/:code',
  '/api/chains/:code/gaps',
]);

/**
 * Downloads that write a whole list into a workbook each time they are asked (every firm's rows of a year,
 * every request, every alert): seconds to a minute of work each, most of it ExcelJS on the event loop. They
 * have a gate of their own, so a few exports neither starve the other requests (10 monthly exports of a year
 * at once held /api/health for 54 s) nor take the heavy reads' turns for as long as a slow client reads.
 */
export const EXPORT_ROUTES: ReadonlySet<string> = new Set([
  '/api/imports/export/:kind',
  '/api/alerts/export.xlsx',
  '/api/service/requests/export.xlsx',
]);

/**
 * Downloads deliberately not gated, each with its reason (test/integration/route-gates.test.ts holds every
 * download to one of the two lists): their bytes are kept per reader's scope and the data's version, so
 * fifty readers are answered from one build (the reads bench asks them at 50 connections within 1 s; a gate
 * refused most of them), or they are small by nature.
 */
export const UNGATED_DOWNLOADS: ReadonlyMap<string, string> = new Map([
  ['/api/projects/export.xlsx', 'kept bytes per scope, filter and day (projects/export.ts)'],
  ['/api/evaluation/runs/:id/ledger.xlsx', 'kept bytes per query, scope and version (policy-ledger.ts)'],
  ['/api/chains/:code/roadmap.xlsx', 'kept with the chain answers (chains/cache.ts)'],
  ['/api/platforms/export.xlsx', 'a few hundred platforms'],
  ['/api/index/editions/:id/export.xlsx', 'one edition: clusters × years'],
  ['/api/index/editions/:id/export.csv', 'one edition: clusters × years'],
  ['/api/index/editions/:id/export.json', 'one edition: clusters × years'],
  ['/api/assessment/editions/:id/export.xlsx', 'one edition: the counties'],
]);

/** Lets at most the gate's holders through `routes` at once; beyond its queue 503 with Retry-After. */
function gateRoutes(
  app: FastifyInstance,
  routes: ReadonlySet<string>,
  gate: Gate,
  busy: () => AppError,
): Gate {
  // one mark per gate: a request holds its turn from onRequest until its answer is sent (a streamed
  // workbook: until the last byte) or the client goes away
  const held = Symbol('gate');
  type Marked = FastifyRequest & { [held]?: boolean };
  const release = async (request: FastifyRequest) => {
    const r = request as Marked;
    if (r[held]) {
      r[held] = false;
      gate.leave();
    }
  };
  app.addHook('onRequest', async (request, reply) => {
    if (!routes.has(request.routeOptions.url ?? '')) return;
    if (!(await gate.enter())) {
      reply.header('retry-after', '10');
      throw busy();
    }
    (request as Marked)[held] = true;
  });
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
  return gate;
}

export function registerHeavyRouteLimit(
  app: FastifyInstance,
  gate = new Gate(
    Math.floor(settings().CLUSTERSCOPE_HEAVY_CONCURRENCY),
    Math.floor(settings().CLUSTERSCOPE_HEAVY_QUEUE),
  ),
): Gate {
  return gateRoutes(
    app,
    HEAVY_ROUTES,
    gate,
    () =>
      new AppError(
        503,
        'busy',
        'The server is busy with other large queries; try again in a few seconds.',
        '服务器正在处理其他大型查询，请稍后几秒再试。',
      ),
  );
}

/** CLUSTERSCOPE_EXPORT_CONCURRENCY (default 2) exports at once, CLUSTERSCOPE_EXPORT_QUEUE (default 10) waiting. */
export function registerExportLimit(
  app: FastifyInstance,
  gate = new Gate(
    Math.floor(settings().CLUSTERSCOPE_EXPORT_CONCURRENCY),
    Math.floor(settings().CLUSTERSCOPE_EXPORT_QUEUE),
  ),
): Gate {
  return gateRoutes(
    app,
    EXPORT_ROUTES,
    gate,
    () =>
      new AppError(
        503,
        'busy',
        'Other exports are being prepared; try again in a few seconds.',
        '服务器正在生成其他导出文件，请稍后几秒再试。',
      ),
  );
}

/**
 * Every statement an API read (GET, HEAD) runs is cut at CLUSTERSCOPE_STATEMENT_TIMEOUT_MS (default
 * 30 s) on PostgreSQL; the error handler answers a cut with 503 and Retry-After, not a bare 500. Writes are not
 * capped: an import's commit or an evaluation run is long by design and must not stop half-way.
 * A callback hook: running `done` inside the context is what carries it to the handler.
 */
export function registerReadStatementCeiling(
  app: FastifyInstance,
  ms = settings().CLUSTERSCOPE_STATEMENT_TIMEOUT_MS,
): void {
  if (ms <= 0) return;
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return done();
    withStatementCeiling(ms, () => done());
  });
}

/** The problem a cut statement answers with (the error handler maps it). */
export const statementTimeoutProblem = (ms: number) =>
  new AppError(
    503,
    'timeout',
    `The query took longer than ${Math.round(ms / 1000)} s and was stopped; narrow it or try again later.`,
    `查询超过 ${Math.round(ms / 1000)} 秒，已停止；请缩小范围或稍后再试。`,
  );
