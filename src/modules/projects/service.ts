// Project library and tracking: scoped reads with the domain's delay assessment, validated writes,
// each audited in its own transaction.
import { bumpProjectsVersion, projectAnswer } from './answers.ts';
import { cleanFileName } from '../../domain/file-names.ts';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import {
  clusters,
  investmentStatistics,
  projectProgress,
  projectRisks,
  projectStageChanges,
  projectStages,
  projects,
  regions,
  zones,
} from '../../db/schema.ts';
import { clusterNodeList } from '../chains/index.ts';
import { registryRows } from '../enterprises/index.ts';
import { addMonths, monthNumber, monthYear, type Month } from '../../domain/periods.ts';
import {
  STAGES,
  nextStage,
  stageIndex,
  transition,
  type Stage,
  type StageAction,
} from '../../domain/projects/stages.ts';
import {
  assess,
  checkReport,
  describeDelay,
  monthEnd,
  type Assessment,
  type ProgressPoint,
} from '../../domain/projects/tracking.ts';
import { investmentGrowth, reconcile } from '../../domain/projects/growth.ts';
import { projectAsOf } from '../../domain/projects/as-of.ts';
import { AppError, badRequest, conflict, forbidden, notFound, type FieldError } from '../../server/errors.ts';
import { enterpriseScopeCondition, type Scope } from '../../server/scope.ts';
import { assertAllowed } from '../../server/policy.ts';
import { can, rowVisible } from '../../domain/policy/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import {
  checkDocument,
  documentContent,
  documentIdsOf,
  findDocument,
  removeDocument,
  storeDocuments,
} from '../documents/index.ts';
import {
  findProject,
  investmentByGroup,
  latestReportedMonth,
  loadProjects,
  projectChildren,
  projectScopeCondition,
  type LoadedProject,
  type ProjectFilters,
} from './repo.ts';
import type {
  ChainNodeList,
  CountySummary,
  DocumentUpload,
  Evidence,
  Gantt,
  Growth,
  Kanban,
  ProgressBody,
  ProjectCreate,
  ProjectDetail,
  ProjectList,
  ProjectListQuery,
  ProjectRow,
  ProjectUpdate,
  RiskCreate,
  RiskUpdate,
  StageUpdate,
  StatisticsBody,
  TransitionBody,
} from './schemas.ts';

// ---------- clock and permissions ----------

/** Today in the city (UTC+8), 'YYYY-MM-DD'. The only place this capability reads the clock. */
export function cityToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Who may jump over stages (Data Hub's change_to_any_stage). */
export const SKIP_ROLES: readonly string[] = ['admin'];

export function canEditProject(user: AuthedUser, p: { regionCode: string }): boolean {
  if (!can(user, 'projects.project', 'update')) return false;
  // the policy's row rule for writes: city-wide roles anywhere, a county officer its county
  return rowVisible(user, 'projects.project', { regionCode: p.regionCode });
}

const editRefused = () =>
  forbidden(
    'Only administrators and the county officer of the project’s county may change it.',
    '只有管理员和项目所在区县的专员可以修改该项目。',
  );

// ---------- rows ----------

function toRow(l: LoadedProject, a: Assessment): ProjectRow {
  const p = l.project;
  const latest = l.progress.at(-1) ?? null;
  const next = nextStage(p.stage as Stage);
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    kind: p.kind as ProjectRow['kind'],
    investorName: p.investorName,
    investorEnterpriseId: p.investorEnterpriseId,
    clusterCode: p.clusterCode,
    chainNodeId: p.chainNodeId,
    regionCode: p.regionCode,
    regionName: l.regionName,
    zoneCode: p.zoneCode,
    zoneName: l.zoneName,
    plannedTotalInvestment: p.plannedTotalInvestment,
    stage: p.stage as Stage,
    status: p.status as ProjectRow['status'],
    priority: p.priority as ProjectRow['priority'],
    likelihood: p.likelihood as ProjectRow['likelihood'],
    owner: p.owner,
    department: p.department,
    investmentCumulative: latest?.investmentCumulative ?? null,
    lastReportMonth: latest?.month ?? null,
    delayed: a.delayed,
    stalled: a.stalled,
    missingReport: a.missingReport,
    delayReasons: a.reasons,
    delayMessages: describeDelay(a),
    daysLate: a.daysLate,
    nextMilestone:
      next && p.status === 'active'
        ? { stage: next, plannedDate: l.stages.find((s) => s.stage === next)?.plannedDate ?? null }
        : null,
  };
}

function assessLoaded(l: LoadedProject, today: string): Assessment {
  return assess(
    {
      stage: l.project.stage as Stage,
      status: l.project.status as ProjectRow['status'],
      plannedTotalInvestment: l.project.plannedTotalInvestment,
      stages: l.stages,
      progress: l.progress,
    },
    today,
  );
}

/** Every project the filters select in the scope, assessed as of today; the tracking flags filter in memory. */
export async function trackedRows(
  db: Db,
  scope: Scope,
  q: ProjectFilters & Partial<Pick<ProjectListQuery, 'delayed' | 'stalled' | 'missingReport'>>,
  today: string,
) {
  const loaded = await loadProjects(db, scope, q);
  const rows = loaded.map((l) => toRow(l, assessLoaded(l, today)));
  return rows.filter(
    (r) =>
      (q.delayed === undefined || r.delayed === q.delayed) &&
      (q.stalled === undefined || r.stalled === q.stalled) &&
      (q.missingReport === undefined || r.missingReport === q.missingReport),
  );
}

const SORT_VALUE: Record<ProjectListQuery['sort'], (r: ProjectRow) => string | number> = {
  code: (r) => r.code,
  name: (r) => r.name,
  plannedTotalInvestment: (r) => r.plannedTotalInvestment,
  stage: (r) => stageIndex(r.stage),
  regionCode: (r) => r.regionCode,
  daysLate: (r) => r.daysLate,
  investmentCumulative: (r) => r.investmentCumulative ?? -1,
};

/** localeCompare(…, 'zh-CN') as one collator: not a collator built per comparison. */
const ZH = new Intl.Collator('zh-CN');

export async function listProjects(
  db: Db,
  scope: Scope,
  q: ProjectListQuery,
  today = cityToday(),
): Promise<ProjectList> {
  const rows = await trackedRows(db, scope, q, today);
  const key = SORT_VALUE[q.sort];
  const dir = q.order === 'desc' ? -1 : 1;
  rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : ZH.compare(String(x), String(y));
    return c !== 0 ? c * dir : a.code.localeCompare(b.code);
  });
  const start = (q.page - 1) * q.pageSize;
  return {
    items: rows.slice(start, start + q.pageSize),
    total: rows.length,
    page: q.page,
    pageSize: q.pageSize,
    reportingMonth: today.slice(0, 7),
    today,
  };
}

/** The city's stalled list: delayed or paused projects, the longest overdue first. */
export async function stalledProjects(db: Db, scope: Scope, today = cityToday()): Promise<ProjectList> {
  const rows = await trackedRows(db, scope, { stalled: true }, today);
  rows.sort((a, b) => b.daysLate - a.daysLate || b.plannedTotalInvestment - a.plannedTotalInvestment);
  return {
    items: rows,
    total: rows.length,
    page: 1,
    pageSize: rows.length,
    reportingMonth: today.slice(0, 7),
    today,
  };
}

/**
 * The stalled list as it stood at the end of a past month (the monthly bulletin): each project as of
 * that day (stages reached later not reached, later reports not in; projectAsOf), assessed on that day.
 */
export async function stalledProjectsAsOf(db: Db, scope: Scope, month: string): Promise<ProjectList> {
  const day = monthEnd(month);
  const rows: ProjectRow[] = [];
  for (const l of await loadProjects(db, scope, {})) {
    const p = projectAsOf(
      {
        ...l.project,
        stage: l.project.stage as Stage,
        status: l.project.status as ProjectRow['status'],
        stages: l.stages,
        progress: l.progress,
      },
      day,
    );
    if (!p) continue;
    const then: LoadedProject = {
      ...l,
      project: { ...l.project, stage: p.stage },
      stages: [...p.stages],
      progress: [...p.progress],
    };
    const row = toRow(then, assessLoaded(then, day));
    if (row.stalled) rows.push(row);
  }
  rows.sort((a, b) => b.daysLate - a.daysLate || b.plannedTotalInvestment - a.plannedTotalInvestment);
  return {
    items: rows,
    total: rows.length,
    page: 1,
    pageSize: rows.length,
    reportingMonth: month,
    today: day,
  };
}

// ---------- detail ----------

/**
 * Every chain node a project can be linked to, from the chains capability (the chains administrators
 * keep in the database), once per cluster: a node id names one node within a cluster.
 */
export function chainNodeList(db: Db): Promise<ChainNodeList['items']> {
  return clusterNodeList(db);
}

/** 'cluster/node' → node name. */
async function chainNodeNames(db: Db): Promise<Map<string, string>> {
  return new Map((await chainNodeList(db)).map((n) => [`${n.clusterCode}/${n.id}`, n.name]));
}

/**
 * A project's page for this user: the page as its scope sees it, kept per scope, project and day at the
 * projects' answer version (answers.ts), with what this user may do on it. Callers only read it.
 */
export async function getProject(
  db: Db,
  user: AuthedUser,
  id: number,
  today = cityToday(),
): Promise<ProjectDetail> {
  const page = await projectAnswer(db, `page:${JSON.stringify(user.scope)}:${id}:${today}`, () =>
    projectPage(db, user.scope, id, today),
  );
  const canEdit = canEditProject(user, page);
  const canSkip = SKIP_ROLES.includes(user.role);
  // one object per kept page and pair of rights, so the route's kept bytes (keptBytes) serve it too
  let forRights = pageVariants.get(page);
  if (!forRights) pageVariants.set(page, (forRights = new Map()));
  const key = `${canEdit}:${canSkip}`;
  let detail = forRights.get(key);
  if (!detail) forRights.set(key, (detail = { ...page, canEdit, canSkip }));
  return detail;
}
const pageVariants = new WeakMap<object, Map<string, ProjectDetail>>();

async function projectPage(
  db: Db,
  scope: Scope,
  id: number,
  today: string,
): Promise<Omit<ProjectDetail, 'canEdit' | 'canSkip'>> {
  const l = await findProject(db, scope, id);
  if (!l) throw notFound('project');
  const a = assessLoaded(l, today);
  const children = await projectChildren(db, id);
  const p = l.project;
  const [cluster] = p.clusterCode
    ? await db.select({ name: clusters.name }).from(clusters).where(eq(clusters.code, p.clusterCode))
    : [];
  const nodeName =
    p.clusterCode && p.chainNodeId
      ? ((await chainNodeNames(db)).get(`${p.clusterCode}/${p.chainNodeId}`) ?? null)
      : null;
  return {
    ...toRow(l, a),
    plannedFixedInvestment: p.plannedFixedInvestment,
    landMu: p.landMu,
    expectedOutput: p.expectedOutput,
    expectedTax: p.expectedTax,
    expectedJobs: p.expectedJobs,
    description: p.description,
    source: p.source,
    clusterName: cluster?.name ?? null,
    chainNodeName: nodeName,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    ...children,
    assessment: { ...a, messages: describeDelay(a) },
  };
}

async function editableProject(db: Db, user: AuthedUser, id: number) {
  const l = await findProject(db, user.scope, id);
  if (!l) throw notFound('project');
  if (!canEditProject(user, l.project)) throw editRefused();
  return l;
}

// ---------- create / update ----------

async function validateFields(db: Db, e: Partial<ProjectCreate>, scope: Scope): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (e.regionCode !== undefined) {
    const [region] = await db.select().from(regions).where(eq(regions.code, e.regionCode));
    if (!region || region.level !== 'county')
      errors.push({
        field: 'regionCode',
        message: `Unknown county code ${e.regionCode}`,
        messageZh: `区县代码 ${e.regionCode} 不存在`,
      });
  }
  if (e.zoneCode) {
    const [zone] = await db.select().from(zones).where(eq(zones.code, e.zoneCode));
    if (!zone)
      errors.push({
        field: 'zoneCode',
        message: `Unknown zone ${e.zoneCode}`,
        messageZh: `园区代码 ${e.zoneCode} 不存在`,
      });
    else if (e.regionCode && zone.hostRegionCode !== e.regionCode) {
      errors.push({
        field: 'zoneCode',
        message: `Zone ${zone.name} is not in county ${e.regionCode}`,
        messageZh: `${zone.name} 不在区县 ${e.regionCode}`,
      });
    }
  }
  if (e.clusterCode) {
    const [c] = await db
      .select({ code: clusters.code })
      .from(clusters)
      .where(eq(clusters.code, e.clusterCode));
    if (!c)
      errors.push({
        field: 'clusterCode',
        message: `Unknown cluster ${e.clusterCode}`,
        messageZh: `集群代码 ${e.clusterCode} 不存在`,
      });
  }
  if (e.chainNodeId) {
    if (!e.clusterCode)
      errors.push({
        field: 'chainNodeId',
        message: 'A chain node needs a cluster',
        messageZh: '填写产业链环节须先选择集群',
      });
    else if (!(await chainNodeNames(db)).has(`${e.clusterCode}/${e.chainNodeId}`)) {
      errors.push({
        field: 'chainNodeId',
        message: `No chain node ${e.chainNodeId} in cluster ${e.clusterCode}`,
        messageZh: `集群 ${e.clusterCode} 的产业链中没有环节 ${e.chainNodeId}`,
      });
    }
  }
  if (e.investorEnterpriseId != null) {
    // only a firm the user may see: another county's firm answers exactly like a missing one, so
    // the link neither attaches it nor confirms that the id exists
    const visible = enterpriseScopeCondition(scope);
    const [firm] = await queryRows<{ id: string | number }>(
      db,
      sql`select enterprises.id from ${registryRows()} enterprises
          where enterprises.id = ${e.investorEnterpriseId} and ${visible ?? sql`true`}`,
    );
    if (!firm)
      errors.push({
        field: 'investorEnterpriseId',
        message: `No enterprise ${e.investorEnterpriseId} that you may see`,
        messageZh: `企业 ${e.investorEnterpriseId} 不存在或无权查看`,
      });
  }
  if (
    e.plannedFixedInvestment != null &&
    e.plannedTotalInvestment != null &&
    e.plannedFixedInvestment > e.plannedTotalInvestment
  ) {
    errors.push({
      field: 'plannedFixedInvestment',
      message: 'Fixed-asset investment cannot exceed the total',
      messageZh: '固定资产投资不能大于计划总投资',
    });
  }
  return errors;
}

function throwIf(errors: FieldError[]) {
  if (errors.length)
    throw badRequest(
      errors.map((e) => e.message).join('; '),
      errors.map((e) => e.messageZh).join('；'),
      errors,
    );
}

/** The library number's prefix of a county and year: 'XM-330402-2025-'. */
const codePrefix = (regionCode: string, year: number) => `XM-${regionCode}-${year}-`;

/**
 * The next free number of a county and year. Call inside the registering transaction after
 * `lockCodes`, so two registrations at once cannot both take the same number.
 */
async function nextCode(db: Db, regionCode: string, year: number): Promise<string> {
  const prefix = codePrefix(regionCode, year);
  const rows = await db
    .select({ code: projects.code })
    .from(projects)
    .where(sql`${projects.code} like ${prefix + '%'}`);
  const max = rows.reduce(
    (m, r) =>
      Math.max(m, /^\d+$/.test(r.code.slice(prefix.length)) ? Number(r.code.slice(prefix.length)) : 0),
    0,
  );
  return `${prefix}${String(max + 1).padStart(4, '0')}`;
}

/** Serialises code allocation of one county and year until the transaction ends (PostgreSQL and PGlite). */
async function lockCodes(tx: Db, regionCode: string, year: number): Promise<void> {
  await queryRows(tx, sql`select pg_advisory_xact_lock(hashtext(${codePrefix(regionCode, year)}))`);
}

/** Whether an error (or its cause, as drizzle wraps driver errors) is a duplicate project code. */
export function isCodeConflict(error: unknown): boolean {
  let e = error as { code?: unknown; constraint?: unknown; message?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (
      e.code === '23505' &&
      (e.constraint === 'projects_code_idx' || String(e.message).includes('projects_code_idx'))
    )
      return true;
    e = e.cause as typeof e;
  }
  return false;
}

export const CODE_ATTEMPTS = 5;

/**
 * Runs a registering transaction, again when it lost a race for the project code (a concurrent
 * writer not taking the lock, e.g. another instance of an older version); after `attempts` losses the
 * caller gets a 409 problem rather than a 500.
 */
export async function withCodeRetry<T>(run: () => Promise<T>, attempts = CODE_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isCodeConflict(error)) throw error;
      if (attempt >= attempts)
        throw conflict(
          'Another project took the same project code at the same moment; please submit again.',
          '项目编号与同时登记的其他项目冲突，请重新提交。',
          [{ field: 'code', message: 'duplicate project code', messageZh: '项目编号重复' }],
        );
    }
  }
}

export async function createProject(
  db: Db,
  user: AuthedUser,
  body: ProjectCreate,
  actor: Actor,
  today = cityToday(),
): Promise<ProjectDetail> {
  assertAllowed(user, 'projects.project', 'create');
  if (!canEditProject(user, body))
    throw forbidden('You can only register projects in your own county.', '您只能登记本区县的项目。');
  const errors = await validateFields(db, body, user.scope);
  for (const [stage, d] of Object.entries(body.actualDates ?? {})) {
    if (d && stageIndex(stage as Stage) > stageIndex(body.stage)) {
      errors.push({
        field: `actualDates.${stage}`,
        message: `Stage ${stage} is not reached yet`,
        messageZh: '尚未到达的阶段不能填写实际日期',
      });
    }
    if (d && d > today)
      errors.push({
        field: `actualDates.${stage}`,
        message: 'An actual date cannot be in the future',
        messageZh: '实际日期不能晚于今天',
      });
  }
  throwIf(errors);
  const year = Number(today.slice(0, 4));
  const id = await withCodeRetry(() =>
    db.transaction(async (tx) => {
      await bumpProjectsVersion(tx);
      await lockCodes(tx, body.regionCode, year);
      const code = await nextCode(tx, body.regionCode, year);
      const { plannedDates, actualDates, ...fields } = body;
      const [row] = await tx
        .insert(projects)
        .values({
          ...fields,
          code,
          investorEnterpriseId: body.investorEnterpriseId ?? null,
          clusterCode: body.clusterCode ?? null,
          chainNodeId: body.chainNodeId ?? null,
          zoneCode: body.zoneCode ?? null,
          status: 'active',
          source: 'manual',
        })
        .returning();
      const stageRows = STAGES.map((stage) => ({
        projectId: row!.id,
        stage,
        plannedDate: plannedDates?.[stage] ?? null,
        actualDate: actualDates?.[stage] ?? null,
      })).filter((s) => s.plannedDate || s.actualDate);
      if (stageRows.length) await tx.insert(projectStages).values(stageRows);
      await writeAudit(tx, actor, {
        action: 'project.create',
        entity: 'project',
        entityId: row!.id,
        after: { ...row, stages: stageRows },
      });
      return row!.id;
    }),
  );
  return getProject(db, user, id, today);
}

export async function updateProject(
  db: Db,
  user: AuthedUser,
  id: number,
  body: ProjectUpdate,
  actor: Actor,
): Promise<ProjectDetail> {
  const l = await editableProject(db, user, id);
  const before = l.project;
  if (body.regionCode !== undefined && body.regionCode !== before.regionCode && user.scope.kind !== 'all') {
    throw forbidden(
      'Only an administrator moves a project to another county.',
      '只有管理员可以把项目移到其他区县。',
    );
  }
  const next = { ...before, ...body };
  throwIf(
    await validateFields(
      db,
      {
        ...body,
        regionCode: next.regionCode,
        clusterCode: next.clusterCode,
        plannedTotalInvestment: next.plannedTotalInvestment,
        plannedFixedInvestment: next.plannedFixedInvestment,
        chainNodeId:
          body.chainNodeId !== undefined || body.clusterCode !== undefined ? next.chainNodeId : undefined,
        // a zone must stay in the project's county, also when the county changes
        zoneCode: body.zoneCode !== undefined || body.regionCode !== undefined ? next.zoneCode : undefined,
      },
      user.scope,
    ),
  );
  await db.transaction(async (tx) => {
    await bumpProjectsVersion(tx);
    const [after] = await tx
      .update(projects)
      .set({ ...body, updatedAt: new Date() })
      .where(eq(projects.id, id))
      .returning();
    await writeAudit(tx, actor, { action: 'project.update', entity: 'project', entityId: id, before, after });
  });
  return getProject(db, user, id);
}

// ---------- stages ----------

export async function changeStage(
  db: Db,
  user: AuthedUser,
  id: number,
  body: TransitionBody,
  actor: Actor,
  today = cityToday(),
): Promise<ProjectDetail> {
  const l = await editableProject(db, user, id);
  const p = l.project;
  if (body.action === 'advance' && !body.to)
    throw badRequest('Say which stage the project reached (to).', '请填写到达的阶段。', [
      { field: 'to', message: 'required', messageZh: '必填' },
    ]);
  const on = body.on ?? today;
  if (on > today)
    throw badRequest('The date cannot be in the future.', '日期不能晚于今天。', [
      { field: 'on', message: 'in the future', messageZh: '日期不能晚于今天' },
    ]);
  const action = (
    body.action === 'advance'
      ? { kind: 'advance', to: body.to!, reason: body.reason }
      : { kind: body.action, reason: body.reason }
  ) as StageAction;
  if (body.action === 'advance' && body.evidence?.length)
    await checkDocumentRefs(db, id, body.to!, body.evidence);
  const result = transition(
    { stage: p.stage as Stage, status: p.status as ProjectRow['status'] },
    action,
    SKIP_ROLES.includes(user.role),
  );
  if (!result.ok) {
    const status =
      result.problem === 'skipNotAllowed' ? 403 : result.problem === 'reasonRequired' ? 400 : 409;
    throw new AppError(
      status,
      result.problem === 'skipNotAllowed' ? 'forbidden' : 'stage-rule',
      result.message.en,
      result.message.zh,
      result.problem === 'reasonRequired'
        ? [{ field: 'reason', message: result.message.en, messageZh: result.message.zh }]
        : undefined,
    );
  }
  await db.transaction(async (tx) => {
    await bumpProjectsVersion(tx);
    const [after] = await tx
      .update(projects)
      .set({ stage: result.next.stage, status: result.next.status, updatedAt: new Date() })
      .where(eq(projects.id, id))
      .returning();
    let stageRow: unknown = null;
    if (action.kind === 'advance') {
      const [existing] = await tx
        .select()
        .from(projectStages)
        .where(and(eq(projectStages.projectId, id), eq(projectStages.stage, action.to)));
      const evidence = [...((existing?.evidence as unknown[]) ?? []), ...(body.evidence ?? [])];
      [stageRow] = await tx
        .insert(projectStages)
        .values({ projectId: id, stage: action.to, actualDate: on, evidence })
        .onConflictDoUpdate({
          target: [projectStages.projectId, projectStages.stage],
          set: { actualDate: on, evidence },
        })
        .returning();
    }
    const [change] = await tx
      .insert(projectStageChanges)
      .values({
        projectId: id,
        fromStage: p.stage,
        toStage: result.next.stage,
        fromStatus: p.status,
        toStatus: result.next.status,
        skipped: result.skipped,
        reason: body.reason ?? null,
        on,
        userId: actor.id,
        username: actor.username,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: result.skipped.length ? 'project.stage.skip' : `project.stage.${body.action}`,
      entity: 'project',
      entityId: id,
      before: { stage: p.stage, status: p.status },
      after: {
        stage: after!.stage,
        status: after!.status,
        skipped: result.skipped,
        reason: body.reason ?? null,
        on,
        change: change?.id,
        stageRow,
      },
    });
  });
  return getProject(db, user, id, today);
}

export async function updateStage(
  db: Db,
  user: AuthedUser,
  id: number,
  stage: Stage,
  body: StageUpdate,
  actor: Actor,
  today = cityToday(),
): Promise<ProjectDetail> {
  const l = await editableProject(db, user, id);
  if (body.actualDate && stageIndex(stage) > stageIndex(l.project.stage as Stage)) {
    throw badRequest(
      'A stage not reached has no actual date; advance the project instead.',
      '尚未到达的阶段不能填写实际日期，请推进阶段。',
      [{ field: 'actualDate', message: 'stage not reached', messageZh: '阶段尚未到达' }],
    );
  }
  if (body.actualDate && body.actualDate > today) {
    throw badRequest('An actual date cannot be in the future.', '实际日期不能晚于今天。', [
      { field: 'actualDate', message: 'in the future', messageZh: '实际日期不能晚于今天' },
    ]);
  }
  if (body.evidence) await checkDocumentRefs(db, id, stage, body.evidence);
  await db.transaction(async (tx) => {
    await bumpProjectsVersion(tx);
    // locked: a concurrent edit of another field of the stage waits, then keeps this one's (the fields not
    // sent are taken from the row, which must be the row as it stands)
    const [before] = await tx
      .select()
      .from(projectStages)
      .where(and(eq(projectStages.projectId, id), eq(projectStages.stage, stage)))
      .for('update');
    const values = {
      plannedDate: body.plannedDate !== undefined ? body.plannedDate : (before?.plannedDate ?? null),
      actualDate: body.actualDate !== undefined ? body.actualDate : (before?.actualDate ?? null),
      note: body.note !== undefined ? body.note : (before?.note ?? null),
      evidence: body.evidence ?? before?.evidence ?? [],
    };
    const [after] = await tx
      .insert(projectStages)
      .values({ projectId: id, stage, ...values })
      .onConflictDoUpdate({ target: [projectStages.projectId, projectStages.stage], set: values })
      .returning();
    await tx.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, id));
    await writeAudit(tx, actor, {
      action: 'project.stage.update',
      entity: 'project',
      entityId: id,
      before: before ?? null,
      after,
    });
  });
  return getProject(db, user, id, today);
}

// ---------- evidence files ----------

/** An evidence list may point only at files uploaded for this project and stage. */
async function checkDocumentRefs(db: Db, id: number, stage: Stage, evidence: Evidence[]): Promise<void> {
  const ids = [...new Set(evidence.map((e) => e.documentId).filter((d): d is number => d != null))];
  if (ids.length === 0) return;
  const found = await documentIdsOf(db, 'project', id, ids, stage);
  const missing = ids.filter((d) => !found.includes(d));
  if (missing.length)
    throw badRequest(
      `No uploaded file ${missing.join(', ')} for this project's stage ${stage}.`,
      `该项目的${stage}阶段没有编号为 ${missing.join('、')} 的上传文件。`,
      [{ field: 'evidence', message: 'unknown documentId', messageZh: '引用的文件不存在' }],
    );
}

// one rule for every upload's file name (src/domain/file-names.ts)
export { cleanFileName };

/** Stores a small evidence file for a stage and lists it in the stage's evidence, audited. */
export async function uploadDocument(
  db: Db,
  user: AuthedUser,
  id: number,
  stage: Stage,
  body: DocumentUpload,
  actor: Actor,
  today = cityToday(),
): Promise<ProjectDetail> {
  await editableProject(db, user, id);
  const file = checkDocument(body, { en: '; attach a link instead', zh: '，请改为填写链接' });
  const { fileName, contentType, content, sha256 } = file;
  await db.transaction(async (tx) => {
    await bumpProjectsVersion(tx);
    const [doc] = await storeDocuments(tx, 'project', id, [file], {
      stage,
      userId: actor.id,
      userName: actor.username,
    });
    const [existing] = await tx
      .select()
      .from(projectStages)
      .where(and(eq(projectStages.projectId, id), eq(projectStages.stage, stage)));
    const entry: Evidence = { title: body.title ?? fileName, note: body.note ?? null, documentId: doc!.id };
    const evidence = [...((existing?.evidence as Evidence[]) ?? []), entry];
    await tx
      .insert(projectStages)
      .values({ projectId: id, stage, evidence })
      .onConflictDoUpdate({ target: [projectStages.projectId, projectStages.stage], set: { evidence } });
    await tx.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, id));
    await writeAudit(tx, actor, {
      action: 'project.document.upload',
      entity: 'project_document',
      entityId: doc!.id,
      after: { projectId: id, stage, fileName, contentType, sizeBytes: content.length, sha256, entry },
    });
  });
  return getProject(db, user, id, today);
}

/**
 * The ids of every project within a scope, kept with the project answers (answers.ts: at the projects'
 * answer version, which every write of a project's county, cluster or investor changes): a download asks
 * it instead of carrying the scope condition into its own statement, so the file is read by its primary key
 * alone, as an objection's evidence is (issue 13).
 */
function projectsInScope(db: Db, scope: Scope): Promise<ReadonlySet<number>> {
  return projectAnswer(db, `ids:${JSON.stringify(scope)}`, async () => {
    const rows = await db.select({ id: projects.id }).from(projects).where(projectScopeCondition(scope));
    return new Set(rows.map((r) => Number(r.id)));
  });
}

/** An uploaded evidence file, for whoever may see the project (404 `document` otherwise, as for no file). */
export async function getDocument(db: Db, user: AuthedUser, id: number, documentId: number) {
  // the project's visibility from the kept ids, then the name, type and bytes alone: the whole row through
  // the query builder with the scope condition in the statement cost the server thread ≈ 0.3 ms more a
  // download than the statement did (issue 13); loading the project with its stages first made it four
  // statements
  const doc = (await projectsInScope(db, user.scope)).has(id)
    ? await documentContent(db, 'project', documentId, id)
    : undefined;
  if (!doc) throw notFound('document');
  return doc;
}

/** Removes an uploaded file and its evidence entry, audited (the file's metadata and hash stay in the log). */
export async function deleteDocument(
  db: Db,
  user: AuthedUser,
  id: number,
  documentId: number,
  actor: Actor,
  today = cityToday(),
): Promise<ProjectDetail> {
  await editableProject(db, user, id);
  const found = await findDocument(db, 'project', documentId, { ownerId: id });
  // the audit keeps the file's metadata as the project table had it (uploadedBy: the user name)
  const doc = found && {
    id: found.id,
    stage: found.stage ?? '',
    fileName: found.fileName,
    contentType: found.contentType,
    sizeBytes: found.sizeBytes,
    sha256: found.sha256,
    uploadedBy: found.userName,
  };
  if (!doc) throw notFound('document');
  await db.transaction(async (tx) => {
    await bumpProjectsVersion(tx);
    await removeDocument(tx, 'project', id, documentId);
    const [row] = await tx
      .select()
      .from(projectStages)
      .where(and(eq(projectStages.projectId, id), eq(projectStages.stage, doc.stage)));
    if (row) {
      const evidence = (row.evidence as Evidence[]).filter((e) => e.documentId !== documentId);
      await tx
        .update(projectStages)
        .set({ evidence })
        .where(and(eq(projectStages.projectId, id), eq(projectStages.stage, doc.stage)));
    }
    await tx.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, id));
    await writeAudit(tx, actor, {
      action: 'project.document.delete',
      entity: 'project_document',
      entityId: documentId,
      before: { projectId: id, ...doc },
    });
  });
  return getProject(db, user, id, today);
}

// ---------- monthly progress ----------

/** Writes (or replaces) one monthly report after checking it against the previous one. */
export async function writeProgress(
  tx: Db,
  projectId: number,
  month: Month,
  body: ProgressBody,
  reportedBy: string,
  importId: number | null = null,
): Promise<
  | { ok: true; before: unknown; after: unknown }
  | { ok: false; field: string; message: { zh: string; en: string } }
> {
  const [previous] = await queryRows<{
    month: string;
    investment_month: number;
    investment_cumulative: number;
  }>(
    tx,
    sql`select to_char(month, 'YYYY-MM') as month, investment_month, investment_cumulative from ${projectProgress}
        where project_id = ${projectId} and month < ${`${month}-01`}::date order by month desc limit 1`,
  );
  const prev: ProgressPoint | null = previous
    ? {
        month: previous.month,
        investmentMonth: previous.investment_month,
        investmentCumulative: previous.investment_cumulative,
      }
    : null;
  const check = checkReport(prev, {
    month,
    investmentMonth: body.investmentMonth,
    investmentCumulative: body.investmentCumulative,
  });
  if (!check.ok) return check;
  const [before] = await tx
    .select()
    .from(projectProgress)
    .where(and(eq(projectProgress.projectId, projectId), eq(projectProgress.month, `${month}-01`)))
    .for('update');
  const values = {
    investmentMonth: body.investmentMonth,
    investmentCumulative: check.investmentCumulative,
    statusNote: body.statusNote ?? null,
    reportedBy,
    reportedAt: new Date(),
    importId,
  };
  const [after] = await tx
    .insert(projectProgress)
    .values({ projectId, month: `${month}-01`, ...values })
    .onConflictDoUpdate({ target: [projectProgress.projectId, projectProgress.month], set: values })
    .returning();
  return { ok: true, before: before ?? null, after };
}

export function checkReportMonth(month: Month, today: string): FieldError | null {
  if (month > today.slice(0, 7))
    return {
      field: 'month',
      message: `${month} has not begun yet`,
      messageZh: `${month} 尚未到来，不能填报`,
    };
  return null;
}

export async function reportProgress(
  db: Db,
  user: AuthedUser,
  id: number,
  month: Month,
  body: ProgressBody,
  actor: Actor,
  today = cityToday(),
): Promise<ProjectDetail> {
  const l = await editableProject(db, user, id);
  const monthError = checkReportMonth(month, today);
  if (monthError)
    throw badRequest(monthError.message, monthError.messageZh ?? monthError.message, [monthError]);
  if (stageIndex(l.project.stage as Stage) < stageIndex('signed')) {
    throw badRequest(
      'A project in negotiation has no investment to report.',
      '洽谈阶段的项目无需填报投资进度。',
    );
  }
  await db.transaction(async (tx) => {
    await bumpProjectsVersion(tx);
    const r = await writeProgress(tx, id, month, body, actor.username);
    if (!r.ok)
      throw badRequest(r.message.en, r.message.zh, [
        { field: r.field, message: r.message.en, messageZh: r.message.zh },
      ]);
    await tx.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, id));
    await writeAudit(tx, actor, {
      action: 'project.progress',
      entity: 'project',
      entityId: id,
      before: r.before,
      after: r.after,
    });
  });
  return getProject(db, user, id, today);
}

// ---------- risks ----------

export async function createRisk(
  db: Db,
  user: AuthedUser,
  id: number,
  body: RiskCreate,
  actor: Actor,
  today = cityToday(),
): Promise<ProjectDetail> {
  await editableProject(db, user, id);
  await db.transaction(async (tx) => {
    await bumpProjectsVersion(tx);
    const [row] = await tx
      .insert(projectRisks)
      .values({
        projectId: id,
        kind: body.kind,
        title: body.title,
        description: body.description ?? null,
        severity: body.severity,
        owner: body.owner ?? null,
        raisedOn: body.raisedOn ?? today,
        dueDate: body.dueDate ?? null,
        createdBy: actor.username,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: 'project.risk.create',
      entity: 'project_risk',
      entityId: row!.id,
      after: row,
    });
  });
  return getProject(db, user, id, today);
}

export async function updateRisk(
  db: Db,
  user: AuthedUser,
  id: number,
  riskId: number,
  body: RiskUpdate,
  actor: Actor,
  today = cityToday(),
): Promise<ProjectDetail> {
  await editableProject(db, user, id);
  await db.transaction(async (tx) => {
    // locked until the edit commits: a concurrent edit waits and sees this one (the closing date is kept
    // from the first close, and the audit's "before" is what was replaced)
    const [before] = await tx
      .select()
      .from(projectRisks)
      .where(and(eq(projectRisks.id, riskId), eq(projectRisks.projectId, id)))
      .for('update');
    if (!before) throw notFound('risk');
    const closedOn =
      body.status === 'closed' && before.status !== 'closed'
        ? today
        : body.status === 'open'
          ? null
          : before.closedOn;
    await bumpProjectsVersion(tx);
    const [after] = await tx
      .update(projectRisks)
      .set({ ...body, closedOn })
      .where(eq(projectRisks.id, riskId))
      .returning();
    await writeAudit(tx, actor, {
      action: 'project.risk.update',
      entity: 'project_risk',
      entityId: riskId,
      before,
      after,
    });
  });
  return getProject(db, user, id, today);
}

// ---------- investment statistics and growth ----------

export async function upsertStatistics(
  db: Db,
  user: AuthedUser,
  body: StatisticsBody,
  actor: Actor,
  today = cityToday(),
) {
  assertAllowed(user, 'projects.statistics', 'manage');
  const errors: FieldError[] = [];
  // the statistics bureau publishes a month's 1–N月 investment after it: a later month has none yet
  if (body.month > today.slice(0, 7))
    errors.push({
      field: 'month',
      message: `${body.month} is still to come: no statistics exist for it yet`,
      messageZh: `${body.month} 尚未到来，还没有该月的统计数据`,
    });
  const [region] = await db.select().from(regions).where(eq(regions.code, body.regionCode));
  if (!region || region.level !== 'county')
    errors.push({
      field: 'regionCode',
      message: `Unknown county ${body.regionCode}`,
      messageZh: `区县代码 ${body.regionCode} 不存在`,
    });
  if (body.clusterCode !== '_all') {
    const [c] = await db.select().from(clusters).where(eq(clusters.code, body.clusterCode));
    if (!c)
      errors.push({
        field: 'clusterCode',
        message: `Unknown cluster ${body.clusterCode}`,
        messageZh: `集群代码 ${body.clusterCode} 不存在`,
      });
  }
  throwIf(errors);
  const key = and(
    eq(investmentStatistics.regionCode, body.regionCode),
    eq(investmentStatistics.clusterCode, body.clusterCode),
    eq(investmentStatistics.month, `${body.month}-01`),
  );
  return db.transaction(async (tx) => {
    await bumpProjectsVersion(tx);
    const [before] = await tx.select().from(investmentStatistics).where(key).for('update');
    const values = { ytdInvestment: body.ytdInvestment, source: body.source ?? null, updatedAt: new Date() };
    const [after] = await tx
      .insert(investmentStatistics)
      .values({
        regionCode: body.regionCode,
        clusterCode: body.clusterCode,
        month: `${body.month}-01`,
        ...values,
      })
      .onConflictDoUpdate({
        target: [
          investmentStatistics.regionCode,
          investmentStatistics.clusterCode,
          investmentStatistics.month,
        ],
        set: values,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: 'project.statistics',
      entity: 'investment_statistics',
      entityId: `${body.regionCode}/${body.clusterCode}/${body.month}`,
      before: before ?? null,
      after,
    });
    return { ...body, source: body.source ?? null };
  });
}

export async function investmentGrowthReport(
  db: Db,
  scope: Scope,
  by: 'cluster' | 'county',
  through?: Month,
  today = cityToday(),
): Promise<Growth> {
  const month = through ?? (await latestReportedMonth(db, scope)) ?? today.slice(0, 7);
  const year = monthYear(month);
  const facts = await investmentByGroup(db, scope, by, `${year - 1}-01`, month);
  const table = investmentGrowth(facts, month);
  const names = new Map<string, string>();
  if (by === 'cluster') for (const c of await db.select().from(clusters)) names.set(c.code, c.name);
  else
    for (const r of await db.select().from(regions).where(eq(regions.level, 'county')))
      names.set(r.code, r.name);
  names.set('_none', '未归集群');
  // Official statistics of the same 1–N月: by cluster summed over counties, by county the '_all' rows.
  const scopeRegion = scope.kind === 'region' ? scope.regionCode : null;
  const stats = await db
    .select()
    .from(investmentStatistics)
    .where(
      and(
        eq(investmentStatistics.month, `${month}-01`),
        scopeRegion ? eq(investmentStatistics.regionCode, scopeRegion) : undefined,
      ),
    );
  const statOf = (group: string): number | null => {
    const rows =
      by === 'cluster'
        ? stats.filter((s) => s.clusterCode === group)
        : stats.filter((s) => s.regionCode === group && s.clusterCode === '_all');
    return rows.length ? rows.reduce((s, r) => s + r.ytdInvestment, 0) : null;
  };
  const n = monthNumber(month);
  const monthly = Array.from({ length: n }, (_, i) => {
    const m = `${year}-${String(i + 1).padStart(2, '0')}`;
    const pm = addMonths(m, -12);
    return {
      month: m,
      current: facts.filter((f) => f.month === m).reduce((s, f) => s + f.amount, 0),
      previous: facts.filter((f) => f.month === pm).reduce((s, f) => s + f.amount, 0),
    };
  });
  return {
    by,
    through: month,
    year,
    months: n,
    goal: table.goal,
    rows: table.rows.map((r) => {
      const rec = reconcile(r.current, statOf(r.group));
      return {
        ...r,
        name: names.get(r.group) ?? r.group,
        statistics: rec.statistics,
        coverage: rec.coverage,
        reconcileStatus: rec.status,
      };
    }),
    total: {
      current: table.total.current,
      previous: table.total.previous,
      growth: table.total.growth,
      meetsGoal: table.total.meetsGoal,
    },
    monthly,
  };
}

// ---------- kanban, Gantt, counties ----------

export async function kanban(
  db: Db,
  scope: Scope,
  q: ProjectFilters,
  today = cityToday(),
  perColumn = 50,
): Promise<Kanban> {
  const rows = await trackedRows(db, scope, q, today);
  const keys = [...STAGES, 'paused', 'terminated'];
  const columns = keys.map((key) => {
    const items = rows.filter((r) =>
      key === 'paused' || key === 'terminated' ? r.status === key : r.status === 'active' && r.stage === key,
    );
    items.sort(
      (a, b) => Number(b.delayed) - Number(a.delayed) || b.plannedTotalInvestment - a.plannedTotalInvestment,
    );
    return {
      key,
      count: items.length,
      plannedTotalInvestment: items.reduce((s, r) => s + r.plannedTotalInvestment, 0),
      delayed: items.filter((r) => r.delayed).length,
      items: items.slice(0, perColumn).map((r) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        regionName: r.regionName,
        plannedTotalInvestment: r.plannedTotalInvestment,
        status: r.status,
        delayed: r.delayed,
        missingReport: r.missingReport,
      })),
    };
  });
  return { columns };
}

export async function gantt(
  db: Db,
  scope: Scope,
  q: ProjectFilters,
  today = cityToday(),
  limit = 60,
): Promise<Gantt> {
  const loaded = await loadProjects(db, scope, q);
  const assessed = loaded
    .filter((l) => l.project.status !== 'terminated')
    .map((l) => ({ l, a: assessLoaded(l, today) }))
    .sort(
      (x, y) =>
        Number(y.a.delayed) - Number(x.a.delayed) ||
        y.l.project.plannedTotalInvestment - x.l.project.plannedTotalInvestment,
    );
  return {
    today,
    terminated: loaded.length - assessed.length,
    total: assessed.length,
    items: assessed.slice(0, limit).map(({ l, a }) => ({
      id: l.project.id,
      code: l.project.code,
      name: l.project.name,
      stage: l.project.stage as Stage,
      status: l.project.status as ProjectRow['status'],
      delayed: a.delayed,
      milestones: STAGES.map((stage) => {
        const s = l.stages.find((x) => x.stage === stage);
        return { stage, plannedDate: s?.plannedDate ?? null, actualDate: s?.actualDate ?? null };
      }),
    })),
  };
}

export async function byCounty(
  db: Db,
  scope: Scope,
  q: ProjectFilters,
  today = cityToday(),
): Promise<CountySummary> {
  const rows = await trackedRows(db, scope, q, today);
  const counties = await db.select().from(regions).where(eq(regions.level, 'county'));
  const out = counties
    .map((c) => {
      const mine = rows.filter((r) => r.regionCode === c.code);
      return {
        regionCode: c.code,
        regionName: c.name,
        projects: mine.length,
        active: mine.filter((r) => r.status === 'active').length,
        delayed: mine.filter((r) => r.delayed).length,
        stalled: mine.filter((r) => r.stalled).length,
        missingReport: mine.filter((r) => r.missingReport).length,
        plannedTotalInvestment: mine.reduce((s, r) => s + r.plannedTotalInvestment, 0),
        investmentCumulative: mine.reduce((s, r) => s + (r.investmentCumulative ?? 0), 0),
      };
    })
    .filter((r) => r.projects > 0 || scope.kind === 'all')
    .sort((a, b) => a.regionCode.localeCompare(b.regionCode));
  return { reportingMonth: today.slice(0, 7), rows: out };
}
