// Downloads of an assessment: the table as xlsx (ranking with dimension scores; the indicator sheet holds
// the counties the user may see in detail, with value, base, target, weight, points and source), and a
// county's one-page report as PDF, printed by headless Chromium from an HTML page built here (every text
// escaped; no script).
import ExcelJS from 'exceljs';
import { NoBrowserError, PRINT_PAGES, PRINT_WAITING, PrintBusyError, withPrintPage } from '../../print.ts';
import { AppError } from '../../server/errors.ts';
import type { AssessmentEdition, CountyDetail, CountyResultRow } from './schemas.ts';

const fmt = (x: number | null, d = 2) => (x === null ? '' : Math.round(x * 10 ** d) / 10 ** d);

export async function assessmentWorkbook(
  e: AssessmentEdition,
  details: readonly CountyResultRow[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'clusterscope';
  const head = (ws: ExcelJS.Worksheet) => {
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  };
  const rank = wb.addWorksheet('考核排名');
  rank.addRow([
    '县（市、区）',
    '代码',
    '规模档次（上年规上工业总产值，亿元）',
    '上年规上工业总产值（亿元）',
    ...e.scheme.dimensions.map((d) => `${d.nameZh}（${d.weight}分）得分率`),
    '总分',
    '档内排名',
    '一票否决',
    '先进单位',
    `权重±${e.delta}分时排名范围`,
  ]);
  head(rank);
  for (const r of e.ranking)
    rank.addRow([
      r.name,
      r.regionCode,
      r.tier,
      fmt(r.outputPrevYiYuan),
      ...e.scheme.dimensions.map((d) => fmt(r.dimensions.find((x) => x.key === d.key)?.score ?? null)),
      fmt(r.total),
      r.rank,
      r.vetoed ? '是' : '',
      r.advanced ? '是' : '',
      r.sensitivity.best === r.sensitivity.worst
        ? String(r.rank)
        : `${r.sensitivity.best}–${r.sensitivity.worst}`,
    ]);
  const ind = wb.addWorksheet('指标明细');
  ind.addRow([
    '县（市、区）',
    '维度',
    '指标',
    '单位',
    '值',
    '基数值',
    '目标值',
    '得分率',
    '权重（分）',
    '得分',
    '计算方法',
    '数据来源',
    '依据',
    '缺失原因',
  ]);
  head(ind);
  for (const c of details)
    for (const i of c.indicators) {
      const dim = e.scheme.dimensions.find((d) => d.indicators.some((x) => x.key === i.key));
      ind.addRow([
        c.name,
        dim?.nameZh ?? '',
        i.nameZh,
        i.unit,
        fmt(i.value, 4),
        i.base,
        i.target,
        fmt(i.share, 4),
        fmt(i.weight, 4),
        fmt(i.points, 4),
        i.provenance.basis,
        i.provenance.source,
        [
          ...Object.entries(i.provenance.inputs).map(([k, v]) => `${k}: ${v ?? '—'}`),
          ...i.provenance.refs,
        ].join('；'),
        i.missing ?? '',
      ]);
    }
  const about = wb.addWorksheet('说明');
  about.columns = [{ width: 120 }];
  for (const line of [
    `${e.title}（第 ${e.version} 版，${e.status === 'published' ? '已发布' : '未发布'}）`,
    `数据截至 ${e.year} 年 ${e.throughMonth ?? '—'} 月；计算于 ${e.computedAt}`,
    `起草 ${e.created.name ?? ''}；提交 ${e.submitted.name ?? ''}；审核 ${e.reviewed.name ?? ''}；发布 ${e.published.name ?? ''} ${e.published.at ?? ''}`,
    e.reason ? `更正理由：${e.reason}` : '',
    '得分 = 得分率 × 权重；得分率 = (值 − 基数值) ÷ (目标值 − 基数值)，低于基数值为 0，达到目标值封顶。',
    e.scheme.note ?? '',
  ])
    about.addRow([line]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The one-page report as HTML (what the PDF prints). */
export function countyReportHtml(d: CountyDetail): string {
  const c = d.county;
  const rows = c.indicators
    .map(
      (
        i,
      ) => `<tr><td>${esc(i.nameZh)}</td><td class="n">${i.value === null ? '—' : esc(fmt(i.value))} ${esc(i.unit)}</td>
      <td class="n">${esc(i.base)}</td><td class="n">${esc(i.target)}</td><td class="n">${esc(fmt(i.weight, 1))}</td>
      <td class="n"><b>${esc(fmt(i.points))}</b></td><td class="s">${esc(i.provenance.source)}<br>${esc(
        [
          ...Object.entries(i.provenance.inputs).map(([k, v]) => `${k} ${v ?? '—'}`),
          ...i.provenance.refs,
        ].join('；'),
      )}${i.missing ? `<br><i>${esc(i.missing)}</i>` : ''}</td></tr>`,
    )
    .join('');
  const adj = c.adjustments.length
    ? `<p>加扣分 / 一票否决：${c.adjustments.map((a) => `${esc(a.kind === 'bonus' ? '加' : a.kind === 'penalty' ? '扣' : '一票否决')}${a.kind === 'veto' ? '' : esc(a.points) + '分'}（${esc(a.reason)}）`).join('；')}</p>`
    : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(d.title)}</title><style>
  @page { size: A4; margin: 12mm; } body { font-family: 'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif; font-size: 10px; color: #222; }
  h1 { font-size: 16px; margin: 0 0 4px; } .meta { color: #555; margin-bottom: 6px; }
  table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: 2px 4px; vertical-align: top; }
  th { background: #eef3fb; } .n { text-align: right; white-space: nowrap; } .s { font-size: 8.5px; color: #444; }
  .big { font-size: 14px; font-weight: bold; }</style></head><body>
  <h1>${esc(c.name)} · ${esc(d.title)}</h1>
  <div class="meta">第 ${esc(d.version)} 版 · ${d.status === 'published' ? `发布于 ${esc(d.publishedAt?.slice(0, 10) ?? '')}` : '未发布（草稿，仅供审核）'} · 数据截至 ${esc(d.year)} 年 ${esc(d.throughMonth ?? '—')} 月</div>
  <p class="big">总分 ${esc(fmt(c.total))} · ${esc(c.tier)} 档第 ${esc(c.rank)} 名${c.vetoed ? ' · 一票否决' : ''}${c.advanced ? ' · 先进单位' : ''}</p>
  <p>${c.dimensions.map((x) => `${esc(x.nameZh)} ${esc(fmt(x.score, 1))}% × ${esc(x.weight)} 分 = ${esc(fmt(x.contribution))}`).join('；')}</p>
  ${adj}
  <table><thead><tr><th>指标</th><th>值</th><th>基数值</th><th>目标值</th><th>权重</th><th>得分</th><th>来源与依据</th></tr></thead><tbody>${rows}</tbody></table>
  <p>权重各 ±5 分时排名：${d.sensitivity.map((s) => `${esc(s.nameZh)}${s.change > 0 ? '+' : ''}${esc(s.change)} → 第 ${esc(s.rank)} 名`).join('；')}</p>
  <p class="s">得分 = (值 − 基数值) ÷ (目标值 − 基数值) × 权重，低于基数值为 0，达到目标值封顶。由 clusterscope 生成。</p>
  </body></html>`;
}

/**
 * Prints the report on the server's shared headless Chromium (src/print.ts): 503 when no browser is
 * installed, or when the printer is busy (its pages taken and its queue full; Retry-After says when to ask again).
 */
export async function countyReportPdf(d: CountyDetail): Promise<Buffer> {
  try {
    return await withPrintPage(async (page) => {
      await page.setContent(countyReportHtml(d), { waitUntil: 'load' });
      return page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    });
  } catch (e) {
    if (e instanceof NoBrowserError)
      throw new AppError(
        503,
        'no-browser',
        'PDF printing is not available: no Chromium installed.',
        'PDF 打印不可用：服务器未安装 Chromium。',
      );
    if (e instanceof PrintBusyError)
      throw new AppError(
        503,
        'printer-busy',
        `The PDF printer is busy (${PRINT_PAGES} printing, ${PRINT_WAITING} waiting): try again in a few seconds.`,
        `PDF 打印繁忙（${PRINT_PAGES} 份打印中，${PRINT_WAITING} 份排队）：请几秒后再试。`,
      );
    throw e;
  }
}
