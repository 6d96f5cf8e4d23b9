// Queries over projects. Every read takes the caller's Scope; there is no unscoped read here.
import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { answerCache } from '../../db/answer-cache.ts';
import { answerVersion } from './answers.ts';
import type { Db } from '../../db/client.ts';
import {
  projectProgress,
  projectRisks,
  projectStageChanges,
  projectStages,
  projects,
  regions,
  zones,
} from '../../db/schema.ts';
import { scopeCondition, type Scope } from '../../server/scope.ts';
import { STAGES, type ProjectStatus, type Stage } from '../../domain/projects/stages.ts';
import type { ProgressPoint, StageDates } from '../../domain/projects/tracking.ts';
import type { Evidence, ProjectListQuery } from './schemas.ts';

export type ProjectRecord = typeof projects.$inferSelect;

/**
 * Projects visible to a scope: the policy's row rule for `projects.project` (src/server/scope.ts) over
 * the project's county, cluster and investing firm — city roles all, a county its county, an agency its
 * cluster, a firm the projects it invests in.
 */
export function projectScopeCondition(scope: Scope): SQL | undefined {
  return scopeCondition(scope, 'projects.project', {
    regionCode: projects.regionCode,
    clusterCode: projects.clusterCode,
    enterpriseId: projects.investorEnterpriseId,
  });
}

export type ProjectFilters = Pick<
  ProjectListQuery,
  'q' | 'county' | 'zone' | 'cluster' | 'kind' | 'stage' | 'status' | 'priority'
>;

function conditions(scope: Scope, q: ProjectFilters): SQL[] {
  const conds: SQL[] = [];
  const scoped = projectScopeCondition(scope);
  if (scoped) conds.push(scoped);
  if (q.q) {
    const term = `%${q.q.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
    conds.push(
      or(ilike(projects.name, term), ilike(projects.code, term), ilike(projects.investorName, term))!,
    );
  }
  if (q.county) conds.push(eq(projects.regionCode, q.county));
  if (q.zone) conds.push(eq(projects.zoneCode, q.zone));
  if (q.cluster) conds.push(eq(projects.clusterCode, q.cluster));
  if (q.kind) conds.push(eq(projects.kind, q.kind));
  if (q.stage) conds.push(eq(projects.stage, q.stage));
  if (q.status) conds.push(eq(projects.status, q.status));
  if (q.priority) conds.push(eq(projects.priority, q.priority));
  return conds;
}

export interface LoadedProject {
  project: ProjectRecord;
  regionName: string | null;
  zoneName: string | null;
  stages: StageDates[];
  progress: ProgressPoint[];
}

// the loaded projects are kept at the project answers' version (answers.ts: the write stamp every projects
// write sets, read on every request, and a digest of the tables at most once a second): fifty readers of the
// project pages load and group the progress rows once, not once each (issue 13)
const loadedAnswers = answerCache({ ttlMs: 0, maxEntries: 500, version: answerVersion });

/**
 * Projects matching the filters within the scope, with their stage dates and progress (for assessment);
 * kept per scope and filters at the projects' data version. Callers only read what they get.
 */
export function loadProjects(
  db: Db,
  scope: Scope,
  q: ProjectFilters,
  ids?: number[],
): Promise<LoadedProject[]> {
  if (ids) return readProjects(db, scope, q, ids);
  return loadedAnswers.answer(db, `loaded:${JSON.stringify(scope)}:${JSON.stringify(q)}`, () =>
    readProjects(db, scope, q),
  );
}

async function readProjects(
  db: Db,
  scope: Scope,
  q: ProjectFilters,
  ids?: number[],
): Promise<LoadedProject[]> {
  const conds = conditions(scope, q);
  if (ids) conds.push(ids.length ? sql`${projects.id} = any(${`{${ids.join(',')}}`}::bigint[])` : sql`false`);
  const rows = await db
    .select({ project: projects, regionName: regions.name, zoneName: zones.name })
    .from(projects)
    .leftJoin(regions, eq(regions.code, projects.regionCode))
    .leftJoin(zones, eq(zones.code, projects.zoneCode))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(projects.code));
  if (rows.length === 0) return [];
  const idList = rows.map((r) => r.project.id);
  // one array parameter, not one per project (no statement grows with the rows)
  const idSet = `{${idList.join(',')}}`;
  const all = idList.length > 2000;
  // For big lists, read children of all projects once rather than a huge IN list.
  const stageRows = await db
    .select()
    .from(projectStages)
    .where(all ? undefined : sql`${projectStages.projectId} = any(${idSet}::bigint[])`);
  const progressRows = await db
    .select({
      projectId: projectProgress.projectId,
      month: projectProgress.month,
      investmentMonth: projectProgress.investmentMonth,
      investmentCumulative: projectProgress.investmentCumulative,
    })
    .from(projectProgress)
    .where(all ? undefined : sql`${projectProgress.projectId} = any(${idSet}::bigint[])`);
  const stagesBy = new Map<number, StageDates[]>();
  for (const s of stageRows) {
    const list = stagesBy.get(s.projectId) ?? [];
    list.push({ stage: s.stage as Stage, plannedDate: s.plannedDate, actualDate: s.actualDate });
    stagesBy.set(s.projectId, list);
  }
  const progressBy = new Map<number, ProgressPoint[]>();
  for (const p of progressRows) {
    const list = progressBy.get(p.projectId) ?? [];
    list.push({
      month: p.month.slice(0, 7),
      investmentMonth: p.investmentMonth,
      investmentCumulative: p.investmentCumulative,
    });
    progressBy.set(p.projectId, list);
  }
  return rows.map((r) => ({
    project: r.project,
    regionName: r.regionName,
    zoneName: r.zoneName,
    stages: stagesBy.get(r.project.id) ?? [],
    progress: (progressBy.get(r.project.id) ?? []).sort((a, b) => a.month.localeCompare(b.month)),
  }));
}

export async function findProject(db: Db, scope: Scope, id: number): Promise<LoadedProject | null> {
  const [row] = await loadProjects(db, scope, {}, [id]);
  return row ?? null;
}

export async function projectChildren(db: Db, id: number) {
  const [stages, progress, risks, changes] = await Promise.all([
    db.select().from(projectStages).where(eq(projectStages.projectId, id)),
    db
      .select()
      .from(projectProgress)
      .where(eq(projectProgress.projectId, id))
      .orderBy(asc(projectProgress.month)),
    db.select().from(projectRisks).where(eq(projectRisks.projectId, id)).orderBy(asc(projectRisks.id)),
    db
      .select()
      .from(projectStageChanges)
      .where(eq(projectStageChanges.projectId, id))
      .orderBy(asc(projectStageChanges.id)),
  ]);
  const byStage = new Map(stages.map((s) => [s.stage, s]));
  return {
    stages: STAGES.map((stage) => {
      const s = byStage.get(stage);
      return {
        stage,
        plannedDate: s?.plannedDate ?? null,
        actualDate: s?.actualDate ?? null,
        evidence: (s?.evidence ?? []) as Evidence[],
        note: s?.note ?? null,
      };
    }),
    progress: progress.map((p) => ({
      month: p.month.slice(0, 7),
      investmentMonth: p.investmentMonth,
      investmentCumulative: p.investmentCumulative,
      statusNote: p.statusNote,
      reportedBy: p.reportedBy,
      reportedAt: p.reportedAt.toISOString(),
      importId: p.importId,
    })),
    risks: risks.map((r) => ({
      id: r.id,
      kind: r.kind as 'risk' | 'issue',
      title: r.title,
      description: r.description,
      severity: r.severity as 'low' | 'medium' | 'high',
      status: r.status as 'open' | 'closed',
      owner: r.owner,
      raisedOn: r.raisedOn,
      dueDate: r.dueDate,
      closedOn: r.closedOn,
      resolution: r.resolution,
      createdBy: r.createdBy,
    })),
    changes: changes.map((c) => ({
      id: c.id,
      fromStage: c.fromStage as Stage,
      toStage: c.toStage as Stage,
      fromStatus: c.fromStatus as ProjectStatus,
      toStatus: c.toStatus as ProjectStatus,
      skipped: (c.skipped ?? []) as Stage[],
      reason: c.reason,
      on: c.on,
      username: c.username,
      at: c.at.toISOString(),
    })),
  };
}

/** 本月 investment of the scoped projects by month and group (cluster or county), for growth. */
export async function investmentByGroup(
  db: Db,
  scope: Scope,
  by: 'cluster' | 'county',
  fromMonth: string,
  toMonth: string,
) {
  const group =
    by === 'cluster'
      ? sql<string>`coalesce(${projects.clusterCode}, '_none')`
      : sql<string>`${projects.regionCode}`;
  const scoped = projectScopeCondition(scope);
  return db
    .select({
      group,
      month: sql<string>`to_char(${projectProgress.month}, 'YYYY-MM')`,
      amount: sql<number>`sum(${projectProgress.investmentMonth})::float8`,
    })
    .from(projectProgress)
    .innerJoin(projects, eq(projects.id, projectProgress.projectId))
    .where(
      and(
        scoped,
        sql`${projectProgress.month} >= ${`${fromMonth}-01`}::date`,
        sql`${projectProgress.month} <= ${`${toMonth}-01`}::date`,
      ),
    )
    .groupBy(group, projectProgress.month);
}

export async function latestReportedMonth(db: Db, scope: Scope): Promise<string | null> {
  const [row] = await db
    .select({ m: sql<string | null>`to_char(max(${projectProgress.month}), 'YYYY-MM')` })
    .from(projectProgress)
    .innerJoin(projects, eq(projects.id, projectProgress.projectId))
    .where(projectScopeCondition(scope));
  return row?.m ?? null;
}
