// Import speed at province scale (issue 13), measured side by side in one run on scratch PostgreSQL
// databases, through the path users run: the `clusterscope import` command, with every facts-changed
// hook the CLI registers (monitoring rollups, chain placement, alert rules, bulletin draft) on. The
// registry imports run in this process; the monthly imports run as users run them, as a fresh
// `node bin/clusterscope.js import monthly <file>` process, whose peak RSS (the kernel's high-water
// mark) and step times come back through CLUSTERSCOPE_IMPORT_STEPS — this process holds the generated
// files and the registry steps' memory, which is no part of the command's.
//  1. a registry file of 100,000 new firms (fresh database): imports (PostgreSQL's bind-parameter limit
//     is 65,535, so no statement may carry one parameter per row);
//  2. a registry file of 220,000 new firms (fresh database, chain placement on record): ≤ 30 s;
//  3. 1,000,000 monthly rows (50,000 firms × 20 months) into that database (which also holds three
//     months of every firm's facts, rolled up) vs `psql \copy` of the same rows into a plain table of
//     the same shape: ≤ 3×, peak RSS < 512 MiB; the commit's step breakdown is printed; each is run
//     BENCH_IMPORT_RUNS times (default 3), alternating, the imports into copies of the same database, and
//     the ratio is of the medians; beside them, `psql \copy` of the rows the import's hooks write in its
//     transaction besides the facts (累计, alerts and their events, rollup cells), binary, indexes built
//     after: the writes' floor (write-floor.ts);
//  4. a 100,000-row xlsx end to end: ≥ 20,000 rows/s.
// BENCH_PG_URL overrides the server (default postgres://root@127.0.0.1:5432/postgres).
// BENCH_FACTOR scales every count (default 1 = province scale; e.g. 0.05 for a quick run).
// BENCH_KEEP=1 keeps the scratch databases and the generated files (their names are printed) for EXPLAIN afterwards.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, REPO_ROOT, runMigrations, type Database } from '../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../src/config/load.ts';
import { computeOrgCodeCheckChar, makeUscc } from '../src/domain/uscc.ts';
import { loadReferenceData } from '../src/modules/reference/service.ts';
import { loadChains, refreshAssignments } from '../src/modules/chains/service.ts';
import { refreshClusterRollups } from '../src/modules/monitoring/rollup.ts';
import { factsChangedHooks, onCommitSteps } from '../src/modules/imports/service.ts';
// what the CLI does first (src/cli/main.ts): the composition root registers every facts-changed hook
import { registerFactsHooks } from '../src/composition.ts';
import { COMMANDS } from '../src/cli/commands/index.ts';
import { adminQuery } from './load.ts';
import { watchCpu } from './cpu-watch.ts';
import { beforeImport, derivedRows, timeWriteFloor } from './write-floor.ts';
import { ensureCliBundle } from './cli-bundle.ts';

registerFactsHooks();

const BASE = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const FACTOR = Number(process.env.BENCH_FACTOR ?? 1);
const KEEP = process.env.BENCH_KEEP === '1';
const n = (v: number) => Math.max(1, Math.round(v * FACTOR));
const REGISTRY_SMALL = n(100_000);
const FIRMS = n(220_000);
const MONTHLY_FIRMS = n(50_000);
const MONTHS = 20; // 2025-01 … 2026-08
const XLSX_ROWS = n(100_000);
// the monthly import and its `psql \copy` are each run this many times, alternating, and compared by median
const IMPORT_RUNS = Math.max(1, Number(process.env.BENCH_IMPORT_RUNS ?? 3));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;
const COLUMNS = [
  'output_value',
  'revenue',
  'profit',
  'tax',
  'energy_tce',
  'electricity',
  'employees',
  'export_value',
];
const MONTHLY_HEADER = [
  '统一社会信用代码',
  '统计月份',
  '工业总产值(万元)',
  '营业收入(万元)',
  '利润总额(万元)',
  '税金(万元)',
  '综合能耗(吨标准煤)',
  '用电量(万千瓦时)',
  '从业人员(人)',
  '出口交货值(万元)',
];
const REGISTRY_HEADER = ['统一社会信用代码', '企业名称', '区县代码', '行业代码', '规模', '成立日期'];

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const ok = (met: boolean) => (met ? 'OK' : 'MISSED');

const admin = (text: string) => adminQuery(BASE, text);

const scratch: string[] = [];
async function freshDatabase(): Promise<{ d: Database; url: string }> {
  const name = `cs_bench_imports_${crypto.randomBytes(4).toString('hex')}`;
  await admin(`create database ${name}`);
  scratch.push(name);
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  const d = await openDatabase({ url: url.toString() });
  await runMigrations(d);
  const config = await loadCityConfig(resolveCityDir());
  await loadReferenceData(d.db, config);
  await loadChains(d.db, config);
  await refreshAssignments(d.db); // chain placement on record (a server's first chain read does this)
  return { d, url: url.toString() };
}

class PeakMemory {
  peak = 0;
  private timer: NodeJS.Timeout;
  constructor() {
    // memoryUsage.rss() alone: the full memoryUsage() walks the heap spaces every tick, a cost of its own
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage.rss())), 25);
    this.timer.unref();
  }
  stop(): number {
    clearInterval(this.timer);
    return Math.max(this.peak, process.memoryUsage.rss());
  }
}

let lastSteps: { step: string; ms: number; rssMiB?: number }[] = [];
onCommitSteps((_id, steps) => (lastSteps = steps));

/** `clusterscope import <kind> <file>` in this process, on the database at `url`; answers seconds and peak RSS. */
async function cliImport(url: string, kind: string, file: string) {
  const program = new Command().exitOverride();
  for (const register of COMMANDS) register(program);
  process.env.DATABASE_URL = url;
  const log = console.log;
  const memory = new PeakMemory();
  const started = performance.now();
  process.exitCode = 0;
  const errWrite = process.stderr.write;
  console.log = () => undefined; // the command's own summary line
  process.stderr.write = (() => true) as typeof process.stderr.write; // and its progress bar
  try {
    await program.parseAsync(['node', 'clusterscope', 'import', kind, file]);
  } finally {
    console.log = log;
    process.stderr.write = errWrite;
  }
  const seconds = (performance.now() - started) / 1000;
  const peak = memory.stop();
  if (process.exitCode !== 0) throw new Error(`clusterscope import ${kind} exited ${process.exitCode}`);
  return { seconds, peak, steps: lastSteps };
}

type Step = { step: string; ms: number; rssMiB?: number; peakMiB?: number };

/**
 * `node bin/clusterscope.js import <kind> <file>` as a process of its own on the database at `url`:
 * answers its wall time (start to exit), its peak RSS (resourceUsage().maxRSS at exit, written by the
 * command itself through CLUSTERSCOPE_IMPORT_STEPS) and its commit's steps.
 */
async function spawnedImport(url: string, kind: string, file: string) {
  const stepsFile = path.join(dir, `steps-${crypto.randomBytes(4).toString('hex')}.json`);
  const cpu = await watchCpu(BASE, new URL(url).pathname.slice(1));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'bin', 'clusterscope.js'), 'import', kind, file],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: url, CLUSTERSCOPE_IMPORT_STEPS: stepsFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => output.push(b));
  child.stderr.on('data', () => undefined); // the progress bar
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  const seconds = (performance.now() - started) / 1000;
  const { backendSeconds } = await cpu.stop();
  if (code !== 0)
    throw new Error(`clusterscope import ${kind} exited ${code}: ${Buffer.concat(output).toString()}`);
  const report = JSON.parse(fs.readFileSync(stepsFile, 'utf8')) as {
    maxRssMiB: number;
    cpuSeconds: number;
    commits: { steps: Step[] }[];
  };
  const steps = report.commits.at(-1)?.steps ?? [];
  const inCommit = steps.reduce((t, s) => t + s.ms, 0) / 1000;
  return {
    seconds,
    peak: report.maxRssMiB * 1024 * 1024,
    steps,
    inCommit,
    cpu: { node: report.cpuSeconds, database: backendSeconds },
  };
}

/**
 * The CPU of the median import and of the median `\\copy` (the run whose wall time is the median), and the
 * floor the import's CPU puts under its wall time on this machine's cores (cpu-watch.ts).
 */
function printCpuFloor(
  run: Awaited<ReturnType<typeof spawnedImport>>,
  copy: { psql: number | null; database: number | null },
  copySeconds: number,
) {
  const s = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)} s`);
  console.log(
    `   CPU of the median runs: psql \\copy ${s(copy.psql)} (psql) + ${s(copy.database)} (database); clusterscope import ${s(run.cpu.node)} (Node, all threads) + ${s(run.cpu.database)} (database backends)`,
  );
  if (run.cpu.database === null) return;
  const cores = os.cpus().length; // as the bench's heading counts them
  const floor = (run.cpu.node + run.cpu.database) / cores;
  console.log(
    `   on ${cores} cores the import's CPU alone needs ≥ ${floor.toFixed(2)} s of wall time however its work overlaps = ${(floor / copySeconds).toFixed(2)}× psql: ${floor / copySeconds <= 3 ? 'the goal is within reach of overlapping alone' : 'the goal needs less work, not more overlap'}`,
  );
}

/** The steps' time by name (a step repeated is summed). */
const stepSeconds = (steps: Step[], name: string) =>
  steps.filter((s) => s.step === name).reduce((t, s) => t + s.ms, 0) / 1000;

/** The commit's steps in order; a step repeated (the alert rules' per-month steps) is summed, × its count. */
function printSteps(steps: Step[]) {
  const byName = new Map<string, { ms: number; times: number; rssMiB: number; peakMiB: number }>();
  for (const s of steps) {
    const seen = byName.get(s.step) ?? { ms: 0, times: 0, rssMiB: 0, peakMiB: 0 };
    byName.set(s.step, {
      ms: seen.ms + s.ms,
      times: seen.times + 1,
      rssMiB: Math.max(seen.rssMiB, s.rssMiB ?? 0),
      peakMiB: Math.max(seen.peakMiB, s.peakMiB ?? 0),
    });
  }
  // "RSS after": resident at the step's end; "peak": the process's high-water mark by then (it rises in the
  // step where the process's peak is)
  for (const [step, s] of byName)
    console.log(
      `      ${`${step}${s.times > 1 ? ` (×${s.times})` : ''}`.padEnd(50)} ${(s.ms / 1000).toFixed(2).padStart(7)} s   RSS after ${s.rssMiB} MiB, peak ${s.peakMiB} MiB`,
    );
}

const orgCode = (i: number) => {
  const body = String(i).padStart(8, '0');
  return body + computeOrgCodeCheckChar(body);
};
const usccOf = (i: number, county: string) => makeUscc(`91${county}${orgCode(i)}`);

async function writeLines(file: string, header: string[], count: number, line: (i: number) => string) {
  const out = fs.createWriteStream(file);
  if (header.length) out.write(header.join(',') + '\n');
  for (let i = 0; i < count; i++)
    if (!out.write(line(i))) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((r) => out.end(() => r()));
}

function values(i: number, m: number): (number | string)[] {
  const base = 500 + ((i * 7919) % 20000) / 10;
  return [
    base + m,
    base * 0.95,
    (base * 0.05 - 10).toFixed(2),
    (base * 0.03).toFixed(2),
    (base / 7).toFixed(1),
    (base / 9).toFixed(2),
    50 + (i % 500),
    (base * 0.1).toFixed(2),
  ];
}
const monthOf = (k: number) => `${2025 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-imports-'));
const opened: Database[] = [];
console.log(
  `\n== imports bench (BENCH_FACTOR ${FACTOR}; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores) ==`,
);
ensureCliBundle('import-main');
try {
  const probe = await freshDatabase();
  opened.push(probe.d);
  const counties = (
    await queryRows<{ code: string }>(probe.d.db, sql`select code from regions where level = 'county'`)
  ).map((r) => r.code);
  // industry classes: the cluster-mapped ones and the rest, so placement and membership have work to do
  const classes = (
    await queryRows<{ code: string }>(
      probe.d.db,
      sql`select code from industries where length(code) = 4 and section in ('C') order by code`,
    )
  ).map((r) => r.code);
  const hooks = factsChangedHooks();
  console.log(`   hooks registered as by the CLI: ${hooks.join(', ')}`);
  // a bench of a path no user runs measures nothing: refuse to go on without the CLI's hooks
  if (hooks.length < 3) throw new Error('the CLI registers three facts-changed hooks; the bench has fewer');
  const registryLine = (offset: number) => (i: number) => {
    const county = counties[i % counties.length]!;
    const year = 1990 + (i % 35);
    return `${usccOf(offset + i, county)},基准测试企业${offset + i}有限公司,${county},${classes[(i * 31) % classes.length]},${i % 5 === 0 ? '规上' : '规下'},${year}-0${1 + (i % 9)}-15\n`;
  };

  // 1) 100,000 new firms
  const small = path.join(dir, 'registry-small.csv');
  await writeLines(small, REGISTRY_HEADER, REGISTRY_SMALL, registryLine(1_000_000));
  const r1 = await cliImport(probe.url, 'enterprises', small);
  console.log(
    `1) clusterscope import enterprises, ${REGISTRY_SMALL.toLocaleString('en')} new firms: imported in ${r1.seconds.toFixed(1)} s (goal: imports) OK; peak ${mib(r1.peak)}`,
  );
  await probe.d.close();
  opened.pop();

  // 2) 220,000 new firms into a fresh database
  const fresh = await freshDatabase();
  const url = fresh.url;
  let d = fresh.d; // reopened when BENCH_KEEP snapshots the database
  opened.push(d);
  const big = path.join(dir, 'registry-province.csv');
  await writeLines(big, REGISTRY_HEADER, FIRMS, registryLine(2_000_000));
  const r2 = await cliImport(url, 'enterprises', big);
  console.log(
    `2) clusterscope import enterprises, ${FIRMS.toLocaleString('en')} new firms: ${r2.seconds.toFixed(1)} s (goal ≤ 30 s) ${ok(r2.seconds <= 30)}; peak ${mib(r2.peak)}`,
  );
  printSteps(r2.steps);

  // 3) monthly: a database holding every firm with three months of facts, rolled up (setup, not timed)
  const ids = await queryRows<{ id: number | string; uscc: string }>(
    d.db,
    sql`select id, uscc from enterprises order by id`,
  );
  await d.copyRows(
    'monthly_stats',
    ['enterprise_id', 'month', ...COLUMNS],
    (function* () {
      for (let i = 0; i < ids.length; i++)
        for (const m of ['2024-10-01', '2024-11-01', '2024-12-01'])
          yield [Number(ids[i]!.id), m, ...values(i, 1)];
    })(),
  );
  await refreshClusterRollups(d.db);
  await d.db.execute(sql`analyze`);
  const importCsv = path.join(dir, 'monthly-province.csv');
  const copyCsv = path.join(dir, 'monthly-province-copy.csv');
  const rows = MONTHLY_FIRMS * MONTHS;
  await writeLines(importCsv, MONTHLY_HEADER, rows, (k) => {
    const i = Math.floor(k / MONTHS);
    return `${ids[i]!.uscc},${monthOf(k % MONTHS)},${values(i, k % MONTHS).join(',')}\n`;
  });
  await writeLines(copyCsv, [], rows, (k) => {
    const i = Math.floor(k / MONTHS);
    return `${ids[i]!.id},${monthOf(k % MONTHS)}-01,${values(i, k % MONTHS).join(',')}\n`;
  });
  ids.length = 0;
  // The ratio is of medians: on this kind of machine one `\copy` of the same file took 2.0–5.7 s from one
  // run to the next, quiet, so a single pair is a sample, not a measurement. Each import goes into a copy of
  // the database as it stands now, and the \copy runs alternate with them.
  await d.close();
  opened.pop();
  const name = new URL(url).pathname.slice(1);
  const runUrls = [url];
  for (let k = 2; k <= IMPORT_RUNS; k++) {
    await admin(`create database ${name}_run${k} template ${name}`);
    scratch.push(`${name}_run${k}`);
    const u = new URL(url);
    u.pathname = `/${name}_run${k}`;
    runUrls.push(u.toString());
  }
  if (KEEP) {
    // a copy as it stands before the monthly import, to import the kept file into again
    await admin(`create database ${name}_pre template ${name}`);
    scratch.push(`${name}_pre`);
  }
  d = await openDatabase({ url });
  opened.push(d);
  const copySeconds: number[] = [];
  const copyCpu: { psql: number | null; database: number | null }[] = [];
  const imports: Awaited<ReturnType<typeof spawnedImport>>[] = [];
  // the derived rows' floor (write-floor.ts): timed after each pair, on the rows the first import wrote
  const before = await beforeImport(d);
  let written: Awaited<ReturnType<typeof derivedRows>> = [];
  const floorSeconds: number[] = [];
  for (let k = 1; k <= IMPORT_RUNS; k++) {
    await d.db.execute(sql.raw(`create table monthly_copy_${k} (like monthly_stats including all)`));
    const cpu = await watchCpu(BASE, new URL(url).pathname.slice(1));
    const t0 = performance.now();
    const psql = spawn(
      'psql',
      [
        url,
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `\\copy monthly_copy_${k} (enterprise_id, month, ${COLUMNS.join(', ')}) from '${copyCsv}' with (format csv)`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    cpu.follow(psql.pid);
    const stderr: Buffer[] = [];
    psql.stderr.on('data', (b: Buffer) => stderr.push(b));
    const status = await new Promise<number | null>((resolve, reject) => {
      psql.on('error', reject);
      psql.on('exit', (c) => resolve(c));
    });
    copySeconds.push((performance.now() - t0) / 1000);
    const used = await cpu.stop();
    copyCpu.push({ psql: used.processSeconds, database: used.backendSeconds });
    if (status !== 0) throw new Error(`psql failed: ${Buffer.concat(stderr).toString()}`);
    imports.push(await spawnedImport(runUrls[k - 1]!, 'monthly', importCsv));
    if (k === 1)
      written = await derivedRows(d, url, dir, before, {
        first: monthOf(0),
        last: monthOf(MONTHS - 1),
      });
    floorSeconds.push(await timeWriteFloor(d, url, dir, written, k));
  }
  const psqlSeconds = median(copySeconds);
  const r3 = [...imports].sort((a, b) => a.seconds - b.seconds)[(imports.length - 1) >> 1]!;
  const ratio = r3.seconds / psqlSeconds;
  const read3 = stepSeconds(r3.steps, 'read, check and COPY (direct)');
  const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  console.log(
    `3) clusterscope import monthly, ${rows.toLocaleString('en')} rows (${MONTHLY_FIRMS.toLocaleString('en')} firms × ${MONTHS} months) into ${FIRMS.toLocaleString('en')} firms, every hook on; ${IMPORT_RUNS} runs of each, alternating`,
  );
  console.log(
    `   psql \\copy of the same rows into a plain table of the same shape: median ${psqlSeconds.toFixed(2)} s (${list(copySeconds)})`,
  );
  console.log(
    `   clusterscope import (a process of its own, into a copy of the same database each time): median ${r3.seconds.toFixed(2)} s (${list(imports.map((r) => r.seconds))}) = ${ratio.toFixed(2)}× psql (goal ≤ 3×) ${ok(ratio <= 3)}; peak ${mib(Math.max(...imports.map((r) => r.peak)))} RSS of the process, the highest of the runs (goal < 512 MiB) ${ok(imports.every((r) => r.peak < 512 * 1024 * 1024))}`,
  );
  console.log(
    `   the median run: reading, checking and COPYing the rows ${read3.toFixed(2)} s = ${(read3 / psqlSeconds).toFixed(2)}× psql; start, migrations check and file hash before the commit ${(r3.seconds - r3.inCommit).toFixed(2)} s`,
  );
  printCpuFloor(r3, copyCpu[copySeconds.indexOf(psqlSeconds)]!, psqlSeconds);
  const floor = median(floorSeconds) / psqlSeconds;
  console.log(
    `   what the hooks write in the transaction beside the facts (run 1): ${written.map((w) => `${w.rows.toLocaleString('en')} ${w.label}`).join(', ')}`,
  );
  console.log(
    `   psql \\copy of those rows alone (binary, into tables of the same shape, their indexes built after): median ${median(floorSeconds).toFixed(2)} s (${list(floorSeconds)}) = ${floor.toFixed(2)}× the facts' \\copy; with the facts, ${(1 + floor).toFixed(2)}× psql is spent on writing alone, before a fact is read back or a rule evaluated (the goal leaves ${(3 - 1 - floor).toFixed(2)}× for the rest; the import spends ${(ratio - 1 - floor).toFixed(2)}×)`,
  );
  printSteps(r3.steps);

  // 4) xlsx: rows of 2023 for the first firms
  const firstFirms = await queryRows<{ uscc: string }>(
    d.db,
    sql`select uscc from enterprises order by id limit ${Math.ceil(XLSX_ROWS / 12)}`,
  );
  const xlsxFile = path.join(dir, 'monthly.xlsx');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: xlsxFile,
    useSharedStrings: false,
    useStyles: false,
  });
  const ws = wb.addWorksheet('月度统计');
  ws.addRow(MONTHLY_HEADER).commit();
  let x = 0;
  for (let i = 0; x < XLSX_ROWS; i++)
    for (let m = 1; m <= 12 && x < XLSX_ROWS; m++, x++)
      ws.addRow([
        firstFirms[i]!.uscc,
        `2023-${String(m).padStart(2, '0')}`,
        ...values(i, m).map(Number),
      ]).commit();
  ws.commit();
  await wb.commit();
  const r4 = await spawnedImport(url, 'monthly', xlsxFile);
  const rate = x / r4.seconds;
  const read4 = stepSeconds(r4.steps, 'read, check and COPY (direct)');
  console.log(
    `4) clusterscope import monthly, ${x.toLocaleString('en')}-row xlsx (a process of its own): ${r4.seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en')} rows/s (goal ≥ 20,000) ${ok(rate >= 20_000)}; peak ${mib(r4.peak)} RSS`,
  );
  console.log(
    `   of which reading the xlsx, checking and COPYing the rows ${read4.toFixed(2)} s = ${Math.round(x / read4).toLocaleString('en')} rows/s; start, migrations check and file hash before the commit ${(r4.seconds - r4.inCommit).toFixed(2)} s`,
  );
  printSteps(r4.steps);
} finally {
  for (const d of opened) await d.close().catch(() => undefined);
  if (KEEP) console.log(`   kept: ${scratch.join(', ')}; the files in ${dir}`);
  else {
    for (const name of scratch) await admin(`drop database if exists ${name} with (force)`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  delete process.env.DATABASE_URL;
}
