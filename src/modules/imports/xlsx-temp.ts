// ExcelJS's streaming reader parks a worksheet in a temporary file when it comes before the workbook's
// relations and shared strings in the zip — which is how every streamed xlsx (our own templates and
// exports included) is laid out. Its own loop takes those files from the `tmp` package in the system
// temp folder (shared with every other process: a sweep removed one mid-read, issue 13) and opens each
// parked file with a read stream nobody listens to when the read stops early (a hidden sheet skipped,
// a refused file, a zip cut off before xl/workbook.xml): an ENOENT on such a stream was an uncaught
// exception that ended the process.
//
// So the zip loop is ours (`sheets` below, the same steps as ExcelJS 4.4's WorkbookReader.parse, with the
// reader's own part parsers): each read parks its sheets in a folder of its own under CLUSTERSCOPE_TMP,
// opens a parked file only when its sheet is next, listens to every stream it opens, closes them all
// when the read ends (however it ends) and only then removes the folder.
//
// Its entries come from unzipper's 'entry' events (`zipEntries`), not from ExcelJS's iterate-stream over
// unzipper's readable side, which lost entries under load (issue 13): see zipEntries.
import { once } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable, type Duplex, type Writable } from 'node:stream';
import { sheetRows, type SheetRow } from './xlsx-sheet.ts';
import { giveBack, SHEET_PART, shareOf, type MemoryShare } from './xlsx-share.ts';
import type { KeptPart } from './zip-guard.ts';
import { settings } from '../../settings.ts';

/** A worksheet of the workbook: its name and state from the workbook part, its rows read by xlsx-sheet.ts. */
export interface StreamedWorksheet {
  name?: string;
  id?: number;
  state?: string;
  /** the rows, in batches as the part's bytes come */
  rows(): AsyncGenerator<SheetRow[]>;
}

/** What ExcelJS's reader answers for a worksheet part: the sheet's name and state, and the part's bytes. */
interface WorksheetPart {
  name?: string;
  id?: number;
  state?: string;
  iterator: AsyncIterable<Buffer>;
}

/** The parts of ExcelJS's WorkbookReader this loop drives (internal, pinned by the ExcelJS version). */
interface ReaderParts {
  model?: { sheets?: unknown[] };
  sharedStrings?: unknown[];
  workbookRels?: unknown[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseWorksheet(
    iterator: AsyncIterable<unknown>,
    sheetNo: string,
  ): Iterable<{ eventType: string; value: WorksheetPart }>;
}

type ZipEntry = Readable & { path: string; autodrain(): unknown };

// the modules ExcelJS's own reader uses, resolved from ExcelJS's folder
const requireFromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
const unzip = requireFromExceljs('unzipper') as { Parse(): Duplex };
const iterateStream = requireFromExceljs('./lib/utils/iterate-stream.js') as <T>(
  stream: Readable,
) => AsyncGenerator<T>;
// the streaming reader's own module, not ExcelJS's whole index: half the modules (367 of 673; the
// writers, the csv support and the document model stay unloaded), ≈ 110 ms less CPU per xlsx import
const WorkbookReader = requireFromExceljs('./lib/stream/xlsx/workbook-reader.js') as new (
  input: Readable,
  options: Record<string, string>,
) => unknown;

export function xlsxTempRoot(): string {
  return settings().CLUSTERSCOPE_TMP ?? path.join(os.tmpdir(), 'clusterscope-tmp');
}

/** Closes a file stream and waits until its descriptor is closed (an error is the stream's own). */
async function closeStream(s: Readable | Writable): Promise<void> {
  s.on('error', () => undefined);
  if (s.closed) return;
  const closed = once(s, 'close').catch(() => undefined);
  s.destroy();
  await closed;
}

/**
 * The entries of a zip in zip order, from unzipper's 'entry' events: each is emitted as its local header
 * is read, so every entry has been queued here before the zip's writable side finishes ('finish', the end
 * of the zip), and none can be lost. unzipper reads on only while the entry in hand is being read or
 * drained (the entry's stream holds it back), so the queue holds few entries.
 *
 * Not unzipper's readable side (`forceStream`) iterated by ExcelJS's iterate-stream, as ExcelJS does:
 * that loop pauses the stream while it handles an entry, unzipper keeps pushing the small parts that
 * follow into the paused buffer, and at the zip's end it emits 'end' itself (on 'finish') with them still
 * there — the loop then stopped early. Under load, when parking a sheet took longer than unzipping the
 * rest, our own exports read as 'the workbook part is missing' (ExcelJS's own loop: "reading 'sheets'"
 * of undefined), a clean preview's commit was refused, and in a workbook whose sheets come after its
 * workbook part, the sheets after a slowly read one were dropped without a word (issue 13).
 * A zip error ends the read: it is thrown here, and every entry handed out is destroyed with it so
 * that whoever reads one stops too.
 */
async function* zipEntries(input: Readable): AsyncGenerator<ZipEntry> {
  const zip = unzip.Parse();
  const queue: ZipEntry[] = [];
  const handedOut: ZipEntry[] = [];
  let finished = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  zip.on('entry', (entry: ZipEntry) => {
    entry.on('error', () => undefined); // the zip's error ends the read, thrown below
    queue.push(entry);
    poke();
  });
  zip.on('error', (error: unknown) => {
    // after the end of the zip (bytes after it) the entries are whole: nothing to report
    if (finished || failure) return;
    failure = error;
    for (const e of handedOut) if (!e.readableEnded) e.destroy(error as Error);
    poke();
  });
  zip.once('finish', () => {
    finished = true;
    poke();
  });
  input.pipe(zip);
  try {
    for (;;) {
      if (failure) throw failure as Error;
      const entry = queue.shift();
      if (entry) {
        handedOut.push(entry);
        yield entry;
        continue;
      }
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    input.unpipe(zip);
    zip.destroy();
    for (const e of queue) e.destroy();
  }
}

/**
 * A kept part as the stream ExcelJS's part parsers read: its bytes as text, decoded across the pieces (a
 * character cut by a piece's end is whole: ExcelJS's parser decodes each chunk on its own, and unzipper's
 * 16 KiB chunks of a large shared-strings part cut some in two), the byte order mark dropped as its
 * decoder drops it.
 */
function partStream(chunks: readonly Buffer[]): Readable {
  return Readable.from(
    (function* () {
      const decoder = new TextDecoder('utf-8');
      for (const c of chunks) {
        const text = decoder.decode(c, { stream: true });
        if (text) yield text;
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    })(),
  );
}

export interface ReadTemp {
  dir: string;
  /** the workbook's worksheets in zip order, parked sheets in this read's folder */
  sheets(input: Readable): AsyncGenerator<StreamedWorksheet>;
  /** the same from the parts the zip guard kept (inflated, in zip order, taken from this read's share) */
  sheetsOfParts(parts: KeptPart[]): AsyncGenerator<StreamedWorksheet>;
  /** after the read has settled (sheets() returned or threw): closes what is open, removes the folder */
  dispose(): Promise<void>;
}

export interface ReadTempHooks {
  /**
   * Awaited after a sheet is parked, before the loop takes the next entry: a test holds it to let
   * unzipper run ahead to the end of the zip, as a loaded machine does while a parked file is flushed.
   */
  parked?: (file: string) => Promise<void>;
  /**
   * bytes of parked sheets this read may hold in memory before the rest go to files (0: all to files); unset,
   * the read takes from the process's share (PARK_IN_MEMORY for all reads at once)
   */
  inMemory?: number;
  /** the share this read takes from and gives back to (the one the zip guard's kept parts were taken from) */
  share?: MemoryShare;
}

export { parkedInMemory } from './xlsx-share.ts';
/** The pieces a sheet parked in memory is read in: as a parked file is (its read stream's highWaterMark). */
const PIECE = 256 * 1024;

/** A temporary folder for one xlsx read, and the read's zip loop that parks sheets there. */
export function readTempDir(root = xlsxTempRoot(), hooks: ReadTempHooks = {}): ReadTemp {
  fs.mkdirSync(root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, 'read-'));
  // every file stream this read opened: none outlives the read, and each has a listener for its errors
  const open = new Set<Readable | Writable>();
  const track = <S extends Readable | Writable>(s: S): S => {
    open.add(s);
    s.on('error', () => undefined); // reported where the stream is awaited or read, never uncaught
    s.once('close', () => open.delete(s));
    return s;
  };
  // taken as chunks are held and given back as they are read, or when the read ends without reading them
  const share = hooks.share ?? shareOf(hooks.inMemory);

  /**
   * Parks a sheet: its chunks in memory while they fit in what is left of the read's share (answered), else
   * all of it in `file` (null answered; the chunks held so far written first).
   */
  async function park(entry: ZipEntry, file: string): Promise<Buffer[] | null> {
    const chunks: Buffer[] = [];
    let held = 0;
    let out: fs.WriteStream | null = null;
    // the file written: settles on 'finish', or rejects on the write stream's error (the folder gone, the disk full)
    let done: Promise<unknown> = Promise.resolve();
    // unzipper's chunks (16 KiB) joined into pieces of PIECE bytes, as a parked file was read: the rows come in
    // batches of a piece each (16 times fewer batches for the checks and the COPY to take one by one)
    let piece: Buffer[] = [];
    let pieceBytes = 0;
    const endPiece = () => {
      if (pieceBytes) chunks.push(piece.length === 1 ? piece[0]! : Buffer.concat(piece, pieceBytes));
      piece = [];
      pieceBytes = 0;
    };
    try {
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        if (!out && chunk.length <= share.left) {
          piece.push(chunk);
          pieceBytes += chunk.length;
          held += chunk.length;
          share.left -= chunk.length;
          if (pieceBytes >= PIECE) endPiece();
          continue;
        }
        endPiece();
        if (!out) {
          out = track(fs.createWriteStream(file));
          done = once(out, 'finish');
          done.catch(() => undefined); // awaited below
          for (const c of chunks) out.write(c);
          chunks.length = 0;
          share.left += held;
          held = 0;
        }
        if (!out.write(chunk)) await Promise.race([once(out, 'drain'), done]);
      }
    } catch (e) {
      share.left += held; // the entry failed (a cut-off zip): nothing of it is kept
      throw e;
    }
    if (!out) {
      endPiece();
      return chunks;
    }
    out.end();
    await done;
    await closeStream(out);
    return null;
  }

  /** A sheet parked in memory, chunk by chunk, each let go as it is read (and its share given back). */
  async function* fromMemory(chunks: Buffer[]): AsyncGenerator<Buffer> {
    while (chunks.length) {
      const chunk = chunks.shift()!;
      share.left += chunk.length;
      yield chunk;
    }
  }

  const newReader = (input: Readable | null) =>
    new WorkbookReader(input as Readable, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'ignore',
      entries: 'ignore',
    }) as unknown as ReaderParts;

  /** A sheet's part handed out: ExcelJS names the sheet (the workbook's relations and sheets), sheetRows reads it. */
  const emitOf = (reader: ReaderParts) =>
    function* (iterator: AsyncIterable<Buffer>, sheetNo: string): Generator<StreamedWorksheet> {
      if (!reader.model) {
        throw new Error(
          'the workbook part (xl/workbook.xml) is missing: the file is cut off or not a workbook',
        );
      }
      for (const ev of reader._parseWorksheet(iterator, sheetNo)) {
        if (ev.eventType !== 'worksheet') continue;
        const { name, id, state } = ev.value;
        // (none when the workbook has no shared-strings part: a sheet naming one is then refused as damaged)
        const shared = reader.sharedStrings ?? null;
        yield { name, id, state, rows: () => sheetRows(iterator, shared) };
      }
    };

  async function* sheets(input: Readable): AsyncGenerator<StreamedWorksheet> {
    const reader = newReader(input);
    const parked: { sheetNo: string; file: string; chunks: Buffer[] | null }[] = [];
    const emit = emitOf(reader);
    try {
      for await (const entry of zipEntries(input)) {
        const sheet = SHEET_PART.exec(entry.path);
        if (entry.path === 'xl/_rels/workbook.xml.rels') await reader._parseRels(entry);
        else if (entry.path === 'xl/workbook.xml') await reader._parseWorkbook(entry);
        else if (entry.path === 'xl/sharedStrings.xml') {
          for await (const _ of reader._parseSharedStrings(entry)) void _;
        } else if (sheet && reader.sharedStrings && reader.workbookRels && reader.model) {
          yield* emit(iterateStream(entry), sheet[1]!);
        } else if (sheet) {
          // before the relations and shared strings: kept in this read's folder until the zip has ended
          const file = path.join(dir, `sheet${sheet[1]}-${parked.length}.xml`);
          const chunks = await park(entry, file);
          parked.push({ sheetNo: sheet[1]!, file, chunks });
          if (!chunks) await hooks.parked?.(file);
        }
        entry.autodrain();
      }
      for (const { sheetNo, file, chunks } of parked) {
        if (chunks) {
          try {
            yield* emit(fromMemory(chunks), sheetNo);
          } finally {
            // read or skipped: its share of the memory is given back
            giveBack(share, chunks);
          }
          continue;
        }
        // opened only now, and awaited: a file gone from the folder fails this read here
        const stream = track(fs.createReadStream(file, { highWaterMark: 256 * 1024 }));
        await once(stream, 'open');
        try {
          yield* emit(stream, sheetNo);
        } finally {
          // read to the end, or skipped (a hidden sheet), or the read stops: closed either way
          await closeStream(stream);
          await fs.promises.rm(file, { force: true });
        }
      }
    } finally {
      // sheets parked in memory and never reached (the zip failed, the read stopped): their share given back
      for (const p of parked) if (p.chunks) giveBack(share, p.chunks);
      await Promise.all([...open].map(closeStream));
    }
  }

  /**
   * The same loop over the parts the zip guard inflated and kept in memory (zip-guard.ts: those this loop
   * reads, in zip order, their bytes taken from this read's share), so the zip is inflated once, not twice
   * (the guard's counting pass, then unzipper's): ≈ 0.4 s of a 100,000-row sheet's read, most of it before
   * the first row (issue 13). Each part is taken as `sheets` takes the zip's entries — the relations, the
   * workbook and the shared strings parsed as they come, a sheet after all three handed out where it comes,
   * one before them (parked) after the last part — so the sheets come in the same order, with the same names.
   */
  async function* sheetsOfParts(parts: KeptPart[]): AsyncGenerator<StreamedWorksheet> {
    const reader = newReader(null);
    const emit = emitOf(reader);
    const parked: { sheetNo: string; chunks: Buffer[] }[] = [];
    try {
      for (const part of parts) {
        const sheet = SHEET_PART.exec(part.name);
        if (sheet && reader.sharedStrings && reader.workbookRels && reader.model) {
          yield* emit(fromMemory(part.chunks), sheet[1]!);
          giveBack(share, part.chunks);
        } else if (sheet) parked.push({ sheetNo: sheet[1]!, chunks: part.chunks });
        else {
          const entry = partStream(part.chunks);
          if (part.name === 'xl/_rels/workbook.xml.rels') await reader._parseRels(entry);
          else if (part.name === 'xl/workbook.xml') await reader._parseWorkbook(entry);
          else if (part.name === 'xl/sharedStrings.xml') {
            for await (const _ of reader._parseSharedStrings(entry)) void _;
          }
          giveBack(share, part.chunks);
        }
      }
      for (const { sheetNo, chunks } of parked) {
        try {
          yield* emit(fromMemory(chunks), sheetNo);
        } finally {
          giveBack(share, chunks); // read or skipped: its share of the memory is given back
        }
      }
    } finally {
      // parts never reached (a part failed, the read stopped): their share given back
      for (const part of parts) giveBack(share, part.chunks);
    }
  }

  return {
    dir,
    sheets,
    sheetsOfParts,
    dispose: async () => {
      await Promise.all([...open].map(closeStream));
      await fs.promises.rm(dir, { recursive: true, force: true });
    },
  };
}
