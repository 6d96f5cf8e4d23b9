// The board as Excel: every alert the user may see under the board's filters, with the values (and
// months) that fired it and the rule-set version, so the sheet carries its provenance.
import ExcelJS from 'exceljs';
import type { Db } from '../../db/client.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { listAlerts, rulesById } from './repo.ts';
import { currentRuleSetForRead } from './rules.ts';
import type { AlertListQuery } from './schemas.ts';

/** rows in one sheet at most (the board's filters narrow it) */
export const EXPORT_LIMIT = 20000;
const LEVEL_ZH: Record<string, string> = { red: '红色', orange: '橙色', yellow: '黄色' };
const STATUS_ZH: Record<string, string> = {
  open: '待处置',
  verifying: '核实中',
  visited: '已走访',
  supporting: '帮扶中',
  closed: '已关闭',
  false_alarm: '误报',
};
const KIND_ZH: Record<string, string> = { firm: '企业', cluster: '集群', county: '区县' };

export async function exportAlertsXlsx(
  db: Db,
  user: AuthedUser,
  q: AlertListQuery,
  limit = EXPORT_LIMIT,
): Promise<Buffer> {
  const rs = await currentRuleSetForRead(db);
  const list = await listAlerts(db, user.scope, { ...q, page: 1 }, rulesById(rs.definition), limit);
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('风险预警');
  sheet.columns = [
    { header: '预警编号', key: 'id', width: 10 },
    { header: '等级', key: 'level', width: 8 },
    { header: '对象类型', key: 'kind', width: 8 },
    { header: '对象', key: 'name', width: 32 },
    { header: '统一社会信用代码', key: 'uscc', width: 22 },
    { header: '区县', key: 'region', width: 10 },
    { header: '规则', key: 'rule', width: 44 },
    { header: '触发数值（月份）', key: 'evidence', width: 60 },
    { header: '首次预警月份', key: 'first', width: 12 },
    { header: '最近触发月份', key: 'last', width: 12 },
    { header: '处置状态', key: 'status', width: 10 },
    { header: '办理期限', key: 'deadline', width: 20 },
    { header: '关闭/误报理由', key: 'reason', width: 30 },
    { header: '规则集版本', key: 'version', width: 10 },
  ];
  for (const a of list.rows)
    sheet.addRow({
      id: a.id,
      level: LEVEL_ZH[a.level],
      kind: KIND_ZH[a.subjectKind],
      name: a.subjectName,
      uscc: a.uscc ?? '',
      region: a.regionName ?? '',
      rule: a.ruleNameZh,
      evidence: a.evidence
        .map(
          (e) =>
            `${e.month}: ${Object.entries(e.values)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}`,
        )
        .join('; '),
      first: a.firstMonth,
      last: a.lastMonth,
      status: STATUS_ZH[a.status],
      deadline: a.deadline ?? '',
      reason: a.closedReason ?? '',
      version: a.ruleSetVersion,
    });
  // a cut list says so under its last row (it ended there silently; a province's board holds more)
  if (list.total > list.rows.length)
    sheet.addRow([
      `仅导出前 ${list.rows.length.toLocaleString('en-US')} 条预警（共 ${list.total.toLocaleString('en-US')} 条），请缩小筛选范围后再导出。Only the first ${list.rows.length.toLocaleString('en-US')} of ${list.total.toLocaleString('en-US')} alerts are exported: narrow the filter to export the rest.`,
    ]).font = { italic: true };
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
