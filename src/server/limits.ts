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
  '/api/imports/export.xlsx',
]);

const HELD = Symbol('heavy-gate');

export function registerHeavyRouteLimit(
  app: FastifyInstance,
  gate = new Gate(
    Math.floor(settings().CLUSTERSCOPE_HEAVY_CONCURRENCY),
    Math.floor(settings().CLUSTERSCOPE_HEAVY_QUEUE),
  ),
): Gate {
  const release = async (request: FastifyRequest) => {
    const r = request as FastifyRequest & { [HELD]?: boolean };
    if (r[HELD]) {
      r[HELD] = false;
      gate.leave();
    }
  };
  app.addHook('onRequest', async (request, reply) => {
    if (!HEAVY_ROUTES.has(request.routeOptions.url ?? '')) return;
    if (!(await gate.enter())) {
      reply.header('retry-after', '10');
      throw new AppError(
        503,
        'busy',
        'The server is busy with other large queries; try again in a few seconds.',
        '服务器正在处理其他大型查询，请稍后几秒再试。',
      );
    }
    (request as FastifyRequest & { [HELD]?: boolean })[HELD] = true;
  });
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
  return gate;
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
