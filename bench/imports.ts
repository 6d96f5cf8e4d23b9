// Import speed (issue 3), measured side by side in one run on a scratch PostgreSQL database:
//  1. 1,000,000 monthly rows from CSV through the real import (read, check, COPY, one transaction)
//     vs `psql \copy` of the same rows into a table of the same shape; ratio and peak memory.
//  2. a 100,000-row xlsx end to end, rows/s.
// Goals: (1) within 2× of psql and under 512 MB peak; (2) at least 20,000 rows/s.
// BENCH_PG_URL overrides the server (default postgres://root@127.0.0.1:5432/postgres).
// BENCH_USCC_WARNINGS=1 makes every row carry a USCC warning (an embedded organisation code failing its
// check): the cost of warnings (2026-11: ≈ +1.5 µs and +0.25 KB peak per row; 1M rows missed both goals).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { openDatabase, runMigrations, type Database } from '../src/db/client.ts';
import { imports } from '../src/db/schema.ts';
import { loadCityConfig, resolveCityDir } from '../src/config/load.ts';
import { computeOrgCodeCheckChar, makeUscc } from '../src/domain/uscc.ts';
import { loadReferenceData } from '../src/modules/reference/service.ts';
import { commitFile, type Importer } from '../src/modules/imports/service.ts';

/** BENCH_USCC_WARNINGS=1: codes whose embedded organisation code fails its check (every row warns) */
const WARN = process.env.BENCH_USCC_WARNINGS === '1';
const orgCode = (n: number) => {
  const body = String(n).padStart(8, '0');
  return body + computeOrgCodeCheckChar(body);
};
const BASE = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const XLSX_ROWS = Number(process.env.BENCH_XLSX_ROWS ?? 100_000);
const IMPORTER: Importer = { id: null, username: 'bench', regionCode: null };
const ACTOR = { id: null, username: 'bench' };
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
const HEADER = [
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

async function admin(sqlText: string) {
  const c = new pg.Client({ connectionString: BASE });
  await c.connect();
  try {
    await c.query(sqlText);
  } finally {
    await c.end();
  }
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

class PeakMemory {
  peak = 0;
  private timer: NodeJS.Timeout;
  constructor() {
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage().rss)), 50);
    this.timer.unref();
  }
  stop(): number {
    clearInterval(this.timer);
    return Math.max(this.peak, process.memoryUsage().rss);
  }
}

async function importOnce(d: Database, file: string, fileName: string) {
  const [rec] = await d.db
    .insert(imports)
    .values({
      kind: 'monthly',
      fileName,
      sha256: crypto.randomBytes(32).toString('hex'),
      status: 'committing',
      username: 'bench',
    })
    .returning({ id: imports.id });
  const outcome = await commitFile(d, rec!.id, { kind: 'monthly', path: file, fileName }, IMPORTER, ACTOR);
  if (outcome.status !== 'committed')
    throw new Error(
      `bench import ${outcome.status}: ${JSON.stringify(outcome.status === 'refused' ? outcome.pass.problems.slice(0, 3) : outcome)}`,
    );
  return outcome;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const name = `cs_bench_imports_${crypto.randomBytes(4).toString('hex')}`;
const url = new URL(BASE);
url.pathname = `/${name}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-imports-'));
console.log(`\n== imports bench (scratch database ${name}) ==`);
await admin(`create database ${name}`);
let d: Database | null = null;
try {
  d = await openDatabase({ url: url.toString() });
  await runMigrations(d);
  await loadReferenceData(d.db, await loadCityConfig(resolveCityDir()));

  const firms = Math.ceil(ROWS / 12);
  const usccs = Array.from({ length: firms + Math.ceil(XLSX_ROWS / 12) }, (_, i) =>
    // as real codes are: the embedded organisation code (GB 11714) carries its own check character
    makeUscc(`91330402${WARN ? String(i + 1).padStart(9, '0') : orgCode(i + 1)}`),
  );
  await d.copyRows(
    'enterprises',
    ['uscc', 'name', 'region_code', 'industry_code', 'scale'],
    usccs.map((u, i) => [u, `基准测试企业${i + 1}`, '330402', '1711', 'above']),
  );
  const ids = (await d.db.execute(`select id, uscc from enterprises order by id` as never)) as unknown as {
    rows: { id: string; uscc: string }[];
  };
  const idOf = new Map(ids.rows.map((r) => [r.uscc, Number(r.id)]));

  // the same 1,000,000 rows twice: as a clerk's csv (USCC, month) and as database rows for psql
  const importCsv = path.join(dir, 'monthly-1m.csv');
  const copyCsv = path.join(dir, 'monthly-1m-copy.csv');
  const a = fs.createWriteStream(importCsv);
  const b = fs.createWriteStream(copyCsv);
  a.write(HEADER.join(',') + '\n');
  let written = 0;
  for (let i = 0; i < firms && written < ROWS; i++) {
    for (let m = 1; m <= 12 && written < ROWS; m++, written++) {
      const v = values(i, m);
      const month = `2024-${String(m).padStart(2, '0')}`;
      if (!a.write(`${usccs[i]},${month},${v.join(',')}\n`))
        await new Promise<void>((r) => a.once('drain', () => r()));
      if (!b.write(`${idOf.get(usccs[i]!)},${month}-01,${v.join(',')}\n`))
        await new Promise<void>((r) => b.once('drain', () => r()));
    }
  }
  await Promise.all([new Promise<void>((r) => a.end(() => r())), new Promise<void>((r) => b.end(() => r()))]);

  // psql \copy into a table of the same shape (columns, types, primary key)
  await d.db.execute(`create table monthly_copy (like monthly_stats including all)` as never);
  const t0 = performance.now();
  const psql = spawnSync(
    'psql',
    [
      url.toString(),
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `\\copy monthly_copy (enterprise_id, month, ${COLUMNS.join(', ')}) from '${copyCsv}' with (format csv)`,
    ],
    { encoding: 'utf8' },
  );
  const psqlSeconds = (performance.now() - t0) / 1000;
  if (psql.status !== 0) throw new Error(`psql failed: ${psql.stderr}`);

  const memory = new PeakMemory();
  const t1 = performance.now();
  const outcome = await importOnce(d, importCsv, 'monthly-1m.csv');
  const importSeconds = (performance.now() - t1) / 1000;
  const peak = memory.stop();
  const ratio = importSeconds / psqlSeconds;
  console.log(`1) ${written.toLocaleString('en')} monthly rows from CSV into PostgreSQL`);
  console.log(`   psql \\copy (same rows, same table shape): ${psqlSeconds.toFixed(2)} s`);
  console.log(
    `   clusterscope import (read, check, COPY, one transaction): ${importSeconds.toFixed(2)} s  (${outcome.write.inserted.toLocaleString('en')} rows written)`,
  );
  console.log(
    `   ratio ${ratio.toFixed(2)}× (goal ≤ 2×) ${ratio <= 2 ? 'OK' : 'MISSED'}; peak memory ${mb(peak)} RSS (goal < 512 MB) ${peak < 512 * 1024 * 1024 ? 'OK' : 'MISSED'}`,
  );

  // 2) xlsx: 100,000 rows of 2023 for other firms
  const xlsxFile = path.join(dir, 'monthly-100k.xlsx');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: xlsxFile,
    useSharedStrings: false,
    useStyles: false,
  });
  const ws = wb.addWorksheet('月度统计');
  ws.addRow(HEADER).commit();
  let x = 0;
  for (let i = firms; x < XLSX_ROWS; i++) {
    for (let m = 1; m <= 12 && x < XLSX_ROWS; m++, x++) {
      ws.addRow([usccs[i]!, `2023-${String(m).padStart(2, '0')}`, ...values(i, m).map(Number)]).commit();
    }
  }
  ws.commit();
  await wb.commit();
  const t2 = performance.now();
  const xo = await importOnce(d, xlsxFile, 'monthly-100k.xlsx');
  const xlsxSeconds = (performance.now() - t2) / 1000;
  const rate = x / xlsxSeconds;
  console.log(
    `2) ${x.toLocaleString('en')}-row xlsx end to end: ${xlsxSeconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en')} rows/s (goal ≥ 20,000) ${rate >= 20_000 ? 'OK' : 'MISSED'}  (${xo.write.inserted.toLocaleString('en')} rows written)`,
  );
} finally {
  await d?.close();
  await admin(`drop database if exists ${name} with (force)`);
  fs.rmSync(dir, { recursive: true, force: true });
}
