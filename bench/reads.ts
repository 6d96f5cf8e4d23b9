// Read speed per role (issue 13): every GET route of monitoring, enterprises, evaluation, chains and
// projects (taken from the API's own OpenAPI document), at 50 connections on PostgreSQL, for each
// role; p95 beside the goal (≤ 100 ms; ≤ 200 ms for rankings; ≤ 300 ms for a chain's atlas and roadmap). City-scale demo data by default
// (BENCH_READS_SCALE=province for the province), in a scratch database; loopback only; each route and
// role is bounded by BENCH_READS_SECONDS (default 2) and 2,000 requests.
//
// The data is the FULL demo, written as `clusterscope demo` writes it (prepareDatabase, then demoAll: the
// core and every deferred step — projects, evaluations, objections …): a route asked of an empty table
// answers 404 in a few milliseconds and measures nothing. Path parameters are real ids each role can see,
// taken from that role's own list answers (its projects, its objection files, the results of the run in
// force), so a cell other than 200 means the role truly may not see it.
//
//   node bin/run-ts.js bench/reads.ts
import crypto from 'node:crypto';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '../src/db/client.ts';
import { prepareDatabase } from '../src/composition.ts';
import { demoAll } from '../src/cli/demo-steps.ts';
import { ensureAssignments } from '../src/modules/chains/service.ts';
import { DEMO_PASSWORD } from '../src/modules/auth/demo-users.ts';
import { POLICY_DEPARTMENTS } from '../src/domain/evaluation/types.ts';
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

// BENCH_READS_DATABASE names a database on the same server that already holds the full demo (written by
// `clusterscope demo`): the bench then reads it as it is (migrated first) and keeps it — for comparing
// branches side by side without writing the demo (minutes) each time.
const GIVEN = process.env.BENCH_READS_DATABASE;
const name = GIVEN ?? `cs_bench_reads_${crypto.randomBytes(4).toString('hex')}`;
let d: Database | null = null;
console.log(
  `\n== reads bench: ${SCALE}-scale demo data, ${CONNECTIONS} connections, ≤ ${SECONDS} s per route and role (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores) ==`,
);
if (!GIVEN) await admin(`create database ${name}`);
try {
  process.env.DATABASE_POOL_SIZE ??= '20';
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  d = await openDatabase({ url: url.toString() });
  // what `clusterscope demo` runs: migrations, reference data, chains, seeded definitions, then the core
  // (registry, facts, rollups, placement, logins) and every deferred step
  const started = performance.now();
  await prepareDatabase(d);
  if (GIVEN) console.log(`   reading the demo already in ${GIVEN}`);
  else {
    await demoAll(d, 20201029, SCALE, (line) => console.log(`   demo ${line.trim()}`));
    console.log(`   full demo written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
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

  // path parameters: a real value of each kind from the demo data, city-wide …
  const one = async (q: ReturnType<typeof sql>) => (await queryRows<{ v: string }>(d!.db, q))[0]?.v ?? '1';
  // the run in force: the newest published, not superseded (the demo publishes one per year)
  const run = await one(
    sql`select id::text as v from evaluation_runs where status = 'published' and superseded_by_run_id is null
        order by year desc, id desc limit 1`,
  );
  const city: Record<string, string> = {
    enterprise: await one(
      sql`select id::text as v from enterprises where region_code = '330402' order by id limit 1`,
    ),
    chain: await one(sql`select code as v from chains order by code limit 1`),
    node: await one(sql`select code as v from chain_nodes order by chain_code, code limit 1`),
    project: await one(sql`select id::text as v from projects order by id limit 1`),
    run,
    ruleSet: await one(sql`select rule_set_id::text as v from evaluation_runs where id = ${Number(run)}`),
    otherRuleSet: await one(
      sql`select id::text as v from evaluation_rule_sets
          where id <> (select rule_set_id from evaluation_runs where id = ${Number(run)}) order by id limit 1`,
    ),
    runYear: await one(sql`select year::text as v from evaluation_runs where id = ${Number(run)}`),
    objection: await one(sql`select id::text as v from evaluation_objections order by id limit 1`),
    file: '1',
    year: await one(sql`select to_char(max(month), 'YYYY') as v from monthly_stats`),
  };
  const doc = (await (await fetch(`${base}/api/docs/json`)).json()) as { paths: Record<string, object> };
  const routes = Object.entries(doc.paths)
    .filter(
      ([p, ops]) =>
        'get' in ops && PREFIXES.some((x) => p.startsWith(x)) && !SKIP.test(p) && (!ONLY || ONLY.test(p)),
    )
    .map(([p]) => p)
    .sort();

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
  const api = async <T>(role: string, path: string, body?: object): Promise<T | null> => {
    const res = await fetch(`${base}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: {
        cookie: cookies[role]!,
        ...(body ? { 'content-type': 'application/json', 'x-requested-with': 'clusterscope' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.ok ? ((await res.json()) as T) : null;
  };
  type Items<T> = { items: T[] } | null;
  const firstResult = async (role: string) =>
    (await api<Items<{ enterpriseId: number }>>(role, `/api/evaluation/runs/${run}/results?pageSize=1`))
      ?.items[0]?.enterpriseId;
  // The demo files no 亩均 objection: each role that may file one does, as its users would (the API, on
  // the first result it sees in the run in force), with one evidence file — so the objection lists and a
  // file download answer with data.
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');
  for (const role of ROLES) {
    const seen = await api<Items<unknown>>(role, '/api/evaluation/objection-files');
    const enterpriseId = await firstResult(role);
    if (!enterpriseId || seen?.items.length) continue;
    const objection = await api<{ id: number }>(role, `/api/evaluation/runs/${run}/objections`, {
      enterpriseId,
      text: '用地面积按不动产登记应为 32 亩（基准测试）',
      evidence: '不动产权证书（基准测试）',
    });
    if (objection)
      await api(role, `/api/evaluation/objections/${objection.id}/files`, {
        fileName: '不动产权证书.pdf',
        contentBase64: PDF,
      });
  }

  // … and per role, the first of each kind in what that role sees (its own lists answer it)
  const perRole: Record<string, Record<string, string>> = {};
  for (const role of ROLES) {
    const v: Record<string, string> = {};
    const firm = (await api<Items<{ id: number }>>(role, '/api/enterprises?pageSize=1'))?.items[0]?.id;
    if (firm) v.enterprise = String(firm);
    const project = (await api<Items<{ id: number }>>(role, '/api/projects?pageSize=1'))?.items[0]?.id;
    if (project) v.project = String(project);
    const file = (
      await api<Items<{ id: number; objectionId: number }>>(role, '/api/evaluation/objection-files')
    )?.items[0];
    if (file) Object.assign(v, { objection: String(file.objectionId), file: String(file.id) });
    const result = await firstResult(role);
    if (result) v.result = String(result);
    perRole[role] = v;
  }
  console.log(`   ids per role: ${JSON.stringify({ city, perRole })}`);
  const fill = (p: string, role: string) => {
    const v = { ...city, ...perRole[role] };
    const path = p.replace(/\{(\w+)\}|:(\w+)/g, (_m, a: string | undefined, b: string | undefined) => {
      const key = (a ?? b)!;
      if (key === 'code' && p.startsWith('/api/monitoring/regions')) return '330402';
      if (key === 'code' && p.startsWith('/api/monitoring')) return 'textile';
      if (key === 'code' || key === 'chain') return v.chain!;
      if (key === 'node' || key === 'nodeCode') return v.node!;
      if (key === 'year') return v.year!;
      if (key === 'fileId') return v.file!;
      if (key === 'enterpriseId') return v.result ?? v.enterprise!;
      if (p.startsWith('/api/projects')) return v.project!;
      if (p.startsWith('/api/evaluation/objections')) return v.objection!;
      if (p.startsWith('/api/evaluation/rule-sets')) return v.ruleSet!;
      if (p.startsWith('/api/evaluation')) return v.run!;
      return v.enterprise!;
    });
    // the query the web's page sends (its first page where the list is paged by the server)
    const query: Record<string, string> = {
      '/api/evaluation/watch': `year=${v.runYear}&page=1&pageSize=50`,
      '/api/evaluation/runs/{id}/policies': 'page=1&pageSize=50',
      '/api/evaluation/simulate': `year=${v.runYear}&a=${v.ruleSet}&b=${v.otherRuleSet}`,
      '/api/evaluation/runs/{id}/ledger.xlsx': `department=${POLICY_DEPARTMENTS[0]}`,
    };
    return query[p] ? `${path}?${query[p]}` : path;
  };

  const misses: string[] = [];
  console.log(`   ${'route'.padEnd(52)} ${ROLES.map((r) => r.padStart(15)).join('')}   goal`);
  for (const route of routes) {
    // the issue's table: rankings ≤ 200 ms, a chain's atlas and roadmap ≤ 300 ms for every role
    const goal = /rank/.test(route) ? 200 : /^\/api\/chains\/\{code\}(\/roadmap)?$/.test(route) ? 300 : 100;
    const cells: string[] = [];
    for (const role of ROLES) {
      const path = fill(route, role);
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
  if (!GIVEN) await admin(`drop database if exists ${name} with (force)`);
}
