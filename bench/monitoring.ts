// Cluster monitoring speed goals (issue 4), on city-scale demo data in a scratch PostgreSQL database:
//   - cockpit and cluster endpoints: p95 ≤ 50 ms at 50 concurrent connections (loopback only);
//   - rollup refresh after importing one month of the city's data: ≤ 2 s.
//
//   node bin/run-ts.js bench/monitoring.ts [--url postgres://root@127.0.0.1:5432/postgres] [--seconds 8]
// The scratch database is created beside the one named by --url (or BENCH_DATABASE_URL) and dropped after.
import crypto from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, runMigrations, type Database } from '../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../src/config/load.ts';
import { generateDemo } from '../src/demo/generate.ts';
import { loadReferenceData } from '../src/modules/reference/service.ts';
import { createUser } from '../src/modules/auth/service.ts';
import { refreshClusterRollups } from '../src/modules/monitoring/rollup.ts';
import { buildApp } from '../src/server/app.ts';
import { LOAD_WORKER } from './load.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '50' },
    count: { type: 'string' },
  },
});
const baseUrl = values.url ?? process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const SECONDS = Math.min(60, Number(values.seconds));
const CONNECTIONS = Math.min(200, Number(values.connections));
const MAX_REQUESTS = 50_000;
const GOAL_P95_MS = 50;
const GOAL_REFRESH_MS = 2000;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const name = `cs_bench_mon_${crypto.randomBytes(4).toString('hex')}`;
await admin((c) => c.query(`create database ${name}`));
const scratch = new URL(baseUrl);
scratch.pathname = `/${name}`;
let database: Database | null = null;
const results: { name: string; value: string; goal: string; ok: boolean | null }[] = [];

try {
  process.env.DATABASE_POOL_SIZE ??= '20';
  database = await openDatabase({ url: scratch.toString() });
  await runMigrations(database);
  const config = await loadCityConfig(resolveCityDir());
  await loadReferenceData(database.db, config);
  console.log(`generating city-scale demo data into ${name} …`);
  const demo = await generateDemo(database, config, {
    scale: 'city',
    enterpriseCount: values.count ? Number(values.count) : undefined,
  });
  console.log(
    `  ${demo.above} 规上 + ${demo.below} 规下 enterprises, ${demo.counts.monthly_stats} monthly rows in ${demo.seconds.toFixed(1)} s`,
  );

  const db = database.db;
  let t = performance.now();
  const full = await db.transaction((tx) => refreshClusterRollups(tx));
  const fullMs = performance.now() - t;
  results.push({
    name: 'full rollup refresh (all months)',
    value: `${fullMs.toFixed(0)} ms, ${full.rows} rows`,
    goal: '—',
    ok: null,
  });

  // Re-import the latest month: delete its facts, load them again by COPY, refresh that month, one transaction.
  const [{ m } = { m: '' }] = await queryRows<{ m: string }>(
    db,
    sql`select to_char(max(month), 'YYYY-MM-DD') as m from monthly_stats`,
  );
  const monthRows = await queryRows<Record<string, unknown>>(
    db,
    sql`select * from monthly_stats where month = ${m}::date`,
  );
  const cols = [
    'enterprise_id',
    'month',
    'output_value',
    'revenue',
    'profit',
    'tax',
    'energy_tce',
    'electricity',
    'employees',
    'export_value',
  ];
  const refreshTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`delete from monthly_stats where month = ${m}::date`);
      await database!.copyRows(
        'monthly_stats',
        cols,
        monthRows.map((r) => cols.map((c) => (c === 'month' ? m : r[c]))),
        tx,
      );
      t = performance.now();
      await refreshClusterRollups(tx, { months: [m.slice(0, 7)] });
      refreshTimes.push(performance.now() - t);
    });
  }
  const refreshMs = Math.max(...refreshTimes);
  results.push({
    name: `rollup refresh after importing one month (${m.slice(0, 7)}, ${monthRows.length} rows), worst of 3`,
    value: `${refreshMs.toFixed(0)} ms`,
    goal: `≤ ${GOAL_REFRESH_MS} ms`,
    ok: refreshMs <= GOAL_REFRESH_MS,
  });

  await createUser(
    db,
    { username: 'bench_analyst', displayName: 'Bench', role: 'analyst', password: 'BenchPassword2026' },
    { id: null, username: 'bench' },
  );
  const app = await buildApp({ database, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

  const request = (path: string, init: { method?: string; body?: string; cookie?: string } = {}) =>
    new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: init.method ?? 'GET',
          agent,
          headers: {
            ...(init.body ? { 'content-type': 'application/json' } : {}),
            ...(init.cookie ? { cookie: init.cookie } : {}),
          },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        },
      );
      req.on('error', reject);
      if (init.body) req.write(init.body);
      req.end();
    });

  const login = await request('/api/auth/login', {
    method: 'POST',
    body: JSON.stringify({ username: 'bench_analyst', password: 'BenchPassword2026' }),
  });
  const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0]!;
  const meta = JSON.parse((await request('/api/monitoring/meta', { cookie })).body) as {
    latestMonth: string;
    clusters: { code: string }[];
  };

  /**
   * Bounded load from a worker thread (the server keeps the main thread to itself): CONNECTIONS
   * keep-alive connections on loopback, until SECONDS or MAX_REQUESTS, on the given paths in turn.
   */
  async function load(label: string, paths: string[]) {
    const worker = new Worker(LOAD_WORKER, {
      eval: true,
      workerData: { port, cookie, paths, connections: CONNECTIONS, seconds: SECONDS, max: MAX_REQUESTS },
    });
    const { latencies, errors, elapsed } = await new Promise<{
      latencies: number[];
      errors: number;
      elapsed: number;
    }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
    const p95 = q(0.95);
    results.push({
      name: `${label}: ${latencies.length} requests, ${(latencies.length / elapsed).toFixed(0)} req/s, p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, errors ${errors}`,
      value: `p95 ${p95.toFixed(1)} ms`,
      goal: `≤ ${GOAL_P95_MS} ms`,
      ok: p95 <= GOAL_P95_MS && errors === 0,
    });
  }

  // Cold: the first answer for a key is computed from the rollups (then cached until the next refresh).
  const cold = async (label: string, path: string) => {
    const s = performance.now();
    const res = await request(path, { cookie });
    results.push({
      name: `${label}, first (uncached) request`,
      value: `${(performance.now() - s).toFixed(0)} ms (${res.status})`,
      goal: '—',
      ok: null,
    });
  };
  await cold('cockpit', `/api/monitoring/cockpit?month=${meta.latestMonth}`);
  await cold('cluster textile', `/api/monitoring/clusters/textile?month=${meta.latestMonth}`);
  await load('cockpit, latest month', [`/api/monitoring/cockpit?month=${meta.latestMonth}`]);
  await load(
    'cluster pages, 5 clusters',
    meta.clusters.map((c) => `/api/monitoring/clusters/${c.code}?month=${meta.latestMonth}`),
  );
  // Every month of the last three years across cockpit and clusters: mostly first requests at the start.
  const months: string[] = [];
  for (let i = 0; i < 36; i++) {
    const d = new Date(
      Date.UTC(Number(meta.latestMonth.slice(0, 4)), Number(meta.latestMonth.slice(5, 7)) - 1 - i, 1),
    );
    months.push(d.toISOString().slice(0, 7));
  }
  await load(
    'cockpit + clusters over 36 months (cache filling)',
    months.flatMap((mo) => [
      `/api/monitoring/cockpit?month=${mo}`,
      ...meta.clusters.map((c) => `/api/monitoring/clusters/${c.code}?month=${mo}`),
    ]),
  );

  agent.destroy();
  await app.close();
} catch (error) {
  // Shown before the scratch database is dropped: dropping it ends idle pool connections noisily.
  console.error('bench failed:', error);
  throw error;
} finally {
  if (database) await database.close();
  // Dropping the scratch database ends any connection still open (an answer still computing when the
  // load stopped): expected here, not a failure of the bench.
  process.on('uncaughtException', (error) => {
    if ((error as { code?: string }).code === '57P01') return;
    console.error(error);
    process.exit(1);
  });
  await admin((c) => c.query(`drop database if exists ${name} with (force)`));
}

console.log('\ncluster monitoring (PostgreSQL, city-scale demo data)');
for (const r of results)
  console.log(
    `  ${r.ok === null ? ' ' : r.ok ? '✓' : '✗'} ${r.name}: ${r.value}${r.goal !== '—' ? ` (goal ${r.goal})` : ''}`,
  );
if (results.some((r) => r.ok === false)) process.exitCode = 1;
