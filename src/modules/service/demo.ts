// A believable year of enterprise requests for the demo data: firms of every county and cluster file
// problems through every channel; the centre dispatches them by the routing rule, units acknowledge,
// sometimes contest, answer mostly on time, firms rate them, a few are redone. Each step goes through the
// real use cases (actAs) at simulated instants on the working-day calendar, so history, audit, outcome facts
// and statistics are what the live system would have written. Deterministic for a seed.
import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { serviceRequests } from '../../db/schema.ts';
import { rngFor, type Rng } from '../../demo/random.ts';
import { localDate } from '../../domain/calendar/index.ts';
import { suggestRoute, type Category, type Channel, type Nature } from '../../domain/service/index.ts';
import {
  addUnitMembers,
  listUnits,
  removeWorkItemsWhere,
  SYSTEM_ACTOR,
  sweepEscalations,
  unitMemberRows,
  unitRows as unitRelation,
  workCalendar,
  workItemBySubject,
  workItemRows,
  type WorkActor,
} from '../workitems/index.ts';
import { accountRows, firstEnterpriseLogin } from '../auth/index.ts';
import { currentMemberships, registryRows } from '../enterprises/index.ts';
import { ensureServiceUnits } from './units.ts';
import { clearAlertRequests } from './demo-reset.ts';
import { actAs, fileRequestAs } from './service.ts';

/** Problems firms raise, by category, with their tags (cluster-specific ones recur across a chain). */
const PROBLEMS: Record<Category, [string, string, string[]][]> = {
  new_issue: [
    [
      '海外客户要求碳足迹核算',
      '欧盟客户要求提供产品碳足迹数据，企业缺乏核算方法和第三方机构对接渠道。',
      ['碳足迹'],
    ],
    ['跨境数据传输合规', '集团海外研发中心需调用国内生产数据，不清楚数据出境评估要求。', ['数据合规']],
  ],
  financing: [
    [
      '技改项目贷款授信不足',
      '新上智能化产线需中长期贷款，银行授信额度不足，希望对接政策性银行。',
      ['融资担保'],
    ],
    ['应收账款融资', '下游账期拉长至180天，流动资金紧张，希望了解供应链金融产品。', ['应收账款']],
  ],
  investment: [
    ['增资扩产项目备案', '拟追加投资建设二期厂房，咨询项目备案及能评流程。', ['项目审批']],
    ['省重点项目申报', '希望申报省重点建设项目，咨询申报条件和时间节点。', ['项目申报']],
  ],
  department_matter: [
    ['特种设备检验排期', '新购压力容器等待检验排期较长，影响投产。', ['审批时限']],
    ['出口退税进度', '一季度出口退税尚未到账，影响资金周转。', ['出口退税']],
  ],
  construction: [
    ['新厂房用电增容', '新建厂房需要用电增容，供电公司答复排期过长，请协调。', ['用电增容']],
    ['用地指标落实', '扩产项目已签约，用地指标迟迟未落实，影响开工。', ['用地指标']],
    ['厂区道路施工许可', '厂区连接道路施工许可办理进度慢。', ['施工许可']],
  ],
  policy: [
    ['技改补贴申报', '咨询今年技术改造补助政策的申报条件和材料。', ['技改补贴']],
    ['专精特新认定', '咨询省级专精特新中小企业认定条件。', ['梯队培育']],
    ['研发费用加计扣除', '咨询研发费用加计扣除的归集口径。', ['税收政策']],
  ],
  other: [
    ['员工子女入学', '外地骨干员工子女入学名额咨询。', ['人才服务']],
    ['公交线路延伸', '园区通勤公交班次少，员工上下班不便。', ['园区配套']],
  ],
};

/** Chain-wide bottlenecks: problems many firms of one cluster share (产业链共性). */
const CHAIN_PROBLEMS: Record<string, [string, string, string[], Category]> = {
  textile: [
    '印染废水排放指标紧张',
    '印染企业排污指标不足，扩产受限，同行业多家企业反映。',
    ['排污指标'],
    'department_matter',
  ],
  new_energy: ['光伏组件出口认证周期长', '海外认证检测排队时间长，影响订单交付。', ['出口认证'], 'new_issue'],
  chem_materials: [
    '危化品运输车辆通行受限',
    '危化品运输车辆限行时段增加，原料进厂受阻。',
    ['危化品运输'],
    'department_matter',
  ],
  automotive: ['车规级芯片供应紧张', '车规级芯片到货周期延长，整车配套企业减产。', ['芯片供应'], 'new_issue'],
  smart_home: ['物流成本上升', '集装箱运价上涨，出口家居产品物流成本大增。', ['物流成本'], 'other'],
};

const NATURE_W: [Nature, number][] = [
  ['consult', 35],
  ['help', 45],
  ['complaint', 8],
  ['suggestion', 12],
];
const CHANNEL_W: [Channel, number][] = [
  ['online', 45],
  ['hotline', 25],
  ['visit', 15],
  ['transfer_12345', 10],
  ['leader', 5],
];
const CATEGORY_W: [Category, number][] = [
  ['policy', 25],
  ['construction', 18],
  ['financing', 15],
  ['department_matter', 15],
  ['investment', 10],
  ['new_issue', 7],
  ['other', 10],
];

function weighted<T>(rng: Rng, list: [T, number][]): T {
  const total = list.reduce((s, [, w]) => s + w, 0);
  let x = rng.next() * total;
  for (const [v, w] of list) if ((x -= w) < 0) return v;
  return list[list.length - 1]![0];
}

export interface ServiceDemoSummary {
  requests: number;
  closed: number;
  open: number;
  ms: number;
}

/** Lets the demo logins act for their units: counties, agencies and the department users. */
export async function linkDemoUnitMembers(db: Db): Promise<void> {
  await addUnitMembers(
    db,
    sql`select un.id as unit_id, us.id as user_id
          from ${unitRelation()} un join ${accountRows()} us on
               (un.kind = 'county' and us.role = 'county' and us.region_code = un.region_code)
            or (un.kind = 'cluster_agency' and us.role = 'cluster_agency' and us.cluster_code = un.cluster_code)
            or (us.role = 'department' and us.username = 'service_center' and un.code = 'city.service_center')
            or (us.role = 'department' and us.username = 'supervision' and un.code = 'city.supervision')
            or (us.role = 'department' and us.username = 'dept_' || substr(un.code, 6) and un.code like 'city.%')`,
  );
}

export async function generateDemoRequests(
  db: Db,
  seed: number,
  opts: { months?: number; perMonth?: number; now?: Date } = {},
): Promise<ServiceDemoSummary> {
  const t0 = Date.now();
  const now = opts.now ?? new Date();
  const months = opts.months ?? 12;
  const perMonth = opts.perMonth ?? 30;
  const cal = workCalendar();
  await ensureServiceUnits(db, SYSTEM_ACTOR);
  await linkDemoUnitMembers(db);
  // requests filed from the previous run's alerts go first: those alerts are replaced later in the demo, and
  // request codes count the year's requests, so a left-over would collide with the numbers given below
  await clearAlertRequests(db);
  // earlier demo requests go first (their work items and events with them)
  await removeWorkItemsWhere(
    db,
    'service_request',
    (subjectId) => sql`${subjectId} in (select id::text from service_requests where source = 'demo')`,
  );
  await db.delete(serviceRequests).where(eq(serviceRequests.source, 'demo'));

  const unitRows = (await listUnits(db)).map((u) => ({ ...u, duties: (u.duties as string[]) ?? [] }));
  const centre = unitRows.find((u) => u.kind === 'coordinator');
  const actorOf = async (unitId: number): Promise<WorkActor> => {
    const [m] = await queryRows<{ id: number | string; username: string; role: string }>(
      db,
      sql`select us.id, us.username, us.role
            from ${unitMemberRows()} m join ${accountRows()} us on us.id = m.user_id
           where m.unit_id = ${unitId} order by us.id limit 1`,
    );
    return m ? { id: Number(m.id), username: m.username, role: m.role as WorkActor['role'] } : SYSTEM_ACTOR;
  };
  const coordinator: WorkActor = centre ? await actorOf(centre.id) : SYSTEM_ACTOR;
  const actors = new Map<number, WorkActor>();
  const unitActor = async (id: number) =>
    actors.get(id) ?? (actors.set(id, await actorOf(id)), actors.get(id)!);

  const firms = (
    await queryRows<{ id: number | string; region_code: string; cluster_code: string }>(
      db,
      sql`select e.id, e.region_code, m.cluster_code
            from ${registryRows()} e join ${currentMemberships()} m on m.enterprise_id = e.id
           where e.scale = 'above' order by e.id limit 3000`,
    )
  ).map((f) => ({ id: Number(f.id), regionCode: f.region_code, clusterCode: f.cluster_code }));
  if (!firms.length) return { requests: 0, closed: 0, open: 0, ms: 0 };
  // online filings: the firm's own login rarely exists in the demo, so the platform records them
  const firmActor = (firmId: number): WorkActor => ({ ...SYSTEM_ACTOR, username: `enterprise#${firmId}` });
  // The demo's enterprise login files some of its own, online, as itself: one early in the year (closed and
  // rated by now), one a few months ago and one a few days ago (still being handled) — its 企业服务 page was
  // empty, its firm never drawn among the 3,000. Their slots take the place of a drawn firm's request, the
  // draws themselves unchanged, so every other request is what it was.
  const login = await firstEnterpriseLogin(db);
  const loginSlots = new Set(
    login ? [1, months - 4, months - 1].filter((m) => m >= 0).map((m) => m * 1000) : [],
  );
  const loginActor: WorkActor | null = login
    ? {
        id: login.userId,
        username: login.username,
        role: 'enterprise',
        enterpriseId: login.enterpriseId,
      }
    : null;

  const endDay = localDate(now);
  const startMonth = new Date(
    Date.UTC(Number(endDay.slice(0, 4)), Number(endDay.slice(5, 7)) - 1 - months, 1),
  );
  let filed = 0;
  for (let m = 0; m < months; m++) {
    const monthStart = new Date(Date.UTC(startMonth.getUTCFullYear(), startMonth.getUTCMonth() + m, 1));
    const daysInMonth = new Date(
      Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + 1, 0),
    ).getUTCDate();
    for (let i = 0; i < perMonth; i++) {
      const rng = rngFor(seed, 'service', m * 1000 + i);
      const drawn = firms[rng.int(0, firms.length - 1)]!;
      const own = loginActor !== null && loginSlots.has(m * 1000 + i);
      const firm = own
        ? { id: login!.enterpriseId, regionCode: login!.regionCode, clusterCode: login!.clusterCode }
        : drawn;
      const chain = rng.chance(0.15) ? CHAIN_PROBLEMS[firm.clusterCode] : undefined;
      const category = chain ? chain[3] : weighted(rng, CATEGORY_W);
      const [title, description, tags] = chain
        ? chain
        : PROBLEMS[category][rng.int(0, PROBLEMS[category].length - 1)]!;
      const nature: Nature = category === 'policy' ? 'consult' : weighted(rng, NATURE_W);
      const channel = weighted(rng, CHANNEL_W);
      const drawnDay = new Date(monthStart.getTime() + rng.int(0, daysInMonth - 1) * 86_400_000);
      // the login's latest: a few days ago (still open), whatever day was drawn
      const day = own && m === months - 1 ? new Date(now.getTime() - 4 * 86_400_000) : drawnDay;
      const dayStr = cal.addWorkingDays(day.toISOString().slice(0, 10), 0);
      let t = new Date(
        cal.startOfDay(dayStr).getTime() + rng.int(0, 420) * 60_000 + (rng.chance(0.5) ? 90 * 60_000 : 0),
      );
      if (t > now) continue;
      const level = rng.chance(0.35) ? 'county' : 'city';
      const id = await fileRequestAs(
        db,
        own ? loginActor : channel === 'online' ? firmActor(firm.id) : coordinator,
        firm,
        {
          nature,
          category,
          chainCommon: !!chain,
          level,
          channel: own ? 'online' : channel,
          title,
          description,
          tags,
          attachments: [],
        },
        t,
        t,
        'demo',
      );
      filed++;
      const step = (hours: number) => (t = cal.addWorkingHours(t, hours));
      // (the login's latest is still being handled: dispatched and accepted, not yet answered)
      const stillOpen = own && m === months - 1;
      const act = async (a: WorkActor, input: Parameters<typeof actAs>[3]) => {
        if (t > now) return false;
        if (stillOpen && input.transition !== 'assign' && input.transition !== 'accept') return false;
        await actAs(db, a, id, input, t);
        return true;
      };
      // 直接解答: policy questions answered by the centre at intake
      if (nature === 'consult' && rng.chance(0.55)) {
        step(rng.uniform(0.2, 3));
        if (
          !(await act(coordinator, {
            transition: 'answer_direct',
            reason: '已电话解答政策口径并发送申报指南。',
          }))
        )
          continue;
      } else {
        step(rng.uniform(0.2, rng.chance(0.9) ? 5 : 14));
        const route = suggestRoute(
          {
            category,
            chainCommon: !!chain,
            clusterCode: firm.clusterCode,
            regionCode: firm.regionCode,
            level,
          },
          unitRows,
        );
        let lead = route.leadUnitId ?? unitRows.find((u) => u.code === 'city.economy')?.id;
        if (lead == null) continue;
        const assist = rng.chance(0.25)
          ? unitRows.filter((u) => u.kind === 'department' && u.id !== lead)
          : [];
        if (
          !(await act(coordinator, {
            transition: 'assign',
            ownerUnitId: lead,
            assistUnitIds: assist.length ? [assist[rng.int(0, assist.length - 1)]!.id] : undefined,
          }))
        )
          continue;
        if (rng.chance(0.06)) {
          step(rng.uniform(0.5, 6));
          if (
            !(await act(await unitActor(lead), {
              transition: 'contest',
              reason: '该事项不属于本单位职责，建议改派。',
            }))
          )
            continue;
          step(rng.uniform(0.5, 3));
          if (rng.chance(0.7)) {
            const other = unitRows.filter((u) => u.kind === 'department' && u.id !== lead);
            lead = other[rng.int(0, other.length - 1)]!.id;
            if (
              !(await act(coordinator, {
                transition: 'reassign',
                ownerUnitId: lead,
                reason: '异议成立，改派主管部门。',
              }))
            )
              continue;
          } else if (!(await act(coordinator, { transition: 'uphold', reason: '异议不成立，维持原派。' })))
            continue;
        }
        const handler = await unitActor(lead);
        const item = await workItemBySubject(db, 'service_request', 'service_request', id);
        if (item?.state === 'assigned') {
          step(rng.chance(0.88) ? rng.uniform(0.1, 0.9) : rng.uniform(1.2, 8));
          if (!(await act(handler, { transition: 'accept' }))) continue;
        }
        const limit = nature === 'consult' ? 0.6 : 7;
        step(8 * (rng.chance(0.85) ? rng.uniform(0.1, 0.95) * limit : limit + rng.uniform(0.5, 6)));
        if (
          !(await act(handler, {
            transition: 'answer',
            reason: '已会同相关单位研究，答复办理意见并明确办理时间表。',
          }))
        )
          continue;
      }
      // 回访 the next working day
      step(8 * rng.uniform(0.5, 1.5));
      const roll = rng.next();
      const rating = roll < 0.8 ? 'satisfied' : roll < 0.94 ? 'basic' : 'unsatisfied';
      const subjective = rating === 'unsatisfied' && rng.chance(0.7);
      if (
        !(await act(coordinator, {
          transition: 'rate',
          rating,
          subjective,
          reason: rating === 'unsatisfied' ? '问题未实际解决' : null,
        }))
      )
        continue;
      if (subjective) {
        const w = await workItemBySubject(db, 'service_request', 'service_request', id);
        step(8 * rng.uniform(1, 5));
        if (
          !(await act(await unitActor(w!.ownerUnitId!), {
            transition: 'answer',
            reason: '重新协调后已落实解决。',
          }))
        )
          continue;
        step(8 * rng.uniform(0.5, 1.5));
        await act(coordinator, { transition: 'rate', rating: rng.chance(0.8) ? 'satisfied' : 'basic' });
      }
    }
  }
  await sweepEscalations(db, now, SYSTEM_ACTOR, 'service_request');
  const [c] = await queryRows<{ closed: number; open: number }>(
    db,
    sql`select count(*) filter (where w.closed_at is not null)::int as closed,
               count(*) filter (where w.closed_at is null)::int as open
          from ${workItemRows()} w where w.kind = 'service_request'`,
  );
  return { requests: filed, closed: c?.closed ?? 0, open: c?.open ?? 0, ms: Date.now() - t0 };
}
