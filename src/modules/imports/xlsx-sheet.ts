// A worksheet's rows read straight from its part (xl/worksheets/sheetN.xml), chunk by chunk. ExcelJS's
// streaming reader turned each cell into several objects (a SAX event with an attribute map, a Cell with
// its address and style, a Row) and was most of an xlsx import's time; this reads the few things an
// import needs — each row's number, each cell's column, type and value — with indexOf over the text and
// nothing per cell but the value itself. The zip loop, the parked files and the zip guard stay as they
// are (xlsx-temp.ts, zip-guard.ts); shared strings come from ExcelJS's parse of their part.
//
// Values as ExcelJS's reader gave them with styles ignored (a date-formatted number is its serial, which
// the import's date and month rules read), except where it was wrong: an inline string of several runs
// is all its runs (not the last), a formula's error or boolean result is that (not NaN or 1), text is
// unescaped once (not twice), an empty value is empty (not NaN) and an ISO date cell (t="d") its text.
import { StringDecoder } from 'node:string_decoder';
import { normaliseCell, type Cell, type RawCell } from '../../domain/imports/cells.ts';
import { nonZeroLiteral } from '../../domain/units.ts';

export interface SheetRow {
  row: number;
  cells: Cell[];
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML character data as text: entities replaced, line ends normalised as an XML parser does. */
function xmlText(raw: string): string {
  let s = raw;
  if (s.indexOf('&') >= 0)
    s = s.replace(ENTITY, (_m, e: string) =>
      e.charCodeAt(0) === 35
        ? String.fromCodePoint(e.charCodeAt(1) === 120 ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
        : NAMED[e]!,
    );
  if (s.indexOf('\r') >= 0) s = s.replace(/\r\n?/g, '\n');
  return s;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** The letters of a 1-based column (3 → 'C'). */
function columnName(col: number): string {
  let name = '';
  for (let c = col; c > 0; c = Math.floor((c - 1) / 26))
    name = String.fromCharCode(65 + ((c - 1) % 26)) + name;
  return name;
}

/** The 1-based column of a cell reference ('C12' → 3); 0 when it names none. */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return col;
}

/** Thrown for XML an import cannot read (cut off, or not a worksheet's markup), with its reason in Chinese. */
export class SheetXmlError extends Error {
  constructor(
    message: string,
    readonly zh: string,
  ) {
    super(message);
  }
}

/** The tags the scanner acts on, told apart by length and character codes (no string per tag: 4 a cell). */
const enum Tag {
  Other,
  SheetData,
  Row,
  C,
  V,
  F,
  Is,
  RPh,
  T,
}

/** The tag named by buf[start, end) (its local name, the prefix left out). */
function tagOf(buf: string, start: number, end: number): Tag {
  const c0 = buf.charCodeAt(start);
  switch (end - start) {
    case 1:
      return c0 === 99 ? Tag.C : c0 === 118 ? Tag.V : c0 === 102 ? Tag.F : c0 === 116 ? Tag.T : Tag.Other;
    case 2:
      return c0 === 105 && buf.charCodeAt(start + 1) === 115 ? Tag.Is : Tag.Other;
    case 3:
      return buf.startsWith('row', start) ? Tag.Row : buf.startsWith('rPh', start) ? Tag.RPh : Tag.Other;
    case 9:
      return buf.startsWith('sheetData', start) ? Tag.SheetData : Tag.Other;
    default:
      return Tag.Other;
  }
}

const enum Capture {
  None,
  Value,
  Inline,
  Skip,
}

/**
 * Scans worksheet XML: `scan(text)` reads the complete markup of `text` and answers how much of it was
 * read (the rest — a tag or a text cut off by the chunk's end — comes again with the next chunk).
 */
class SheetScanner {
  rows: SheetRow[] = [];
  private inSheetData = false;
  private rowNumber = 0;
  private cells: Cell[] | null = null;
  private col = 0;
  private lastCol = 0;
  private type: string | undefined = undefined;
  private formula = false;
  private value: string | null = null;
  private inline: string | null = null;
  private phonetic = 0;
  private capture = Capture.None;
  private text = '';

  /** `shared`: the workbook's shared strings, null when it has no shared-strings part */
  constructor(private readonly shared: readonly unknown[] | null) {}

  scan(buf: string, final: boolean): number {
    let p = 0;
    const n = buf.length;
    for (;;) {
      const lt = buf.indexOf('<', p);
      if (lt < 0) {
        // text up to the end: an entity may be cut off, so it waits for the next chunk (or is all there)
        if (!final) return p;
        if (this.capture !== Capture.None && this.capture !== Capture.Skip)
          this.text += xmlText(buf.slice(p));
        return n;
      }
      if (lt > p && this.capture !== Capture.None && this.capture !== Capture.Skip)
        this.text += xmlText(buf.slice(p, lt));
      const c1 = buf.charCodeAt(lt + 1);
      if (c1 !== c1) return this.cut(lt, final); // '<' is the last character
      if (c1 === 33 /* ! */) {
        if (buf.startsWith('<![CDATA[', lt)) {
          const end = buf.indexOf(']]>', lt + 9);
          if (end < 0) return this.cut(lt, final);
          if (this.capture === Capture.Value || this.capture === Capture.Inline)
            this.text += buf.slice(lt + 9, end);
          p = end + 3;
          continue;
        }
        if (buf.startsWith('<!--', lt)) {
          const end = buf.indexOf('-->', lt + 4);
          if (end < 0) return this.cut(lt, final);
          p = end + 3;
          continue;
        }
        if (n - lt < 9) return this.cut(lt, final);
        throw new SheetXmlError(
          'the worksheet has a document type declaration',
          '工作表含有文档类型声明（DOCTYPE）',
        );
      }
      if (c1 === 63 /* ? */) {
        const end = buf.indexOf('?>', lt + 2);
        if (end < 0) return this.cut(lt, final);
        p = end + 2;
        continue;
      }
      const closing = c1 === 47; /* / */
      // the name, then the tag's end: a '>' outside quoted attribute values
      const nameStart = closing ? lt + 2 : lt + 1;
      let q = nameStart;
      let colon = -1;
      for (; q < n; q++) {
        const c = buf.charCodeAt(q);
        if (c === 62 || c === 47 || isSpace(c)) break;
        if (c === 58) colon = q;
      }
      const nameEnd = q;
      for (; q < n; q++) {
        const c = buf.charCodeAt(q);
        if (c === 62) break;
        if (c === 34 || c === 39) {
          q = buf.indexOf(c === 34 ? '"' : "'", q + 1);
          if (q < 0) return this.cut(lt, final);
        }
      }
      if (q >= n) return this.cut(lt, final);
      const selfClosing = !closing && buf.charCodeAt(q - 1) === 47;
      const tag = tagOf(buf, colon >= 0 ? colon + 1 : nameStart, nameEnd);
      if (closing) this.close(tag);
      else if (tag !== Tag.Other) this.open(tag, buf, nameEnd, selfClosing ? q - 1 : q, selfClosing);
      p = q + 1;
      if (tag === Tag.C && !closing && !selfClosing) p = this.plainValue(buf, p);
    }
  }

  /**
   * The common cell's rest, `<v>text</v></c>` with text that needs no unescaping, read at once: its value
   * and its end, as the three tags' turns through the loop would give them (a quarter of the tags of a
   * sheet of numbers, not four a cell). Anything else (another tag, an entity, a line end, a chunk's end
   * before `</c>`) is left to the loop: answers `p` then.
   */
  private plainValue(buf: string, p: number): number {
    if (!this.cells || !this.inSheetData || this.capture !== Capture.None) return p;
    if (buf.charCodeAt(p) !== 60 || buf.charCodeAt(p + 1) !== 118 || buf.charCodeAt(p + 2) !== 62) return p; // <v>
    const lt = buf.indexOf('<', p + 3);
    if (lt < 0 || !buf.startsWith('</v></c>', lt)) return p;
    for (let i = p + 3; i < lt; i++) {
      const c = buf.charCodeAt(i);
      if (c === 38 /* & */ || c === 13 /* \r */) return p;
    }
    this.value = buf.slice(p + 3, lt);
    this.endCell();
    return lt + 8;
  }

  /** At the end of the part: rows left open mean it was cut off (a row would be lost without a word). */
  finish(): void {
    if (this.inSheetData || this.cells)
      throw new SheetXmlError('the worksheet is cut off', '工作表内容不完整（被截断）');
  }

  private cut(at: number, final: boolean): number {
    if (final) throw new SheetXmlError('the worksheet is cut off', '工作表内容不完整（被截断）');
    return at;
  }

  private open(tag: Tag, buf: string, from: number, to: number, selfClosing: boolean): void {
    if (!this.inSheetData) {
      if (tag === Tag.SheetData && !selfClosing) this.inSheetData = true;
      return;
    }
    switch (tag) {
      case Tag.Row: {
        const r = attribute(buf, from, to, 'r');
        this.rowNumber = r !== undefined ? parseInt(r, 10) : this.rowNumber + 1;
        this.cells = [];
        this.lastCol = 0;
        if (selfClosing) this.endRow();
        return;
      }
      case Tag.C: {
        if (!this.cells) return;
        this.cellAttributes(buf, from, to);
        this.formula = false;
        this.value = null;
        this.inline = null;
        if (selfClosing) this.lastCol = this.col;
        return;
      }
      case Tag.V:
        if (selfClosing) this.value = '';
        else this.startCapture(Capture.Value);
        return;
      case Tag.F:
        this.formula = true;
        if (!selfClosing) this.capture = Capture.Skip;
        return;
      case Tag.Is:
        this.inline ??= '';
        return;
      case Tag.RPh:
        // phonetic guides (ruby) are not the cell's text
        if (!selfClosing) this.phonetic++;
        return;
      case Tag.T:
        if (this.inline !== null && this.phonetic === 0 && !selfClosing) this.startCapture(Capture.Inline);
        return;
      default:
        return;
    }
  }

  /**
   * A cell's column (its `r`, else the one after the last) and type (`t`) from one pass over its attributes,
   * as attribute() reads each: the first of each name, prefixes not stripped.
   */
  private cellAttributes(buf: string, from: number, to: number): void {
    let col = -1;
    let type: string | undefined = undefined;
    let i = from;
    while (i < to && (col < 0 || type === undefined)) {
      while (i < to && isSpace(buf.charCodeAt(i))) i++;
      const eq = buf.indexOf('=', i);
      if (eq < 0 || eq >= to) break;
      let nameEnd = eq;
      while (nameEnd > i && isSpace(buf.charCodeAt(nameEnd - 1))) nameEnd--;
      let open = eq + 1;
      while (open < to && isSpace(buf.charCodeAt(open))) open++;
      const quote = buf.charCodeAt(open);
      const close = buf.indexOf(quote === 39 ? "'" : '"', open + 1);
      if (close < 0 || close >= to) break;
      if (nameEnd - i === 1) {
        const c = buf.charCodeAt(i);
        if (c === 114 /* r */ && col < 0) {
          const raw = buf.slice(open + 1, close);
          col = columnOf(raw.indexOf('&') >= 0 ? xmlText(raw) : raw);
        } else if (c === 116 /* t */ && type === undefined) type = xmlText(buf.slice(open + 1, close));
      }
      i = close + 1;
    }
    this.col = col > 0 ? col : this.lastCol + 1;
    this.type = type;
  }

  private startCapture(kind: Capture) {
    this.capture = kind;
    this.text = '';
  }

  private close(tag: Tag): void {
    if (!this.inSheetData) return;
    switch (tag) {
      case Tag.SheetData:
        this.inSheetData = false;
        return;
      case Tag.V:
        if (this.capture === Capture.Value) this.value = this.text;
        this.capture = Capture.None;
        return;
      case Tag.F:
        this.capture = Capture.None;
        return;
      case Tag.T:
        if (this.capture === Capture.Inline) this.inline = (this.inline ?? '') + this.text;
        this.capture = Capture.None;
        return;
      case Tag.RPh:
        if (this.phonetic > 0) this.phonetic--;
        return;
      case Tag.C:
        this.endCell();
        return;
      case Tag.Row:
        this.endRow();
        return;
      default:
        return;
    }
  }

  private endCell() {
    const cells = this.cells;
    if (!cells) return;
    this.lastCol = this.col;
    const value = normaliseCell(this.cellValue());
    if (value === null) return;
    const at = this.col - 1;
    while (cells.length < at) cells.push(null);
    cells[at] = value;
  }

  private cellValue(): RawCell {
    const t = this.type;
    const v = this.value;
    if (t === 'inlineStr') return this.inline ?? v;
    if (v === null || v === '') return null;
    switch (t) {
      case 's': {
        if (this.formula) return v;
        const text = this.shared?.[parseInt(v, 10)];
        // (ExcelJS keeps every entry, an empty one as null: undefined is an entry that is not there)
        if (text === undefined) throw this.sharedStringMissing(v);
        return text as RawCell;
      }
      case 'str':
      case 'e':
      case 'd':
        return v;
      case 'b':
        return parseInt(v, 10) !== 0;
      default: {
        const n = parseFloat(v);
        // a number no double holds ('1e400' is Infinity, '1e-400' 0) stays its text: the column's rule then
        // refuses it with its reason (parseNumber), as a csv's cell is, rather than reading 0 or Infinity
        if (n === 0 ? nonZeroLiteral(v) : n - n !== 0) return v;
        return n;
      }
    }
  }

  /**
   * A cell naming a shared string the workbook does not have: the workbook is damaged (its shared-strings
   * part left out or cut short). Read on, every text cell would be empty and the file "has no header".
   */
  private sharedStringMissing(index: string): SheetXmlError {
    const cell = `${columnName(this.col)}${this.rowNumber}`;
    return this.shared === null
      ? new SheetXmlError(
          'the workbook is damaged: its shared strings (xl/sharedStrings.xml) are missing, so its text cells cannot be read',
          '工作簿已损坏：缺少共享字符串（xl/sharedStrings.xml），文本单元格无法读取',
        )
      : new SheetXmlError(
          `the workbook is damaged: cell ${cell} names shared string ${index}, which its shared strings (${this.shared.length}) do not have`,
          `工作簿已损坏：单元格 ${cell} 引用的共享字符串第 ${index} 项不存在（共 ${this.shared.length} 项）`,
        );
  }

  private endRow() {
    const cells = this.cells;
    if (!cells) return;
    this.rows.push({ row: this.rowNumber, cells });
    this.cells = null;
  }
}

/** The value of attribute `name` (no prefix) of the tag text buf[from, to), or undefined. */
function attribute(buf: string, from: number, to: number, name: string): string | undefined {
  let i = from;
  while (i < to) {
    while (i < to && isSpace(buf.charCodeAt(i))) i++;
    const eq = buf.indexOf('=', i);
    if (eq < 0 || eq >= to) return undefined;
    let nameEnd = eq;
    while (nameEnd > i && isSpace(buf.charCodeAt(nameEnd - 1))) nameEnd--;
    let open = eq + 1;
    while (open < to && isSpace(buf.charCodeAt(open))) open++;
    const quote = buf.charCodeAt(open);
    const close = buf.indexOf(quote === 39 ? "'" : '"', open + 1);
    if (close < 0 || close >= to) return undefined;
    if (nameEnd - i === name.length && buf.startsWith(name, i)) return xmlText(buf.slice(open + 1, close));
    i = close + 1;
  }
  return undefined;
}

/**
 * `rest + text` as one flat string. `+` makes a rope (a cons string) of the rest of the last chunk and the
 * next, and every charCodeAt and indexOf of the scanner over a rope took V8's slow path: the scan of a
 * 100,000-row sheet cost ≈ 2× its CPU (issue 13). join copies them into one sequential string.
 */
const flat = (rest: string, text: string): string => (rest === '' ? text : [rest, text].join(''));

/**
 * The rows of a worksheet part, in batches as its bytes come (one batch per chunk read). Each row has
 * its number and its cells from column A, a missing or empty cell as null, none after the last value.
 */
export async function* sheetRows(
  source: AsyncIterable<Buffer | string>,
  shared: readonly unknown[] | null,
): AsyncGenerator<SheetRow[]> {
  const decoder = new StringDecoder('utf8');
  const scanner = new SheetScanner(shared);
  let buf = '';
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    buf = flat(buf, text);
    buf = buf.slice(scanner.scan(buf, false));
    if (scanner.rows.length) {
      yield scanner.rows;
      scanner.rows = [];
    }
  }
  buf += decoder.end();
  scanner.scan(buf, true);
  scanner.finish();
  if (scanner.rows.length) yield scanner.rows;
}
