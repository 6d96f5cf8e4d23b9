// Enterprise requests (issue 18) on the HTTP path, every hook on (the server as `serve` builds it: session,
// CSRF header, policy, audit rows, the escalation sweeper), on PostgreSQL in a scratch database with the
// demo year of requests (generateDemoRequests, as `clusterscope demo` makes it):
//   1. throughput of whole lifecycles — the firm files, the centre routes, the department accepts and
//      answers, the firm rates it 满意 (5 writes, each one transaction with its history and audit rows) —
//      from LANES concurrent lanes in a worker thread;
//   2. p95 of the pages officers open all day and of the statistics page, at 10 connections.
// Limits, and why (printed beside each result):
//   - lifecycles ≥ 1 per second. A busy 12345-style day is ~1,000 requests in 8 office hours, i.e. one every
//     ~30 s; a lifecycle per second is ~30× that peak, with every write still audited.
//   - the pool / inbox page p95 ≤ 500 ms: a work list officers reopen after every step; half a second is
//     where a list stops feeling instant (the plain reads of bench/reads.ts aim at ≤ 100 ms; this page joins
//     requests, work items, units and counts the filter).
//   - statistics, scores, recurring problems p95 ≤ 1 s: an analysis page opened a few times a day over a
//     year of requests, recomputed on each read (no cache to go stale); a second is the usual bound for a
//     page that computes.
//
//   node bin/run-ts.js bench/service.ts      (BENCH_PG_URL, BENCH_SERVICE_SECONDS, BENCH_SERVICE_PER_MONTH)
import crypto from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, runMigrations, type Database } from '../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../src/config/load.ts';
import { generateDemo } from '../src/demo/generate.ts';
import { loadReferenceData } from '../src/modules/reference/service.ts';
import { DEMO_PASSWORD, ensureDemoUsers } from '../src/modules/auth/demo-users.ts';
import { generateDemoRequests } from '../src/modules/service/demo.ts';
import { buildApp } from '../src/server/app.ts';
import { adminQuery, runLoad } from './load.ts';

const BASE = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const SECONDS = Math.min(20, Number(process.env.BENCH_SERVICE_SECONDS ?? 5));
const PER_MONTH = Number(process.env.BENCH_SERVICE_PER_MONTH ?? 30);
const LANES = 8;
const CONNECTIONS = 10;
const LIMITS = { lifecyclesPerSecond: 1, poolMs: 500, statsMs: 1000 };

// One lane: file → assign → accept → answer → rate, again and again until the deadline (plain JavaScript
// for the worker thread; loopback only).
const LIFECYCLE_WORKER = `
const { parentPort, workerData: w } = require('node:worker_threads');
const call = async (who, method, path, body) => {
  const s = performance.now();
  const res = await fetch('http://127.0.0.1:' + w.port + path, {
    method,
    headers: { cookie: w.cookies[who], 'content-type': 'application/json', 'x-requested-with': 'clusterscope' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(method + ' ' + path + ' as ' + who + ': ' + res.status + ' ' + text.slice(0, 200));
  return { ms: performance.now() - s, json: JSON.parse(text) };
};
(async () => {
  const steps = { file: [], assign: [], accept: [], answer: [], rate: [] };
  let done = 0, n = 0;
  const started = performance.now();
  const deadline = started + w.seconds * 1000;
  const errors = [];
  await Promise.all(Array.from({ length: w.lanes }, async (_, lane) => {
    while (performance.now() < deadline) {
      const k = lane * 100000 + n++;
      try {
        const f = await call('enterprise', 'POST', '/api/service/requests', {
          nature: 'help', category: 'policy', title: '压测诉求 ' + k,
          description: '第 ' + k + ' 条：咨询技改补助申报条件与时间安排。',
        });
        steps.file.push(f.ms);
        const id = f.json.request.id;
        const act = (who, body) => call(who, 'POST', '/api/service/requests/' + id + '/actions', body);
        steps.assign.push((await act('service_center', { transition: 'assign', ownerUnitId: w.unitId })).ms);
        steps.accept.push((await act('dept_economy', { transition: 'accept' })).ms);
        steps.answer.push((await act('dept_economy', { transition: 'answer', reason: '已答复申报条件。' })).ms);
        steps.rate.push((await act('enterprise', { transition: 'rate', rating: 'satisfied' })).ms);
        done++;
      } catch (e) {
        errors.push(String(e && e.message || e));
        if (errors.length > 20) break;
      }
    }
  }));
  parentPort.postMessage({ steps, done, errors, elapsed: (performance.now() - started) / 1000 });
})();
`;

interface LifecycleResult {
  steps: Record<string, number[]>;
  done: number;
  errors: string[];
  elapsed: number;
}

const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? 0;
};
const verdict = (ok: boolean) => (ok ? 'OK' : 'MISSED');

const name = `cs_bench_service_${crypto.randomBytes(4).toString('hex')}`;
let d: Database | null = null;
console.log(
  `\n== service bench: HTTP path, every hook on; ${LANES} lanes of lifecycles and ${CONNECTIONS} connections of reads for ${SECONDS} s each (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores) ==`,
);
await adminQuery(BASE, `create database ${name}`);
try {
  process.env.DATABASE_POOL_SIZE ??= '20';
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  d = await openDatabase({ url: url.toString() });
  await runMigrations(d);
  const config = await loadCityConfig(resolveCityDir());
  await loadReferenceData(d.db, config);
  await generateDemo(d, config, { scale: 'city' });
  await ensureDemoUsers(d.db, { id: null, username: 'bench' });
  const t0 = performance.now();
  const summary = await generateDemoRequests(d.db, 20201029, {
    months: 12,
    perMonth: PER_MONTH,
    now: new Date(),
  });
  console.log(
    `   demo year of requests: ${summary.requests} requests over 12 months (${((performance.now() - t0) / 1000).toFixed(1)} s to generate)`,
  );
  await d.db.execute(sql`analyze`);
  const app = await buildApp({ database: d, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const cookies: Record<string, string> = {};
  for (const u of ['enterprise', 'service_center', 'dept_economy', 'nanhu', 'analyst']) {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'clusterscope' },
      body: JSON.stringify({ username: u, password: DEMO_PASSWORD }),
    });
    const c = res.headers.getSetCookie().find((x) => x.startsWith('cs_session='));
    if (!c) throw new Error(`login ${u}: ${res.status}`);
    cookies[u] = c.split(';')[0]!;
  }
  const [unit] = await queryRows<{ id: number }>(d.db, sql`select id from units where code = 'city.economy'`);

  // 1. lifecycles
  const worker = new Worker(LIFECYCLE_WORKER, {
    eval: true,
    workerData: { port, cookies, unitId: Number(unit!.id), lanes: LANES, seconds: SECONDS },
  });
  const life = await new Promise<LifecycleResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => worker.terminate());
  const rate = life.done / life.elapsed;
  console.log(
    `   lifecycles (file → assign → accept → answer → rate): ${life.done} in ${life.elapsed.toFixed(1)} s = ${rate.toFixed(2)}/s   limit ≥ ${LIMITS.lifecyclesPerSecond}/s   ${verdict(rate >= LIMITS.lifecyclesPerSecond && life.errors.length === 0)}`,
  );
  console.log(
    `     p95 per step: ${Object.entries(life.steps)
      .map(([k, v]) => `${k} ${p95(v).toFixed(0)} ms`)
      .join(', ')}`,
  );
  for (const e of life.errors.slice(0, 5)) console.log(`     ERROR ${e}`);

  // 2. pages
  const [{ n: total } = { n: 0 }] = await queryRows<{ n: number }>(
    d.db,
    sql`select count(*)::int as n from service_requests`,
  );
  const pages: [string, string, string, number][] = [
    [
      'pool (open, page 1)',
      'service_center',
      '/api/service/requests?open=true&page=1&pageSize=20',
      LIMITS.poolMs,
    ],
    ['pool (all, overdue)', 'service_center', '/api/service/requests?sla=overdue&pageSize=20', LIMITS.poolMs],
    [
      'department inbox',
      'dept_economy',
      '/api/service/requests?mine=true&open=true&pageSize=20',
      LIMITS.poolMs,
    ],
    ["firm's own requests", 'enterprise', '/api/service/requests?pageSize=100', LIMITS.poolMs],
    ['statistics by month (city)', 'analyst', '/api/service/stats?by=month', LIMITS.statsMs],
    ['statistics by unit (city)', 'analyst', '/api/service/stats?by=unit', LIMITS.statsMs],
    ['statistics by month (county)', 'nanhu', '/api/service/stats?by=month', LIMITS.statsMs],
    ['department scores (红黑榜)', 'analyst', '/api/service/scores', LIMITS.statsMs],
    ['recurring problems', 'analyst', '/api/service/recurring', LIMITS.statsMs],
  ];
  console.log(`   reads over ${total} requests:`);
  let missed = 0;
  for (const [label, who, path, limit] of pages) {
    await fetch(`${base}${path}`, { headers: { cookie: cookies[who]! } }); // warm
    const r = await runLoad({
      port,
      cookie: cookies[who]!,
      paths: [path],
      connections: CONNECTIONS,
      seconds: SECONDS,
      max: 2_000,
    });
    const v = p95(r.latencies);
    const ok = v <= limit && r.errors === 0;
    if (!ok) missed++;
    console.log(
      `     ${label.padEnd(30)} p95 ${v.toFixed(0).padStart(5)} ms (${r.latencies.length} requests${r.errors ? `, ${r.errors} not 200` : ''})   limit ≤ ${limit} ms   ${verdict(ok)}`,
    );
  }
  console.log(`   ${missed === 0 ? 'every read within its limit' : `${missed} reads MISSED their limit`}`);
  await app.close();
} finally {
  await d?.close();
  await adminQuery(BASE, `drop database if exists ${name} with (force)`);
}
