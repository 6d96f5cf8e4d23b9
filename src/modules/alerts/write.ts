// The alerts of an evaluation written once, set-based (issue 13). The firings of every evaluated month are
// staged (firing-runs.ts: only those where an alert's state can change) in a temporary table, chunk by
// chunk; one statement then plans them against the open alerts in month order — what the month-by-month
// dedup did (engine.ts `reconcile`: a firing without an open alert raises one, a higher level than the
// alert has had escalates it, anything else refreshes it) — and one statement per table writes the plan:
// new alerts, changed alerts, events. Nothing is written per alert or per month, and no firing is held
// in memory past its chunk.
//
// Events (docs/methodology.md, "Evaluation"): a re-evaluation logs one only when the alert's state changes —
// raised, escalated (its level rises), de-escalated (the latest firing is of a lower level; the alert takes
// it), refreshed (same level, another rule). A firing that repeats the alert's rule and level changes at
// most its latest month and evidence, and logs nothing. A firing of a month before an open alert's latest
// month changes that alert no more (it has moved past it): evaluating unchanged data again changes nothing.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { LEVELS, type RuleSet } from '../../domain/alerts/index.ts';
import type { Month } from '../../domain/periods.ts';
import type { Actor } from '../audit/index.ts';
import { workCalendar } from '../workitems/index.ts';
import type { StagedFiring } from './firing-runs.ts';

/**
 * Rows per staging statement (one JSON parameter each): bounds the text held at once. Read as json, not
 * jsonb: the text is taken apart once, row by row, instead of converted whole first.
 */
const STAGE_CHUNK = 10_000;

/** work_mem of the merge's statements (see mergeFirings) */
const MERGE_WORK_MEM = '256MB';

/** A level's rank as SQL: red 3, orange 2, yellow 1 (LEVEL_RANK). */
const rank = (column: string) =>
  sql.raw(`(case ${column} when 'red' then 3 when 'orange' then 2 when 'yellow' then 1 else 0 end)`);

export interface MonthCounts {
  created: number;
  escalated: number;
}

/**
 * Stages the rows (a generator, synchronous or not: taken chunk by chunk) in `alert_firings`, a temporary
 * table of the transaction. Answers how many were staged. Any firings of the evaluated months may be staged —
 * every one of them, or only those firing-runs.ts keeps — as long as a subject fires a signal at most once a
 * month: the plan gives the same alerts and events either way.
 */
export async function stageFirings(
  tx: Db,
  rows: Iterable<StagedFiring> | AsyncIterable<StagedFiring>,
): Promise<number> {
  await tx.execute(sql`drop table if exists alert_firings`);
  await tx.execute(
    sql`create temp table alert_firings (seq int not null, subject_kind text not null, subject_key text not null,
          enterprise_id bigint, cluster_code text, region_code text, signal text not null, rule_id text not null,
          level text not null, month date not null, evidence jsonb not null) on commit drop`,
  );
  let chunk: StagedFiring[] = [];
  let staged = 0;
  const send = async () => {
    if (!chunk.length) return;
    const text = JSON.stringify(chunk);
    staged += chunk.length;
    chunk = [];
    await tx.execute(
      sql`insert into alert_firings select x.* from json_to_recordset(${text}::json) as x(seq int, subject_kind text,
            subject_key text, enterprise_id bigint, cluster_code text, region_code text, signal text, rule_id text,
            level text, month date, evidence jsonb)`,
    );
  };
  for await (const row of rows) {
    chunk.push(row);
    if (chunk.length >= STAGE_CHUNK) await send();
  }
  await send();
  await tx.execute(sql`analyze alert_firings`);
  return staged;
}

/**
 * Plans the staged firings against the open alerts and writes them: new alerts (with the latest firing's
 * rule, level and evidence, the deadline of the level they were raised at), changed open alerts, and the
 * events. Answers the alerts raised and escalated per month ('YYYY-MM').
 */
export async function mergeFirings(
  tx: Db,
  set: RuleSet,
  version: number,
  actor: Actor,
): Promise<Map<Month, MonthCounts>> {
  // The plan sorts every staged firing with its evidence (three window passes, then the inserts' month
  // order): at province scale ≈ 510,000 rows, ≈ 100 MB, which the default work_mem (4 MB) sent to disk in
  // every sort. A larger work_mem for these statements only (set_config(…, true): this transaction, then
  // set back to what it was).
  const [wm] = await queryRows<{ v: string }>(tx, sql`select current_setting('work_mem') as v`);
  await tx.execute(sql`select set_config('work_mem', ${MERGE_WORK_MEM}, true)`);
  await tx.execute(sql`drop table if exists alert_plan`);
  // Each firing in month order per subject and signal, beside the open alert it meets: `action` is what
  // reconcile decides (its level only rises: the highest of the open alert's and the earlier firings'),
  // `event` what the history logs against the state the alert has just before (the previous firing's, or
  // the open alert's as stored).
  await tx.execute(
    sql`create temp table alert_plan on commit drop as
        with s as (
          select f.*, o.id as open_id, o.level as open_level, o.rule_id as open_rule,
            row_number() over w as n, count(*) over (partition by f.subject_key collate "C", f.signal collate "C") as runs,
            lag(f.level) over w as prev_level, lag(f.rule_id) over w as prev_rule,
            max(${rank('f.level')}) over (w rows between unbounded preceding and 1 preceding) as prev_max
          from alert_firings f
          left join alerts o on o.open and o.subject_key = f.subject_key and o.signal = f.signal
          -- a month before the open alert's latest is history it has already moved past (a correction of an
          -- older month, or months evaluated again): its firing counts, but changes the alert no more
          where o.id is null or f.month >= o.last_month
          -- bytewise ("C") partitions: the sort of every staged row compares with memcmp and abbreviated keys
          -- instead of the database's collation (the grouping is the same: these collations are deterministic)
          window w as (partition by f.subject_key collate "C", f.signal collate "C" order by f.month)
        ), p as (
          select s.*, case
              when s.open_id is null and s.n = 1 then 'create'
              when ${rank('s.level')} > greatest(coalesce(s.prev_max, 0), ${rank('s.open_level')}) then 'escalate'
              else 'refresh' end as action,
            coalesce(s.prev_level, s.open_level) as before_level, coalesce(s.prev_rule, s.open_rule) as before_rule
          from s
        )
        select p.*, case
            when p.action = 'create' then 'raised'
            when p.action = 'escalate' or ${rank('p.level')} > ${rank('p.before_level')} then 'escalated'
            when ${rank('p.level')} < ${rank('p.before_level')} then 'deescalated'
            when p.rule_id <> p.before_rule then 'refreshed'
          end as event
        from p`,
  );
  // without statistics the planner takes the plan for a thousand rows (hash joins sized for that, spilling)
  await tx.execute(sql`analyze alert_plan`);
  const raisedAt = new Date();
  const cal = workCalendar();
  const due = Object.fromEntries(
    LEVELS.map((l) => [l, cal.deadlineAfterWorkingDays(raisedAt, set.deadlines[l]).toISOString()]),
  ) as Record<(typeof LEVELS)[number], string>;
  // new alerts: raised at their first firing's month and level (the deadline's), carrying the latest firing
  await tx.execute(
    sql`insert into alerts (subject_kind, subject_key, enterprise_id, cluster_code, region_code, signal, rule_id,
          level, rule_set_version, first_month, last_month, evidence, created_at, updated_at, deadline_at)
        select c.subject_kind, c.subject_key, c.enterprise_id, c.cluster_code, c.region_code, c.signal, l.rule_id,
          l.level, ${version}, c.month, l.month, l.evidence, ${raisedAt.toISOString()}::timestamptz,
          case when c.runs > 1 then now() else ${raisedAt.toISOString()}::timestamptz end,
          (case c.level when 'red' then ${due.red} when 'orange' then ${due.orange} else ${due.yellow} end)::timestamptz
        from alert_plan c
        join alert_plan l on l.subject_key = c.subject_key and l.signal = c.signal and l.n = l.runs
        where c.action = 'create'
        order by c.month, c.seq`,
  );
  // open alerts that fired: the latest firing's rule, level and evidence, the latest month — only where one
  // of them differs (evaluating unchanged data again changes no row)
  await tx.execute(
    sql`update alerts a set level = l.level, rule_id = l.rule_id, last_month = greatest(a.last_month, l.month),
          evidence = l.evidence, rule_set_version = ${version}, updated_at = now()
        from alert_plan l
        where l.open_id = a.id and l.n = l.runs
          and ((a.level, a.rule_id, a.evidence, a.rule_set_version) is distinct from (l.level, l.rule_id, l.evidence, ${version})
            or a.last_month < l.month)`,
  );
  await tx.execute(
    sql`insert into alert_events (alert_id, kind, month, level, rule_id, evidence, user_id, username)
        select coalesce(p.open_id, a.id), p.event, p.month, p.level, p.rule_id, p.evidence, ${actor.id}, ${actor.username}
        from alert_plan p
        left join alerts a on p.open_id is null and a.open and a.subject_key = p.subject_key and a.signal = p.signal
        where p.event is not null
        order by p.month, p.seq`,
  );
  const counts = await queryRows<{ month: string; created: number; escalated: number }>(
    tx,
    sql`select to_char(month, 'YYYY-MM') as month, count(*) filter (where action = 'create')::int as created,
          count(*) filter (where action = 'escalate')::int as escalated
        from alert_plan group by month`,
  );
  await tx.execute(sql`drop table alert_plan`);
  await tx.execute(sql`drop table alert_firings`);
  await tx.execute(sql`select set_config('work_mem', ${wm!.v}, true)`);
  return new Map(counts.map((c) => [c.month, { created: c.created, escalated: c.escalated }]));
}
