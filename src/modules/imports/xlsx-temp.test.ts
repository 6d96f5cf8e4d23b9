// A streamed xlsx (worksheets before the workbook's relations in the zip) is read through temporary
// files: each read keeps them in a folder of its own and removes it, and a temporary file removed
// mid-read fails that read only — never the process (issue 13).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { readXlsx, UnreadableFile, type ReadEvent } from './readers.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-xlsx-temp-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A streamed workbook: a visible sheet of `rows` rows and a hidden one, as our exports are written. */
async function streamedWorkbook(name: string, rows: number): Promise<string> {
  const file = path.join(dir, name);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const ws = wb.addWorksheet('数据');
  ws.addRow(['统一社会信用代码', '统计月份', '工业总产值(万元)']).commit();
  for (let i = 0; i < rows; i++) ws.addRow([`code-${i}`, '2025-01', i]).commit();
  ws.commit();
  const hidden = wb.addWorksheet('说明', { state: 'hidden' });
  hidden.addRow(['说明']).commit();
  hidden.commit();
  await wb.commit();
  return file;
}

async function readAll(file: string, tempRoot: string, onBytes?: (n: number) => void) {
  const events: ReadEvent[] = [];
  for await (const ev of readXlsx(file, { tempRoot, onBytes })) events.push(ev);
  return events;
}

const rowsOf = (events: ReadEvent[]) =>
  events.reduce((k, e) => k + (e.type === 'rows' ? e.rows.length : 0), 0);

describe('xlsx temporary files', () => {
  it('parks sheets in a folder of the read’s own and removes it when the read ends', async () => {
    const file = await streamedWorkbook('ok.xlsx', 500);
    const root = path.join(dir, 'root-ok');
    let seenDuringRead: string[] = [];
    const events = await readAll(file, root, () => {
      // while the zip is read, the parked sheets sit in one read-… folder under the root
      const reads = fs.existsSync(root) ? fs.readdirSync(root) : [];
      if (reads.length) seenDuringRead = reads;
    });
    expect(rowsOf(events)).toBe(501);
    expect(events.filter((e) => e.type === 'sheet').map((e) => e.type === 'sheet' && e.hidden)).toEqual([
      false,
      true,
    ]);
    expect(seenDuringRead).toHaveLength(1);
    expect(seenDuringRead[0]).toMatch(/^read-/);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('fails only the read whose temporary files were removed mid-read; a read beside it is untouched', async () => {
    const file = await streamedWorkbook('swept.xlsx', 2_000);
    const size = fs.statSync(file).size;
    const sweptRoot = path.join(dir, 'root-swept');
    const otherRoot = path.join(dir, 'root-other');
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const [swept, other] = await Promise.allSettled([
        // once the whole zip is read, the parked sheets are waiting in files: a sweep removes them
        readAll(file, sweptRoot, (n) => {
          if (n >= size) fs.rmSync(sweptRoot, { recursive: true, force: true });
        }),
        readAll(file, otherRoot),
      ]);
      expect(swept.status).toBe('rejected');
      const error = (swept as PromiseRejectedResult).reason as UnreadableFile;
      expect(error).toBeInstanceOf(UnreadableFile);
      expect(error.en).toMatch(/Cannot read this xlsx file \(.*ENOENT/);
      expect(other.status).toBe('fulfilled');
      expect(rowsOf((other as PromiseFulfilledResult<ReadEvent[]>).value)).toBe(2_001);
      // give a stray stream error a turn to surface
      await new Promise((r) => setTimeout(r, 50));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('fails the read, not the process, when the file itself is gone before it opens', async () => {
    const missing = path.join(dir, 'gone.xlsx');
    await expect(readAll(missing, path.join(dir, 'root-gone'))).rejects.toBeInstanceOf(UnreadableFile);
  });
  it('reads a writeBuffer workbook (hidden sheets first, workbook.xml last) through the per-read folder', async () => {
    // the layout the redirect was once blamed for: every sheet parked, the workbook's names read last
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明', { state: 'hidden' }).addRow(['说明']);
    const data = wb.addWorksheet('数据');
    data.addRow(['统一社会信用代码', '工业总产值(万元)']);
    for (let i = 0; i < 200; i++) data.addRow([`code-${i}`, i]);
    wb.addWorksheet('隐藏', { state: 'veryHidden' }).addRow(['x']);
    const file = path.join(dir, 'buffer.xlsx');
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    const root = path.join(dir, 'root-buffer');
    const events = await readAll(file, root);
    expect(events.filter((e) => e.type === 'sheet')).toEqual([
      { type: 'sheet', name: '说明', hidden: true },
      { type: 'sheet', name: '数据', hidden: false },
      { type: 'sheet', name: '隐藏', hidden: true },
    ]);
    expect(rowsOf(events)).toBe(201);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('reports a zip cut before workbook.xml as unreadable (ExcelJS would parse parked sheets with no workbook model)', async () => {
    // the "reading 'sheets'": the zip ends early, ExcelJS then parses the parked sheets while
    // `this.model` (from xl/workbook.xml) is still undefined
    const whole = fs.readFileSync(await streamedWorkbook('whole.xlsx', 3_000));
    const cut = path.join(dir, 'cut.xlsx');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.8)));
    const error = await readAll(cut, path.join(dir, 'root-cut')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableFile);
  });
});
