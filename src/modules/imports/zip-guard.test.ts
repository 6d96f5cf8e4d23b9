// The xlsx guard: hostile files refused before inflating (central directory) or while counting
// (sizes that lie, too many rows, cells or shared strings), memory bounded; real workbooks pass.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { IN_MEMORY_XLSX_LIMITS, STREAMED_XLSX_LIMITS, type XlsxLimits } from '../../domain/imports/limits.ts';
import fc from 'fast-check';
import { guardXlsx, TagCounter, XlsxRefused } from './zip-guard.ts';
import { cellsBomb, plainPart, sharedStringsBomb, zipOf } from '../../../test/helpers/zip-bombs.ts';

async function refusal(file: Buffer, limits: XlsxLimits): Promise<XlsxRefused> {
  try {
    await guardXlsx(file, limits);
  } catch (error) {
    if (error instanceof XlsxRefused) return error;
    throw error;
  }
  throw new Error('not refused');
}

const loose: XlsxLimits = { ...STREAMED_XLSX_LIMITS, maxRatio: 1e9 };

describe('guardXlsx', () => {
  it('passes a workbook ExcelJS wrote, on both limit sets', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('月报');
    for (let i = 0; i < 2000; i++) ws.addRow([`9133040200000${i}`, '2024-05', i * 1.5, `企业${i}`]);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    await guardXlsx(file, STREAMED_XLSX_LIMITS);
    await guardXlsx(file, IN_MEMORY_XLSX_LIMITS);
  });

  it('keeps the inflated parts it is asked for within the share, and none past it or of a refused file', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('月报');
    for (let i = 0; i < 2000; i++) ws.addRow([`9133040200000${i}`, '2024-05', i * 1.5, `企业${i}`]);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const wanted = (name: string) =>
      name === 'xl/workbook.xml' || /^xl\/worksheets\/sheet\d+\.xml$/.test(name);
    const share = { left: 64 * 1024 * 1024 };
    const parts = await guardXlsx(file, STREAMED_XLSX_LIMITS, { wanted, share });
    expect(parts!.map((p) => p.name).sort()).toEqual(['xl/workbook.xml', 'xl/worksheets/sheet1.xml']);
    const bytes = parts!.reduce((n, p) => n + p.chunks.reduce((k, c) => k + c.length, 0), 0);
    expect(64 * 1024 * 1024 - share.left).toBe(bytes);
    const sheet = Buffer.concat(parts!.find((p) => p.name.startsWith('xl/worksheets/'))!.chunks).toString();
    expect(sheet).toContain('<row r="2000"');
    // past the share: nothing kept, the share as it was
    const small = { left: 1000 };
    expect(await guardXlsx(file, STREAMED_XLSX_LIMITS, { wanted, share: small })).toBeNull();
    expect(small.left).toBe(1000);
    // a refused file: refused as before, nothing kept
    const tight = { left: 64 * 1024 * 1024 };
    await expect(
      guardXlsx(file, { ...STREAMED_XLSX_LIMITS, maxRowsPerSheet: 10 }, { wanted, share: tight }),
    ).rejects.toBeInstanceOf(XlsxRefused);
    expect(tight.left).toBe(64 * 1024 * 1024);
  });

  it('refuses the 5.5 GB shared-string bomb from the directory alone, naming the limit', async () => {
    const file = sharedStringsBomb();
    expect(file.length).toBeLessThan(40 * 1024 * 1024);
    const started = Date.now();
    const e = await refusal(file, STREAMED_XLSX_LIMITS);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(e.limit).toBe('maxEntryBytes');
    expect(e.zh).toContain('1024 MB');
    expect(e.en).toContain('more than the limit of 1024 MB');
  });

  it('refuses a part that unpacks to more than it declares, after reading no more than it declared', async () => {
    const before = process.memoryUsage().rss;
    // 13 M cells (≈ 270 MB of XML) declared as 100 KB
    const e = await refusal(cellsBomb(13_000_000, 100_000), STREAMED_XLSX_LIMITS);
    expect(e.limit).toBe('structure');
    expect(e.en).toContain('unpacks to more than its declared size');
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses a compression ratio above the limit', async () => {
    const e = await refusal(cellsBomb(13_000_000), { ...STREAMED_XLSX_LIMITS, maxEntryBytes: 2 ** 31 });
    expect(e.limit).toBe('maxRatio');
    expect(e.zh).toContain('压缩比');
  });

  it('counts cells, rows and shared strings while inflating', async () => {
    const cells = await refusal(cellsBomb(20_000), { ...loose, maxCellsPerSheet: 10_000 });
    expect(cells.limit).toBe('maxCellsPerSheet');
    expect(cells.en).toContain('sheet1');
    expect(cells.en).toContain('10,000 cells per sheet');
    const rows = await refusal(cellsBomb(20_000), { ...loose, maxRowsPerSheet: 150 });
    expect(rows.limit).toBe('maxRowsPerSheet');
    expect(rows.zh).toContain('150 行');
    const strings = await refusal(sharedStringsBomb(5_000), { ...loose, maxSharedStrings: 1_000 });
    expect(strings.limit).toBe('maxSharedStrings');
    expect(strings.en).toContain('1,000');
    const bytes = await refusal(sharedStringsBomb(5_000), { ...loose, maxSharedStringsBytes: 1_000_000 });
    expect(bytes.limit).toBe('maxSharedStringsBytes');
    // within the limits the same files pass
    await guardXlsx(cellsBomb(20_000), loose);
    await guardXlsx(sharedStringsBomb(5_000), loose);
  });

  it('refuses too many entries, data hidden between entries, and files that are no zip', async () => {
    const many = zipOf(Array.from({ length: 20 }, (_, i) => plainPart(`x${i}.xml`, '<a/>')));
    expect((await refusal(many, { ...loose, maxEntries: 10 })).limit).toBe('maxEntries');
    const one = zipOf([plainPart('a.xml', '<a/>'), plainPart('b.xml', '<b/>')]);
    // a third local entry slipped in before the directory: a streaming reader would read it
    const cd = one.readUInt32LE(one.length - 6);
    const hidden = plainPart('xl/sharedStrings.xml', '<sst/>');
    const extra = zipOf([hidden]).subarray(0, 30 + hidden.name.length + hidden.packed.length);
    const smuggled = Buffer.concat([one.subarray(0, cd), extra, one.subarray(cd)]);
    smuggled.writeUInt32LE(cd + extra.length, smuggled.length - 6);
    expect((await refusal(smuggled, loose)).en).toContain('unlisted data');
    expect((await refusal(Buffer.from('uscc,month\n1,2'), loose)).en).toContain('not a valid zip');
  });

  it('counts tags byte by byte as a regular expression over the whole text does, however the chunks fall', () => {
    const piece = fc.constantFrom(
      '<row r="1">',
      '<x:row>',
      '<c r="A1" t="s">',
      '<x:c/>',
      '<c\tr="B2">',
      '<rows>',
      '<cc>',
      '<col min="1"/>',
      '<v>1</v>',
      '</c>',
      '</row>',
      '<si>',
      '<ab:si/>',
      '中文<',
      'text',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }),
        fc.array(fc.nat(40), { maxLength: 20 }),
        (pieces, cuts) => {
          const bytes = Buffer.from(pieces.join(''), 'utf8');
          const text = bytes.toString('latin1');
          const want = [/<(?:\w+:)?row[\s>/]/g, /<(?:\w+:)?c[\s>/]/g, /<(?:\w+:)?si[\s>/]/g].map(
            (re) => (text.match(re) ?? []).length,
          );
          const counter = new TagCounter(['row', 'c', 'si']);
          let at = 0;
          for (const cut of cuts) {
            counter.feed(bytes.subarray(at, Math.min(bytes.length, at + cut)));
            at = Math.min(bytes.length, at + cut);
          }
          counter.feed(bytes.subarray(at));
          expect(counter.counts).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});
