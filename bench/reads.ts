// Read speed per role (issue 13): every GET route of monitoring, enterprises, evaluation, chains and
// projects — the server's own registered route list, so a route added later is measured without
// editing this file — at 50 connections on PostgreSQL, for each role (admin, analyst, the county
// officer nanhu, the cluster agency agency_textile, an enterprise); p95 beside its goal (bench/reads-
// cases.ts: pages ≤ 100 ms, rankings ≤ 200 ms, a chain's atlas and roadmap ≤ 300 ms; downloads
// measured too: a stored file ≤ 100 ms, a built workbook ≤ 1 s). A paged list is asked at its first
// page, its LAST page (the deepest offset) and, where it offers one, a non-default sort or filter.
// City-scale demo data by default (BENCH_READS_SCALE=province for the province; `npm run bench` runs
// both), in a scratch database; loopback only; each cell is bounded by BENCH_READS_SECONDS (default 2)
// and 2,000 requests.
//
// The data is the FULL demo, written as `clusterscope demo` writes it (prepareDatabase, then demoAll: the
// core and every deferred step — projects, evaluations, objections …): a route asked of an empty table
// answers 404 in a few milliseconds and measures nothing. Path parameters are real ids and codes each
// role can see, taken from that role's own answers (its login's county and cluster, its projects, its
// chains, its objection files, its results in the run in force), so a cell other than 200 means the
// role truly may not see it — such cells are printed with their status and listed at the end.
//
//   node bin/run-ts.js bench/reads.ts
import crypto from 'node:crypto';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '../src/db/client.ts';
import { prepareDatabase } from '../src/composition.ts';
import { demoAll } from '../src/cli/demo-steps.ts';
import { ensureAssignments } from '../src/modules/chains/service.ts';
import { createUser, DEMO_PASSWORD } from '../src/modules/auth/index.ts';
import { POLICY_DEPARTMENTS } from '../src/domain/evaluation/types.ts';
import { buildApp } from '../src/server/app.ts';
import { answerCacheCounts } from '../src/db/answer-cache.ts';
import { stampCounts } from '../src/modules/enterprises/stamps.ts';
import { digestCounts } from '../src/modules/projects/answers.ts';
import { procCpuMs } from './cpu-watch.ts';
import { adminQuery, runLoad, type LoadResult } from './load.ts';
import {
  goalOf,
  isPaged,
  kindOf,
  otherVariant,
  queryParams,
  readRoutes,
  type Variant,
} from './reads-cases.ts';

const BASE = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const SCALE = process.env.BENCH_READS_SCALE === 'province' ? 'province' : 'city';
const SECONDS = Math.min(10, Number(process.env.BENCH_READS_SECONDS ?? 2));
// BENCH_READS_CONNECTIONS and BENCH_READS_ROUTES (a regular expression) narrow a run, e.g. the
// rankings at 10 connections: BENCH_READS_ROUTES=rank BENCH_READS_CONNECTIONS=10
const CONNECTIONS = Number(process.env.BENCH_READS_CONNECTIONS ?? 50);
const ONLY = process.env.BENCH_READS_ROUTES ? new RegExp(process.env.BENCH_READS_ROUTES) : null;
const MAX_REQUESTS = 2_000;
// BENCH_READS_TRACE=1: under each cell slower than half its goal, what happened meanwhile — the server
// thread's GC pauses (and the load thread's), its longest event-loop stall, the kept answers' version reads,
// waits and refills, and checkpoints — with when the slow requests started, to tell a spike's cause.
// BENCH_READS_TRACE=all traces every cell.
const TRACE = Boolean(process.env.BENCH_READS_TRACE);
const TRACE_ALL = process.env.BENCH_READS_TRACE === 'all';
const ROLES = ['admin', 'analyst', 'nanhu', 'agency_textile', 'enterprise'];

const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? 0;
};
const loadAvg = () => os.loadavg()[0]!.toFixed(1);
// CPU time in ms of a thread or process (utime + stime of /proc/<pid>/stat; Linux, 100 ticks a second): on
// a machine shared with other work the p95 is mostly the other work, while the CPU a request costs the
// server's one JavaScript thread and the database backends is not (at 50 connections a p95 is about 50 ×
// the thread's share when that thread is the bottleneck)
const cpuMs = (stat: string) => procCpuMs(stat) ?? 0; // 0: a backend that ended meanwhile
const admin = (text: string) => adminQuery(BASE, text);

// the server thread's GC pauses on the process's clock (performance.timeOrigin + startTime), kept while tracing
const now = () => performance.timeOrigin + performance.now();
const gcPauses: { at: number; ms: number; kind?: number }[] = [];
const eventLoop = monitorEventLoopDelay({ resolution: 5 });
if (TRACE) {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcPauses.push({
        at: performance.timeOrigin + e.startTime,
        ms: e.duration,
        kind: (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind,
      });
  }).observe({ entryTypes: ['gc'] });
  eventLoop.enable();
}
// CPU ms of this process's threads other than the main one that exist now (V8's platform workers: concurrent
// GC marking and sweeping, background compilation; the load thread starts after this is read, so it is left out)
const helperCpu = () => {
  const m = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task'))
    if (Number(tid) !== process.pid) m.set(tid, cpuMs(`/proc/self/task/${tid}/stat`));
  return m;
};
const helperDelta = (before: Map<string, number>) => {
  let ms = 0;
  for (const [tid, was] of before) ms += cpuMs(`/proc/self/task/${tid}/stat`) - was;
  return ms;
};
const counters = () => ({
  ...answerCacheCounts,
  stampReads: stampCounts.reads,
  digestReads: digestCounts.reads,
  digestWaits: digestCounts.waits,
});
// GC kinds (perf_hooks constants): 1 minor (scavenge), 4 major (mark-compact), 8 incremental marking, 16 weak callbacks
const gcText = (xs: { ms: number; kind?: number }[]) => {
  const major = xs.filter((x) => x.kind === 4);
  const incremental = xs.filter((x) => x.kind === 8);
  const max = Math.max(0, ...xs.map((x) => x.ms));
  const sum = xs.reduce((a, x) => a + x.ms, 0);
  return `${xs.length} (${major.length} major ${major.reduce((a, x) => a + x.ms, 0).toFixed(0)} ms, ${incremental.length} incremental ${incremental.reduce((a, x) => a + x.ms, 0).toFixed(0)} ms) sum ${sum.toFixed(0)} max ${max.toFixed(0)} ms`;
};
/** The trace of one cell: what the server did while the load ran, and when the slow requests started. */
function traceText(
  r: LoadResult,
  from: number,
  to: number,
  goal: number,
  before: ReturnType<typeof counters>,
  after: ReturnType<typeof counters>,
  bg: { before: string; after: string },
  extra: string,
) {
  const gc = gcPauses.filter((g) => g.at >= from && g.at <= to);
  const slow = r.latencies.map((ms, i) => ({ ms, at: r.starts[i]! })).filter((x) => x.ms > goal / 2);
  const overlaps = (x: { at: number; ms: number }, g: { at: number; ms: number }) =>
    g.at < x.at + x.ms && g.at + g.ms > x.at;
  const inGc = slow.filter((x) => gc.some((g) => g.ms >= 5 && overlaps(x, g))).length;
  const slowAt = slow.length
    ? `${(Math.min(...slow.map((x) => x.at)) - from).toFixed(0)}–${(Math.max(...slow.map((x) => x.at)) - from).toFixed(0)} ms`
    : '-';
  const delta = Object.entries(after)
    .map(([k, v]) => `${k} ${Number((v - before[k as keyof typeof before]).toFixed(0))}`)
    .join(', ');
  const big = gc
    .filter((g) => g.ms >= 10)
    .map((g) => `${(g.at - from).toFixed(0)}:${g.ms.toFixed(0)}ms/k${g.kind}`)
    .join(' ');
  return [
    `${new Date(from).toISOString().slice(11, 23)} UTC, n ${r.latencies.length} in ${(to - from).toFixed(0)} ms; ${slow.length} over ${goal / 2} ms, started at ${slowAt} into the cell, ${inGc} of them overlapping a server GC pause ≥ 5 ms`,
    `server GC ${gcText(gc)}${big ? ` [at:pause ${big}]` : ''}; load thread GC ${gcText(r.gc)}; longest event-loop stall ${(eventLoop.max / 1e6).toFixed(0)} ms; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
    extra,
    `${delta}; bgwriter ${bg.before === bg.after ? 'unchanged' : `${bg.before} → ${bg.after}`}`,
  ];
}

// BENCH_READS_DATABASE names a database on the same server that already holds the full demo (written by
// `clusterscope demo`): the bench then reads it as it is (migrated first) and keeps it — for comparing
// branches side by side without writing the demo (minutes) each time.
const GIVEN = process.env.BENCH_READS_DATABASE;
const name = GIVEN ?? `cs_bench_reads_${crypto.randomBytes(4).toString('hex')}`;
let d: Database | null = null;
console.log(
  `\n== reads bench: ${SCALE}-scale demo data, ${CONNECTIONS} connections, ≤ ${SECONDS} s per route and role (load average ${loadAvg()} on ${os.cpus().length} cores) ==`,
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

  const one = async (q: ReturnType<typeof sql>) => (await queryRows<{ v: string }>(d!.db, q))[0]?.v;
  // the run in force: the newest published, not superseded (the demo publishes one per year)
  const run = (await one(
    sql`select id::text as v from evaluation_runs where status = 'published' and superseded_by_run_id is null
        order by year desc, id desc limit 1`,
  ))!;
  const runRow = sql`(select rule_set_id from evaluation_runs where id = ${Number(run)})`;
  const ruleSet = (await one(sql`select ${runRow}::text as v`))!;
  // values of the required query parameters (the OpenAPI document says which are required)
  const required: Record<string, string> = {
    year: (await one(sql`select year::text as v from evaluation_runs where id = ${Number(run)}`))!,
    a: ruleSet,
    b: (await one(
      sql`select id::text as v from evaluation_rule_sets where id <> ${runRow} order by id limit 1`,
    ))!,
    department: POLICY_DEPARTMENTS[0],
  };

  const login = async (username: string) => {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'clusterscope' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith('cs_session='));
    // a state-changing request needs X-Requested-With (CSRF): without it every login was refused
    if (!session) throw new Error(`login as ${username} refused: ${res.status} ${await res.text()}`);
    return session.split(';')[0]!;
  };
  const cookies: Record<string, string> = {};
  for (const role of ROLES) cookies[role] = await login(role);
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
  type Items<T> = { items: T[]; total?: number } | null;

  // The enterprise column is a firm with data on every page: the demo's `enterprise` login is kept when
  // its firm invests in a project, else a login `bench_enterprise` is made for the first above-scale
  // firm that does and has a result in the run in force (a firm with no project can only ever get 404
  // from /api/projects/{id}: that measured nothing).
  if (!(await api<Items<unknown>>('enterprise', '/api/projects?pageSize=1'))?.total) {
    const firm = await one(
      sql`select e.id::text as v from enterprises e
          where exists (select 1 from projects p where p.investor_enterprise_id = e.id)
            and exists (select 1 from evaluation_results r where r.run_id = ${Number(run)} and r.enterprise_id = e.id)
          order by case when e.scale = 'above' then 0 else 1 end, e.id limit 1`,
    );
    if (firm) {
      const exists = await one(sql`select username as v from users where username = 'bench_enterprise'`);
      if (!exists)
        await createUser(
          d.db,
          {
            username: 'bench_enterprise',
            displayName: '基准测试企业',
            role: 'enterprise',
            enterpriseId: Number(firm),
            password: DEMO_PASSWORD,
          },
          { id: null, username: 'bench' },
        );
      cookies.enterprise = await login('bench_enterprise');
      console.log(
        `   enterprise column: bench_enterprise (firm ${firm}; the demo login's firm has no project)`,
      );
    }
  }

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

  // Per role, the first of each kind in what that role sees (its own answers give it)
  type Detail = { id: number; stage: string; stages: { evidence: { documentId?: number | null }[] }[] };
  const documentOf = (p: Detail | null) =>
    p?.stages.flatMap((s) => s.evidence).find((e) => e.documentId)?.documentId ?? undefined;
  const perRole: Record<string, Record<string, string>> = {};
  for (const role of ROLES) {
    const v: Record<string, string> = { run, ruleSet };
    const me = await api<{
      regionCode: string | null;
      clusterCode: string | null;
      enterpriseId: number | null;
    }>(role, '/api/auth/me');
    const own = me?.enterpriseId
      ? await api<{ regionCode: string; clusters: string[] }>(role, `/api/enterprises/${me.enterpriseId}`)
      : null;
    const firm =
      me?.enterpriseId ??
      (await api<Items<{ id: number }>>(role, '/api/enterprises?pageSize=1'))?.items[0]?.id;
    if (firm) v.enterprise = String(firm);
    // the login's own county and cluster (a firm's: its county and first cluster); city-wide roles the
    // first county and cluster of the city
    v.region = me?.regionCode ?? own?.regionCode ?? '330402';
    v.cluster = me?.clusterCode ?? own?.clusters[0] ?? 'textile';
    const chains = (await api<{ code: string; clusterCode: string }[]>(role, '/api/chains')) ?? [];
    const chain = chains.find((c) => c.clusterCode === v.cluster) ?? chains[0];
    if (chain) {
      v.chain = chain.code;
      // the node with most firms on the role's own atlas of that chain
      const atlas = await api<{ nodes: { code: string; firms: number }[] }>(
        role,
        `/api/chains/${chain.code}`,
      );
      const node = atlas?.nodes.toSorted((a, b) => b.firms - a.firms)[0];
      if (node) v.node = node.code;
    }
    const project = (await api<Items<{ id: number }>>(role, '/api/projects?pageSize=1'))?.items[0]?.id;
    if (project) {
      v.project = String(project);
      // an evidence document of that project: uploaded by the admin when it has none yet
      let detail = await api<Detail>(role, `/api/projects/${project}`);
      if (detail && !documentOf(detail)) {
        await api('admin', `/api/projects/${project}/stages/${detail.stage}/documents`, {
          fileName: '项目备案证明.pdf',
          contentBase64: PDF,
        });
        detail = await api<Detail>(role, `/api/projects/${project}`);
      }
      const doc = documentOf(detail);
      if (doc) v.document = String(doc);
    }
    const file = (
      await api<Items<{ id: number; objectionId: number }>>(role, '/api/evaluation/objection-files')
    )?.items[0];
    if (file) Object.assign(v, { objection: String(file.objectionId), file: String(file.id) });
    const result = await firstResult(role);
    if (result) v.result = String(result);
    perRole[role] = v;
  }
  console.log(`   ids per role: ${JSON.stringify(perRole)}`);

  // a route's path for a role: each `:param` from what that role sees; where the role sees nothing of
  // that kind (an enterprise is refused the chain list, a county officer files no objection), the
  // admin's value, so the cell measures the role's refusal (403/404) and says whose id it asked
  const KEYS: [RegExp, string, string][] = [
    [/^\/api\/monitoring\/regions/, 'code', 'region'],
    [/^\/api\/monitoring\/clusters/, 'code', 'cluster'],
    [/^\/api\/chains/, 'code', 'chain'],
    [/./, 'node', 'node'],
    [/./, 'fileId', 'file'],
    [/./, 'documentId', 'document'],
    [/./, 'enterpriseId', 'result'],
    [/^\/api\/projects/, 'id', 'project'],
    [/^\/api\/evaluation\/objections/, 'id', 'objection'],
    [/^\/api\/evaluation\/rule-sets/, 'id', 'ruleSet'],
    [/^\/api\/evaluation/, 'id', 'run'],
    [/^\/api\/enterprises/, 'id', 'enterprise'],
  ];
  const pathFor = (route: string, role: string) => {
    const borrowed: string[] = [];
    const path = route.replace(/:(\w+)/g, (_m, param: string) => {
      const key = KEYS.find(([r, p]) => p === param && r.test(route))?.[2];
      // a new kind of path parameter must be taught to the bench, not guessed
      if (!key) throw new Error(`the reads bench has no value for :${param} of ${route}`);
      const value = perRole[role]![key] ?? perRole.admin![key];
      if (!value) throw new Error(`the demo has no ${key} for ${route}`);
      if (!perRole[role]![key]) borrowed.push(key);
      return value;
    });
    return { path, borrowed };
  };

  const doc = (await (await fetch(`${base}/api/docs/json`)).json()) as Parameters<typeof queryParams>[0];
  const routes = readRoutes(app.routeList, ONLY);
  const kinds = routes.map(kindOf);
  console.log(
    `   ${routes.length} GET routes registered under the five prefixes: ${kinds.filter((k) => k === 'read').length} pages, ` +
      `${kinds.filter((k) => k === 'stored file').length} stored-file and ${kinds.filter((k) => k === 'built file').length} built-file downloads`,
  );

  const misses: string[] = [];
  const refusals: string[] = [];
  let cells = 0;
  // checkpoints and the buffers they wrote (a checkpoint ending in a cell shows in that cell)
  const bgwriter = async () =>
    (
      await queryRows<{ v: string }>(
        d!.db,
        sql`select (checkpoints_timed + checkpoints_req)::text || ' ckpt/' || buffers_checkpoint::text || ' buf/' ||
                   buffers_backend::text || ' backend' as v from pg_stat_bgwriter`,
      )
    )[0]!.v;
  const measure = async (role: string, path: string, kind: string, goal: number) => {
    const cookie = cookies[role]!;
    // warm: one request first; its answer's type is checked against the route's kind
    const heapBeforeWarm = process.memoryUsage().heapUsed;
    const warmCounts = counters();
    const warmFrom = now();
    const warm = await fetch(`${base}${path}`, { headers: { cookie } });
    const type = warm.headers.get('content-type') ?? '';
    const text = kind === 'read' ? await warm.text() : (await warm.arrayBuffer(), '');
    const misclassified = warm.status === 200 && (kind === 'read') !== type.includes('json');
    const backends = async () =>
      (
        await queryRows<{ pid: number }>(
          d!.db,
          sql`select pid from pg_stat_activity where datname = current_database()`,
        )
      ).map((b) => b.pid);
    const thread = `/proc/${process.pid}/task/${process.pid}/stat`;
    const pgBefore = new Map((await backends()).map((pid) => [pid, cpuMs(`/proc/${pid}/stat`)]));
    const warmMs = now() - warmFrom;
    const bgBefore = TRACE ? await bgwriter() : '';
    const countsBefore = counters();
    const warmComputes = countsBefore.computes - warmCounts.computes;
    const heapAfterWarm = process.memoryUsage().heapUsed;
    const helpers = helperCpu();
    eventLoop.reset();
    const from = now();
    const nodeBefore = cpuMs(thread);
    const r = await runLoad({
      port,
      cookie,
      paths: [path],
      connections: CONNECTIONS,
      seconds: SECONDS,
      max: MAX_REQUESTS,
      trace: TRACE,
    });
    const nodeAfter = cpuMs(thread);
    const helperMs = helperDelta(helpers);
    const to = now();
    const countsAfter = counters();
    // a backend opened during the cell counted from zero; one closed meanwhile (the pool's idle timeout) is lost
    let pg = 0;
    for (const pid of await backends()) pg += cpuMs(`/proc/${pid}/stat`) - (pgBefore.get(pid) ?? 0);
    const n = Math.max(1, r.latencies.length);
    const cpu = { node: (nodeAfter - nodeBefore) / n, pg: pg / n };
    let body: unknown = null;
    if (warm.status === 200 && kind === 'read') body = JSON.parse(text);
    const p = p95(r.latencies);
    const trace =
      TRACE && (TRACE_ALL || p > goal / 2)
        ? traceText(
            r,
            from,
            to,
            goal,
            countsBefore,
            countsAfter,
            { before: bgBefore, after: await bgwriter() },
            `warm request ${warmMs.toFixed(0)} ms, ${warmComputes} answers computed, heap ${(heapBeforeWarm / 2 ** 20).toFixed(0)} → ${(heapAfterWarm / 2 ** 20).toFixed(0)} MiB; ` +
              `cpu during the cell: server thread ${nodeAfter - nodeBefore} ms, V8 helper threads ${helperMs} ms`,
          )
        : null;
    return { p95: p, statuses: r.statuses, misclassified, type, body, cpu, trace };
  };

  // The floor: the cheapest signed-in answer (the login itself), at the same connections and load, so a
  // miss can be told from a machine that is busy (every cell below includes this much)
  const floor: string[] = [];
  for (const role of ROLES) {
    const r = await runLoad({
      port,
      cookie: cookies[role]!,
      paths: ['/api/auth/me'],
      connections: CONNECTIONS,
      seconds: SECONDS,
      max: MAX_REQUESTS,
    });
    floor.push(`${p95(r.latencies).toFixed(0)}ms`);
  }
  const line = (label: string, cellTexts: string[], goal: number) =>
    console.log(
      `   ${label.padEnd(66)} ${cellTexts.map((c) => c.padStart(14)).join('')}   ≤ ${goal} ms (load ${loadAvg()})`,
    );
  console.log(`   ${'route, variant'.padEnd(66)} ${ROLES.map((r) => r.padStart(14)).join('')}   goal`);
  console.log(
    `   ${'(floor: /api/auth/me, not a goal)'.padEnd(66)} ${floor.map((c) => c.padStart(14)).join('')}   (load ${loadAvg()})`,
  );
  for (const route of routes) {
    const kind = kindOf(route);
    const goal = goalOf(route);
    const params = queryParams(doc, route);
    // the required parameters (a year, the rule sets compared, a department); an enum's first value
    const need = params
      .filter((p) => p.required)
      .map((p) => {
        const value = required[p.name] ?? p.schema?.enum?.[0];
        if (value === undefined) throw new Error(`the reads bench has no value for ?${p.name} of ${route}`);
        return `${p.name}=${encodeURIComponent(value)}`;
      });
    const withQuery = (path: string, q: string) => {
      const all = [...need, q].filter(Boolean).join('&');
      return all ? `${path}?${all}` : path;
    };
    const other = otherVariant(route, params);
    const variants: (Variant | 'last page')[] = [
      { label: isPaged(params) ? 'first page' : '', query: isPaged(params) ? 'page=1' : '' },
      ...(isPaged(params) ? (['last page'] as const) : []),
      ...(other ? [other] : []),
    ];
    // per role, its first page's answer gives its last page (total and page size)
    const lastPage: Record<string, number> = {};
    for (const variant of variants) {
      const texts: string[] = [];
      const cpuTexts: string[] = [];
      const traces: { role: string; p95: number; lines: string[] }[] = [];
      const label = `${route}${kind === 'read' ? '' : ` [${kind}]`} ${variant === 'last page' ? 'last page' : variant.label}`;
      for (const role of ROLES) {
        const at = pathFor(route, role);
        const q = variant === 'last page' ? `page=${lastPage[role] ?? 2}` : variant.query;
        const m = await measure(role, withQuery(at.path, q), kind, goal);
        if (m.trace) traces.push({ role, p95: m.p95, lines: m.trace });
        cells++;
        if (variant !== 'last page' && variant.label === 'first page') {
          const b = m.body as { total?: number; pageSize?: number } | null;
          lastPage[role] = Math.max(2, Math.ceil((b?.total ?? 0) / (b?.pageSize ?? 1)));
        }
        const codes = Object.keys(m.statuses).filter((s) => s !== '200');
        const pageNote = variant === 'last page' ? `p${lastPage[role] ?? 2} ` : '';
        const mark = at.borrowed.length ? '*' : '';
        texts.push(`${pageNote}${m.p95.toFixed(0)}ms${codes.length ? ` ${codes.join('/')}` : ''}${mark}`);
        cpuTexts.push(`${m.cpu.node.toFixed(2)}+${m.cpu.pg.toFixed(2)}`);
        const where = `${label} as ${role} (${withQuery(at.path, q)}${mark ? `; the role sees no ${at.borrowed.join(', ')}: the admin's` : ''})`;
        if (m.p95 > goal) misses.push(`${where}: p95 ${m.p95.toFixed(0)} ms > ${goal} ms`);
        // a refusal for load (503) or a server error answers fast and measures nothing: the cell is missed
        const failed = codes.filter((c) => Number(c) >= 500);
        if (failed.length)
          misses.push(`${where}: answered ${failed.map((c) => `${c} ×${m.statuses[c]}`).join(', ')}`);
        if (codes.length)
          refusals.push(`${where}: answered ${codes.map((c) => `${c} ×${m.statuses[c]}`).join(', ')}`);
        if (m.misclassified) misses.push(`${where}: answered ${m.type} but is classed as a ${kind}`);
      }
      line(label, texts, goal);
      console.log(
        `   ${'  cpu ms per request: server thread + database'.padEnd(66)} ${cpuTexts.map((c) => c.padStart(14)).join('')}`,
      );
      for (const t of traces)
        console.log(`     trace ${t.role} p95 ${t.p95.toFixed(0)} ms: ${t.lines.join('\n       ')}`);
    }
  }
  console.log(
    `   ${routes.length} routes, ${cells} cells over ${ROLES.length} roles: ${misses.length === 0 ? 'every p95 within its goal OK' : `${misses.length} MISSED`}`,
  );
  for (const m of misses) console.log(`     MISSED ${m}`);
  // a refusal is the role's right answer (403: the role lacks the grant; 404: not in its scope), measured
  // like any answer; listed so that a wrong id is never mistaken for a fast page
  for (const r of refusals) console.log(`     not 200: ${r}`);
  await app.close();
} finally {
  await d?.close();
  if (!GIVEN) await admin(`drop database if exists ${name} with (force)`);
}
