// Streaming readers: xlsx through the zip loop of xlsx-temp.ts and the sheet scanner of xlsx-sheet.ts
// (hidden sheets skipped), csv split by hand or through csv-parse with the encoding detected (UTF-8
// with or without BOM, else GB18030, which covers GBK).
// Both hand over plain cells row by row, so a file of a million rows never sits in memory.
import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import iconv from 'iconv-lite';
import { parse as parseCsv } from 'csv-parse';
import type { Cell } from '../../domain/imports/cells.ts';
import { limitMessage, STREAMED_XLSX_LIMITS, type XlsxLimits } from '../../domain/imports/limits.ts';
import { guardXlsx, XlsxRefused, type KeptPart } from './zip-guard.ts';
import { giveBack, readsPart, shareOf } from './xlsx-share.ts';
import type { StreamedWorksheet } from './xlsx-temp.ts';

export type FileFormat = 'xlsx' | 'csv';
export type CsvEncoding = 'utf8' | 'gb18030' | 'utf16le';

export interface ReadRow {
  row: number;
  cells: Cell[];
}

/** Rows come in batches: one promise per batch rather than per row keeps a million rows cheap. */
export type ReadEvent = { type: 'sheet'; name: string; hidden: boolean } | { type: 'rows'; rows: ReadRow[] };

/** Rows per batch handed over (one promise per batch, not per row; small enough to be short-lived). */
const BATCH_ROWS = 2_000;

/** Drains whatever a readable stream has buffered, in batches, waiting only when it is empty. */
async function* readBatches<T>(stream: Readable, size = BATCH_ROWS): AsyncGenerator<T[]> {
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  stream.on('readable', poke);
  stream.on('end', () => {
    done = true;
    poke();
  });
  stream.on('error', (e: Error) => {
    failure = e;
    poke();
  });
  try {
    for (;;) {
      if (failure) throw failure;
      const batch: T[] = [];
      let r: T | null;
      while (batch.length < size && (r = stream.read() as T | null) !== null) batch.push(r);
      if (batch.length) {
        yield batch;
        continue;
      }
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.destroy();
  }
}

export class UnreadableFile extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
    /** the problem code: file.unreadable, or file.too-large for a file beyond the upload limits */
    readonly code = 'file.unreadable',
    /** where in a csv the reading stopped, when known: the row (1-based) and the column (0-based) */
    readonly at: { row: number; columnIndex?: number } | null = null,
  ) {
    super(en);
  }
}

async function head(path: string, size: number): Promise<Buffer> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const buf = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buf, 0, size, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** By content, not by name: a zip is xlsx, an OLE2 file is the old .xls (refused), anything else csv. */
export async function detectFormat(path: string): Promise<FileFormat> {
  const b = await head(path, 8);
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'xlsx';
  if (b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) {
    throw new UnreadableFile(
      '这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入',
      'This is an old Excel (.xls) file; save it as .xlsx or CSV in Excel and import that',
    );
  }
  return 'csv';
}

/** UTF-8 when the start of the file is valid UTF-8 (BOM or not), UTF-16 by its BOM, else GB18030. */
export function detectEncoding(sample: Buffer): CsvEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf16le';
  try {
    // stream: true holds back a character cut off at the end of the sample instead of failing on it
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf8';
  } catch {
    return mostlyUtf8(sample) ? 'utf8' : 'gb18030';
  }
}

/**
 * Whether a sample that is not valid UTF-8 is UTF-8 text with a few stray bytes (read as UTF-8, it is
 * refused naming the row of the first: "not UTF-8", where read as GB18030 its Chinese header was
 * garbled into "no header found"). GBK text read as UTF-8 is nearly all replacement characters.
 */
function mostlyUtf8(sample: Buffer): boolean {
  const text = new TextDecoder('utf-8').decode(sample, { stream: true });
  let good = 0;
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) bad++;
    else if (c > 0x7f) good++;
  }
  return good >= 4 && good > 4 * bad;
}

function detectDelimiter(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 10);
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';']) {
    const count = lines.reduce((n, l) => n + l.split(d).length - 1, 0);
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

function byteCounter(onBytes?: (n: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      onBytes?.(total);
      done(null, chunk);
    },
  });
}

export interface ReadOptions {
  /** called with the number of bytes read so far */
  onBytes?: (bytesRead: number) => void;
  /** bytes per read of a csv file (tests use small ones to cross chunk boundaries); default CSV_CHUNK_BYTES */
  chunkBytes?: number;
  /** limits an xlsx is held to before and while it is read; default STREAMED_XLSX_LIMITS */
  limits?: XlsxLimits;
  /** where an xlsx read makes its temporary folder; default xlsxTempRoot() */
  tempRoot?: string;
  /** bytes of parked sheets an xlsx read holds in memory (xlsx-temp.ts); 0: every parked sheet in a file */
  parkInMemory?: number;
}

/**
 * Bytes per read of a csv file. Each chunk becomes one string the rows' cells are cut from; a string
 * over V8's regular object size (128 KiB) is born in the large-object space and freed only by a full
 * mark-compact: with 256 KiB chunks a million-row file left ≈ 200 MB of dead chunks in the old space
 * between collections (peak RSS 385 MiB, +1 s of CPU). 64 KiB chunks die young, in the nursery.
 */
export const CSV_CHUNK_BYTES = 1 << 16;

/** The file's bytes as decoded text, chunk by chunk, counting bytes read; a BOM is dropped. */
async function* decodedText(
  path: string,
  encoding: CsvEncoding,
  options: ReadOptions,
): AsyncGenerator<string> {
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  let total = 0;
  for await (const chunk of fs.createReadStream(path, {
    highWaterMark: options.chunkBytes ?? CSV_CHUNK_BYTES,
  })) {
    total += (chunk as Buffer).length;
    options.onBytes?.(total);
    const text = decoder.write(chunk as Buffer);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

function notUtf8(line: number): UnreadableFile {
  return new UnreadableFile(
    `第${line}行含有无法按 UTF-8 解码的字符：文件编码不一致，请另存为 UTF-8 或 GBK 后再导入`,
    `Row ${line} has bytes that are not UTF-8: the file mixes encodings; save it as UTF-8 or GBK`,
    'file.unreadable',
    { row: line },
  );
}

/**
 * Characters of a csv line read without finding its end: beyond this the file is no csv of these
 * templates (a row of them is under a kilobyte; 100,000 columns are under 1 M), and reading on would
 * scan the growing line again at each chunk.
 */
export const MAX_CSV_LINE = 4 * 1024 * 1024;

function lineTooLong(line: number): UnreadableFile {
  const mb = MAX_CSV_LINE / 1024 / 1024;
  return new UnreadableFile(
    `第${line}行超过 ${mb} MB 仍未结束：文件可能不是 CSV 文本，或换行符已丢失，请检查后再导入`,
    `Row ${line} runs on for more than ${mb} MB: the file may not be csv text, or its line breaks are lost`,
    'file.unreadable',
    { row: line },
  );
}

/** The column letters of a 0-based index: 0 → A, 26 → AA. */
function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A NUL character in row `line`, column `index` (0-based): PostgreSQL text cannot hold it. */
function nulIn(line: number, index: number): UnreadableFile {
  const col = `第${index + 1}列（${columnLetters(index)}列）`;
  return new UnreadableFile(
    `第${line}行${col}含有空字符（NUL）：文件可能已损坏或不是文本文件，请在 Excel 中另存为 CSV 或 xlsx 后再导入`,
    `Row ${line}, column ${index + 1} (${columnLetters(index)}) holds a NUL character: the file may be damaged or not text; save it again as csv or xlsx`,
    'file.unreadable',
    { row: line, columnIndex: index },
  );
}

/** The csv parser's refusal of row `line` as the reason the file cannot be read. */
function csvRefusal(error: unknown, line: number): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('CSV_')) return error;
  if (code === 'CSV_QUOTE_NOT_CLOSED')
    return new UnreadableFile(
      `第${line}行的引号（"）没有闭合：从这里到文件末尾都被当作一个单元格，请检查该行的引号`,
      `Row ${line} opens a quote (") that is never closed: the rest of the file would be one cell; check the row's quotes`,
      'file.unreadable',
      { row: line },
    );
  if (code === 'CSV_MAX_RECORD_SIZE') return lineTooLong(line);
  return new UnreadableFile(
    `第${line}行无法按 CSV 读取（${(error as Error).message}）`,
    `Row ${line} cannot be read as csv (${(error as Error).message})`,
    'file.unreadable',
    { row: line },
  );
}

/** A field as a cell: empty or blank is missing. */
function csvCell(v: string): Cell {
  if (v === '') return null;
  const c = v.charCodeAt(0);
  // the common case (starts with a visible ASCII character) cannot be blank: skip trimming it
  if (c > 32 && c < 127) return v;
  return v.trim() === '' ? null : v;
}

/**
 * The cells of the line chunk[from, stop), as `chunk.slice(from, stop).split(delimiter).map(csvCell)`
 * gives them: each field is cut from the chunk itself (no copy of the line first, no second array).
 */
function splitCells(chunk: string, from: number, stop: number, delimiter: string): Cell[] {
  const cells: Cell[] = [];
  for (;;) {
    let end = chunk.indexOf(delimiter, from);
    if (end < 0 || end > stop) end = stop;
    cells.push(end === from ? null : csvCell(chunk.slice(from, end)));
    if (end === stop) return cells;
    from = end + 1;
  }
}

/**
 * Rows of a csv file; one 'sheet' event first (named after nothing: csv has no sheets).
 *
 * The common file (no quote character, lines ending in \n or \r\n) is split by hand, a chunk of text
 * at a time: several times faster than a general parser. From the first line that holds a quote on,
 * or when lines end in a bare \r, csv-parse reads the rest (quoted fields, quotes and newlines inside).
 */
export async function* readCsv(path: string, options: ReadOptions = {}): AsyncGenerator<ReadEvent> {
  const sample = await head(path, 64 * 1024);
  const encoding = detectEncoding(sample);
  const sampleText = iconv.decode(sample, encoding);
  const delimiter = detectDelimiter(sampleText);
  yield { type: 'sheet', name: '', hidden: false };
  const text = decodedText(path, encoding, options);
  const checkUtf8 = encoding === 'utf8';
  // Line numbers as a spreadsheet shows them: a record spans one line plus one per newline quoted
  // inside its fields.
  let line = 1;
  let carry = '';
  // csv-parse takes the record delimiter from the first line end it meets; a bare \r is left to it
  const firstEnd = sampleText.search(/\r\n|\n|\r/);
  const bareCr = firstEnd >= 0 && sampleText[firstEnd] === '\r' && sampleText[firstEnd + 1] !== '\n';
  try {
    yield* fastLines();
  } finally {
    // stopped early (a refused file, an error): close the file
    void text.return(undefined).catch(() => undefined);
  }

  async function* fastLines(): AsyncGenerator<ReadEvent> {
    for (let general = bareCr; !general;) {
      const next = await text.next();
      const done = next.done === true;
      const chunk = done ? carry : carry + next.value;
      // the whole lines of the chunk end before `limit` (at the end of the file, all of it is)
      let limit = done ? chunk.length : chunk.lastIndexOf('\n') + 1;
      const quote = chunk.indexOf('"');
      if (quote >= 0 && (done || quote < limit)) {
        // csv-parse takes over from the start of the line that holds the quote
        limit = chunk.lastIndexOf('\n', quote) + 1;
        general = true;
      }
      const bad = checkUtf8 ? chunk.indexOf('\uFFFD') : -1;
      const nul = chunk.indexOf('\u0000');
      let rows: ReadRow[] = [];
      for (let from = 0; from < limit;) {
        let to = chunk.indexOf('\n', from);
        if (to < 0 || to >= limit) to = limit;
        if ((bad >= from && bad < to) || (nul >= from && nul < to)) {
          // the rows before it first (the header among them: the problem then names its column)
          if (rows.length) yield { type: 'rows', rows };
          if (bad >= from && bad < to) throw notUtf8(line);
          throw nulIn(line, chunk.slice(from, nul).split(delimiter).length - 1);
        }
        const stop = to > from && chunk.charCodeAt(to - 1) === 13 ? to - 1 : to;
        rows.push({ row: line++, cells: splitCells(chunk, from, stop, delimiter) });
        from = to + 1;
        // small batches die young: the garbage collector reclaims them cheaply
        if (rows.length === BATCH_ROWS) {
          yield { type: 'rows', rows };
          rows = [];
        }
      }
      if (rows.length) yield { type: 'rows', rows };
      carry = chunk.slice(limit);
      if (carry.length > MAX_CSV_LINE) throw lineTooLong(line);
      if (done && !general) return;
      if (done) {
        yield* parseGeneral([carry]);
        return;
      }
    }
    yield* parseGeneral(
      (async function* () {
        if (carry) yield carry;
        yield* text;
      })(),
    );
  }

  async function* parseGeneral(source: AsyncIterable<string> | Iterable<string>): AsyncGenerator<ReadEvent> {
    const parser = Readable.from(source).pipe(
      parseCsv({
        delimiter,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: false,
        max_record_size: MAX_CSV_LINE,
      }),
    );
    const batches = readBatches<string[]>(parser);
    try {
      for (;;) {
        let next: IteratorResult<string[][]>;
        try {
          next = await batches.next();
        } catch (error) {
          // (a quote never closed, a record over MAX_CSV_LINE: the row it starts on)
          throw csvRefusal(error, line);
        }
        if (next.done) return;
        const batch = next.value;
        const rows: ReadRow[] = new Array(batch.length);
        for (let b = 0; b < batch.length; b++) {
          const record = batch[b]!;
          const cells: Cell[] = new Array(record.length);
          let extra = 0;
          for (let i = 0; i < record.length; i++) {
            const v = record[i]!;
            if ((checkUtf8 && v.includes('\uFFFD')) || v.includes('\u0000')) {
              if (b > 0) yield { type: 'rows', rows: rows.slice(0, b) };
              throw v.includes('\u0000') ? nulIn(line, i) : notUtf8(line);
            }
            if (v.includes('\n')) extra += v.split('\n').length - 1;
            cells[i] = csvCell(v);
          }
          rows[b] = { row: line, cells };
          line += 1 + extra;
        }
        yield { type: 'rows', rows };
      }
    } finally {
      // stopped early: the parser's stream is destroyed (as for await did)
      await batches.return(undefined);
    }
  }
}

function unreadableXlsx(error: unknown): UnreadableFile {
  if (error instanceof UnreadableFile) return error;
  // the sheet scanner's reasons (xlsx-sheet.ts SheetXmlError) have Chinese of their own; ExcelJS's and zlib's
  // are English only
  // (read by shape: the scanner is loaded with ExcelJS, on the first xlsx only)
  const own = (error as { zh?: unknown }).zh;
  const zh = typeof own === 'string' ? own : (error as Error).message;
  return new UnreadableFile(
    `无法读取该 xlsx 文件（${zh}）；请确认文件未损坏、未加密`,
    `Cannot read this xlsx file (${(error as Error).message}); check that it is not damaged or encrypted`,
  );
}

/**
 * Rows of every visible sheet of an xlsx workbook (a file, or an upload already in memory); hidden and very
 * hidden sheets are announced and skipped.
 */
export async function* readXlsx(path: string | Buffer, options: ReadOptions = {}): AsyncGenerator<ReadEvent> {
  const limits = options.limits ?? STREAMED_XLSX_LIMITS;
  // ExcelJS (≈ 600 modules) is loaded by the first xlsx read: a csv import never loads it (issue 13). Its
  // loading starts here, beside the guard's inflating (zlib's threads), and is awaited after the guard
  const loading = import('./xlsx-temp.ts');
  loading.catch(() => undefined); // (awaited below; a refused file never reaches it)
  // the guard keeps the parts the read takes (xlsx-temp.ts) while they fit in the read's share: the read
  // then takes them as they are, and the zip is inflated once
  const share = shareOf(options.parkInMemory);
  let parts: KeptPart[] | null;
  try {
    parts = await guardXlsx(path, limits, { wanted: readsPart, share });
  } catch (error) {
    // a file gone or unreadable before the guard could open it fails this read, like any read error
    if (!(error instanceof XlsxRefused)) throw unreadableXlsx(error);
    throw new UnreadableFile(
      error.zh,
      error.en,
      error.limit === 'structure' ? 'file.unreadable' : 'file.too-large',
    );
  }
  const giveBackParts = () => {
    for (const p of parts ?? []) giveBack(share, p.chunks);
  };
  let readTempDir: Awaited<typeof loading>['readTempDir'];
  try {
    ({ readTempDir } = await loading);
  } catch (error) {
    giveBackParts();
    throw error;
  }
  // a temporary folder of this read's own (xlsx-temp.ts); each step of the reader runs in its context
  let temp: ReturnType<typeof readTempDir>;
  let sheets: AsyncGenerator<StreamedWorksheet>;
  let file: fs.ReadStream | null = null;
  let input: Transform | null = null;
  let readError: unknown = null;
  if (parts) {
    temp = readTempDir(options.tempRoot, { share });
    sheets = temp.sheetsOfParts(parts);
    // every byte of the file has been read (by the guard)
    const size = typeof path === 'string' ? fs.statSync(path, { throwIfNoEntry: false })?.size : path.length;
    if (size !== undefined) options.onBytes?.(size);
  } else if (typeof path !== 'string') {
    // an upload in memory whose parts did not fit in the share: streamed from its buffer
    temp = readTempDir(options.tempRoot, { inMemory: options.parkInMemory });
    const counted = byteCounter(options.onBytes);
    input = counted;
    counted.end(path);
    sheets = temp.sheets(counted);
  } else {
    // opened before anything streams: a file already gone fails here, not as a stream's unheard error
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(path, 'r');
    } catch (error) {
      throw unreadableXlsx(error);
    }
    temp = readTempDir(options.tempRoot, { inMemory: options.parkInMemory });
    file = fs.createReadStream(path, { highWaterMark: 256 * 1024 });
    void handle.close();
    const counted = byteCounter(options.onBytes);
    input = counted;
    // pipe() does not pass errors on, and ExcelJS does not listen to its input's: a read error ends the
    // input (the unzip then stops) and is reported as this file's
    file.on('error', (error) => {
      readError = error;
      counted.end();
    });
    file.pipe(counted);
    sheets = temp.sheets(counted);
  }
  let n = 0;
  try {
    for (;;) {
      const next = await sheets.next();
      if (next.done) break;
      const sheet = next.value;
      n++;
      const name = sheet.name ?? `Sheet${sheet.id ?? n}`;
      const hidden = sheet.state === 'hidden' || sheet.state === 'veryHidden';
      yield { type: 'sheet', name, hidden };
      // a hidden sheet is skipped: the read's loop closes its parked file when it moves on
      if (hidden) continue;
      // the guard counted the tags; counted again here as read, in case a writer's XML fooled it
      let rowCount = 0;
      let cellCount = 0;
      // The scanner's batches (one a piece of the part, ≈ 650 rows of a 10-column sheet) handed on in batches of
      // BATCH_ROWS or more, as a csv's: each batch is one lookup of its codes on the registry's connection and
      // one flush of the COPY, a round trip waited for, three times fewer (issue 13). Rows read before the
      // sheet breaks are handed on before the break, as they were.
      let held: ReadRow[] = [];
      try {
        for await (const rows of sheet.rows()) {
          rowCount += rows.length;
          for (const r of rows) cellCount += r.cells.length;
          if (rowCount > limits.maxRowsPerSheet || cellCount > limits.maxCellsPerSheet) {
            const which = rowCount > limits.maxRowsPerSheet ? 'maxRowsPerSheet' : 'maxCellsPerSheet';
            const m = limitMessage(which, limits[which], limits[which], name);
            throw new UnreadableFile(m.zh, m.en, 'file.too-large');
          }
          if (held.length === 0 && rows.length >= BATCH_ROWS) {
            yield { type: 'rows', rows };
            continue;
          }
          for (const r of rows) held.push(r);
          if (held.length >= BATCH_ROWS) {
            const batch = held;
            held = [];
            yield { type: 'rows', rows: batch };
          }
        }
      } catch (error) {
        // (not in a finally: a read stopped by its consumer yields nothing more)
        if (held.length) yield { type: 'rows', rows: held };
        throw error;
      }
      if (held.length) yield { type: 'rows', rows: held };
    }
    if (readError) throw readError;
  } catch (error) {
    throw unreadableXlsx(readError ?? error);
  } finally {
    // stopped early (a refused file, an error) or done: the read's loop settles first (closing every
    // parked file it opened), and only then is its folder removed
    file?.destroy();
    input?.destroy();
    await sheets.return(undefined).catch(() => undefined);
    giveBackParts(); // (a read that never started its parts: sheetsOfParts gives back what it was handed)
    await temp.dispose().catch(() => undefined);
  }
}

export async function readFile(
  path: string,
  options: ReadOptions = {},
): Promise<{ format: FileFormat; events: AsyncGenerator<ReadEvent> }> {
  const format = await detectFormat(path);
  return { format, events: format === 'xlsx' ? readXlsx(path, options) : readCsv(path, options) };
}
