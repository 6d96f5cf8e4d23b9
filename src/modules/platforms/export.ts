// The platforms register as xlsx, in the import template's columns (an export can be edited and imported
// back), plus codes for machines.
import ExcelJS from 'exceljs';
import { PLATFORM_LEVEL_ZH, type PlatformLevel } from '../../domain/platforms.ts';
import type { Platform } from './schemas.ts';

export async function platformsWorkbook(items: readonly Platform[], template = false): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'clusterscope';
  const ws = wb.addWorksheet('平台载体');
  ws.addRow([
    '名称',
    '类型',
    '级别',
    '县（市、区）',
    '功能区',
    '集群',
    '认定年份',
    '来源',
    '县代码',
    '集群代码',
    '编号',
  ]);
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const p of items)
    ws.addRow([
      p.name,
      p.kindZh,
      p.level ? (PLATFORM_LEVEL_ZH[p.level as PlatformLevel] ?? p.level) : '',
      p.regionName ?? '',
      p.zoneName ?? '',
      p.clusterName ?? '',
      p.year ?? '',
      p.source ?? '',
      p.regionCode ?? '',
      p.clusterCode ?? '',
      template ? '' : p.id,
    ]);
  ws.columns.forEach((c, i) => (c.width = [36, 18, 8, 14, 22, 16, 10, 40, 10, 16, 8][i]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
