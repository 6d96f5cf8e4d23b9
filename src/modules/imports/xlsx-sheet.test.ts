// The worksheet scanner: the values of each cell type, and the same rows however the part's bytes are
// cut into chunks (a tag, an entity or a UTF-8 character split between two).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sheetRows, SheetXmlError, type SheetRow } from './xlsx-sheet.ts';

const SHARED = ['共享', { richText: [{ text: 'ri' }, { text: 'ch' }] }, '  '];

const SHEET = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:F4"/>
<cols><col min="1" max="2" width="9"/></cols><!-- a comment with <row> in it --><sheetData>
<row r="1" spans="1:6"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="E1" t="str"><v>a &amp; b &lt;c&gt; &#x4E2D;&#25991;</v></c></row>
<row r="3"><c r="A3"><v>12.5</v></c><c r="B3" s="2"><v>45717</v></c><c r="C3" t="b"><v>1</v></c><c r="D3" t="e"><v>#N/A</v></c><c r="E3"><f>A3*2</f><v>25</v></c><c r="F3" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>
<row r="4"/>
<row r="5"><c r="A5" t="inlineStr"><is><r><t>行</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 二</t></r><rPh sb="0" eb="1"><t>ぎょう</t></rPh></is></c><c r="C5" s="1"/><c t="str"><v><![CDATA[<raw & text>]]></v></c><c r="E5"><v></v></c><c r="F5" t="str"><f>"x"</f><v>x</v></c></row>
<row r="6"><c r="B6" t="str"><v>line1\r\nline2</v></c><c r="C6" t="d"><v>2025-03-01T00:00:00</v></c><c r="D6"><v>1.5E+3</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>`;

const EXPECTED: SheetRow[] = [
  { row: 1, cells: ['共享', 'rich', null, null, 'a & b <c> 中文'] },
  { row: 3, cells: [12.5, 45717, 'TRUE', '#N/A', 25, '#DIV/0!'] },
  { row: 4, cells: [] },
  { row: 5, cells: ['行 二', null, null, '<raw & text>', null, 'x'] },
  { row: 6, cells: [null, 'line1\nline2', '2025-03-01T00:00:00', 1500] },
];

async function rowsOf(
  chunks: Iterable<Buffer>,
  shared: readonly unknown[] | null = SHARED,
): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const batch of sheetRows(
    (async function* () {
      yield* chunks;
    })(),
    shared,
  ))
    out.push(...batch);
  return out;
}

describe('sheetRows', () => {
  it('reads each cell type as the import takes it', async () => {
    expect(await rowsOf([Buffer.from(SHEET)])).toEqual(EXPECTED);
  });

  it('reads the same rows however the bytes are cut into chunks', async () => {
    const bytes = Buffer.from(SHEET);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 200 }),
        async (sizes) => {
          const chunks: Buffer[] = [];
          let at = 0;
          for (let i = 0; at < bytes.length; i++) {
            const size = sizes[i % sizes.length]!;
            chunks.push(bytes.subarray(at, at + size));
            at += size;
          }
          expect(await rowsOf(chunks)).toEqual(EXPECTED);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads prefixed SpreadsheetML and cells without references', async () => {
    const xml = `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row><x:row><x:c r="C2"><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>`;
    expect(await rowsOf([Buffer.from(xml)])).toEqual([
      { row: 1, cells: ['a', 2] },
      { row: 2, cells: [null, null, 3] },
    ]);
  });

  it('keeps a number no double holds as its text (for the column to refuse), a zero as 0', async () => {
    const xml = `<worksheet><sheetData><row r="1"><c><v>1e-400</v></c><c><v>-1E400</v></c><c><v>0e-400</v></c><c><v>4.9e-324</v></c></row></sheetData></worksheet>`;
    expect(await rowsOf([Buffer.from(xml)])).toEqual([{ row: 1, cells: ['1e-400', '-1E400', 0, 5e-324] }]);
  });

  it('refuses a cell naming a shared string the workbook does not have, rather than reading it empty', async () => {
    const xml = `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="AB2" t="s"><v>9</v></c></row></sheetData></worksheet>`;
    await expect(rowsOf([Buffer.from(xml)])).rejects.toMatchObject({
      zh: '工作簿已损坏：单元格 AB2 引用的共享字符串第 9 项不存在（共 3 项）',
    });
    // no shared-strings part at all
    await expect(rowsOf([Buffer.from(xml)], null)).rejects.toMatchObject({
      zh: '工作簿已损坏：缺少共享字符串（xl/sharedStrings.xml），文本单元格无法读取',
      message: expect.stringContaining('shared strings (xl/sharedStrings.xml) are missing'),
    });
    // a workbook without one whose sheets name none (inline strings) is read as before
    const inline = `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c></row></sheetData></worksheet>`;
    expect(await rowsOf([Buffer.from(inline)], null)).toEqual([{ row: 1, cells: ['a', 2] }]);
  });

  it('refuses a part cut off in a tag, and a document type declaration', async () => {
    await expect(rowsOf([Buffer.from(SHEET.slice(0, SHEET.indexOf('<row r="3"') + 5))])).rejects.toThrow(
      SheetXmlError,
    );
    await expect(rowsOf([Buffer.from(SHEET.slice(0, SHEET.indexOf('<row r="4"')))])).rejects.toThrow(
      'cut off',
    );
    // its reason in Chinese too (the import's problem is Chinese first)
    await expect(rowsOf([Buffer.from(SHEET.slice(0, SHEET.indexOf('<row r="4"')))])).rejects.toMatchObject({
      zh: '工作表内容不完整（被截断）',
    });
    await expect(
      rowsOf([Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><worksheet><sheetData/></worksheet>')]),
    ).rejects.toThrow(SheetXmlError);
  });
});
