// The differentiated policies of a run (issue 15 item 6): per class, which firms a policy applies to and
// its amount from the inputs the run evaluated (so a ledger never drifts from the published result), and
// per department the ledger it acts on (电力, 水务, 税务, 自然资源, 生态环境, 经信), as JSON and xlsx.
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import {
  consecutiveYears,
  policiesFor,
  policyDepartment,
  policyFactsOf,
  withAmount,
} from '../../domain/evaluation/policies.ts';
import type { EvaluationClass, PolicyDepartment, RuleSet } from '../../domain/evaluation/types.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { assertAllowed } from '../../server/policy.ts';
import { inputFromStored, scopeSql } from './repo.ts';
import { readableRun, ruleSetRow } from './service.ts';
import { registryRows } from '../enterprises/index.ts';
import { evaluationAnswer } from './answers.ts';
import { policyBytes, policyPageBytes, policyView, viewItems, type PolicyListView } from './policy-pages.ts';

export const DEPARTMENT_ZH: Record<PolicyDepartment, string> = {
  power: '电力部门（供电公司）',
  water: '水务部门',
  tax: '税务部门',
  resources: '自然资源和规划部门',
  environment: '生态环境部门',
  economy: '经信部门（用能指标）',
};

const HISTORY_YEARS = 10;

interface PolicyItem {
  enterpriseId: number;
  uscc: string;
  name: string;
  regionCode: string;
  regionName: string;
  class: EvaluationClass;
  aPlus: boolean;
  consecutiveYears: number;
  policies: ReturnType<typeof withAmount>[];
}

type PolicyFilter = { class?: EvaluationClass; department?: PolicyDepartment };

/**
 * Every firm of the run (in the user's scope) that some policy applies to, with each policy's amount, and
 * the totals per policy: the list the API pages and the ledger download writes, kept as bytes
 * (policy-pages.ts). A published run never changes: its list (every firm of the run in the reader's scope,
 * with ten years of classes) is kept per query, scope and data version (answers.ts); a draft's is made each time.
 */
export async function policyList(
  db: Db,
  user: AuthedUser,
  runId: number,
  q: PolicyFilter = {},
): Promise<PolicyListView> {
  assertAllowed(user, 'evaluation.policyList', 'read');
  const run = await readableRun(db, user, runId);
  if (run.status !== 'published') return policyView(policyBytes(await computePolicyList(db, user, run, q)));
  const scope = JSON.stringify(user.scope);
  const whole = () =>
    evaluationAnswer(db, `policies:${runId}:::${scope}`, async () =>
      policyView(policyBytes(await computePolicyList(db, user, run, {}))),
    );
  if (!q.class && !q.department) return whole();
  // a class's or a department's list is made from the scope's whole list, sharing its bytes: computed and
  // kept each on its own, the province's lists of every scope, class and department were ≈ 0.45 GB of the
  // server's heap, whose full collections were the read bench's one-off misses (issue 13)
  return evaluationAnswer(db, `policies:${runId}:${q.class ?? ''}:${q.department ?? ''}:${scope}`, async () =>
    policyView((await whole()).list, q),
  );
}

/**
 * One page of the list, with the totals per policy over the whole list (the page's summary table), as the
 * bytes the route sends: a few dozen kilobytes where the whole city's list was several megabytes. The page
 * is made from the kept list's bytes and kept beside it, so fifty readers paging through it compute the
 * list once and write each page once.
 */
export async function policyPage(
  db: Db,
  user: AuthedUser,
  runId: number,
  q: PolicyFilter & { page: number; pageSize: number },
): Promise<Buffer> {
  const list = await policyList(db, user, runId, { class: q.class, department: q.department });
  return policyPageBytes(list, q.page, q.pageSize);
}

async function computePolicyList(
  db: Db,
  user: AuthedUser,
  run: Awaited<ReturnType<typeof readableRun>>,
  q: PolicyFilter,
) {
  const runId = run.id;
  const rs = await ruleSetRow(db, run.ruleSetId);
  const ruleSet = rs.definition as RuleSet;
  const wanted = ruleSet.policies.filter((p) => !q.department || policyDepartment(p) === q.department);
  const classes = [...new Set(wanted.map((p) => p.class))].filter((c) => !q.class || c === q.class);
  if (!classes.length)
    return {
      runId,
      year: run.year,
      ruleSet: { code: rs.code, version: rs.version },
      items: [] as PolicyItem[],
    };
  const classList = sql.join(
    classes.map((c) => sql`${c}`),
    sql`, `,
  );
  const rows = await queryRows<{
    id: number;
    uscc: string;
    name: string;
    region_code: string;
    region_name: string | null;
    class: EvaluationClass;
    a_plus: boolean;
    inputs: (number | null)[];
  }>(
    db,
    sql`select enterprises.id, enterprises.uscc, enterprises.name, enterprises.region_code, g.name as region_name,
          r.class, r.a_plus, r.inputs
        from evaluation_results r join ${registryRows()} enterprises on enterprises.id = r.enterprise_id
        left join regions g on g.code = enterprises.region_code
        where r.run_id = ${runId} and r.class in (${classList}) and ${scopeSql(user.scope)}
        order by r.class, r.region_code, r.rank, enterprises.id`,
  );
  // earlier published classes of the same firms, for the consecutive-years policies (one statement)
  const past = await queryRows<{ enterprise_id: number; year: number; class: EvaluationClass | null }>(
    db,
    sql`select distinct on (r.enterprise_id, run.year) r.enterprise_id, run.year, r.class
        from evaluation_results r join evaluation_runs run on run.id = r.run_id
        where run.status = 'published' and run.superseded_by_run_id is null
          and run.year < ${run.year} and run.year >= ${run.year - HISTORY_YEARS}
          and r.enterprise_id in (select r2.enterprise_id from evaluation_results r2 where r2.run_id = ${runId} and r2.class in (${classList}))
        order by r.enterprise_id, run.year, run.published_at desc, run.id desc`,
  );
  const history = new Map<number, Map<number, EvaluationClass | null>>();
  for (const p of past) {
    const m = history.get(Number(p.enterprise_id)) ?? new Map<number, EvaluationClass | null>();
    m.set(Number(p.year), p.class);
    history.set(Number(p.enterprise_id), m);
  }
  const wantedIds = new Set(wanted.map((p) => p.id));
  const items: PolicyItem[] = [];
  for (const r of rows) {
    const id = Number(r.id);
    const h: (EvaluationClass | null)[] = [r.class];
    for (let y = run.year - 1; y >= run.year - HISTORY_YEARS; y--) h.push(history.get(id)?.get(y) ?? null);
    const input = inputFromStored(
      { enterpriseId: id, regionCode: r.region_code, scale: 'above', industryCode: '' },
      r.inputs,
    );
    const facts = policyFactsOf(input);
    const policies = policiesFor(ruleSet, h)
      .filter((p) => wantedIds.has(p.id))
      .map((p) => withAmount(p, facts));
    if (!policies.length) continue;
    items.push({
      enterpriseId: id,
      uscc: r.uscc,
      name: r.name,
      regionCode: r.region_code,
      regionName: r.region_name ?? r.region_code,
      class: r.class,
      aPlus: r.a_plus === true,
      consecutiveYears: consecutiveYears(h, r.class),
      policies,
    });
  }
  return { runId, year: run.year, ruleSet: { code: rs.code, version: rs.version }, items };
}

/** One department's ledger as xlsx: a row per firm and policy, with the amount and how it was computed. */
export async function ledgerXlsx(db: Db, user: AuthedUser, runId: number, department: PolicyDepartment) {
  assertAllowed(user, 'evaluation.policyList', 'export');
  const run = await readableRun(db, user, runId);
  // writing the workbook costs far more than reading the list: for a published run the bytes are kept
  // per department, scope and data version, beside the list they are made from
  if (run.status !== 'published')
    return writeLedger(await policyList(db, user, runId, { department }), department);
  return evaluationAnswer(db, `ledger:${runId}:${department}:${JSON.stringify(user.scope)}`, async () =>
    writeLedger(await policyList(db, user, runId, { department }), department),
  );
}

async function writeLedger(view: PolicyListView, department: PolicyDepartment) {
  const { list } = view;
  const runId = list.runId;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('政策台账');
  ws.addRow([
    `${DEPARTMENT_ZH[department]} · ${list.year}年度亩均效益评价差别化政策台账（规则 ${list.ruleSet.code} 第${list.ruleSet.version}版，评价批次 ${runId}）`,
  ]);
  ws.addRow([
    '统一社会信用代码',
    '企业名称',
    '区县',
    '分类',
    '连续年数',
    '政策',
    '标准',
    '单位',
    '金额/数量',
    '金额单位',
    '计算',
    '依据',
  ]);
  ws.getRow(2).font = { bold: true };
  for (const it of viewItems(view))
    for (const p of it.policies)
      ws.addRow([
        it.uscc,
        it.name,
        it.regionName,
        it.aPlus ? 'A+' : it.class,
        it.consecutiveYears,
        p.label,
        p.value,
        p.unit,
        p.amount == null ? null : Math.round(p.amount * 100) / 100,
        p.amountUnit,
        p.formula,
        p.source ?? '',
      ]);
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  ws.columns.forEach((c, k) => (c.width = [20, 28, 10, 6, 8, 26, 8, 10, 12, 10, 40, 40][k] ?? 12));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
