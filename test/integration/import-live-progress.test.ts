// While a commit holds the database in its one transaction (on the embedded PGlite every other query
// waits for it), polling the import or its batch still answers, from the read kept when the job
// started, with live progress; scope is checked the same way. A facts-changed hook that waits for the
// test holds the transaction open for as long as the test needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { onFactsChanged } from '../../src/modules/imports/hooks.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import type { ImportBatch, ImportDetail } from '../../src/modules/imports/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, seedFixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFiles } from '../helpers/uploads.ts';

/** Answers the promise, or fails after `ms` naming what hung (a frozen poll must fail, not hang). */
function within<T>(what: string, p: Promise<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]);
}

/** A hook that holds the commit's transaction open until release() is called. */
function holdCommits() {
  let release: () => void = () => undefined;
  let entered: () => void = () => undefined;
  const released = new Promise<void>((r) => (release = r));
  const inside = new Promise<void>((r) => (entered = r));
  const remove = onFactsChanged(async (_tx, change) => {
    if (change.action !== 'commit') return;
    entered();
    await released;
  });
  return { inside, release: () => (release(), remove()) };
}

describe.each(testDatabases())('polling a running commit on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    const fx = await seedFixture(d);
    app = await testApp(d);
    for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await waitForJobs();
    await app?.close();
    if (d) await t.dispose(d);
  });

  const get = (url: string, who = 'nanhu') =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
  const post = (url: string, who = 'nanhu') =>
    app.inject({ method: 'POST', url, headers: { cookie: cookies[who]! } });

  it('answers the import with live progress while its commit holds the database', async () => {
    const m = multipartFiles([
      {
        field: 'file',
        fileName: 'live.csv',
        content: `统一社会信用代码,统计月份,工业总产值(万元)\r\n${fixtureUscc(1)},2025-05,321.5\r\n`,
      },
    ]);
    const up = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=monthly',
      headers: { ...m.headers, cookie: cookies.nanhu! },
      payload: m.payload,
    });
    expect(up.statusCode, up.body).toBeLessThan(300);
    const id = json<ImportDetail>(up).id;
    await waitForJobs(id);

    const hold = holdCommits();
    try {
      const started = await within('the commit request', post(`/api/imports/${id}/commit`));
      expect(started.statusCode, started.body).toBe(202);
      await within('the commit reaching its hook', hold.inside);
      // the transaction is open now: these must still answer
      const poll = await within('a poll during the commit', get(`/api/imports/${id}`));
      expect(poll.statusCode).toBe(200);
      const body = json<ImportDetail>(poll);
      expect(body.status).toBe('committing');
      expect(body.job).toMatchObject({ phase: 'commit', status: 'running' });
      // another county's officer is refused as before, without the database
      const other = await within('a poll from another county', get(`/api/imports/${id}`, 'tongxiang'));
      expect(other.statusCode).toBe(404);
    } finally {
      hold.release();
    }
    await waitForJobs(id);
    const done = json<ImportDetail>(await get(`/api/imports/${id}`));
    expect(done.status).toBe('committed');
    expect(done.job).toMatchObject({ phase: 'commit', status: 'done', fraction: 1 });
  });

  it('answers the batch with live progress while its commit holds the database', async () => {
    const firm = fixtureUscc(9301, NANHU);
    const m = multipartFiles([
      {
        field: 'enterprises',
        fileName: 'firms.csv',
        content: `统一社会信用代码,企业名称,区县代码,行业代码,规模\r\n${firm},嘉兴实时进度纺织有限公司,${NANHU},1751,规上\r\n`,
      },
      {
        field: 'monthly',
        fileName: 'months.csv',
        content: `统一社会信用代码,统计月份,工业总产值(万元)\r\n${firm},2025-05,88\r\n`,
      },
    ]);
    const up = await app.inject({
      method: 'POST',
      url: '/api/imports/batches',
      headers: { ...m.headers, cookie: cookies.nanhu! },
      payload: m.payload,
    });
    expect(up.statusCode, up.body).toBeLessThan(300);
    const batch = json<ImportBatch>(up);
    await waitForJobs();
    expect(json<ImportBatch>(await get(`/api/imports/batches/${batch.id}`)).status).toBe('previewed');

    const hold = holdCommits();
    try {
      const started = await within(
        'the batch commit request',
        post(`/api/imports/batches/${batch.id}/commit`),
      );
      expect(started.statusCode, started.body).toBeLessThan(300);
      await within('the batch commit reaching its hook', hold.inside);
      const poll = await within('a batch poll during the commit', get(`/api/imports/batches/${batch.id}`));
      expect(poll.statusCode).toBe(200);
      const body = json<ImportBatch>(poll);
      expect(body.status).toBe('committing');
      expect(body.job).toMatchObject({ phase: 'commit', status: 'running' });
      expect(body.files.map((f) => f.status)).toEqual(['committing', 'committing']);
      const file = await within('a file poll during the commit', get(`/api/imports/${body.files[0]!.id}`));
      expect(json<ImportDetail>(file).job).toMatchObject({ phase: 'commit', status: 'running' });
      const other = await within('another county', get(`/api/imports/batches/${batch.id}`, 'tongxiang'));
      expect(other.statusCode).toBe(404);
    } finally {
      hold.release();
    }
    await waitForJobs();
    const done = json<ImportBatch>(await get(`/api/imports/batches/${batch.id}`));
    expect(done.status).toBe('committed');
    expect(done.files.map((f) => f.status)).toEqual(['committed', 'committed']);
  });
});
