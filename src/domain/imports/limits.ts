// How big an uploaded workbook may be once unpacked. An xlsx is a zip of XML: 12 MB on the wire can
// unpack to gigabytes (a "zip bomb"), and a reader that holds the shared-string table or a whole
// workbook in memory then takes the server down. Every upload is checked against these limits from
// the zip's central directory and one counting pass over the packed data, before any workbook
// reader sees it (src/modules/imports/zip-guard.ts); the limits are named in the problem message.

export interface XlsxLimits {
  /** entries in the zip */
  maxEntries: number;
  /** unpacked bytes of one entry */
  maxEntryBytes: number;
  /** unpacked bytes of all entries together */
  maxTotalBytes: number;
  /** unpacked ÷ packed size of one entry, checked for entries above ratioFloorBytes */
  maxRatio: number;
  /** entries smaller than this unpacked are not held to maxRatio (tiny XML parts compress very well) */
  ratioFloorBytes: number;
  /** unpacked bytes of the shared-string table (read into memory by every reader) */
  maxSharedStringsBytes: number;
  /** strings in the shared-string table */
  maxSharedStrings: number;
  /** rows of one sheet */
  maxRowsPerSheet: number;
  /** cells of one sheet */
  maxCellsPerSheet: number;
}

const MB = 1024 * 1024;

/**
 * Enterprise-fact imports are read as a stream (one sheet row at a time), so sheets may be large: a
 * whole county's monthly figures for a year are ≈ 40,000 rows × 12 columns. Excel itself stops at
 * 1,048,576 rows. The shared-string table is held in memory, hence its own, smaller limit.
 */
export const STREAMED_XLSX_LIMITS: XlsxLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 1024 * MB,
  maxTotalBytes: 2048 * MB,
  maxRatio: 200,
  ratioFloorBytes: 16 * MB,
  maxSharedStringsBytes: 200 * MB,
  maxSharedStrings: 3_000_000,
  maxRowsPerSheet: 1_048_576,
  maxCellsPerSheet: 30_000_000,
};

/**
 * Project progress reports are small (one row per project and month: a few thousand rows) and read
 * whole into memory, so their workbook is held to much smaller limits.
 */
export const IN_MEMORY_XLSX_LIMITS: XlsxLimits = {
  maxEntries: 1_000,
  maxEntryBytes: 64 * MB,
  maxTotalBytes: 128 * MB,
  maxRatio: 200,
  ratioFloorBytes: 4 * MB,
  maxSharedStringsBytes: 16 * MB,
  maxSharedStrings: 200_000,
  maxRowsPerSheet: 100_000,
  maxCellsPerSheet: 1_000_000,
};

/** A limit an upload broke, as a problem text in both languages. */
export function limitMessage(
  limit: keyof XlsxLimits,
  value: number,
  allowed: number,
  where: string,
): { zh: string; en: string } {
  const n = (x: number) => x.toLocaleString('en-US');
  const mb = (x: number) => `${(x / MB).toFixed(x < MB ? 2 : 0)} MB`;
  switch (limit) {
    case 'maxEntries':
      return {
        zh: `文件包含 ${n(value)} 个压缩条目，超过上限 ${n(allowed)}，已拒绝`,
        en: `The file holds ${n(value)} zip entries, more than the limit of ${n(allowed)}; refused`,
      };
    case 'maxEntryBytes':
      return {
        zh: `文件中的 ${where} 解压后为 ${mb(value)}，超过单个部件上限 ${mb(allowed)}，已拒绝`,
        en: `${where} in the file unpacks to ${mb(value)}, more than the limit of ${mb(allowed)} per part; refused`,
      };
    case 'maxTotalBytes':
      return {
        zh: `文件解压后共 ${mb(value)}，超过上限 ${mb(allowed)}，已拒绝`,
        en: `The file unpacks to ${mb(value)} in all, more than the limit of ${mb(allowed)}; refused`,
      };
    case 'maxRatio':
      return {
        zh: `文件中的 ${where} 压缩比为 ${n(Math.round(value))}:1，超过上限 ${n(allowed)}:1（疑似压缩炸弹），已拒绝`,
        en: `${where} in the file has a compression ratio of ${n(Math.round(value))}:1, more than the limit of ${n(allowed)}:1 (a likely zip bomb); refused`,
      };
    case 'maxSharedStringsBytes':
      return {
        zh: `共享字符串表解压后为 ${mb(value)}，超过上限 ${mb(allowed)}，已拒绝`,
        en: `The shared-string table unpacks to ${mb(value)}, more than the limit of ${mb(allowed)}; refused`,
      };
    case 'maxSharedStrings':
      return {
        zh: `共享字符串表含 ${n(value)} 个字符串，超过上限 ${n(allowed)}，已拒绝`,
        en: `The shared-string table holds ${n(value)} strings, more than the limit of ${n(allowed)}; refused`,
      };
    case 'maxRowsPerSheet':
      return {
        zh: `工作表 ${where} 有 ${n(value)} 行以上，超过每表上限 ${n(allowed)} 行，已拒绝`,
        en: `Sheet ${where} has more than ${n(value)} rows, above the limit of ${n(allowed)} rows per sheet; refused`,
      };
    case 'maxCellsPerSheet':
      return {
        zh: `工作表 ${where} 有 ${n(value)} 个以上单元格，超过每表上限 ${n(allowed)} 个，已拒绝`,
        en: `Sheet ${where} has more than ${n(value)} cells, above the limit of ${n(allowed)} cells per sheet; refused`,
      };
    default:
      return { zh: `文件超过上限，已拒绝`, en: `The file exceeds a limit; refused` };
  }
}
