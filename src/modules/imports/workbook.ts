// A small uploaded workbook read whole, for capabilities that import a sheet of their own (project
// progress, platforms, reported targets). It goes through the same zip guard and sheet scanner as the
// enterprise-fact imports, so such an import meets a hostile file as they do: a number no double holds
// ("1e-400", 1e400) arrives as its text for parseNumber to refuse rather than as 0 or Infinity, and a
// workbook whose shared strings are missing is refused as damaged rather than read with empty text cells.
import type { Cell } from '../../domain/imports/cells.ts';
import { IN_MEMORY_XLSX_LIMITS, type XlsxLimits } from '../../domain/imports/limits.ts';
import { readXlsx, UnreadableFile } from './readers.ts';

export interface WorkbookSheet {
  name: string;
  /** the rows that have cells, each with its 1-based row number; cells[0] is column A */
  rows: { row: number; cells: Cell[] }[];
}

export type WorkbookRead =
  | { ok: true; sheets: WorkbookSheet[] }
  | {
      ok: false;
      /** file.unreadable (not an xlsx, damaged) or file.too-large (beyond the limits) */
      code: string;
      zh: string;
      en: string;
    };

/** Every visible sheet of the workbook with its rows; hidden sheets are left out, as the imports do. */
export async function readWorkbook(
  content: Buffer,
  limits: XlsxLimits = IN_MEMORY_XLSX_LIMITS,
): Promise<WorkbookRead> {
  const sheets: WorkbookSheet[] = [];
  let current: WorkbookSheet | null = null;
  try {
    for await (const event of readXlsx(content, { limits })) {
      if (event.type === 'sheet') {
        current = event.hidden ? null : { name: event.name, rows: [] };
        if (current) sheets.push(current);
      } else if (current) for (const r of event.rows) current.rows.push(r);
    }
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    return { ok: false, code: error.code, zh: error.zh, en: error.en };
  }
  return { ok: true, sheets };
}
