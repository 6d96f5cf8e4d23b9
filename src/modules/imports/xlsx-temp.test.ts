// A streamed xlsx (worksheets before the workbook's relations in the zip) is read through temporary
// files; no stream error of a read escapes as an uncaught exception (issue 13).
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
  it('reads a streamed workbook whose hidden sheet is parked in a temporary file, with no stray error', async () => {
    const file = await streamedWorkbook('hidden.xlsx', 300);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const events = await readAll(file, path.join(dir, 'root-hidden'));
      expect(rowsOf(events)).toBe(301);
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
});
