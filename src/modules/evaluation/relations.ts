// The 亩均 results as a relation other modules join in their own SQL (issue 11): evaluation owns its runs
// and results; a reader (the cluster index) joins this subquery instead of naming the tables. Which result
// counts is decided here once: a run published and not superseded, and of several such runs of a year the
// latest published.
import { sql, type SQL } from 'drizzle-orm';
import { evaluationResults, evaluationRuns } from '../../db/schema.ts';

/**
 * The class (A/B/C/D) each evaluated firm holds in the evaluation in force of each year, for the given
 * years: enterprise_id, year, class. The years are a filter inside the relation, so only their runs are
 * read.
 */
export const classesInForce = (years: readonly number[]): SQL =>
  sql`(select distinct on (r.enterprise_id, run.year) r.enterprise_id, run.year, r.class
         from ${evaluationResults} r join ${evaluationRuns} run on run.id = r.run_id
        where r.evaluated and run.status = 'published' and run.superseded_by_run_id is null
          and run.year = any(${`{${years.map((y) => Math.trunc(y)).join(',')}}`}::int[])
        order by r.enterprise_id, run.year, run.published_at desc, run.id desc)`;

/** The runs in force: published and not superseded (id, year), every county's, results or none. */
export const publishedRuns = (): SQL =>
  sql`(select id, year from ${evaluationRuns} where status = 'published' and superseded_by_run_id is null)`;

/** Every result row of every run: run_id, enterprise_id, class (null when not evaluated). */
export const resultRows = (): SQL => sql`(select run_id, enterprise_id, class from ${evaluationResults})`;
