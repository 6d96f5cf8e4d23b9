// A ceiling on each PostgreSQL statement run while answering an API read (issue 12: one slow read
// must not hold a pooled connection for a minute). The ceiling belongs to the work, not to the
// connection: the server runs imports, rollup refreshes and background jobs on the same pool, and
// those run long statements by design. So a request's hook sets the ceiling for its asynchronous
// context (withStatementCeiling), and every connection the pool hands out is set to the ceiling of
// the context asking for it (0 = none) — one `set` only when it differs from the connection's last.
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';

const ceiling = new AsyncLocalStorage<number>();

/** Runs `fn` (and everything it starts) with statements capped at `ms` (0: no cap). */
export function withStatementCeiling<T>(ms: number, fn: () => T): T {
  return ceiling.run(Math.max(0, Math.floor(ms)), fn);
}

/** The ceiling of the current context, ms (0: none). */
export function currentStatementCeiling(): number {
  return ceiling.getStore() ?? 0;
}

const APPLIED = Symbol('statement-timeout');
type Tagged = pg.PoolClient & { [APPLIED]?: number };

async function apply(client: Tagged, ms: number): Promise<void> {
  if ((client[APPLIED] ?? 0) === ms) return;
  await client.query(`set statement_timeout = ${ms}`);
  client[APPLIED] = ms;
}

type ConnectCallback = (
  err: Error | undefined,
  client?: pg.PoolClient,
  done?: (release?: unknown) => void,
) => void;

/**
 * Makes `pool.connect` (which `pool.query` and Drizzle's transactions use too) hand out connections
 * set to the caller's ceiling. The context is read when connect is called, i.e. in the caller's.
 */
export function applyStatementCeilings(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as unknown as (
    cb?: ConnectCallback,
  ) => Promise<pg.PoolClient> | void;
  const patched = (cb?: ConnectCallback) => {
    const ms = currentStatementCeiling();
    if (!cb)
      return (connect() as Promise<pg.PoolClient>).then(async (client) => {
        try {
          await apply(client, ms);
        } catch (error) {
          client.release(error as Error);
          throw error;
        }
        return client;
      });
    connect((err, client, done) => {
      if (err || !client) return cb(err, client, done);
      apply(client, ms).then(
        () => cb(undefined, client, done),
        (error: Error) => {
          done?.(error);
          cb(error);
        },
      );
    });
    return undefined;
  };
  (pool as unknown as { connect: typeof patched }).connect = patched;
}

/** Whether an error is PostgreSQL cancelling a statement at its ceiling (SQLSTATE 57014). */
export function isStatementTimeout(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    if ((e as { code?: unknown }).code === '57014') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
