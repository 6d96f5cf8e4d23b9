// The class mix over the years (issue 15 item 7): for each region, zone or cluster and year, how many
// firms each class holds in that year's published result. A firm evaluated by two published runs of a
// year (a city run and its county's) counts once, with the run published last, as the watch list reads.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { assertAllowed } from '../../server/policy.ts';
import { scopeSql } from './repo.ts';
import { evaluationAnswer } from './answers.ts';
import { currentMemberships, registryRows } from '../enterprises/index.ts';

export type TrendBy = 'region' | 'zone' | 'cluster';

/**
 * Counted over every published result of every year within the reader's scope (the scope inside the
 * SQL): tens of milliseconds, so kept per grouping, scope and data version (answers.ts).
 */
export function classTrend(db: Db, user: AuthedUser, by: TrendBy) {
  assertAllowed(user, 'evaluation.aggregate', 'read');
  return evaluationAnswer(db, `class-trend:${by}:${JSON.stringify(user.scope)}`, () =>
    computeClassTrend(db, user, by),
  );
}

async function computeClassTrend(db: Db, user: AuthedUser, by: TrendBy) {
  const unit =
    by === 'region'
      ? {
          code: sql`enterprises.region_code`,
          join: sql`left join regions g on g.code = enterprises.region_code`,
        }
      : by === 'zone'
        ? { code: sql`enterprises.zone_code`, join: sql`join zones g on g.code = enterprises.zone_code` }
        : {
            code: sql`ec.cluster_code`,
            join: sql`join ${currentMemberships()} ec on ec.enterprise_id = enterprises.id join clusters g on g.code = ec.cluster_code`,
          };
  const rows = await queryRows<{
    code: string;
    name: string | null;
    year: number;
    a: number;
    a_plus: number;
    b: number;
    c: number;
    d: number;
    runs: number[];
  }>(
    db,
    sql`with latest as (
          select distinct on (r.enterprise_id, run.year) r.enterprise_id, run.year, run.id as run_id, r.class, r.a_plus
          from evaluation_results r join evaluation_runs run on run.id = r.run_id
          where run.status = 'published' and run.superseded_by_run_id is null and r.evaluated
          order by r.enterprise_id, run.year, run.published_at desc, run.id desc)
        select ${unit.code} as code, min(g.name) as name, l.year,
          count(*) filter (where l.class = 'A')::int as a, count(*) filter (where l.a_plus)::int as a_plus,
          count(*) filter (where l.class = 'B')::int as b, count(*) filter (where l.class = 'C')::int as c,
          count(*) filter (where l.class = 'D')::int as d, array_agg(distinct l.run_id) as runs
        from latest l join ${registryRows()} enterprises on enterprises.id = l.enterprise_id ${unit.join}
        where ${scopeSql(user.scope)}
        group by 1, 3 order by 1, 3`,
  );
  return {
    items: rows.map((r) => ({
      code: r.code,
      name: r.name ?? r.code,
      year: Number(r.year),
      A: r.a,
      aPlus: r.a_plus,
      B: r.b,
      C: r.c,
      D: r.d,
      /** the published runs the counts come from (provenance) */
      runIds: (r.runs ?? []).map(Number).sort((x, y) => x - y),
    })),
  };
}
