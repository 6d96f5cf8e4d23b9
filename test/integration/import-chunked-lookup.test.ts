// An import looks its rows' enterprises up chunk by chunk (RESOLVE_CHUNK_ROWS rows a lookup, codes seen
// before not asked again) instead of loading the whole registry first (issue 13). Files of several
// chunks, each naming firms not seen before (as a province's file sorted by firm does), must give what
// the whole registry in memory gave: the same problems in the same order, byte for byte (unknown codes,
// another county's firms, duplicates, malformed codes; csv and a two-sheet xlsx), the same counts; and
// a commit ends its COPY before each lookup, also when the direct COPY meets rows on record at such a
// pause (it then reads the file again through the staging table) or when a late chunk is refused.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../../src/db/client.ts';
import { prepareDatabase } from '../../src/composition.ts';
import type { EnterpriseRef } from '../../src/domain/imports/rows.ts';
import { commitLocalFile } from '../../src/modules/imports/foreground.ts';
import { RESOLVE_CHUNK_ROWS, runPass, type PassResult } from '../../src/modules/imports/pipeline.ts';
import { loadReferenceLookup } from '../../src/modules/imports/repo.ts';
import { analyseFile, waitForJobs } from '../../src/modules/imports/service.ts';
import { testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, TONGXIANG } from '../helpers/fixtures.ts';

const ACTOR = { id: null, username: 'cli' };
const CITY = { id: null, username: 'cli', regionCode: null };
const COUNTY = { id: null, username: 'officer', regionCode: NANHU };
const MONTHLY = ['统一社会信用代码', '统计月份', '工业总产值(万元)'];
const FIRMS = 700;
const MONTHS = 20;
const monthOf = (k: number) => `${2023 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;

describe.each(testDatabases())('registry lookups chunk by chunk on $kind', (t) => {
  let d: Database;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-chunked-lookup-'));
  // every 7th firm is in another county (a county officer's scope check)
  const firms = Array.from({ length: FIRMS }, (_, i) => fixtureUscc(7000 + i, i % 7 ? NANHU : TONGXIANG));
  const UNKNOWN = [fixtureUscc(7900), fixtureUscc(7901)]; // valid codes, not registered

  const write = (name: string, rows: (string | number)[][]) => {
    const p = path.join(dir, `${t.kind}-${name}`);
    fs.writeFileSync(p, rows.map((r) => r.join(',')).join('\r\n') + '\r\n');
    const sha256 = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    const kind = name.startsWith('firms') ? ('enterprises' as const) : ('monthly' as const);
    return { kind, path: p, fileName: name, size: fs.statSync(p).size, sha256 };
  };
  /** firm by firm, each firm's months together (rows of firms not seen before in every chunk) */
  const monthlyRows = (months: number[], value: (i: number, k: number) => number) =>
    firms.flatMap((u, i) => months.map((k) => [u, monthOf(k), value(i, k)] as (string | number)[]));

  /** What the whole registry in memory answered (the former enterprise index). */
  async function wholeRegistry(): Promise<Map<string, EnterpriseRef>> {
    const rows = await queryRows<{ id: number | string; uscc: string; region_code: string }>(
      d.db,
      sql`select id, uscc, region_code from enterprises`,
    );
    return new Map(rows.map((r) => [r.uscc, { id: Number(r.id), regionCode: r.region_code }]));
  }
  async function passWithWholeRegistry(f: { path: string; fileName: string }, scopeRegion: string | null) {
    const index = await wholeRegistry();
    return runPass({
      kind: 'monthly',
      path: f.path,
      fileName: f.fileName,
      ref: await loadReferenceLookup(d.db),
      enterprise: (u) => index.get(u),
      scopeRegion,
    });
  }
  const plain = (r: PassResult) => ({
    ...r,
    problemCells: [...r.problemCells],
    months: [...r.months].sort(),
    years: [...r.years],
    enterpriseIds: [...r.enterpriseIds].sort((a, b) => a - b),
  });

  beforeAll(async () => {
    d = await t.open();
    await prepareDatabase(d);
    const registry = write('firms.csv', [
      ['统一社会信用代码', '企业名称', '区县代码', '行业代码', '规模'],
      ...firms.map((u, i) => [u, `嘉兴分块示例${i}纺织有限公司`, i % 7 ? NANHU : TONGXIANG, '1711', '规上']),
    ]);
    expect((await commitLocalFile(d, registry, CITY, ACTOR)).outcome.status).toBe('committed');
  });
  afterAll(async () => {
    await waitForJobs();
    if (d) await t.dispose(d);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds the same problems, in the same order, as the whole registry in memory (csv)', async () => {
    const rows = monthlyRows(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      (i, k) => i + k,
    );
    expect(rows.length).toBeGreaterThan(2 * RESOLVE_CHUNK_ROWS);
    // unknown firms in the first, second and last chunk (the second twice), a malformed code, a repeat
    rows[10]![0] = UNKNOWN[0]!;
    rows[RESOLVE_CHUNK_ROWS + 3]![0] = UNKNOWN[1]!;
    rows[RESOLVE_CHUNK_ROWS + 4]![0] = UNKNOWN[1]!;
    rows[rows.length - 2]![0] = UNKNOWN[0]!;
    rows[2 * RESOLVE_CHUNK_ROWS + 7]![0] = '91330402MA2B3C4D5X';
    rows.splice(RESOLVE_CHUNK_ROWS - 1, 0, rows[3 * MONTHS + 1]!); // a repeat across a chunk's end
    const f = write('refused.csv', [MONTHLY, ...rows]);
    for (const importer of [CITY, COUNTY]) {
      const chunked = await analyseFile(d, f, importer);
      const whole = await passWithWholeRegistry(f, importer.regionCode);
      expect(plain(chunked)).toEqual(plain(whole));
      const codes = new Set(chunked.problems.map((p) => p.code));
      expect(codes).toContain('enterprise.unknown');
      expect(codes).toContain('row.duplicate');
      if (importer === COUNTY) expect(codes).toContain('scope.otherCounty');
    }
    // a commit is refused with the same problems, and writes nothing
    const before = await count();
    const o = await commitLocalFile(d, f, CITY, ACTOR);
    expect(o.outcome.status).toBe('refused');
    if (o.outcome.status !== 'refused') return;
    expect(plain(o.outcome.pass)).toEqual(plain(await passWithWholeRegistry(f, null)));
    expect(await count()).toBe(before);
  });

  it('finds the same problems across the sheets of an xlsx (the chunk ends with its sheet)', async () => {
    const wb = new ExcelJS.Workbook();
    const rows = monthlyRows([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], (i, k) => i * 10 + k);
    rows[RESOLVE_CHUNK_ROWS - 5]![0] = UNKNOWN[1]!;
    const half = Math.floor(rows.length / 2);
    rows[half + 2]![0] = UNKNOWN[0]!;
    for (const [name, part] of [
      ['一月至五月', rows.slice(0, half)],
      ['六月至十月', rows.slice(half)],
    ] as const) {
      const ws = wb.addWorksheet(name);
      ws.addRow(MONTHLY);
      for (const r of part) ws.addRow(r);
    }
    const p = path.join(dir, `${t.kind}-sheets.xlsx`);
    await wb.xlsx.writeFile(p);
    const f = { kind: 'monthly' as const, path: p, fileName: 'sheets.xlsx' };
    for (const importer of [CITY, COUNTY]) {
      const chunked = await analyseFile(d, f, importer);
      expect(chunked.counts.rows).toBe(rows.length);
      expect(plain(chunked)).toEqual(plain(await passWithWholeRegistry(f, importer.regionCode)));
    }
  });

  it('commits a file of several chunks with the right firms, and again through staging when a later chunk meets rows on record', async () => {
    const first = write('months-a.csv', [
      MONTHLY,
      ...monthlyRows([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], (i, k) => i + k),
    ]);
    const a = await commitLocalFile(d, first, CITY, ACTOR);
    expect(a.outcome.status).toBe('committed');
    if (a.outcome.status !== 'committed') return;
    expect(a.outcome.write).toEqual({ inserted: FIRMS * 10, replaced: 0, unchanged: 0 });
    expect(await mismatches(false)).toBe(0);
    // months 10…19 are new, months 5…9 are on record (5 changed, 6…9 unchanged): every chunk has firms
    // not seen before, so the direct COPY is ended for a lookup, and meets the rows on record there
    const second = write('months-b.csv', [
      MONTHLY,
      ...monthlyRows(
        [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 5, 6, 7, 8, 9],
        (i, k) => i + k + (k === 5 ? 1 : 0),
      ),
    ]);
    const b = await commitLocalFile(d, second, CITY, ACTOR);
    expect(b.outcome.status).toBe('committed');
    if (b.outcome.status !== 'committed') return;
    expect(b.outcome.write).toEqual({ inserted: FIRMS * 10, replaced: FIRMS, unchanged: FIRMS * 4 });
    expect(await count()).toBe(FIRMS * 20);
    expect(await mismatches(true)).toBe(0);
  });

  const count = async () =>
    Number(
      (await queryRows<{ n: number | string }>(d.db, sql`select count(*) as n from monthly_stats`))[0]!.n,
    );
  /** Rows whose value is not what their firm's row of the files said (i + k + the month-5 correction). */
  const mismatches = async (corrected: boolean) => {
    const byCode = new Map(firms.map((u, i) => [u, i]));
    const rows = await queryRows<{ uscc: string; month: string; v: number | string }>(
      d.db,
      sql`select e.uscc, to_char(m.month, 'YYYY-MM') as month, m.output_value as v
          from monthly_stats m join enterprises e on e.id = m.enterprise_id`,
    );
    let bad = 0;
    for (const r of rows) {
      const i = byCode.get(r.uscc);
      const [y, mm] = r.month.split('-').map(Number) as [number, number];
      const k = (y - 2023) * 12 + mm - 1;
      if (i === undefined || Number(r.v) !== i + k + (k === 5 && corrected ? 1 : 0)) bad++;
    }
    return bad;
  };
});
