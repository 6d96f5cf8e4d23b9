// Read speed per role (issue 13): every GET route of monitoring, enterprises, evaluation, chains and
// projects (taken from the API's own OpenAPI document), at 50 connections on PostgreSQL, for each
// role; p95 beside the goal (≤ 100 ms; ≤ 200 ms for rankings; ≤ 300 ms for a chain's atlas and roadmap). City-scale demo data by default
// (BENCH_READS_SCALE=province for the province), in a scratch database; loopback only; each route and
// role is bounded by BENCH_READS_SECONDS (default 2) and 2,000 requests.
//
//   node bin/run-ts.js bench/reads.ts
import crypto from 'node:crypto';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, runMigrations, type Database } from '../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../src/config/load.ts';
import { generateDemo } from '../src/demo/generate.ts';
import { loadReferenceData } from '../src/modules/reference/service.ts';
import { ensureAssignments, loadChains } from '../src/modules/chains/service.ts';
import { DEMO_PASSWORD, ensureDemoUsers } from '../src/modules/auth/demo-users.ts';
import { refreshClusterRollups } from '../src/modules/monitoring/rollup.ts';
import { buildApp } from '../src/server/app.ts';
import { adminQuery, runLoad } from './load.ts';

const BASE = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const SCALE = process.env.BENCH_READS_SCALE === 'province' ? 'province' : 'city';
const SECONDS = Math.min(10, Number(process.env.BENCH_READS_SECONDS ?? 2));
// BENCH_READS_CONNECTIONS and BENCH_READS_ROUTES (a regular expression) narrow a run, e.g. the
// rankings at 10 connections: BENCH_READS_ROUTES=rank BENCH_READS_CONNECTIONS=10
const CONNECTIONS = Number(process.env.BENCH_READS_CONNECTIONS ?? 50);
const ONLY = process.env.BENCH_READS_ROUTES ? new RegExp(process.env.BENCH_READS_ROUTES) : null;
const MAX_REQUESTS = 2_000;
const PREFIXES = ['/api/monitoring', '/api/enterprises', '/api/evaluation', '/api/chains', '/api/projects'];
const ROLES = ['admin', 'analyst', 'nanhu', 'agency_textile', 'enterprise'];
// downloads (xlsx, pdf, documents) are files, not pages: measured elsewhere
const SKIP = /\/(export|template|report|download|documents\/)/;

function load(port: number, cookie: string, path: string) {
  return runLoad({
    port,
    cookie,
    paths: [path],
    connections: CONNECTIONS,
    seconds: SECONDS,
    max: MAX_REQUESTS,
  });
}

const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? 0;
};

const admin = (text: string) => adminQuery(BASE, text);

const name = `cs_bench_reads_${crypto.randomBytes(4).toString('hex')}`;
let d: Database | null = null;
console.log(
  `\n== reads bench: ${SCALE}-scale demo data, ${CONNECTIONS} connections, ≤ ${SECONDS} s per route and role (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores) ==`,
);
await admin(`create database ${name}`);
try {
  process.env.DATABASE_POOL_SIZE ??= '20';
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  d = await openDatabase({ url: url.toString() });
  await runMigrations(d);
  const config = await loadCityConfig(resolveCityDir());
  await loadReferenceData(d.db, config);
  await loadChains(d.db, config);
  await generateDemo(d, config, { scale: SCALE });
  await d.db.transaction((tx) => refreshClusterRollups(tx));
  await ensureDemoUsers(d.db, { id: null, username: 'bench' });
  // chain placement on record, as after a server's first chain read (50 first reads at once would each
  // start the full build: measured apart from the steady state)
  await ensureAssignments(d.db);
  // statistics and the visibility map, as autovacuum leaves them on a running server after a bulk load
  // (index-only reads of the rollups need the latter)
  await d.db.execute(sql`vacuum analyze`);
  const app = await buildApp({ database: d, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;

  // path parameters: a real value of each kind from the demo data
  const one = async (q: ReturnType<typeof sql>) => (await queryRows<{ v: string }>(d!.db, q))[0]?.v ?? '1';
  const values: Record<string, string> = {
    enterprise: await one(
      sql`select id::text as v from enterprises where region_code = '330402' order by id limit 1`,
    ),
    chain: await one(sql`select code as v from chains order by code limit 1`),
    node: await one(sql`select code as v from chain_nodes order by chain_code, code limit 1`),
    project: await one(sql`select id::text as v from projects order by id limit 1`),
    run: await one(sql`select id::text as v from evaluation_runs order by id desc limit 1`),
    year: await one(sql`select to_char(max(month), 'YYYY') as v from monthly_stats`),
  };
  const fill = (p: string) =>
    p.replace(/\{(\w+)\}|:(\w+)/g, (_m, a: string | undefined, b: string | undefined) => {
      const key = (a ?? b)!;
      if (key === 'code' && p.startsWith('/api/monitoring/regions')) return '330402';
      if (key === 'code' && p.startsWith('/api/monitoring')) return 'textile';
      if (key === 'code' || key === 'chain') return values.chain!;
      if (key === 'node' || key === 'nodeCode') return values.node!;
      if (key === 'year') return values.year!;
      if (p.startsWith('/api/projects')) return values.project!;
      if (p.startsWith('/api/evaluation')) return values.run!;
      return values.enterprise!;
    });
  const doc = (await (await fetch(`${base}/api/docs/json`)).json()) as { paths: Record<string, object> };
  const routes = Object.entries(doc.paths)
    .filter(
      ([p, ops]) =>
        'get' in ops && PREFIXES.some((x) => p.startsWith(x)) && !SKIP.test(p) && (!ONLY || ONLY.test(p)),
    )
    .map(([p]) => p)
    .sort();

  const misses: string[] = [];
  console.log(`   ${'route'.padEnd(52)} ${ROLES.map((r) => r.padStart(15)).join('')}   goal`);
  const cookies: Record<string, string> = {};
  for (const role of ROLES) {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'clusterscope' },
      body: JSON.stringify({ username: role, password: DEMO_PASSWORD }),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith('cs_session='));
    // a state-changing request needs X-Requested-With (CSRF): without it every login was refused
    if (!session) throw new Error(`login as ${role} refused: ${res.status} ${await res.text()}`);
    cookies[role] = session.split(';')[0]!;
  }
  for (const route of routes) {
    const path = fill(route);
    // the issue's table: rankings ≤ 200 ms, a chain's atlas and roadmap ≤ 300 ms for every role
    const goal = /rank/.test(route) ? 200 : /^\/api\/chains\/\{code\}(\/roadmap)?$/.test(route) ? 300 : 100;
    const cells: string[] = [];
    for (const role of ROLES) {
      await fetch(`${base}${path}`, { headers: { cookie: cookies[role]! } }); // warm: one request first
      const r = await load(port, cookies[role]!, path);
      const v = p95(r.latencies);
      const codes = Object.keys(r.statuses).filter((s) => s !== '200');
      // an answer other than 200 (404 outside the scope, 403 for the role) is measured all the same
      cells.push(`${v.toFixed(0)}ms${codes.length ? `(${codes.join('/')})` : ''}`.padStart(15));
      if (v > goal) misses.push(`${route} as ${role}: p95 ${v.toFixed(0)} ms`);
    }
    console.log(
      `   ${route.padEnd(52)} ${cells.join('')}   ≤ ${goal} ms (load ${os.loadavg()[0]!.toFixed(1)})`,
    );
  }
  console.log(
    `   ${routes.length} routes × ${ROLES.length} roles: ${misses.length === 0 ? 'every p95 within its goal OK' : `${misses.length} MISSED`}`,
  );
  for (const m of misses.slice(0, 30)) console.log(`     MISSED ${m}`);
  await app.close();
} finally {
  await d?.close();
  await admin(`drop database if exists ${name} with (force)`);
}
