// Exports of what the user sees: tables as xlsx (exceljs, loaded only when asked), charts as PNG.
import type ExcelJSModule from 'exceljs';
// The UMD browser build is emitted as its own file and loaded by a <script> on the first export, so
// it is in no chunk the app loads up front.
import excelJsUrl from 'exceljs/dist/exceljs.min.js?url';
import { saveBlob as download } from '../../api/download.ts';

let excelJs: Promise<typeof ExcelJSModule> | null = null;
function loadExcelJs(): Promise<typeof ExcelJSModule> {
  excelJs ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = excelJsUrl;
    script.async = true;
    script.onload = () => resolve((window as unknown as { ExcelJS: typeof ExcelJSModule }).ExcelJS);
    script.onerror = () => {
      excelJs = null;
      reject(new Error('exceljs failed to load'));
    };
    document.head.appendChild(script);
  });
  return excelJs;
}

export interface SheetColumn<T> {
  header: string;
  value: (row: T) => string | number | null;
  /** Excel number format, e.g. '0.0' or '0.0%' */
  format?: string;
  width?: number;
}

/** One sheet with a title row (what, when, unit) above the header, numbers kept as numbers. */
export async function exportXlsx<T>(
  fileName: string,
  title: string,
  columns: SheetColumn<T>[],
  rows: readonly T[],
) {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'clusterscope';
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow([title]).font = { bold: true };
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  for (const r of rows) sheet.addRow(columns.map((c) => c.value(r)));
  columns.forEach((c, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = c.width ?? Math.max(10, Math.min(40, c.header.length * 2 + 2));
    if (c.format) col.numFmt = c.format;
  });
  const buffer = await workbook.xlsx.writeBuffer();
  download(
    new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
    fileName,
  );
}

export function exportPng(dataUrl: string, fileName: string) {
  const [meta, data] = dataUrl.split(',');
  const binary = atob(data ?? '');
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  download(new Blob([bytes], { type: meta?.match(/data:([^;]+)/)?.[1] ?? 'image/png' }), fileName);
}

/** 万元 → 亿元 for sheets and charts. */
export const yi = (wanYuan: number | null | undefined) => (wanYuan == null ? null : wanYuan / 10_000);
