// The csv reader's hand-split fast path must read exactly what csv-parse reads (and hand over to it
// from the first quote on), whatever the chunk boundaries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { detectEncoding, readCsv, type ReadRow } from './readers.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-readers-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** What the reader gave before its fast path: csv-parse records, blank fields missing, line numbers. */
function reference(text: string): ReadRow[] {
  const records = parse(text.replace(/^\uFEFF/, ''), {
    delimiter: ',',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  }) as string[][];
  let line = 1;
  return records.map((record) => {
    const row = line;
    line += 1 + record.reduce((k, v) => k + v.split('\n').length - 1, 0);
    return { row, cells: record.map((v) => (v.trim() === '' ? null : v)) };
  });
}

async function read(file: string, chunkBytes: number): Promise<ReadRow[]> {
  const rows: ReadRow[] = [];
  for await (const ev of readCsv(file, { chunkBytes })) if (ev.type === 'rows') rows.push(...ev.rows);
  return rows;
}

async function outcome<T>(f: () => T | Promise<T>): Promise<{ ok: T } | { error: true }> {
  try {
    return { ok: await f() };
  } catch {
    return { error: true };
  }
}

const token = fc.constantFrom('a', '12.5', ' ', '', ',', ',', '中文', '"', '""', '\u3000', '-', '１２');

describe('readCsv', () => {
  it('reads what csv-parse reads, across chunk boundaries, with \\n or \\r\\n line ends', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(token, { maxLength: 8 }), { minLength: 1, maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        async (lines, eol, finalEol, bom, chunkBytes) => {
          const text =
            (bom ? '\uFEFF' : '') +
            'h1,h2,h3' +
            eol +
            lines.map((l) => l.join('')).join(eol) +
            (finalEol ? eol : '');
          const file = path.join(dir, `t${n++}.csv`);
          fs.writeFileSync(file, text, 'utf8');
          const expected = await outcome(() => reference(text));
          const actual = await outcome(() => read(file, chunkBytes));
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads GB18030 split across chunks, and names the row of bytes that are not UTF-8', async () => {
    const gbk = path.join(dir, 'gbk.csv');
    fs.writeFileSync(
      gbk,
      iconv.encode('统一社会信用代码,企业名称\r\nA1,嘉兴示例纺织有限公司\r\nA2,桐乡\r\n', 'gbk'),
    );
    expect(await read(gbk, 3)).toEqual([
      { row: 1, cells: ['统一社会信用代码', '企业名称'] },
      { row: 2, cells: ['A1', '嘉兴示例纺织有限公司'] },
      { row: 3, cells: ['A2', '桐乡'] },
    ]);
    const mixed = path.join(dir, 'mixed.csv');
    const head = Buffer.from('代码,名称\nA1,嘉兴\n'.repeat(4000), 'utf8'); // valid UTF-8 well past the 64 KiB sample
    fs.writeFileSync(mixed, Buffer.concat([head, iconv.encode('A2,桐乡\n', 'gbk')]));
    await expect(read(mixed, 4096)).rejects.toThrow(/Row 8001 has bytes that are not UTF-8/);
  });

  it('reads UTF-8 with a stray byte in its sample as UTF-8 (naming the row), GBK Chinese still as GB18030', () => {
    const header = '统一社会信用代码,统计月份,工业总产值(万元)\n';
    const stray = Buffer.concat([
      Buffer.from(`${header}A1,2024-01,1\nA2,`),
      Buffer.from([0xff]),
      Buffer.from('\n'),
    ]);
    expect(detectEncoding(stray)).toBe('utf8');
    expect(detectEncoding(iconv.encode(`${header}A1,2024-01,1\n`, 'gbk'))).toBe('gb18030');
    expect(detectEncoding(iconv.encode('代码,名称\nA1,嘉兴示例纺织有限公司\nA2,桐乡\n', 'gbk'))).toBe(
      'gb18030',
    );
    expect(detectEncoding(Buffer.from([0x41, 0x2c, 0xff, 0x0a]))).toBe('gb18030');
  });
});
