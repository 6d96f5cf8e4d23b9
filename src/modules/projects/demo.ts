// Deterministic demo projects: a few hundred believable projects across the clusters' base counties, with
// planned and actual milestones, monthly progress up to DEMO_PROGRESS_END and some that stall, pause or
// end. Synthetic (source = 'demo'); regenerating replaces only demo projects. Run after the enterprise
// demo data, since technical-upgrade projects name real demo enterprises as investors.
import { bumpProjectsVersion } from './answers.ts';
import { eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import {
  projectProgress,
  projectRisks,
  projectStageChanges,
  projectStages,
  projects,
  zones,
} from '../../db/schema.ts';
import { loadCityConfig, resolveCityDir } from '../../config/load.ts';
import { rngFor, type Rng } from '../../demo/random.ts';
import { addMonths, monthsBetween } from '../../domain/periods.ts';
import { STAGES, type Stage } from '../../domain/projects/stages.ts';
import { currentMemberships, registryRows } from '../enterprises/index.ts';
import { firstEnterpriseLogin } from '../auth/index.ts';

export const DEMO_PROJECT_COUNT = 480;
/**
 * Signing dates run from DEMO_SIGNING_FROM over DEMO_SIGNING_YEARS years, the number signed each year
 * growing by DEMO_SIGNING_GROWTH (exponential density). The library holds projects signed years before the
 * policy's 2019 baseline, so the years compared are past the library's ramp-up (when only the first signed
 * projects were building): with signings from 2022 only, 2022's investment was a fraction of a full year's
 * and the average annual growth 2022–2025 read 83 %; a steady pipeline growing ≈ 14 % a year reads about
 * that, beside the policy's ≥ 15 %.
 */
const DEMO_SIGNING_FROM = '2016-01-01';
const DEMO_SIGNING_YEARS = 10.9;
const DEMO_SIGNING_GROWTH = 0.14;
/** The last month with demo progress reports. */
export const DEMO_PROGRESS_END = '2026-10';
const END_DATE = '2026-10-31';

/** Base counties of each cluster (policy §三), with weights. */
const BASES: Record<string, [string, number][]> = {
  textile: [
    ['330483', 4],
    ['330481', 3],
    ['330411', 2],
    ['330482', 1],
  ],
  new_energy: [
    ['330411', 3],
    ['330481', 2],
    ['330424', 2],
  ],
  chem_materials: [
    ['330482', 5],
    ['330481', 1],
  ],
  automotive: [
    ['330402', 3],
    ['330482', 2],
    ['330483', 2],
  ],
  smart_home: [
    ['330411', 2],
    ['330421', 3],
    ['330424', 2],
  ],
};
const CLUSTER_WEIGHTS: [string, number][] = [
  ['textile', 30],
  ['new_energy', 18],
  ['chem_materials', 20],
  ['automotive', 17],
  ['smart_home', 15],
];

const PRODUCTS: Record<string, string[]> = {
  textile: [
    '差别化纤维',
    '功能性面料',
    '高端经编面料',
    '锦纶6切片',
    '智能服装工厂',
    '高档家纺',
    '超高分子量聚乙烯纤维',
  ],
  new_energy: ['高效光伏电池', '光伏组件', '光伏玻璃', '储能电池', '核电泵阀', '光伏逆变器'],
  chem_materials: ['有机硅单体', '高性能聚烯烃', '电子级化学品', '表面活性剂', '氢化丁腈橡胶', '新能源材料'],
  automotive: ['新能源汽车电机', '动力电池模组', '子午线轮胎', '汽车照明', '智能网联控制器', '汽车轴承'],
  smart_home: ['智能家电', '集成吊顶', '智能门窗', '定制家居', '智能照明', '智能厨电'],
};
const INVESTOR_STEMS = [
  '恒',
  '华',
  '新',
  '远',
  '盛',
  '嘉',
  '润',
  '博',
  '创',
  '立',
  '卓',
  '众',
  '鼎',
  '宏',
  '泰',
  '瑞',
];
const INVESTOR_TAILS: Record<string, string> = {
  textile: '纺织科技',
  new_energy: '新能源科技',
  chem_materials: '新材料',
  automotive: '汽车零部件',
  smart_home: '智能家居',
};
const RISKS = [
  ['issue', '用地指标尚未落实'],
  ['issue', '环评审批滞后'],
  ['risk', '投资方资金到位不及时'],
  ['risk', '关键设备交付延迟'],
  ['issue', '施工许可手续未办结'],
  ['risk', '市场需求下行，投资方放缓节奏'],
] as const;

function pickWeighted<T>(rng: Rng, items: readonly [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rng.next() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + Math.round(days) * 86_400_000).toISOString().slice(0, 10);
}

const monthOf = (date: string) => date.slice(0, 7);

export interface DemoProjectSummary {
  projects: number;
  progress: number;
  risks: number;
}

/** Replaces the demo projects with freshly generated ones; the same seed gives the same projects. */
export async function generateDemoProjects(db: Db, seed: number): Promise<DemoProjectSummary> {
  const config = await loadCityConfig(resolveCityDir());
  const zoneRows = await db.select().from(zones);
  const chainNodes = new Map(
    Object.entries(config.chains).map(([cc, chain]) => [cc, chain.nodes.map((n) => n.id)]),
  );

  return db.transaction(async (tx) => {
    await bumpProjectsVersion(tx);
    const old = tx.select({ id: projects.id }).from(projects).where(eq(projects.source, 'demo'));
    for (const t of [projectProgress, projectStages, projectRisks, projectStageChanges])
      await tx.delete(t).where(inArray(t.projectId, old));
    await tx.delete(projects).where(eq(projects.source, 'demo'));

    // Local 规上 firms per county × cluster, for technical-upgrade investors (first 40 by id: deterministic).
    const firms = new Map<string, { id: number; name: string }[]>();
    for (const [cluster, bases] of Object.entries(BASES)) {
      for (const [county] of bases) {
        const rows = await queryRows<{ id: string | number; name: string }>(
          tx as unknown as Db,
          sql`select e.id, e.name from ${registryRows()} e
                join ${currentMemberships()} ec on ec.enterprise_id = e.id and ec.cluster_code = ${cluster}
               where e.region_code = ${county} and e.scale = 'above'
               order by e.id limit 40`,
        );
        firms.set(
          `${county}/${cluster}`,
          rows.map((r) => ({ id: Number(r.id), name: r.name })),
        );
      }
    }

    // The demo's enterprise login invests in a technical upgrade of its own: the first upgrade of its
    // cluster is placed at its own county and zone (a login's 项目库 page was empty: its firm, in a county
    // that is no base of its cluster here, was never picked as an investor).
    const anyLogin = await firstEnterpriseLogin(tx as unknown as Db);
    const login = anyLogin?.scale === 'above' ? anyLogin : null;
    let loginInvests = !login;

    const seq = new Map<string, number>();
    let progressCount = 0;
    let riskCount = 0;
    for (let i = 0; i < DEMO_PROJECT_COUNT; i++) {
      const rng = rngFor(seed, 'project', i);
      const cluster = pickWeighted(rng, CLUSTER_WEIGHTS);
      let county = pickWeighted(rng, BASES[cluster]!);
      const countyZones = zoneRows.filter((z) => z.hostRegionCode === county);
      let zone = countyZones.length && rng.chance(0.6) ? rng.pick(countyZones).code : null;
      const kindRoll = rng.next();
      const kind = kindRoll < 0.45 ? 'investment' : kindRoll < 0.85 ? 'upgrade' : 'chain';
      const product = rng.pick(PRODUCTS[cluster]!);
      const local = firms.get(`${county}/${cluster}`) ?? [];
      let firm = kind === 'upgrade' && local.length ? rng.pick(local) : null;
      const loginsOwn = !loginInvests && kind === 'upgrade' && cluster === login!.clusterCode;
      if (loginsOwn) {
        firm = { id: login!.enterpriseId, name: login!.name };
        county = login!.regionCode;
        zone = login!.zoneCode;
      }
      const investorName =
        firm?.name ??
        `${rng.pick(INVESTOR_STEMS)}${rng.pick(INVESTOR_STEMS)}${INVESTOR_TAILS[cluster]}（嘉兴）有限公司`;
      const drawnTotal =
        Math.round(
          Math.min(800_000, Math.max(2_000, rng.logNormal(kind === 'upgrade' ? 12_000 : 40_000, 0.9))) / 100,
        ) * 100;
      // (the login's firm is a small one, a few thousand 万元 a year: its upgrade is a line, not a plant)
      const total = loginsOwn ? 800 : drawnTotal;
      const name =
        kind === 'upgrade'
          ? `${product}智能化技术改造项目`
          : kind === 'chain'
            ? `${product}补链项目`
            : `年产${rng.int(2, 60) * (rng.chance(0.5) ? 1 : 10)}${rng.chance(0.5) ? '万吨' : '万套'}${product}项目`;

      // Planned milestones from the signing date; some projects are still being negotiated at the end.
      // more projects sign in later years, investment growing steadily (see DEMO_SIGNING_GROWTH)
      const signedPlan = addDays(DEMO_SIGNING_FROM, Math.floor(365 * signingYears(rng.next())));
      const planned: Record<Stage, string> = {
        negotiation: addDays(signedPlan, -rng.int(30, 150)),
        signed: signedPlan,
        land: addDays(signedPlan, rng.int(45, 150)),
        started: '',
        completed: '',
        production: '',
        full_production: '',
      };
      planned.started = addDays(planned.land, rng.int(30, 120));
      planned.completed = addDays(planned.started, rng.int(300, 720));
      planned.production = addDays(planned.completed, rng.int(30, 90));
      planned.full_production = addDays(planned.production, rng.int(180, 540));
      if (kind === 'upgrade') planned.land = ''; // upgrades use the firm's own land

      // Actual dates: a little late mostly, and the officer re-plans the later milestones by the same slip;
      // a stalled project stops at some stage and keeps its plan (so it shows as overdue); a few pause or end.
      const fate = rng.next();
      const stallAt = fate < 0.12 ? rng.pick(['land', 'started', 'completed'] as Stage[]) : null;
      const actual: Partial<Record<Stage, string>> = {};
      let current: Stage = 'negotiation';
      actual.negotiation = planned.negotiation <= END_DATE ? planned.negotiation : undefined;
      let slip = 0;
      for (const stage of STAGES.slice(1)) {
        if (!planned[stage]) continue;
        if (stallAt && stage === stallAt) break;
        slip += rng.chance(0.3) ? rng.int(10, 90) : rng.int(0, 10);
        const d = addDays(planned[stage], slip);
        if (d > END_DATE) {
          // not reached: the re-planned date, never already past at the end of the demo period
          if (!stallAt)
            for (const later of STAGES.slice(STAGES.indexOf(stage)))
              if (planned[later]) planned[later] = addDays(planned[later], slip);
          if (!stallAt && planned[stage] <= '2026-11-30')
            planned[stage] = addDays('2026-11-30', rng.int(5, 90));
          let prev = planned[stage];
          for (const later of STAGES.slice(STAGES.indexOf(stage) + 1)) {
            if (planned[later] && planned[later] <= prev) planned[later] = addDays(prev, 30);
            if (planned[later]) prev = planned[later];
          }
          break;
        }
        actual[stage] = d;
        current = stage;
      }
      if (!actual.negotiation) continue; // not yet on the radar at the end of the demo period
      const status =
        stallAt || current === 'full_production'
          ? 'active'
          : fate < 0.16
            ? 'paused'
            : fate < 0.18
              ? 'terminated'
              : 'active';

      const year = Number((actual.signed ?? actual.negotiation).slice(0, 4));
      const key = `${county}-${year}`;
      const n = (seq.get(key) ?? 0) + 1;
      seq.set(key, n);
      const [row] = await tx
        .insert(projects)
        .values({
          // own prefix: never collides with the codes of real projects
          code: `DEMO-${county}-${year}-${String(n).padStart(4, '0')}`,
          name,
          kind,
          investorName,
          investorEnterpriseId: firm?.id ?? null,
          clusterCode: cluster,
          chainNodeId: rng.chance(0.8) ? rng.pick(chainNodes.get(cluster) ?? ['']) || null : null,
          regionCode: county,
          zoneCode: zone,
          plannedTotalInvestment: total,
          plannedFixedInvestment: Math.round(total * rng.uniform(0.7, 0.95)),
          landMu: kind === 'upgrade' ? null : Math.round(total / rng.uniform(300, 900)),
          expectedOutput: Math.round(total * rng.uniform(1.2, 3)),
          expectedTax: Math.round(total * rng.uniform(0.05, 0.15)),
          expectedJobs: Math.round(total / rng.uniform(80, 300)),
          priority: total >= 100_000 ? 'high' : total >= 20_000 ? 'medium' : 'low',
          likelihood: current === 'negotiation' ? rng.pick(['low', 'medium', 'high']) : 'high',
          owner: `${rng.pick(['王', '李', '张', '刘', '陈', '杨', '沈', '朱'])}${rng.pick(['建国', '海峰', '丽华', '志强', '晓东', '敏', '伟', '静'])}`,
          department: `${county === '330402' ? '南湖区' : ''}经信局`.replace(
            /^经信局$/,
            '县（市、区）经信局',
          ),
          stage: current,
          status,
          description: `${investorName}投资建设${product}生产线（演示数据）`,
          source: 'demo',
        })
        .returning({ id: projects.id });
      const id = row!.id;
      if (loginsOwn) loginInvests = true;
      await tx.insert(projectStages).values(
        STAGES.filter((s) => planned[s] || actual[s]).map((s) => ({
          projectId: id,
          stage: s,
          plannedDate: planned[s] || null,
          actualDate: actual[s] ?? null,
          evidence: actual[s] && s !== 'negotiation' ? [{ title: EVIDENCE[s] }] : [],
        })),
      );

      // Monthly progress from signing to the end (or to 达产 / the pause), investment following the stages.
      const signedOn = actual.signed;
      if (signedOn) {
        const stopDate =
          status === 'paused' || status === 'terminated'
            ? addDays(actual[current]!, rng.int(30, 200))
            : END_DATE;
        const last = [
          DEMO_PROGRESS_END,
          monthOf(stopDate),
          actual.full_production ? monthOf(actual.full_production) : DEMO_PROGRESS_END,
        ].sort()[0]!;
        const months = monthsBetween(monthOf(signedOn), last);
        const buildMonths = actual.started
          ? monthsBetween(monthOf(actual.started), monthOf(actual.completed ?? planned.completed)).length
          : 1;
        let cumulative = 0;
        const rows = [];
        for (const m of months) {
          const date = `${m}-15`;
          let amount = 0;
          if (actual.land && monthOf(actual.land) === m) amount += total * 0.1;
          const building =
            actual.started && date >= actual.started && (!actual.completed || m <= monthOf(actual.completed));
          if (building && !(stallAt && m > addMonths(monthOf(actual.started!), 2)))
            amount += ((total * (actual.land ? 0.8 : 0.9)) / buildMonths) * rng.noise(0.25);
          if (actual.production && date >= actual.production) amount += total * 0.01 * rng.noise(0.5);
          if (rng.chance(0.03)) continue; // a month not reported
          amount = Math.round(amount * 10) / 10;
          cumulative = Math.round((cumulative + amount) * 10) / 10;
          rows.push({
            projectId: id,
            month: `${m}-01`,
            investmentMonth: amount,
            investmentCumulative: cumulative,
            statusNote:
              amount > 0
                ? building
                  ? '主体工程施工中'
                  : '按计划推进'
                : stallAt
                  ? '项目推进缓慢'
                  : '前期手续办理中',
            reportedBy: 'demo',
          });
        }
        for (let k = 0; k < rows.length; k += 500)
          await tx.insert(projectProgress).values(rows.slice(k, k + 500));
        progressCount += rows.length;
      }

      if (stallAt || status !== 'active' || rng.chance(0.1)) {
        const [kindOf, title] = rng.pick(RISKS);
        const raised = addDays(actual[current] ?? planned.signed, rng.int(20, 120));
        await tx.insert(projectRisks).values({
          projectId: id,
          kind: kindOf,
          title,
          severity: stallAt || status !== 'active' ? 'high' : 'medium',
          status: stallAt || status === 'paused' ? 'open' : 'closed',
          raisedOn: raised > END_DATE ? END_DATE : raised,
          closedOn: stallAt || status === 'paused' ? null : END_DATE,
          owner: '项目服务专班',
          createdBy: 'demo',
        });
        riskCount++;
      }
      if (status !== 'active') {
        await tx.insert(projectStageChanges).values({
          projectId: id,
          fromStage: current,
          toStage: current,
          fromStatus: 'active',
          toStatus: status,
          reason: status === 'paused' ? '投资方调整投资计划，项目暂缓' : '投资方撤回投资，项目终止',
          on: addDays(actual[current]!, 30) > END_DATE ? END_DATE : addDays(actual[current]!, 30),
          username: 'demo',
        });
      }
    }
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(projects)
      .where(eq(projects.source, 'demo'));
    return { projects: count?.n ?? 0, progress: progressCount, risks: riskCount };
  });
}

const EVIDENCE: Record<Stage, string> = {
  negotiation: '',
  signed: '投资协议书',
  land: '国有建设用地使用权出让合同',
  started: '建筑工程施工许可证',
  completed: '竣工验收备案表',
  production: '投产情况说明及首月产值报表',
  full_production: '达产核验表',
};

/** Years after DEMO_SIGNING_FROM for a uniform u: the inverse of an exponential density growing by DEMO_SIGNING_GROWTH a year. */
function signingYears(u: number): number {
  const g = Math.log(1 + DEMO_SIGNING_GROWTH);
  return Math.log(1 + u * (Math.exp(g * DEMO_SIGNING_YEARS) - 1)) / g;
}
