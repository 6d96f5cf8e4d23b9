// `clusterscope evaluate` on a hand-built dataset in a PGlite folder: the export reproduces the
// hand-computed examples of the default rule set; usage errors exit 2, failures 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { openDatabase, REPO_ROOT, runMigrations } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadReferenceData } from '../../src/modules/reference/service.ts';
import {
  HAND_EXPECTED,
  HAND_ROWS,
  handUscc,
  seedHandExample,
  seedZeroExample,
  ZERO_EXPECTED,
  ZERO_ROWS,
  zeroUscc,
} from '../helpers/evaluation.ts';

let dir: string;

function cli(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, CLUSTERSCOPE_DATA: path.join(dir, 'data') };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'clusterscope.js'), 'evaluate', ...args], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function parseCsv(text: string): string[][] {
  return text
    .replace(/^\ufeff/, '')
    .trim()
    .split(/\r\n/)
    .map((line) => line.split(','));
}

describe('clusterscope evaluate', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-evaluate-'));
    const d = await openDatabase({ url: '', dataDir: path.join(dir, 'data') });
    await runMigrations(d);
    await loadReferenceData(d.db, await loadCityConfig(resolveCityDir()));
    await seedHandExample(d, 2024);
    await seedZeroExample(d, 2023);
    await d.close();
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a CSV reproducing the hand-computed examples', () => {
    const res = cli('--year', '2024', '--out', 'out.csv');
    expect(res.status, res.stderr).toBe(0);
    const [header, ...rows] = parseCsv(fs.readFileSync(path.join(dir, 'out.csv'), 'utf8'));
    for (const h of [
      '统一社会信用代码',
      '企业名称',
      '区县代码',
      '组别',
      '亩均税收',
      '亩均税收得分',
      '单位电耗税收得分',
      'R&D占比',
      '总分',
      '等级',
      '未参评原因',
    ])
      expect(header).toContain(h);
    const col = (name: string) => header!.indexOf(name);
    expect(rows).toHaveLength(HAND_ROWS.length);
    for (const [k, r] of HAND_ROWS.entries()) {
      const row = rows.find((x) => x[col('统一社会信用代码')] === handUscc(k))!;
      const exp = HAND_EXPECTED[r.label]!;
      expect(row[col('企业名称')]).toBe(r.name);
      expect(row[col('区县代码')]).toBe(r.regionCode);
      expect(row[col('组别')]).toBe(exp.group);
      expect(row[col('等级')] || null, r.label).toBe(exp.class);
      if (exp.total == null) expect(row[col('总分')]).toBe('');
      else expect(Number(row[col('总分')])).toBeCloseTo(exp.total, 9);
      if (exp.reason) expect(row[col('未参评原因')]).not.toBe('');
      else expect(row[col('未参评原因')]).toBe('');
    }
    const f3 = rows.find((x) => x[col('统一社会信用代码')] === handUscc(2))!;
    expect(Number(f3[col('亩均税收')])).toBe(-3);
    expect(Number(f3[col('亩均税收得分')])).toBe(0);
    expect(Number(f3[col('单位能耗增加值得分')])).toBeCloseTo(20, 9);
    const b4 = rows.find((x) => x[col('统一社会信用代码')] === handUscc(6))!;
    expect(b4[col('未参评原因')]).toContain('3亩');
  });

  it('a group with blanks and zeros side by side: identical rows for a typed 0 and a blank, zero totals D', () => {
    const res = cli('--year', '2023', '--out', 'zero.csv');
    expect(res.status, res.stderr).toBe(0);
    const [header, ...rows] = parseCsv(fs.readFileSync(path.join(dir, 'zero.csv'), 'utf8'));
    const col = (name: string) => header!.indexOf(name);
    expect(rows).toHaveLength(ZERO_ROWS.length);
    const byLabel = new Map(
      ZERO_ROWS.map((r, k) => [r.label, rows.find((x) => x[col('统一社会信用代码')] === zeroUscc(k))!]),
    );
    for (const [label, exp] of Object.entries(ZERO_EXPECTED)) {
      const row = byLabel.get(label)!;
      expect(row[col('等级')], label).toBe(exp.class);
      expect(Number(row[col('总分')])).toBeCloseTo(exp.total, 9);
      expect(Number(row[col('亩均税收得分')])).toBeCloseTo(exp.scores[0]!, 9);
      expect(Number(row[col('单位电耗税收得分')])).toBeCloseTo(exp.scores[1]!, 9);
    }
    // the blank reads as the 0 it stands for, in the value columns too
    const cells = (label: string) => byLabel.get(label)!.slice(col('亩均税收'), col('总分') + 1);
    expect(cells('Z3')).toEqual(cells('Z2'));
    expect(cells('Z5')).toEqual(cells('Z4'));
  });

  it('writes the same as .xlsx, and limits to a county with --region', async () => {
    const res = cli('--year', '2024', '--region', '330483', '--out', 'out.xlsx');
    expect(res.status, res.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'out.xlsx'));
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(ws.rowCount).toBe(3);
    const row = (ws.getRow(2).values as unknown[]).slice(1);
    const s1 =
      row[header.indexOf('统一社会信用代码')] === handUscc(10)
        ? row
        : (ws.getRow(3).values as unknown[]).slice(1);
    expect(s1[header.indexOf('总分')] as number).toBeCloseTo(100, 9);
    expect(s1[header.indexOf('等级')]).toBe('A');
  });

  it('exits 2 on usage errors and 1 on failure', () => {
    expect(cli().status).toBe(2);
    expect(cli('--year', '24').status).toBe(2);
    expect(cli('--year', '2024', '--out', 'out.pdf').status).toBe(2);
    expect(cli('--year', '2030').status).toBe(1);
    expect(cli('--year', '2024', '--rule-set', '9999').status).toBe(1);
  });
});
