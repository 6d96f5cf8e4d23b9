// The bulletin's tables as a workbook: one sheet per table (with the section's text above it and its
// source below), the figures as numbers in the API's units (money 万元, ratios as fractions formatted as
// percentages), so a reader can recompute what the PDF rounds.
import ExcelJS from 'exceljs';
import type { BulletinView, Column } from '../../domain/bulletin/index.ts';

/** Excel sheet names: ≤ 31 characters, none of []:*?/\ */
const sheetName = (s: string, used: Set<string>) => {
  const base = s.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28);
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}${i}`;
  used.add(name);
  return name;
};

const header = (c: Column) => (c.format === 'yi' ? c.title.replace('（亿元）', '（万元）') : c.title);

export async function bulletinXlsx(v: BulletinView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = v.issuer;
  wb.title = v.title;
  const used = new Set<string>();
  const cover = wb.addWorksheet(sheetName('说明', used));
  cover.addRow([v.title]).font = { bold: true, size: 14 };
  cover.addRow([`${v.issuer} · ${v.period}`]);
  if (v.demoData) cover.addRow(['演示数据：由平台生成的模拟数据制作，不代表真实经济运行情况。']);
  cover.addRow(['金额单位：万元（PDF 中折算为亿元）；增速与比重为小数，按百分比格式显示。']);
  cover.addRow([]);
  for (const s of v.sections) {
    cover.addRow([s.title]).font = { bold: true };
    for (const p of s.paragraphs) cover.addRow([p]);
  }
  cover.getColumn(1).width = 120;
  for (const s of v.sections) {
    if (!s.table) continue;
    const ws = wb.addWorksheet(sheetName(s.title.replace(/^[一二三四五六七八九十]+、/, ''), used));
    ws.addRow([s.title]).font = { bold: true };
    for (const p of s.paragraphs) ws.addRow([p]);
    const head = ws.addRow(s.table.columns.map(header));
    head.font = { bold: true };
    for (const r of s.table.rows) ws.addRow(s.table.columns.map((c) => r[c.key] ?? null));
    s.table.columns.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      col.width = c.format === 'text' ? 24 : 14;
      if (c.format === 'pct') col.numFmt = '0.0%';
      if (c.format === 'yi') col.numFmt = '#,##0.00';
    });
    if (s.source) ws.addRow([`数据来源：${s.source}`]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
