// Each county's indicator values with their provenance, read from the other capabilities through their
// public entries (monitoring, 亩均 evaluation, projects, service statistics, alerts, targets, platforms).
// An indicator the scheme names but no source computes is "missing" with the reason, never a guessed 0.
import type { Db } from '../../db/client.ts';
import type { CountyFacts, IndicatorFact } from '../../domain/assessment/assessment.ts';
import { countyAlertHandling } from '../alerts/index.ts';
import { countyPerMu } from '../evaluation/index.ts';
import { countyLeadingFirms, countyOutput, lastMonthWithData, rollupVersion } from '../monitoring/index.ts';
import { countyInvestment } from '../projects/index.ts';
import { listRegions } from '../reference/index.ts';
import { REQUEST_DEFINITIONS, requestCounts } from '../service/index.ts';
import { reportedTargetsCompletion, reportedTargetsProgress } from '../targets/index.ts';
import type { SchemeBody } from './schemas.ts';

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const pct = (num: number, den: number) => (den > 0 ? (num / den) * 100 : null);
const growth = (cur: number, prev: number) => (prev > 0 ? (cur / prev - 1) * 100 : null);
const mm = (m: number) => String(m).padStart(2, '0');

export interface GatheredFacts {
  counties: CountyFacts[];
  throughMonth: number | null;
}

/**
 * The facts of a year through a month (default: the last month with monitoring data). Annual indicators
 * (亩均, 百亿级, 填报目标) read the year as a whole; process indicators read 1–N月.
 */
export async function gatherFacts(
  db: Db,
  scheme: SchemeBody,
  year: number,
  month?: number,
): Promise<GatheredFacts> {
  const through = month ?? (await lastMonthWithData(db, year)) ?? 12;
  const span = { from: `${year}-01-01`, to: `${year}-${mm(through)}-01` };
  const prevSpan = { from: `${year - 1}-01-01`, to: `${year - 1}-${mm(through)}-01` };
  const [regions, output, leading, perMu, invest, investPrev, requests, alerts, reported, version, goals] =
    await Promise.all([
      listRegions(db),
      countyOutput(db, year, through),
      countyLeadingFirms(db, year, 1_000_000),
      countyPerMu(db, year),
      countyInvestment(db, span),
      countyInvestment(db, prevSpan),
      requestCounts(db, { from: `${year}-01`, to: `${year}-${mm(through)}` }, 'county'),
      countyAlertHandling(db, span),
      reportedTargetsCompletion(db, { year }),
      rollupVersion(db),
      reportedTargetsProgress(db, { year }),
    ]);
  const counties = regions.filter((r) => r.level === 'county');
  const by = <T extends { regionCode: string }>(rows: readonly T[]) =>
    new Map(rows.map((r) => [r.regionCode, r]));
  const out = by(output);
  const lead = by(leading);
  const mu = by(perMu);
  const inv = by(invest);
  const invPrev = by(investPrev);
  const req = new Map(requests.map((r) => [r.key ?? '', r]));
  const al = by(alerts);
  const rep = by(reported);
  const months = `1–${through}月`;
  const sourceOf = (key: string) =>
    scheme.dimensions.flatMap((d) => d.indicators).find((i) => i.key === key)?.source ?? '';

  const facts = counties.map((c): CountyFacts => {
    const o = out.get(c.code);
    const m = mu.get(c.code);
    const values: Record<string, IndicatorFact> = {};
    const put = (
      key: string,
      value: number | null,
      basis: string,
      inputs: IndicatorFact['provenance']['inputs'],
      refs: string[],
      missing?: string,
    ) => {
      values[key] = {
        value: value === null ? null : round(value, 4),
        provenance: { source: sourceOf(key), basis, inputs, refs },
        ...(value === null ? { missing: missing ?? '无数据' } : {}),
      };
    };
    const monitorRef = `月度监测汇总（版本 ${version}）`;
    put(
      'cluster_output_growth',
      o ? growth(o.clusters, o.clustersPrev) : null,
      `(${year}年${months} ÷ ${year - 1}年${months} − 1) × 100`,
      {
        [`${year}年${months}（万元）`]: o ? round(o.clusters) : null,
        [`${year - 1}年${months}（万元）`]: o ? round(o.clustersPrev) : null,
      },
      [monitorRef, '五大集群合计（每家企业只计一次）· 规上'],
      '上年同期无产值数据',
    );
    put(
      'leading_firms',
      lead.get(c.code)?.firms ?? 0,
      `${year}年1–12月工业总产值 ≥ 100 亿元（1,000,000 万元）的企业数`,
      { 企业数: lead.get(c.code)?.firms ?? 0 },
      [monitorRef],
    );
    const muRef = m
      ? [`亩均评价 #${m.runId}（第 ${m.runVersion} 版，已发布）`, `规上参评企业 ${m.firms} 家`]
      : [];
    const noRun = `${year}年度亩均评价尚未发布`;
    put(
      'value_added_per_mu',
      m && m.landMu > 0 ? m.valueAdded / m.landMu : null,
      '工业增加值合计 ÷ 用地面积合计',
      m ? { '工业增加值（万元）': round(m.valueAdded), '用地（亩）': round(m.landMu) } : {},
      muRef,
      noRun,
    );
    put(
      'tax_per_mu',
      m && m.landMu > 0 ? m.taxPaid / m.landMu : null,
      '实缴税金合计 ÷ 用地面积合计',
      m ? { '实缴税金（万元）': round(m.taxPaid), '用地（亩）': round(m.landMu) } : {},
      muRef,
      noRun,
    );
    put(
      'rd_intensity',
      m && m.revenue > 0 ? (m.rdExpense / m.revenue) * 100 : null,
      'R&D经费合计 ÷ 营业收入合计 × 100',
      m ? { 'R&D经费（万元）': round(m.rdExpense), '营业收入（万元）': round(m.revenue) } : {},
      muRef,
      noRun,
    );
    const i1 = inv.get(c.code);
    const i0 = invPrev.get(c.code);
    put(
      'investment_growth',
      i1 && i0 ? growth(i1.investment, i0.investment) : null,
      `(${year}年${months}项目完成投资 ÷ ${year - 1}年${months} − 1) × 100`,
      {
        [`${year}年${months}（万元）`]: i1 ? round(i1.investment) : null,
        [`${year - 1}年${months}（万元）`]: i0 ? round(i0.investment) : null,
        填报项目数: i1?.projects ?? 0,
      },
      ['项目库月度进度填报'],
      '上年同期无项目投资填报',
    );
    const r = rep.get(c.code);
    put(
      'reported_targets_done',
      r && r.due > 0 ? pct(r.approvedOnTime, r.due) : null,
      '按期通过审核的填报目标数 ÷ 应填报目标数 × 100',
      r ? { 应填报: r.due, 已通过: r.approved, 按期通过: r.approvedOnTime } : {},
      [`目标填报 ${year} 年度（经市级审核；按期 = 首次提交不晚于填报期限）`],
      '本年度无应填报目标',
    );
    // progress on the county's own goals of the reported targets: an unreported (or unapproved) one counts 0
    const mine = goals.filter((g) => g.regionCode === c.code && g.goal != null);
    const capped = (p: number | null) => Math.max(0, Math.min(1, p ?? 0));
    const approvedRows = mine.filter((g) => g.reportStatus === 'approved');
    put(
      'reported_targets_progress',
      mine.length ? (mine.reduce((a, g) => a + capped(g.progress), 0) / mine.length) * 100 : null,
      '各填报目标 min(通过审核的县级值 ÷ 县级目标, 1) 的平均 × 100（未填报或未通过计 0）',
      { 县级目标数: mine.length, 已通过: approvedRows.length },
      [
        `目标填报 ${year} 年度（经市级审核）`,
        ...approvedRows.map(
          (g) =>
            `${g.nameZh}：${round(g.value ?? 0)} ÷ ${round(g.goal ?? 0)} → ${round(capped(g.progress) * 100, 1)}%`,
        ),
      ],
      '本年度无县级填报目标',
    );
    const q = req.get(c.code);
    put(
      'requests_on_time',
      q ? pct(q.closedOnTime, q.closed) : null,
      REQUEST_DEFINITIONS.onTimeRate,
      q ? { 受理: q.received, 已办结: q.closed, 按时办结: q.closedOnTime } : {},
      [`企业服务统计 ${year}-01—${year}-${mm(through)}`, REQUEST_DEFINITIONS.source],
      '期内无已办结诉求',
    );
    const a = al.get(c.code);
    put(
      'alerts_on_time',
      a ? pct(a.closedOnTime, a.raised) : null,
      '期限内关闭（含误报）的预警数 ÷ 期内新发预警数 × 100',
      a ? { 新发预警: a.raised, 已关闭: a.closed, 按期关闭: a.closedOnTime } : {},
      [`风险预警 ${year}-01—${year}-${mm(through)}`],
      '期内无预警',
    );
    return {
      regionCode: c.code,
      name: c.name,
      outputPrevYiYuan: o ? o.industryPrevYear / 10_000 : 0,
      values,
    };
  });
  return { counties: facts, throughMonth: through };
}
