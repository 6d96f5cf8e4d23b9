// Downloads of an edition: xlsx (method, index, county cells, indicators, gates, sensitivity), CSV and
// JSON. Every number comes from the same result rows the API answers (listResults), unrounded; the
// cells only format them.
import ExcelJS from 'exceljs';
import { csvCell } from '../../csv.ts';
import { methodLines } from '../../domain/cluster-index/method.ts';
import type { IndexEdition, ResultList, ResultRow } from './schemas.ts';

const header = (sheet: ExcelJS.Worksheet) => {
  const row = sheet.getRow(1);
  row.font = { bold: true };
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F0FF' } };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
};

const SCORE_COLUMNS = [
  '期间',
  '集群',
  '集群代码',
  '区县',
  '区县代码',
  '企业数',
  '指数',
  '排名',
  '档次',
  '排名中位数',
  '排名P5',
  '排名P95',
  '指数P5',
  '指数P95',
];

function scoreCells(r: ResultRow) {
  return [
    r.period,
    r.clusterName,
    r.clusterCode,
    r.regionName ?? '全市',
    r.regionCode ?? '',
    r.firms,
    r.score,
    r.rank,
    r.band,
    r.medianRank,
    r.p5Rank,
    r.p95Rank,
    r.p5Score,
    r.p95Score,
  ];
}

export async function editionWorkbook(
  e: IndexEdition,
  lists: { cluster: ResultList; county: ResultList; quarter: ResultList },
): Promise<Buffer> {
  const fw = e.body.framework;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'clusterscope';
  const about = wb.addWorksheet('方法说明');
  about.columns = [{ width: 120 }];
  for (const line of [
    ...methodLines(e),
    `状态：${e.status}；起草 ${e.created.name ?? ''} ${e.created.at ?? ''}；审核 ${e.reviewed.name ?? ''} ${e.reviewed.at ?? ''}；发布 ${e.published.name ?? ''} ${e.published.at ?? ''}`,
    `数据截至：${e.computations.map((c) => `${c.frequency} ${c.dataThrough ?? '—'}（计算于 ${c.computedAt}）`).join('；')}`,
    e.reason ? `更正理由：${e.reason}` : '',
    '来源：',
    ...fw.sources.map((s) => `[${s.id}] ${s.title}${s.url ? ` ${s.url}` : ''}`),
  ])
    about.addRow([line]);

  const dims = wb.addWorksheet('维度与指标');
  dims.addRow([
    '维度',
    '指标',
    '代码',
    '单位',
    '方向',
    '权重（维度内）',
    '维度权重',
    '基数值',
    '目标值',
    '来源',
    '推断',
  ]);
  header(dims);
  for (const ind of fw.indicators) {
    const d = fw.dimensions.find((x) => x.key === ind.dimension);
    dims.addRow([
      d?.name ?? ind.dimension,
      ind.name,
      ind.key,
      ind.unit,
      ind.direction,
      ind.weight,
      d?.weight ?? null,
      ind.base,
      ind.target,
      ind.source,
      ind.inference ? '是' : '',
    ]);
  }

  const sheets: [string, ResultList][] = [
    ['集群指数（年度）', lists.cluster],
    ['集群×区县（年度）', lists.county],
    ['集群指数（季度）', lists.quarter],
  ];
  for (const [name, list] of sheets) {
    const s = wb.addWorksheet(name);
    s.addRow([
      ...SCORE_COLUMNS,
      ...fw.dimensions.map((d) => d.name),
      ...fw.gates.map((g) => `门槛:${g.name}`),
    ]);
    header(s);
    for (const r of list.items)
      s.addRow([
        ...scoreCells(r),
        ...fw.dimensions.map((d) => r.dimensions.find((x) => x.key === d.key)?.score ?? null),
        ...fw.gates.map((g) => {
          const p = r.gates.find((x) => x.key === g.key)?.pass;
          return p === true ? '通过' : p === false ? '未通过' : '无数据';
        }),
      ]);
  }

  const ind = wb.addWorksheet('指标明细（年度）');
  ind.addRow(['期间', '集群代码', '区县代码', '指标', '原始值', '单位', '标准化值', '插补', '权重', '贡献']);
  header(ind);
  for (const list of [lists.cluster, lists.county])
    for (const r of list.items)
      for (const c of r.indicators) {
        const def = fw.indicators.find((x) => x.key === c.key);
        ind.addRow([
          r.period,
          r.clusterCode,
          r.regionCode ?? '',
          c.key,
          c.raw,
          def?.unit ?? '',
          c.normalised,
          c.imputed ? '是' : '',
          c.weight,
          c.contribution,
        ]);
      }

  const sens = wb.addWorksheet('敏感性');
  sens.addRow(['频度', '层级', '因素', '一阶敏感性指数', '单独改变时平均排名变化']);
  header(sens);
  for (const c of e.computations)
    for (const [level, rows] of Object.entries(c.sensitivity))
      for (const r of rows) sens.addRow([c.frequency, level, r.factor, r.firstOrder, r.meanAbsRankShift]);

  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function editionCsv(fw: IndexEdition['body']['framework'], list: ResultList): string {
  const head = [
    ...SCORE_COLUMNS,
    ...fw.dimensions.map((d) => d.name),
    ...fw.indicators.flatMap((i) => [`${i.name}(原始值)`, `${i.name}(标准化)`]),
  ];
  const lines = [head.map(csvCell).join(',')];
  for (const r of list.items)
    lines.push(
      [
        ...scoreCells(r),
        ...fw.dimensions.map((d) => r.dimensions.find((x) => x.key === d.key)?.score ?? null),
        ...fw.indicators.flatMap((i) => {
          const c = r.indicators.find((x) => x.key === i.key);
          return [c?.raw ?? null, c?.normalised ?? null];
        }),
      ]
        .map(csvCell)
        .join(','),
    );
  // a BOM so that Excel opens the Chinese headers as UTF-8
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
