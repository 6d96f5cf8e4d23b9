// One pass over an import file: read (streaming), find the header of each sheet, read and check each
// row, and hand the good rows to a sink (nothing for a preview, COPY batches for a commit). Problems
// are collected with the cells of their rows, for the report.
import type { Cell } from '../../domain/imports/cells.ts';
import { KINDS, type ImportKind } from '../../domain/imports/columns.ts';
import { detectHeader, type MappedColumn } from '../../domain/imports/header.ts';
import { problem, type ImportProblem } from '../../domain/imports/problems.ts';
import {
  BatchChecker,
  defaultPeriodRange,
  presentKeys,
  readRow,
  type EnterpriseRef,
  type ReferenceLookup,
  type RowContext,
  registryCodeOf,
  type RowOutcome,
  type RowValues,
} from '../../domain/imports/rows.ts';
import { readFile, UnreadableFile, type FileFormat, type ReadRow } from './readers.ts';

/** Problems kept in full; beyond this only counted (a file with 100,000 bad rows needs fixing at the source). */
export const MAX_KEPT_PROBLEMS = 5_000;
const HEADER_SEARCH_ROWS = 15;
/**
 * Rows whose enterprises a commit that ends its COPY for each lookup (no second connection: an import
 * batch, PGlite) looks up together — one query for the codes not seen before — before it checks them.
 * Other passes look the codes of each of the reader's batches up (PassOptions.resolveRows): a lookup on
 * another connection costs a round trip, while rows kept waiting outlive the young generation's
 * collections: with 5,000-row chunks of checked rows waiting for their lookup, a million-row file
 * spent 4.5 s of its 6 s of CPU collecting garbage; with each reader batch's codes read from its cells
 * and looked up before its rows are checked, 0.3 s of 3.3 s (issue 13).
 */
export const RESOLVE_CHUNK_ROWS = 5_000;

export interface GoodRow {
  sheet: string;
  row: number;
  values: RowValues;
  enterpriseId: number | null;
  /** the row's cells and its sheet's columns, with readRow's `exact` mask: numbers whose cell text is exact */
  cells: readonly Cell[];
  columns: readonly MappedColumn[];
  exact: number;
}

export interface PassOptions {
  kind: ImportKind;
  path: string;
  fileName: string;
  ref: ReferenceLookup;
  enterprise: (uscc: string) => EnterpriseRef | undefined;
  /**
   * Makes `enterprise` answer for these codes (a chunk's, before any of its rows is checked): the
   * registry is looked up per chunk instead of loaded whole. Without it `enterprise` answers at once.
   */
  resolve?: (codes: ReadonlySet<string>) => Promise<void>;
  /**
   * Rows, in whole batches of the reader, read before their codes are resolved together (default 1:
   * each batch on its own); a commit whose lookups end its COPY passes RESOLVE_CHUNK_ROWS.
   */
  resolveRows?: number;
  /** runs after a chunk's rows have all been handed to the sink (a commit sends its COPY what it holds) */
  afterChunk?: () => Promise<void> | void;
  /** a county officer's county; null = all */
  scopeRegion: string | null;
  now?: Date;
  onProgress?: (p: { rows: number; bytesRead: number }) => void;
  /** receives each good row; awaited in batches by the caller's own buffering */
  sink?: (row: GoodRow) => void | Promise<void>;
  /** problems kept in full (default MAX_KEPT_PROBLEMS); a full problem report passes Infinity */
  maxProblems?: number;
  /** sees the values of every good row, also after an error (an import batch learns the registry's firms) */
  onGood?: (values: RowValues) => void;
}

export interface PassCounts {
  /** data rows read (blank rows not counted) */
  rows: number;
  good: number;
  /** rows with at least one error */
  badRows: number;
  skipped: number;
  error: number;
  warning: number;
  notice: number;
}

export interface PassResult {
  counts: PassCounts;
  problems: ImportProblem[];
  /** cells of the rows that have problems, keyed `${sheet}\u0000${row}` */
  problemCells: Map<string, Cell[]>;
  /** the header cells of each data sheet, for the report */
  headers: Record<string, { row: number; cells: Cell[] }>;
  present: string[];
  months: Set<string>;
  years: Set<number>;
  enterpriseIds: Set<number>;
}

/** The code a row is checked against the registry by (as finishRow and BatchChecker read it), or null. */
function registryCode(outcome: RowOutcome): string | null {
  if (outcome.status !== 'row') return null;
  const uscc = outcome.values.uscc;
  if (!uscc || outcome.problems.some((p) => p.severity === 'error' && p.code.startsWith('uscc.')))
    return null;
  return typeof uscc === 'string' ? uscc : String(uscc);
}

export const cellKey = (sheet: string | null, row: number | null) => `${sheet ?? ''}\u0000${row ?? ''}`;

export async function runPass(o: PassOptions): Promise<PassResult> {
  const def = KINDS[o.kind];
  const range = defaultPeriodRange(o.now);
  const counts: PassCounts = { rows: 0, good: 0, badRows: 0, skipped: 0, error: 0, warning: 0, notice: 0 };
  const problems: ImportProblem[] = [];
  const problemCells = new Map<string, Cell[]>();
  const headers: PassResult['headers'] = {};
  const months = new Set<string>();
  const years = new Set<number>();
  const enterpriseIds = new Set<number>();
  let lastMonth: string | null = null;
  let lastEnterpriseId: number | null = null;
  let present: string[] | null = null;
  const headerMisses: ImportProblem[] = [];
  const maxKept = o.maxProblems ?? MAX_KEPT_PROBLEMS;
  const add = (p: ImportProblem, cells?: Cell[]) => {
    counts[p.severity]++;
    // a row's problem names the header row of its sheet (the report marks cells by column index)
    if (p.row !== null && p.headerRow == null && headerRow > 0) p.headerRow = headerRow;
    if (problems.length < maxKept) problems.push(p);
    if (cells && p.row !== null && problemCells.size < maxKept)
      problemCells.set(cellKey(p.sheet, p.row), cells);
  };

  let bytesRead = 0;
  let lastReport = 0;
  // (set by readFile, inside the try below: a file refused by its first bytes, the old .xls, is a problem of its own)
  let format: FileFormat = 'csv';
  const usccHeader = def.columns[0]!.zh;
  const checker = new BatchChecker(o.kind, {
    file: o.fileName,
    sheet: null,
    enterprise: o.enterprise,
    scopeRegion: o.scopeRegion,
    usccHeader,
  });

  let sheet = '';
  let sheetNo = 0;
  let buffer: { row: number; cells: Cell[] }[] = [];
  let columns: MappedColumn[] | null = null;
  let headerRow = 0;
  let usccIndex: number | null = null;
  let dataSheets = 0;

  // the context of the rows of the current sheet, set when its header is found
  let ctx: RowContext | null = null;
  // Rows read but not checked yet: whole batches of the reader (see RESOLVE_CHUNK_ROWS), checked before
  // the sheet (its context, header row and columns) changes. Only the cells wait: a row is read, checked
  // and handed on in one go once its batch's codes are looked up, so what it makes dies young.
  let waiting: { rows: readonly ReadRow[]; from: number }[] = [];
  let waitingRows = 0;
  const resolveRows = o.resolveRows ?? 1;
  const wait = (rows: readonly ReadRow[], from: number): Promise<void> | void => {
    if (from >= rows.length) return;
    waiting.push({ rows, from });
    waitingRows += rows.length - from;
    if (waitingRows >= resolveRows) return checkWaiting();
  };
  const checkWaiting = async (): Promise<void> => {
    if (waiting.length === 0) return;
    const list = waiting;
    waiting = [];
    waitingRows = 0;
    let codes: Set<string> | null = null;
    if (o.resolve) {
      // the codes readRow will read, from the cells alone: one lookup before any of these rows is checked
      codes = new Set();
      for (const { rows, from } of list)
        for (let i = from; i < rows.length; i++) {
          const code = registryCodeOf(ctx!, rows[i]!.cells);
          if (code !== null) codes.add(code);
        }
      if (codes.size > 0) await o.resolve(codes);
    }
    for (const { rows, from } of list)
      for (let i = from; i < rows.length; i++) {
        const r = rows[i]!;
        const outcome = readRow(ctx!, r.row, r.cells);
        if (outcome.status === 'blank') continue;
        if (codes) {
          // (registryCodeOf reads as readRow does; should they ever differ, the row's code is asked now)
          const code = registryCode(outcome);
          if (code !== null && !codes.has(code)) await o.resolve!(codes.add(code));
        }
        const pending = finishRow(r.row, r.cells, outcome);
        if (pending) await pending;
      }
    await o.afterChunk?.();
  };
  /** The rest of a row's checks (those across rows, against the registry), then the sink. */
  const finishRow = (row: number, cells: Cell[], outcome: RowOutcome): Promise<void> | void => {
    const sheetName = ctx!.sheet;
    if (outcome.status === 'blank') return;
    if (outcome.status === 'skipped') {
      counts.skipped++;
      add(outcome.problem, cells);
      return;
    }
    counts.rows++;
    let ok = outcome.ok;
    for (const p of outcome.problems) add(p, cells);
    // a malformed code cannot name an enterprise: its own problem says enough
    if (
      outcome.values.uscc &&
      (outcome.problems.length === 0 ||
        !outcome.problems.some((p) => p.severity === 'error' && p.code.startsWith('uscc.')))
    ) {
      const checked = checker.check(row, outcome.values);
      for (const p of checked.problems) {
        p.sheet = sheetName;
        p.columnIndex = usccIndex;
        if (p.severity === 'error') ok = false;
        add(p, cells);
      }
      if (ok) {
        counts.good++;
        const v = outcome.values;
        // (rows of one month come together: skip hashing the same month again)
        if (typeof v.month === 'string' && v.month !== lastMonth) months.add((lastMonth = v.month));
        if (typeof v.year === 'number') years.add(v.year);
        const id = checked.enterpriseId;
        if (id !== null && id !== lastEnterpriseId) enterpriseIds.add((lastEnterpriseId = id));
        o.onGood?.(v);
        // once a row is refused the file is, and its writes are rolled back: stop sending rows
        if (o.sink && counts.error === 0) {
          const p = o.sink({
            sheet,
            row,
            values: v,
            enterpriseId: checked.enterpriseId,
            cells,
            columns: ctx!.columns,
            exact: outcome.exact,
          });
          if (p) return p.then(() => progress(ok));
        }
      }
    }
    progress(ok);
  };
  const progress = (ok: boolean) => {
    if (!ok) counts.badRows++;
    if (o.onProgress && counts.rows - lastReport >= 5_000) {
      lastReport = counts.rows;
      o.onProgress({ rows: counts.rows, bytesRead });
    }
  };

  const finishHeaderSearch = async () => {
    if (columns !== null || buffer.length === 0) return;
    const h = detectHeader(
      o.kind,
      buffer.map((b) => b.cells),
      {
        file: o.fileName,
        sheet: format === 'csv' ? null : sheet,
        firstRow: buffer[0]!.row,
      },
    );
    // rows are numbered as in the file; the buffer may skip empty rows in xlsx, so map back
    const headerIndex = buffer.findIndex((b) => b.row === h.headerRow);
    if (!h.ok && h.columns.length === 0) {
      headerMisses.push(...h.problems);
      buffer = [];
      columns = [];
      return;
    }
    dataSheets++;
    for (const p of h.problems) add(p);
    if (!h.ok) {
      columns = [];
      buffer = [];
      return;
    }
    const keys = presentKeys(o.kind, h.columns);
    if (present && present.join() !== keys.join()) {
      add(
        problem(
          'error',
          'sheet.columnsDiffer',
          { file: o.fileName, sheet, row: h.headerRow },
          {
            zh: '各工作表的列不一致，请把数据放在同一格式的表中',
            en: 'The sheets have different columns; put the data in sheets of the same layout',
          },
        ),
      );
      columns = [];
      buffer = [];
      return;
    }
    present = keys;
    columns = h.columns;
    ctx = {
      kind: o.kind,
      file: o.fileName,
      sheet: format === 'csv' ? null : sheet,
      columns: h.columns,
      ref: o.ref,
      ...range,
    };
    headerRow = h.headerRow;
    usccIndex = h.columns.find((c) => c.def.key === 'uscc')?.index ?? null;
    // the header as read, each mapped column under the label it was read by (a two-row header's
    // "工业总产值" over "（千元）" is one label), so the report's header names what the problems name
    const headerCells: Cell[] = [...(buffer[headerIndex]?.cells ?? [])];
    for (const c of h.columns) {
      while (headerCells.length <= c.index) headerCells.push(null);
      headerCells[c.index] = c.header;
    }
    headers[sheet] = { row: headerRow, cells: headerCells };
    const rest = buffer.slice(headerIndex + 1);
    buffer = [];
    await wait(rest, 0);
  };

  try {
    const read = await readFile(o.path, { onBytes: (n) => (bytesRead = n) });
    format = read.format;
    for await (const ev of read.events) {
      if (ev.type === 'sheet') {
        await finishHeaderSearch();
        await checkWaiting();
        sheetNo++;
        sheet = ev.name;
        headerRow = 0;
        usccIndex = null;
        columns = null;
        buffer = [];
        if (ev.hidden) {
          add(
            problem(
              'notice',
              'sheet.hidden',
              { file: o.fileName, sheet: ev.name, row: null },
              {
                zh: `隐藏的工作表“${ev.name}”已忽略`,
                en: `Hidden sheet "${ev.name}" was ignored`,
              },
            ),
          );
          columns = [];
        }
        continue;
      }
      const rows = ev.rows;
      let i = 0;
      for (; columns === null && i < rows.length; i++) {
        buffer.push(rows[i]!);
        if (buffer.length >= HEADER_SEARCH_ROWS) await finishHeaderSearch();
      }
      // (none yet: still looking for the header; none at all: a sheet without this kind's header, or hidden)
      if (columns === null || columns.length === 0) continue;
      const pending = wait(rows, i);
      if (pending) await pending;
    }
    await finishHeaderSearch();
    await checkWaiting();
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    // the rows read before the file broke are checked as they were before (their problems come first);
    // a csv broken at a row of its first ones: its header is looked for among those before it
    if (error.at) await finishHeaderSearch();
    await checkWaiting();
    // a csv's reader names the row (and column) it stopped at: the column under its header when known
    const index = error.at?.columnIndex;
    const column =
      index === undefined
        ? null
        : (columns?.find((c) => c.index === index)?.header ?? String(headers[sheet]?.cells[index] ?? '')) ||
          null;
    add(
      problem(
        'error',
        error.code,
        { file: o.fileName, sheet: null, row: error.at?.row ?? null, column, columnIndex: index ?? null },
        { zh: error.zh, en: error.en },
      ),
    );
  }

  if (dataSheets === 0 && counts.error === 0) {
    for (const p of headerMisses.length ? headerMisses : []) add(p);
    if (headerMisses.length === 0) {
      add(
        problem(
          'error',
          'file.empty',
          { file: o.fileName, sheet: null, row: null },
          {
            zh: '文件中没有可读取的数据',
            en: 'The file has no data to read',
          },
        ),
      );
    }
  } else if (headerMisses.length) {
    for (const p of headerMisses) {
      add(
        problem(
          'notice',
          'sheet.skipped',
          { file: o.fileName, sheet: p.sheet, row: null },
          {
            zh: `工作表“${p.sheet}”没有${def.zh}表头，已忽略`,
            en: `Sheet "${p.sheet}" has no ${def.en.toLowerCase()} header and was ignored`,
          },
        ),
      );
    }
  }
  if (dataSheets > 0 && counts.rows === 0 && counts.error === 0) {
    add(
      problem(
        'error',
        'file.noRows',
        { file: o.fileName, sheet: null, row: null },
        {
          zh: '表头下方没有数据行',
          en: 'There are no data rows below the header',
        },
      ),
    );
  }
  void sheetNo;
  o.onProgress?.({ rows: counts.rows, bytesRead });
  return { counts, problems, problemCells, headers, present: present ?? [], months, years, enterpriseIds };
}
