// Heavy read routes (rankings, figures, structure, chain maps …) run at most a few at a time per
// process; the rest wait their turn in a bounded queue, and beyond it get 503 with Retry-After. Ten
// concurrent rankings once took every pooled connection and the event loop for over a minute while
// /api/health waited 70 s; now cheap requests always find a connection and a turn.
// CLUSTERSCOPE_HEAVY_CONCURRENCY (default 2) and CLUSTERSCOPE_HEAVY_QUEUE (default 50).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

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

/** A counting gate: `limit` holders at once, at most `queue` waiting. */
export class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    readonly limit: number,
    readonly queue: number,
  ) {}

  /** Resolves when the caller may go on; false when the queue is full (the caller must not leave()). */
  async enter(): Promise<boolean> {
    if (this.active < this.limit) {
      this.active++;
      return true;
    }
    if (this.waiting.length >= this.queue) return false;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return true;
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the turn passes on: active stays the same
    else this.active--;
  }

  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}

const positive = (v: string | undefined, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

const HELD = Symbol('heavy-gate');

export function registerHeavyRouteLimit(
  app: FastifyInstance,
  gate = new Gate(
    positive(process.env.CLUSTERSCOPE_HEAVY_CONCURRENCY, 2),
    positive(process.env.CLUSTERSCOPE_HEAVY_QUEUE, 50),
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
