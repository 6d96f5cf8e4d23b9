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
import { once } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { sheetRows, type SheetRow } from './xlsx-sheet.ts';
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
const unzip = requireFromExceljs('unzipper') as { Parse(o: { forceStream: boolean }): Readable & Writable };
const iterateStream = requireFromExceljs('./lib/utils/iterate-stream.js') as <T>(
  stream: Readable,
) => AsyncGenerator<T>;

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

export interface ReadTemp {
  dir: string;
  /** the workbook's worksheets in zip order, parked sheets in this read's folder */
  sheets(input: Readable): AsyncGenerator<StreamedWorksheet>;
  /** after the read has settled (sheets() returned or threw): closes what is open, removes the folder */
  dispose(): Promise<void>;
}

/** A temporary folder for one xlsx read, and the read's zip loop that parks sheets there. */
export function readTempDir(root = xlsxTempRoot()): ReadTemp {
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

  async function park(entry: ZipEntry, file: string): Promise<void> {
    const out = track(fs.createWriteStream(file));
    const done = once(out, 'finish');
    entry.on('error', (e: Error) => out.destroy(e));
    entry.pipe(out);
    await done; // rejects on the write stream's error (the folder gone, the disk full)
    await closeStream(out);
  }

  async function* sheets(input: Readable): AsyncGenerator<StreamedWorksheet> {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'ignore',
      entries: 'ignore',
    }) as unknown as ReaderParts;
    const zip = unzip.Parse({ forceStream: true });
    zip.on('error', () => undefined); // thrown by the loop below, which iterates it
    input.pipe(zip);
    const parked: { sheetNo: string; file: string }[] = [];
    const emit = function* (iterator: AsyncIterable<Buffer>, sheetNo: string): Generator<StreamedWorksheet> {
      if (!reader.model) {
        throw new Error(
          'the workbook part (xl/workbook.xml) is missing: the file is cut off or not a workbook',
        );
      }
      // ExcelJS names the sheet (the workbook's relations and sheets); its rows are read by sheetRows
      for (const ev of reader._parseWorksheet(iterator, sheetNo)) {
        if (ev.eventType !== 'worksheet') continue;
        const { name, id, state } = ev.value;
        const shared = reader.sharedStrings ?? [];
        yield { name, id, state, rows: () => sheetRows(iterator, shared) };
      }
    };
    try {
      for await (const entry of iterateStream<ZipEntry>(zip)) {
        entry.on('error', () => undefined); // the zip's error ends the loop and is thrown there
        const sheet = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(entry.path);
        if (entry.path === 'xl/_rels/workbook.xml.rels') await reader._parseRels(entry);
        else if (entry.path === 'xl/workbook.xml') await reader._parseWorkbook(entry);
        else if (entry.path === 'xl/sharedStrings.xml') {
          for await (const _ of reader._parseSharedStrings(entry)) void _;
        } else if (sheet && reader.sharedStrings && reader.workbookRels && reader.model) {
          yield* emit(iterateStream(entry), sheet[1]!);
        } else if (sheet) {
          // before the relations and shared strings: kept in this read's folder until the zip has ended
          const file = path.join(dir, `sheet${sheet[1]}-${parked.length}.xml`);
          parked.push({ sheetNo: sheet[1]!, file });
          await park(entry, file);
        }
        entry.autodrain();
      }
      for (const { sheetNo, file } of parked) {
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
      input.unpipe(zip);
      zip.destroy();
      await Promise.all([...open].map(closeStream));
    }
  }

  return {
    dir,
    sheets,
    dispose: async () => {
      await Promise.all([...open].map(closeStream));
      await fs.promises.rm(dir, { recursive: true, force: true });
    },
  };
}
