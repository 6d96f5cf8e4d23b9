// Two API server processes on one PostgreSQL database (issue 13): a session opened on one is honoured
// by the other and ended on both; an upload received by one is committed through the other from the
// shared uploads folder; the other's cached answers follow the commit (the alerts board's reporting counts
// and the cockpit's open-month note among them); an import whose server was
// killed mid-preview is found interrupted by the survivor and previewed again there.
// PostgreSQL only (PGlite is one process's embedded database): runs when DATABASE_URL is set, as in CI.
import { spawn, type ChildProcess } from 'node:child_process';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../src/server/csrf.ts';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openDatabase, REPO_ROOT, runMigrations, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadReferenceData } from '../../src/modules/reference/service.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { loadChains } from '../../src/modules/chains/service.ts';
import { fixtureUscc, PASSWORD, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { multipartFile } from '../helpers/uploads.ts';

const BASE = process.env.DATABASE_URL;

interface Server {
  proc: ChildProcess;
  url: string;
}

/** `clusterscope serve` on a free port; answers once it listens. */
function startServer(env: Record<string, string>): Promise<Server> {
  const proc = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/clusterscope.js'), 'serve'], {
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]! });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

async function until<T>(what: string, f: () => Promise<T | null | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!BASE)('two API servers on one PostgreSQL', () => {
  const name = `cs_test_${crypto.randomBytes(5).toString('hex')}`;
  const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-two-servers-uploads-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-two-servers-files-'));
  let url = '';
  let d: Database;
  let fx: Fixture;
  let a: Server;
  let b: Server;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: BASE });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(BASE!);
    u.pathname = `/${name}`;
    url = u.toString();
    d = await openDatabase({ url });
    await runMigrations(d);
    await loadReferenceData(d.db, await loadCityConfig(resolveCityDir()));
    fx = await seedFixture(d);
    await refreshClusterRollups(d.db);
    // the configured chains, with the fixture's firms placed on them (what `migrate` does)
    await loadChains(d.db, await loadCityConfig(resolveCityDir()));
    const env = {
      DATABASE_URL: url,
      CLUSTERSCOPE_UPLOADS: uploads,
      CLUSTERSCOPE_SESSION_CACHE_MS: '300',
      CLUSTERSCOPE_JOB_STALE_SECONDS: '3',
      CLUSTERSCOPE_JOB_HEARTBEAT_SECONDS: '1',
    };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  });
  afterAll(async () => {
    for (const s of [a, b]) s?.proc.kill('SIGKILL');
    await d?.close();
    if (BASE) {
      const admin = new pg.Client({ connectionString: BASE });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
    fs.rmSync(uploads, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  let cookie = '';
  const call = async (s: Server, method: string, p: string, body?: { payload: Buffer; headers: object }) => {
    const res = await fetch(`${s.url}${p}`, {
      method,
      headers: { cookie, [CSRF_HEADER]: CSRF_HEADER_VALUE, ...(body?.headers ?? {}) } as Record<
        string,
        string
      >,
      body: body ? new Uint8Array(body.payload) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  it('honours a session opened on the other server, and ends it on both', async () => {
    const res = await fetch(`${a.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: CSRF_HEADER_VALUE },
      body: JSON.stringify({ username: fx.users.admin!.username, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('cs_session='))!
      .split(';')[0]!;
    expect((await call(b, 'GET', '/api/auth/me')).status).toBe(200);
    // a second session to end: the first stays for the tests below
    const other = await fetch(`${b.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: CSRF_HEADER_VALUE },
      body: JSON.stringify({ username: fx.users.analyst!.username, password: PASSWORD }),
    });
    const otherCookie = other.headers
      .getSetCookie()
      .find((c) => c.startsWith('cs_session='))!
      .split(';')[0]!;
    const me = (s: Server) => fetch(`${s.url}/api/auth/me`, { headers: { cookie: otherCookie } });
    expect((await me(a)).status).toBe(200);
    await fetch(`${b.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: otherCookie, [CSRF_HEADER]: CSRF_HEADER_VALUE },
    });
    expect((await me(b)).status).toBe(401);
    // the other server's session cache lives CLUSTERSCOPE_SESSION_CACHE_MS (here 300 ms)
    await until('the logout to reach the other server', async () => (await me(a)).status === 401, 10_000);
  });

  it('commits through one server what the other received, and the first one’s cached answers follow', async () => {
    const before = await call(a, 'GET', '/api/monitoring/meta');
    expect(before.status).toBe(200);
    expect(before.body.latestMonth).toBe('2025-12');
    // A keeps the alerts board's reporting counts too (at the rollups' version)
    const reportingOn = async (s: Server) =>
      (await call(s, 'GET', '/api/alerts?pageSize=1')).body.reporting as { month: string } | null;
    expect((await reportingOn(a))?.month).toBe('2025-12');
    const csv = `统一社会信用代码,统计月份,工业总产值(万元)\n${fixtureUscc(1)},2026-01,1234\n`;
    const up = await call(a, 'POST', '/api/imports?kind=monthly', multipartFile('jan.csv', csv));
    expect(up.status).toBeLessThan(300);
    const id = up.body.id as number;
    // the preview runs on A; B sees it end
    await until(
      'the preview',
      async () => (await call(b, 'GET', `/api/imports/${id}`)).body.status === 'previewed',
    );
    // B commits from the shared uploads folder
    expect((await call(b, 'POST', `/api/imports/${id}/commit`)).status).toBe(202);
    await until(
      'the commit',
      async () => (await call(a, 'GET', `/api/imports/${id}`)).body.status === 'committed',
    );
    // A's cached monitoring answers are keyed by the rollup version in the database, which A reads again
    // at most once a second (VERSION_TTL_MS): within that second A may still answer from before
    const after = await until(
      'A to see the new month',
      async () => {
        const r = await call(a, 'GET', '/api/monitoring/meta');
        return r.body.latestMonth === '2026-01' ? r : null;
      },
      5_000,
    );
    expect(after.body.latestMonth).toBe('2026-01');
    // and its kept reporting counts (one firm of the new month), and the cockpit's note from the same
    // kept answer (through the composition root): the note while the month is open, none once closed
    type Reporting = { month: string; firms: number; before: number; share: number; closed: boolean };
    const counted = await until(
      "A's board to count the new month",
      async () => {
        const r = (await reportingOn(a)) as Reporting | null;
        return r?.month === '2026-01' ? r : null;
      },
      5_000,
    );
    expect(counted.firms).toBe(1);
    const cockpit = await call(a, 'GET', '/api/monitoring/cockpit');
    const { closed, ...note } = counted;
    expect(cockpit.body.reporting).toEqual(closed ? null : note);
  });

  it("keeps a chain's answers per data version: a placement decided on one server reaches the other's kept answers", async () => {
    const firm = fx.ids.nanhuTextile;
    type Node = { code: string; firms: number };
    type Firms = { items: { id: number; assigned: boolean }[] };
    const atlas = await call(a, 'GET', '/api/chains/textile');
    expect(atlas.status).toBe(200);
    const node = (atlas.body.nodes as Node[])[0]!;
    const nodeUrl = `/api/chains/textile/nodes/${node.code}/enterprises`;
    const placed = async (s: Server) =>
      ((await call(s, 'GET', nodeUrl)).body as Firms).items.some((i) => i.id === firm && i.assigned);
    // A answers (and keeps) the node's firms; B then turns the fixture's textile firm's placement round
    const before = await placed(a);
    const put = await call(b, 'PUT', `${nodeUrl}/${firm}`, {
      payload: Buffer.from(JSON.stringify({ decision: before ? 'exclude' : 'include' })),
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(200);
    expect(await placed(b)).toBe(!before);
    // A's kept answers follow within VERSION_TTL_MS: the chains' stamp in the database changed
    await until("A's node list to show B's decision", async () => (await placed(a)) === !before, 5_000);
    const after = await call(a, 'GET', '/api/chains/textile');
    expect((after.body.nodes as Node[])[0]!.firms).toBe(node.firms + (before ? -1 : 1));
  });

  it('finds an import whose server died mid-preview interrupted, and previews it again on the other', async () => {
    const lines = ['统一社会信用代码,统计月份,工业总产值(万元)'];
    // a file long enough to be mid-preview when its server is killed: every month for years, one firm
    for (let i = 0; i < 300_000; i++) lines.push(`${fixtureUscc(1)},${2000 + (i % 27)}-01,${i}`);
    const up = await call(
      a,
      'POST',
      '/api/imports?kind=monthly',
      multipartFile('long.csv', lines.join('\n')),
    );
    expect(up.status).toBeLessThan(300);
    const id = up.body.id as number;
    a.proc.kill('SIGKILL');
    const interrupted = await until('the interrupted import', async () => {
      const r = await call(b, 'GET', `/api/imports/${id}`);
      return r.body.status === 'interrupted' ? r : null;
    });
    expect(interrupted.body.status).toBe('interrupted');
    expect((await call(b, 'POST', `/api/imports/${id}/preview`)).status).toBeLessThan(300);
    const done = await until(
      'the second preview',
      async () => {
        const r = await call(b, 'GET', `/api/imports/${id}`);
        return r.body.status === 'refused' || r.body.status === 'previewed' ? r : null;
      },
      120_000,
    );
    // (the file repeats a firm and month: refused, with its problems, by the surviving server)
    expect(done.body.status).toBe('refused');
    expect((done.body.counts as { rows: number }).rows).toBe(300_000);
  });
});
