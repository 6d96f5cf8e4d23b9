// Project investment as a relation other modules join in their own SQL (issue 11): projects owns its
// projects and their monthly progress reports; a reader (the cluster index's investment intensity) joins
// this subquery instead of naming the tables. A plain select PostgreSQL pulls up into the caller's query.
import { sql, type SQL } from 'drizzle-orm';
import { projectProgress, projects, projectStages } from '../../db/schema.ts';

/**
 * Every monthly progress report with its project's cluster and county (every status: a terminated project
 * keeps what it invested): project_id, month, investment_month (本月完成投资, 万元), cluster_code, region_code.
 */
export const investmentReports = (): SQL =>
  sql`(select pp.project_id, pp.month, pp.investment_month, pr.cluster_code, pr.region_code
         from ${projectProgress} pp join ${projects} pr on pr.id = pp.project_id)`;

/** Every project with its investor firm (null when not a registered firm): id, investor_enterprise_id, stage, status. */
export const projectRows = (): SQL =>
  sql`(select id, investor_enterprise_id, stage, status, cluster_code, region_code from ${projects})`;

/** The planned and actual date of each stage of each project: project_id, stage, planned_date, actual_date. */
export const projectStageRows = (): SQL =>
  sql`(select project_id, stage, planned_date, actual_date from ${projectStages})`;
