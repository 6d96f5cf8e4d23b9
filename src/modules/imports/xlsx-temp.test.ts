// A streamed xlsx (worksheets before the workbook's relations in the zip) is read through temporary
// files; no stream error of a read escapes as an uncaught exception (issue 13).
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { readXlsx, UnreadableFile, type ReadEvent } from './readers.ts';
import { parkedInMemory, readTempDir } from './xlsx-temp.ts';
import { plainPart, zipOf } from '../../../test/helpers/zip-bombs.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-xlsx-temp-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * A streamed workbook: `visible` sheets of `rows` rows and a hidden one, as our exports are written (every
 * sheet before xl/workbook.xml in the zip, so each is parked: in a temporary file when the read holds none
 * in memory, parkInMemory 0, as these tests read them unless they say otherwise).
 */
async function streamedWorkbook(name: string, rows: number, visible = 1): Promise<string> {
  const file = path.join(dir, name);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  for (let v = 0; v < visible; v++) {
    const ws = wb.addWorksheet(`数据${v + 1}`);
    ws.addRow(['统一社会信用代码', '统计月份', '工业总产值(万元)']).commit();
    for (let i = 0; i < rows; i++) ws.addRow([`code-${i}`, '2025-01', i]).commit();
    ws.commit();
  }
  const hidden = wb.addWorksheet('说明', { state: 'hidden' });
  hidden.addRow(['说明']).commit();
  hidden.commit();
  await wb.commit();
  return file;
}

async function readAll(file: string, tempRoot: string, onBytes?: (n: number) => void) {
  const events: ReadEvent[] = [];
  for await (const ev of readXlsx(file, { tempRoot, onBytes, parkInMemory: 0 })) events.push(ev);
  return events;
}

const rowsOf = (events: ReadEvent[]) =>
  events.reduce((k, e) => k + (e.type === 'rows' ? e.rows.length : 0), 0);

/** Runs `fn` and answers the uncaught exceptions seen during it and shortly after. */
async function uncaughtDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    process.off('uncaughtException', onUncaught);
  }
  return uncaught;
}

const filesUnder = (root: string): string[] =>
  fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).map(String) : [];

describe('xlsx temporary files', () => {
  it('parks the sheets in a folder of the read, removed when the read ends', async () => {
    const file = await streamedWorkbook('two.xlsx', 50, 2);
    const root = path.join(dir, 'root-two');
    const seen: string[][] = [];
    for await (const ev of readXlsx(file, { tempRoot: root, parkInMemory: 0 }))
      if (ev.type === 'sheet') seen.push(filesUnder(root));
    // while the first sheet is read, its parked file and the next one's sit in the read's own folder
    expect(seen[0]!.filter((f) => f.endsWith('.xml'))).toHaveLength(3);
    expect(filesUnder(root)).toEqual([]);
  });

  it('holds parked sheets in memory up to its share, and parks the rest in files', async () => {
    const file = await streamedWorkbook('memory.xlsx', 2_000, 2);
    const read = async (root: string, parkInMemory?: number) => {
      const seen: string[][] = [];
      const values: unknown[] = [];
      for await (const ev of readXlsx(file, { tempRoot: root, parkInMemory }))
        if (ev.type === 'sheet') seen.push(filesUnder(root).filter((f) => f.endsWith('.xml')));
        else values.push(...ev.rows.map((r) => r.cells[2]));
      return { seen, values };
    };
    const inFiles = await read(path.join(dir, 'root-files'), 0);
    const inMemory = await read(path.join(dir, 'root-memory'));
    // by default none of the three parked sheets went to a file; the same rows either way
    expect(inMemory.seen).toEqual([[], [], []]);
    expect(inMemory.values).toEqual(inFiles.values);
    expect(inMemory.values).toHaveLength(2 * 2_001);
    // a share smaller than the first sheet: that sheet and the next go to files, the small hidden one not
    const some = await read(path.join(dir, 'root-some'), 20_000);
    expect(some.seen[0]).toHaveLength(2);
    expect(some.values).toEqual(inFiles.values);
    expect(filesUnder(path.join(dir, 'root-some'))).toEqual([]);
  });

  it("takes parked sheets from the process's one share and gives it back however the read ends", async () => {
    const file = await streamedWorkbook('share.xlsx', 2_000, 2);
    const root = path.join(dir, 'root-share');
    // two reads at once, each stopped at its first sheet: the second sheet of each is held meanwhile
    const held: number[] = [];
    const readers = [readXlsx(file, { tempRoot: root }), readXlsx(file, { tempRoot: root })];
    for (const r of readers)
      for await (const ev of r)
        if (ev.type === 'sheet') {
          held.push(parkedInMemory());
          break; // the read stops: its parked sheets are let go
        }
    expect(held[0]).toBeGreaterThan(0);
    expect(parkedInMemory()).toBe(0);
    // read to the end: nothing held after it
    let rows = 0;
    for await (const ev of readXlsx(file, { tempRoot: root })) if (ev.type === 'rows') rows += ev.rows.length;
    expect(rows).toBe(2 * 2_001);
    expect(parkedInMemory()).toBe(0);
    expect(filesUnder(root)).toEqual([]);
  });

  it('fails only that read when its parked sheet is removed mid-read; the process goes on', async () => {
    const file = await streamedWorkbook('removed.xlsx', 200, 2);
    const root = path.join(dir, 'root-removed');
    let error: unknown = null;
    let rows = 0;
    const uncaught = await uncaughtDuring(async () => {
      try {
        for await (const ev of readXlsx(file, { tempRoot: root, parkInMemory: 0 })) {
          if (ev.type === 'rows') rows += ev.rows.length;
          // the first sheet is being read: a sweep removes the read's folder under it
          if (ev.type === 'sheet' && ev.name === '数据1')
            for (const name of fs.readdirSync(root))
              fs.rmSync(path.join(root, name), { recursive: true, force: true });
        }
      } catch (e) {
        error = e;
      }
    });
    expect(uncaught).toEqual([]);
    expect(error).toBeInstanceOf(UnreadableFile);
    expect((error as UnreadableFile).en).toMatch(/Cannot read this xlsx file \(ENOENT/);
    // the first sheet, opened before the sweep, was read whole
    expect(rows).toBe(201);
    expect(filesUnder(root)).toEqual([]);
    // and the next read of the same file is whole
    expect(rowsOf(await readAll(file, root))).toBe(402);
  });

  it('leaves no parked read behind when the reader stops early', async () => {
    const file = await streamedWorkbook('early.xlsx', 200, 3);
    const root = path.join(dir, 'root-early');
    const uncaught = await uncaughtDuring(async () => {
      for await (const ev of readXlsx(file, { tempRoot: root, parkInMemory: 0 }))
        if (ev.type === 'rows') break;
    });
    expect(uncaught).toEqual([]);
    expect(filesUnder(root)).toEqual([]);
  });

  it('refuses a workbook cut off before its workbook part, with no stray error', async () => {
    const whole = fs.readFileSync(await streamedWorkbook('cut.xlsx', 2000, 2));
    const cut = path.join(dir, 'cut-short.xlsx');
    // the sheets come first in a streamed workbook: the cut keeps them and drops xl/workbook.xml
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const root = path.join(dir, 'root-cut');
    let error: unknown = null;
    const uncaught = await uncaughtDuring(async () => {
      await readAll(cut, root).catch((e: unknown) => (error = e));
    });
    expect(uncaught).toEqual([]);
    expect(error).toBeInstanceOf(UnreadableFile);
    expect(filesUnder(root)).toEqual([]);
  });

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

  // Issue 13: under load our own export read as unreadable ("reading 'sheets'" of undefined, later "the
  // workbook part is missing"), and a clean preview's commit was refused. The zip loop (ExcelJS's
  // iterate-stream over unzipper's readable side) paused the zip while it handled an entry; unzipper went
  // on to the end of the zip with the small parts after it waiting in the paused buffer, ended the stream
  // itself, and the loop stopped there. These two tests let unzipper run ahead deterministically.
  it('reads every part of our own export when unzipper reaches the end of the zip while a sheet is parked', async () => {
    const file = await streamedWorkbook('ahead.xlsx', 20, 1);
    const input = fs.createReadStream(file);
    const inputEnded = once(input, 'end');
    let holds = 0;
    const temp = readTempDir(path.join(dir, 'root-ahead'), {
      inMemory: 0,
      // hold the first parked sheet until the whole file went into the zip (the parts after it are small)
      parked: async () => {
        if (holds++ > 0) return;
        await Promise.race([inputEnded, delay(2_000)]);
        await delay(300);
      },
    });
    const names: string[] = [];
    let rows = 0;
    try {
      for await (const ws of temp.sheets(input)) {
        names.push(ws.name ?? '');
        for await (const batch of ws.rows()) rows += batch.length;
      }
    } finally {
      await temp.dispose();
    }
    expect(names).toEqual(['数据1', '说明']);
    expect(rows).toBe(22);
  });

  it('reads every sheet of a workbook whose sheets follow its workbook part, however slowly each is read', async () => {
    // Excel-like order: the workbook, its relations and shared strings first, each sheet read as it comes;
    // a slow reader of the first sheet (a commit writing its rows) lost the sheets after it without a word
    const sheets = [1, 2, 3];
    const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
    const xml = '<?xml version="1.0" encoding="UTF-8"?>';
    const file = path.join(dir, 'workbook-first.xlsx');
    fs.writeFileSync(
      file,
      zipOf([
        plainPart(
          '[Content_Types].xml',
          `${xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
        ),
        plainPart(
          '_rels/.rels',
          `${xml}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
        ),
        plainPart(
          'xl/workbook.xml',
          `${xml}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets>${sheets.map((n) => `<sheet name="表${n}" sheetId="${n}" r:id="rId${n}"/>`).join('')}</sheets></workbook>`,
        ),
        plainPart(
          'xl/_rels/workbook.xml.rels',
          `${xml}<Relationships xmlns="${PKG}">${sheets.map((n) => `<Relationship Id="rId${n}" Type="${REL}/worksheet" Target="worksheets/sheet${n}.xml"/>`).join('')}<Relationship Id="rId9" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
        ),
        plainPart(
          'xl/sharedStrings.xml',
          `${xml}<sst xmlns="${NS}" count="1" uniqueCount="1"><si><t>代码</t></si></sst>`,
        ),
        ...sheets.map((n) =>
          plainPart(
            `xl/worksheets/sheet${n}.xml`,
            `${xml}<worksheet xmlns="${NS}"><sheetData>${[1, 2, 3, 4].map((r) => `<row r="${r}"><c r="A${r}"><v>${n * 100 + r}</v></c></row>`).join('')}</sheetData></worksheet>`,
          ),
        ),
        plainPart('docProps/app.xml', `${xml}<Properties/>`),
      ]),
    );
    const size = fs.statSync(file).size;
    let bytes = 0;
    const names: string[] = [];
    const values: unknown[] = [];
    for await (const ev of readXlsx(file, {
      tempRoot: path.join(dir, 'root-first'),
      onBytes: (n) => (bytes = n),
    })) {
      if (ev.type === 'rows') values.push(...ev.rows.map((r) => r.cells[0]));
      else if (names.push(ev.name) === 1) {
        // the reader of the first sheet is slow: by now the whole file went into the zip
        for (let waited = 0; bytes < size && waited < 2_000; waited += 20) await delay(20);
        await delay(300);
      }
    }
    expect(names).toEqual(['表1', '表2', '表3']);
    expect(values).toEqual([101, 102, 103, 104, 201, 202, 203, 204, 301, 302, 303, 304]);
  });
});
