// The roadmap of one chain as an xlsx workbook: 路线图 (gaps ranked, with reasons, proposed action,
// top targets and projects), 目标企业, 链上项目 and 环节数据. Same figures and scope as the API.
import ExcelJS from 'exceljs';
import type { ChainDetail, GapReasonView, Roadmap } from './schemas.ts';

const STAGE_ZH: Record<string, string> = { upstream: '上游', midstream: '中游', downstream: '下游' };
const STATUS_ZH: Record<string, string> = { missing: '缺失', weak: '薄弱', ok: '正常' };
export const ACTION_ZH: Record<string, string> = {
  build: '建链',
  strengthen: '强链',
  fill: '补链',
  extend: '延链',
  grow: '壮链',
};
const CONTACT_ZH: Record<string, string> = {
  none: '未接触',
  contacted: '已接触',
  visited: '已拜访',
  negotiating: '洽谈中',
  signed: '已签约',
  declined: '已放弃',
};
const STAGE_PROJECT_ZH: Record<string, string> = {
  idea: '谋划',
  planning: '策划',
  negotiating: '洽谈',
  signed: '签约',
  construction: '在建',
  operating: '投产',
  cancelled: '终止',
};

const pct = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);
const fix = (v: number | null | undefined, d = 1) => (v == null ? '—' : v.toFixed(d));

/** One reason in words with its figures, e.g. "产值偏小：产值 100.0 万元，同环节中位数 1050.0 万元，阈值 25.0%". */
export function reasonText(r: GapReasonView): string {
  const f = r.figures;
  switch (r.code) {
    case 'missing':
      return `缺失：本地企业 ${f.firms ?? 0} 家（至少 ${f.minFirms ?? 1} 家）`;
    case 'small_output':
      return `产值偏小：产值 ${fix(f.output)} 万元，同环节中位数 ${fix(f.stageMedian)} 万元（低于 ${pct(f.threshold)}）`;
    case 'no_above_scale':
      return `无规上企业：规上 ${f.aboveScale ?? 0} 家 / 共 ${f.firms ?? 0} 家`;
    case 'concentrated':
      return `过度集中：${f.firms ?? 0} 家，HHI ${fix(f.hhi, 3)}，最大企业占 ${pct(f.topFirmShare)}`;
    case 'declining':
      return `下滑：同口径增速 ${pct(f.growth)}（阈值 ${pct(f.threshold)}）`;
    case 'unverified':
      return `待确认：${f.firms ?? 0} 家中 ${f.sharedCodeOnly ?? 0} 家仅凭与其他环节共用的行业代码归入`;
  }
}

function styleHeader(sheet: ExcelJS.Worksheet) {
  const row = sheet.getRow(1);
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', wrapText: true };
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F0FF' } };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

export async function roadmapWorkbook(roadmap: Roadmap, detail: ChainDetail): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'clusterscope';
  wb.created = new Date(roadmap.generatedAt);
  const nodeName = new Map(detail.nodes.map((n) => [n.code, n.name]));

  const main = wb.addWorksheet('路线图', {
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
  });
  main.columns = [
    { header: '序', key: 'rank', width: 5 },
    { header: '环节', key: 'node', width: 20 },
    { header: '链位', key: 'stage', width: 7 },
    { header: '状态', key: 'status', width: 7 },
    { header: '判定依据', key: 'reasons', width: 48 },
    { header: '可行性（关联密度 0–100）', key: 'density', width: 12 },
    { header: '建议行动', key: 'action', width: 9 },
    { header: '目标企业（按得分）', key: 'targets', width: 40 },
    { header: '链上项目', key: 'projects', width: 30 },
  ];
  roadmap.gaps.forEach((g, i) => {
    main.addRow({
      rank: i + 1,
      node: g.name,
      stage: STAGE_ZH[g.stage] ?? g.stage,
      status: STATUS_ZH[g.status] ?? g.status,
      reasons: g.reasons.map(reasonText).join('\n'),
      density: g.density == null ? '—' : Number(g.density.toFixed(1)),
      action: g.action ? ACTION_ZH[g.action] : '',
      targets: g.targets
        .slice(0, 5)
        .map(
          (t) =>
            `${t.name}（${t.headquarters ?? '—'}，${CONTACT_ZH[t.contactStatus]}，${t.score.toFixed(2)}）`,
        )
        .join('\n'),
      projects: g.projects
        .map((p) => `${ACTION_ZH[p.kind]}·${p.name}（${STAGE_PROJECT_ZH[p.stage]}）`)
        .join('\n'),
    });
  });
  main.eachRow((row, n) => {
    if (n > 1) row.alignment = { vertical: 'top', wrapText: true };
  });
  styleHeader(main);
  main.addRow([]);
  main.addRow([
    '',
    `${roadmap.chain.name}产业链招商路线图 · 数据年份 ${roadmap.referenceYear ?? '—'} · 方法参数：至少 ${roadmap.method.minFirms} 家、产值低于同环节中位数 ${pct(roadmap.method.weakShare)}、HHI ≥ ${roadmap.method.maxHhi}、增速 ≤ ${pct(roadmap.method.decliningGrowth)}${roadmap.chain.proposed ? ' · 链结构为建议稿' : ''}`,
  ]);

  const targets = wb.addWorksheet('目标企业');
  targets.columns = [
    { header: '环节', key: 'node', width: 20 },
    { header: '企业', key: 'name', width: 30 },
    { header: '总部', key: 'hq', width: 12 },
    { header: '规模', key: 'size', width: 8 },
    { header: '营业收入（万元）', key: 'revenue', width: 14 },
    { header: '对接状态', key: 'status', width: 10 },
    { header: '扩张中', key: 'expanding', width: 8 },
    { header: '得分', key: 'score', width: 8 },
    { header: '来源', key: 'source', width: 30 },
  ];
  for (const g of roadmap.gaps) {
    for (const t of g.targets) {
      targets.addRow({
        node: g.name,
        name: t.name,
        hq: t.headquarters ?? '',
        size: t.sizeClass ?? '',
        revenue: t.revenue ?? '',
        status: CONTACT_ZH[t.contactStatus],
        expanding: t.expanding ? '是' : '',
        score: Number(t.score.toFixed(3)),
        source: t.source ?? '',
      });
    }
  }
  styleHeader(targets);

  const projects = wb.addWorksheet('链上项目');
  projects.columns = [
    { header: '类型', key: 'kind', width: 8 },
    { header: '项目', key: 'name', width: 30 },
    { header: '环节', key: 'node', width: 20 },
    { header: '责任单位', key: 'owner', width: 16 },
    { header: '阶段', key: 'stage', width: 8 },
    { header: '投资项目编号', key: 'inv', width: 12 },
  ];
  for (const p of roadmap.projects) {
    projects.addRow({
      kind: ACTION_ZH[p.kind],
      name: p.name,
      node: p.nodeCode ? (nodeName.get(p.nodeCode) ?? p.nodeCode) : '（全链）',
      owner: p.owner ?? '',
      stage: STAGE_PROJECT_ZH[p.stage],
      inv: p.investmentProjectId ?? '',
    });
  }
  styleHeader(projects);

  const nodes = wb.addWorksheet('环节数据');
  nodes.columns = [
    { header: '环节', key: 'name', width: 20 },
    { header: '链位', key: 'stage', width: 7 },
    { header: '行业代码', key: 'codes', width: 14 },
    { header: '企业数', key: 'firms', width: 8 },
    { header: '规上', key: 'above', width: 6 },
    { header: '产值（万元）', key: 'output', width: 14 },
    { header: '增速', key: 'growth', width: 8 },
    { header: '占集群', key: 'share', width: 8 },
    { header: 'HHI', key: 'hhi', width: 7 },
    { header: '上游覆盖', key: 'up', width: 8 },
    { header: '下游覆盖', key: 'down', width: 8 },
    { header: '强度', key: 'strength', width: 7 },
    { header: '关联密度', key: 'density', width: 8 },
    { header: '状态', key: 'status', width: 7 },
  ];
  for (const n of detail.nodes) {
    nodes.addRow({
      name: n.name,
      stage: STAGE_ZH[n.stage],
      codes: n.industryCodes.join(' '),
      firms: n.firms,
      above: n.aboveScale,
      output: n.output == null ? '—' : Number(n.output.toFixed(1)),
      growth: pct(n.growth),
      share: pct(n.shareOfCluster),
      hhi: fix(n.hhi, 3),
      up: pct(n.upstreamCoverage),
      down: pct(n.downstreamCoverage),
      strength: fix(n.strength),
      density: fix(n.density),
      status: STATUS_ZH[n.status],
    });
  }
  styleHeader(nodes);

  return Buffer.from(await wb.xlsx.writeBuffer());
}
