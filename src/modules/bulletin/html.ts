// The bulletin as one self-contained HTML page (no script, inline SVG charts): the page the browser
// previews and the page headless Chromium prints to PDF, so the two are the same by construction.
// Every text from data or commentary is escaped.
import type { BulletinView, Cell, CellFormat, SectionView } from '../../domain/bulletin/index.ts';
import { formatPct, formatYi, MISSING } from '../../domain/bulletin/index.ts';
import { chartSvg, FONT_FAMILY } from './charts.ts';

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A table cell as the report prints it (the same formats as the placeholders). */
export function formatCell(v: Cell, format: CellFormat): string {
  if (v === null || v === '') return MISSING;
  if (typeof v === 'string') return v;
  switch (format) {
    case 'yi':
      return formatYi(v);
    case 'pct':
      return formatPct(v);
    case 'count':
      return String(Math.round(v));
    case 'number':
      return Number.isInteger(v) ? String(v) : v.toFixed(2);
    case 'text':
      return String(v);
  }
}

function section(s: SectionView): string {
  const parts = [`<h2>${escapeHtml(s.title)}</h2>`];
  for (const p of s.paragraphs) parts.push(`<p>${escapeHtml(p)}</p>`);
  if (s.kind === 'commentary' && !s.paragraphs.length) parts.push('<p class="empty">（待撰写）</p>');
  if (s.chart) parts.push(`<figure>${chartSvg(s.chart)}</figure>`);
  if (s.table) {
    const head = s.table.columns.map((c) => `<th class="${c.format}">${escapeHtml(c.title)}</th>`).join('');
    const rows = s.table.rows
      .map(
        (r) =>
          `<tr>${s
            .table!.columns.map(
              (c) => `<td class="${c.format}">${escapeHtml(formatCell(r[c.key] ?? null, c.format))}</td>`,
            )
            .join('')}</tr>`,
      )
      .join('');
    parts.push(
      s.table.rows.length
        ? `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`
        : '<p class="empty">（无）</p>',
    );
  }
  if (s.source) parts.push(`<p class="source">数据来源：${escapeHtml(s.source)}</p>`);
  return `<section data-section="${escapeHtml(s.id)}">${parts.join('\n')}</section>`;
}

const CSS = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
body { font-family: ${FONT_FAMILY}; font-size: 10.5pt; line-height: 1.6; color: #111; margin: 0 auto; max-width: 182mm; background: #fff; }
h1 { font-size: 17pt; text-align: center; margin: 4mm 0 2mm; }
.meta { text-align: center; color: #444; margin-bottom: 6mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; break-after: avoid; }
p { margin: 1.5mm 0; text-indent: 2em; }
p.source { font-size: 8pt; color: #666; text-indent: 0; }
p.empty { color: #888; }
figure { margin: 2mm 0; break-inside: avoid; }
figure svg { width: 100%; height: auto; }
table { width: 100%; border-collapse: collapse; font-size: 8.5pt; margin: 2mm 0; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #999; padding: 1mm 1.5mm; }
th { background: #eef2f7; font-weight: 600; }
td.yi, td.pct, td.count, td.number { text-align: right; font-variant-numeric: tabular-nums; }
.watermark { position: fixed; inset: 0; display: flex; align-items: center; justify-content: center; pointer-events: none; z-index: 10; }
.watermark span { transform: rotate(-30deg); font-size: 96pt; color: rgba(200, 0, 0, 0.09); font-weight: 700; white-space: nowrap; }
.banner { border: 1px solid #e0a0a0; background: #fff4f4; color: #a00; padding: 1.5mm 3mm; margin-bottom: 3mm; text-indent: 0; }
`;

/** The whole page. `status` prints as 草稿 on anything not yet published. */
export function bulletinHtml(v: BulletinView, meta: { status: string; generatedAt: string | null }): string {
  const draft = meta.status !== 'published';
  const demo = v.demoData
    ? '<div class="watermark" aria-hidden="true"><span>演示数据</span></div><p class="banner">演示数据：本报告由平台生成的模拟数据制作，不代表真实经济运行情况。</p>'
    : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(v.title)}</title>
<style>${CSS}</style></head>
<body>
${demo}
<h1>${escapeHtml(v.title)}</h1>
<div class="meta">${escapeHtml(v.issuer)} · ${escapeHtml(v.period)}${draft ? ' · 草稿（未发布）' : ''}${
    meta.generatedAt ? ` · 生成于 ${escapeHtml(meta.generatedAt.slice(0, 16).replace('T', ' '))} UTC` : ''
  }</div>
${v.sections.map(section).join('\n')}
</body></html>`;
}
