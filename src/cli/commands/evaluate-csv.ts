// The evaluation export's rows as CSV text, from plain arrays (no Evaluation, no InputRow), so that a
// worker thread can write part of a province's export beside the main thread (evaluate-csv-worker.ts):
// turning ≈ 3.9 million numbers into text is most of the command's work after the evaluation (issue 13).
// Pure: the same function writes every row on either thread, so the bytes are the same however split.
// Text cells go through the platform's one CSV cell (src/csv.ts: a name a spreadsheet would run as a
// formula gets a leading apostrophe).
import { csvCell } from '../../csv.ts';

/** What rows `from`…`to` of the export are made of: the evaluation's arrays and each firm's identity. */
export interface CsvPart {
  /** indicator columns */
  K: number;
  /** rows × K, NaN where blank */
  values: Float64Array;
  scores: Float64Array;
  /** the row's group, -1 when not evaluated */
  groupOf: Int32Array;
  adjustment: Float64Array;
  totals: Float64Array;
  /** members of the group with a strictly higher total */
  higher: Int32Array;
  /** members of each group */
  groupSizes: Int32Array;
  /** the row's class cell: an index into classCells */
  classOf: Uint8Array;
  /** the class cells ('' for none) */
  classCells: string[];
  /** the row's 未参评原因: an index into reasonCells, -1 for none */
  reasonOf: Int16Array;
  reasonCells: string[];
  /** each row's identity: 统一社会信用代码, 企业名称, 区县代码, and 组别 as an index into groupCells */
  uscc: string[];
  name: string[];
  region: string[];
  groupOfScale: Uint8Array;
  groupCells: string[];
}

/**
 * The numbers of row i, into `out` (2K + 4 long, reused): each indicator's value and score, 调整分, 总分,
 * 组内排名, 组内企业数; null where blank.
 */
export function exportNumbers(p: CsvPart, i: number, out: (number | null)[]): (number | null)[] {
  const K = p.K;
  const g = p.groupOf[i]!;
  for (let c = 0; c < K; c++) {
    const v = p.values[i * K + c]!;
    const s = p.scores[i * K + c]!;
    out[2 * c] = Number.isNaN(v) ? null : v;
    out[2 * c + 1] = g < 0 || Number.isNaN(s) ? null : s;
  }
  out[2 * K] = g < 0 ? null : p.adjustment[i]!;
  out[2 * K + 1] = g < 0 ? null : p.totals[i]!;
  out[2 * K + 2] = g < 0 ? null : p.higher[i]! + 1;
  out[2 * K + 3] = g < 0 ? null : p.groupSizes[g]!;
  return out;
}

/** Rows per piece of text: a province's export as one string was several copies of every firm (issue 13). */
export const CSV_CHUNK = 1_000;

/** Rows from…to (to excluded) of the part, as CSV lines ending in CRLF. */
export function csvLines(p: CsvPart, from: number, to: number): string {
  const width = 2 * p.K + 4;
  // the rows' numbers as ONE JSON text, cut into rows after (a blank's null left empty): JSON writes a
  // number exactly as String() does, without a string per cell — at province scale those strings were
  // most of the export's garbage (V8 keeps recent ones in its number-string cache, so they outlive the
  // row) — and one call per 1,000 rows instead of a call, a slice and a replace per row
  const numbers = new Array<(number | null)[]>(to - from);
  for (let i = from; i < to; i++) numbers[i - from] = exportNumbers(p, i, new Array(width));
  const middles = JSON.stringify(numbers).slice(2, -2).replaceAll('null', '').split('],[');
  let text = '';
  for (let i = from; i < to; i++) {
    const r = p.reasonOf[i]!;
    text += `${csvCell(p.uscc[i]!)},${csvCell(p.name[i]!)},${csvCell(p.region[i]!)},${p.groupCells[p.groupOfScale[i]!]},${middles[i - from]},${csvCell(p.classCells[p.classOf[i]!]!)},${r < 0 ? '' : csvCell(p.reasonCells[r]!)}\r\n`;
  }
  return text;
}

/**
 * Rows from…to of the part as a part of their own, every array copied: what is posted to a worker (a typed
 * array is posted with its whole buffer, so a view of the year would post the year).
 */
export function slicePart(p: CsvPart, from: number, to: number): CsvPart {
  const cut = <T extends Float64Array | Int32Array | Uint8Array | Int16Array>(a: T, k = 1): T =>
    a.slice(from * k, to * k) as T;
  return {
    K: p.K,
    values: cut(p.values, p.K),
    scores: cut(p.scores, p.K),
    groupOf: cut(p.groupOf),
    adjustment: cut(p.adjustment),
    totals: cut(p.totals),
    higher: cut(p.higher),
    groupSizes: p.groupSizes,
    classOf: cut(p.classOf),
    classCells: p.classCells,
    reasonOf: cut(p.reasonOf),
    reasonCells: p.reasonCells,
    uscc: p.uscc.slice(from, to),
    name: p.name.slice(from, to),
    region: p.region.slice(from, to),
    groupOfScale: cut(p.groupOfScale),
    groupCells: p.groupCells,
  };
}
