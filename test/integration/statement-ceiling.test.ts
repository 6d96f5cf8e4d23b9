// The statement ceiling of API reads (issue 12, item 3): on by default (CLUSTERSCOPE_STATEMENT_TIMEOUT_MS,
// 30 s); a GET whose statement runs past it answers 503 `timeout` with Retry-After and frees its
// connection, while a write and work outside any request run as long as they need. PGlite has no
// statement timeouts (one in-process connection): there the same statement simply completes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { settings } from '../../src/settings.ts';
import { withStatementCeiling } from '../../src/db/statement-ceiling.ts';
import { buildApp } from '../../src/server/app.ts';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../src/server/csrf.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

describe('statement ceiling setting', () => {
  it('is on by default for API reads', () => {
    expect(settings({}).CLUSTERSCOPE_STATEMENT_TIMEOUT_MS).toBe(30_000);
    expect(settings({ CLUSTERSCOPE_STATEMENT_TIMEOUT_MS: '0' }).CLUSTERSCOPE_STATEMENT_TIMEOUT_MS).toBe(0);
  });
});

describe.each(testDatabases())('statement ceiling of API reads ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const previous = process.env.CLUSTERSCOPE_STATEMENT_TIMEOUT_MS;
  const sleep = () => d.db.execute(sql`select pg_sleep(0.6)`);

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    process.env.CLUSTERSCOPE_STATEMENT_TIMEOUT_MS = '200';
    app = await buildApp({ database: d, logger: false });
    for (const method of ['GET', 'POST'] as const)
      app.route({
        method,
        url: '/api/test-sleep',
        config: { public: true },
        handler: async () => {
          await sleep();
          return { slept: true };
        },
      });
    await app.ready();
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.CLUSTERSCOPE_STATEMENT_TIMEOUT_MS;
    else process.env.CLUSTERSCOPE_STATEMENT_TIMEOUT_MS = previous;
    await app?.close();
    if (d) await t.dispose(d);
  });

  it('cuts a slow read, not a write', async () => {
    const read = await app.inject({ method: 'GET', url: '/api/test-sleep' });
    const write = await app.inject({
      method: 'POST',
      url: '/api/test-sleep',
      headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(write.statusCode, write.body).toBe(200);
    if (t.kind === 'postgres') {
      expect(read.statusCode, read.body).toBe(503);
      expect(read.json().type).toMatch(/\/timeout$/);
      expect(read.headers['retry-after']).toBe('30');
      // the cut connection went back to the pool reset for the next piece of work
      await expect(sleep()).resolves.toBeDefined();
    } else expect(read.statusCode, read.body).toBe(200);
  });

  it('applies the ceiling to the context, not the connection', async () => {
    // (awaited inside: a Drizzle query runs when awaited, and takes the context of that moment)
    const capped = withStatementCeiling(100, async () => await sleep());
    if (t.kind === 'postgres') await expect(capped).rejects.toThrow();
    else await expect(capped).resolves.toBeDefined();
    // outside any request, inside a transaction: no ceiling
    await expect(d.db.transaction((tx) => tx.execute(sql`select pg_sleep(0.3)`))).resolves.toBeDefined();
  });
});
