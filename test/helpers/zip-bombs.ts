// Hostile xlsx files, made in a second from a few KB of deflate data: a segment compressed once with a
// full flush is a byte-aligned, self-contained deflate block, so repeating it N times and closing with
// an empty final block is a valid stream that unpacks to the segment N times (gigabytes from MB).
import zlib from 'node:zlib';

export interface ZipPart {
  name: string;
  /** the deflated bytes (raw deflate) */
  packed: Buffer;
  /** the unpacked size written in the headers (may lie) */
  declared: number;
  crc: number;
}

/** A part whose content is written as it is (deflated normally, true sizes). */
export function plainPart(name: string, text: string): ZipPart {
  const data = Buffer.from(text, 'utf8');
  return { name, packed: zlib.deflateRawSync(data), declared: data.length, crc: zlib.crc32(data) };
}

/** A part unpacking to `segment` repeated `times` times; `declared` defaults to the true size. */
export function repeatedPart(name: string, segment: string, times: number, declared?: number): ZipPart {
  const block = zlib.deflateRawSync(Buffer.from(segment, 'utf8'), {
    finishFlush: zlib.constants.Z_FULL_FLUSH,
  });
  const end = zlib.deflateRawSync(Buffer.alloc(0));
  const packed = Buffer.concat([...Array.from({ length: times }, () => block), end]);
  return { name, packed, declared: declared ?? Buffer.byteLength(segment) * times, crc: 0 };
}

/** A zip of the parts (local headers with sizes, a central directory, no data descriptors). */
export function zipOf(parts: ZipPart[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.packed.length, 18);
    local.writeUInt32LE(Math.min(p.declared, 0xfffffffe), 22);
    local.writeUInt16LE(name.length, 26);
    chunks.push(local, name, p.packed);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(p.crc >>> 0, 16);
    c.writeUInt32LE(p.packed.length, 20);
    c.writeUInt32LE(Math.min(p.declared, 0xfffffffe), 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + p.packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, cd, end]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
const SHEET_TAIL = `</sheetData></worksheet>`;
const SST_HEAD = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`;

/** A one-sheet workbook whose sheet and shared strings are the given parts. */
export function workbookOf(sheet: ZipPart, sharedStrings: ZipPart): Buffer {
  return zipOf([
    plainPart('[Content_Types].xml', CONTENT_TYPES),
    plainPart('_rels/.rels', RELS),
    plainPart('xl/workbook.xml', WORKBOOK),
    plainPart('xl/_rels/workbook.xml.rels', WORKBOOK_RELS),
    sharedStrings,
    sheet,
  ]);
}

const smallSheet = () =>
  plainPart(
    'xl/worksheets/sheet1.xml',
    `${SHEET_HEAD}<row r="1"><c r="A1" t="s"><v>0</v></c></row>${SHEET_TAIL}`,
  );
const smallStrings = () =>
  plainPart('xl/sharedStrings.xml', `${SST_HEAD}<si><t>统一社会信用代码</t></si></sst>`);

/** The first bomb: `strings` shared strings of 1,000 characters each, sizes declared truly. */
export function sharedStringsBomb(strings = 5_500_000): Buffer {
  const per = 1000;
  const segment = `<si><t>${'A'.repeat(1000)}</t></si>`.repeat(per);
  return workbookOf(smallSheet(), repeatedPart('xl/sharedStrings.xml', segment, Math.ceil(strings / per)));
}

/** A sheet of `cells` cells (100 per row) whose headers declare `declared` bytes (a lie when given). */
export function cellsBomb(cells: number, declared?: number): Buffer {
  const row = `<row>${'<c t="n"><v>1</v></c>'.repeat(100)}</row>`;
  const rowsPerSegment = 100;
  const sheet = repeatedPart(
    'xl/worksheets/sheet1.xml',
    row.repeat(rowsPerSegment),
    Math.ceil(cells / 100 / rowsPerSegment),
    declared,
  );
  return workbookOf(sheet, smallStrings());
}
