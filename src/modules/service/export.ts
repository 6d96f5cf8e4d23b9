// Excel export of the requests a user sees (the pool's filter) and of the period's statistics.
import ExcelJS from 'exceljs';
import type { SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { CATEGORY_ZH, CHANNEL_ZH, NATURE_ZH, RATING_ZH } from '../../domain/service/index.ts';
import type { Visibility } from './access.ts';
import { requestsInListOrder } from './repo.ts';
import type { ListQuery } from './schemas.ts';
import { requestStats, type Period } from './stats.ts';

const zh = <T extends string>(map: Record<T, string>, k: string | null) => (k ? (map[k as T] ?? k) : '');
const cst = (iso: string | null) =>
  iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '';
const pct = (v: number | null) => (v == null ? '' : Math.round(v * 1000) / 10);

/** requests in one export at most (the pool's filters narrow it) */
export const EXPORT_ROWS = 10_000;
/** requests read per statement */
const PAGE = 500;

/** `scope`: the statistics' row limit for this user (stats-scope.ts), the same as the statistics page. */
export async function exportRequestsXlsx(
  db: Db,
  v: Visibility,
  q: ListQuery,
  p: Period,
  scope?: SQL,
  limit = EXPORT_ROWS,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('诉求清单');
  ws.addRow([
    '编号',
    '企业',
    '标题',
    '性质',
    '类型',
    '渠道',
    '受理时间',
    '状态',
    '主办单位',
    '办理时限',
    '督办等级',
    '答复时间',
    '按时',
    '满意度',
    '重办次数',
  ]);
  // the pool in the list's order, by keyset on the work items' deadline index (it read 200 a page by offset,
  // counting the pool again for each); at most EXPORT_ROWS rows, as before
  let rows = 0;
  let cut = false;
  pages: for await (const part of requestsInListOrder(db, v, q, PAGE))
    for (const r of part) {
      if (rows++ >= limit) {
        cut = true;
        break pages;
      }
      ws.addRow([
        r.code,
        r.enterpriseName,
        r.title,
        zh(NATURE_ZH, r.nature),
        zh(CATEGORY_ZH, r.category),
        zh(CHANNEL_ZH, r.channel),
        cst(r.receivedAt),
        r.item.stateZh,
        r.item.ownerUnitName ?? '',
        cst(r.item.deadlineAt),
        r.item.levelZh,
        cst(r.answeredAt),
        r.answeredOnTime == null ? '' : r.answeredOnTime ? '是' : '否',
        zh(RATING_ZH, r.rating),
        r.reopenCount,
      ]);
    }
  // a cut list says so under its last row (it ended there silently): the reader narrows the filter
  if (cut)
    ws.addRow([
      `仅导出前 ${limit.toLocaleString('en-US')} 条诉求，请缩小筛选范围后再导出。Only the first ${limit.toLocaleString('en-US')} requests are exported: narrow the filter to export the rest.`,
    ]).font = { italic: true };
  ws.getRow(1).font = { bold: true };
  const stats = wb.addWorksheet('统计');
  stats.addRow([`统计期 ${p.from} 至 ${p.to}`]);
  for (const by of ['month', 'channel', 'unit', 'county', 'cluster', 'category'] as const) {
    const s = await requestStats(db, p, by, scope);
    stats.addRow([]);
    stats.addRow([
      `按${{ month: '月份', channel: '渠道', unit: '主办单位', county: '区县', cluster: '集群', category: '类型' }[by]}`,
      '受理量',
      '直接解答率%',
      '办结率%',
      '按时办结率%',
      '满意率%',
    ]).font = { bold: true };
    for (const r of [...s.rows, s.total])
      stats.addRow([
        r.label,
        r.received,
        pct(r.directRate),
        pct(r.closeRate),
        pct(r.onTimeRate),
        pct(r.satisfactionRate),
      ]);
  }
  stats.addRow([]);
  for (const d of Object.values((await requestStats(db, p, 'month', scope)).definitions)) stats.addRow([d]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
