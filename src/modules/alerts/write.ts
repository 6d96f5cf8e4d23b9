// The alerts of an evaluation written once, set-based (issue 13). The firings of every evaluated month are
// staged (stage.ts; firing-runs.ts: only those where an alert's state can change, each with its place in its
// run) in a temporary table; they are planned against the open alerts in month order — what the
// month-by-month dedup did (engine.ts `reconcile`: a firing without an open alert raises one, a higher level
// than the alert has had escalates it, anything else refreshes it) — and written by one statement for the new
// alerts with their events, one for the changed alerts. Only the runs that meet an open alert are placed and
// planned again in SQL; the others are planned as they are staged (stagedPlan), and their counts per month
// tallied there. Nothing is written per alert or per month.
//
// Events (docs/methodology.md, "Evaluation"): a re-evaluation logs one only when the alert's state changes —
// raised, escalated (its level rises), de-escalated (the latest firing is of a lower level; the alert takes
// it), refreshed (same level, another rule). A firing that repeats the alert's rule and level changes at
// most its latest month and evidence, and logs nothing. A firing of a month before an open alert's latest
// month changes that alert no more (it has moved past it): evaluating unchanged data again changes nothing.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { withoutIndexes } from '../../db/without-indexes.ts';
import { LEVELS, type RuleSet } from '../../domain/alerts/index.ts';
import type { Month } from '../../domain/periods.ts';
import type { Actor } from '../audit/index.ts';
import { workCalendar } from '../workitems/index.ts';
import { analyzeSampled } from './stage.ts';

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
 * Below this many new alerts the alerts' indexes are kept up to date row by row, whatever the table holds: a
 * usual month's import raises a few hundred to a few thousand and never takes the table's lock (see
 * bulkWrite).
 */
const BULK_ALERTS = 20_000;

/**
 * Whether `rows` new rows are a bulk write into `table`: many (BULK_ALERTS) and an eighth or more of the rows it
 * holds. Then its plain indexes and its key are dropped and built once after the rows (withoutIndexesAndKey): a
 * province's backfill of twenty months raises ≈ 170,000 alerts, each a descent into six indexes, and logs
 * ≈ 340,000 events. The price: dropping an index locks the table against readers until the import's
 * transaction ends (they wait for the new alerts, as they would for its other figures).
 */
async function bulkWrite(tx: Db, table: string, rows: number): Promise<boolean> {
  if (rows < BULK_ALERTS) return false;
  const [r] = await queryRows<{ rows: number }>(
    tx,
    sql`select greatest(reltuples, 0)::float8 as rows from pg_class where oid = to_regclass(${table})`,
  );
  return rows * 8 >= (r?.rows ?? 0);
}

/**
 * The table's plain indexes and its primary key dropped for a bulk write (see bulkWrite), and the function
 * that builds them again once the rows are in. The key too: at province scale each of ≈ 340,000 events
 * descending into it took ≈ 0.25 s of backend CPU, the key built afterwards ≈ 0.06 s. Kept where a foreign
 * key refers to it (none does today: it could not be dropped). The ids are the identity's, unique as before.
 */
async function withoutIndexesAndKey(tx: Db, table: string): Promise<() => Promise<void>> {
  const buildIndexes = await withoutIndexes(tx, table);
  const [key] = await queryRows<{ name: string; def: string }>(
    tx,
    sql`select k.conname as name, pg_get_constraintdef(k.oid) as def from pg_constraint k
        where k.conrelid = to_regclass(${table}) and k.contype = 'p'
          and not exists (select 1 from pg_constraint f where f.confrelid = k.conrelid and f.contype = 'f')`,
  );
  if (key)
    await tx.execute(sql`alter table ${sql.identifier(table)} drop constraint ${sql.identifier(key.name)}`);
  return async () => {
    await buildIndexes();
    if (key)
      await tx.execute(
        sql`alter table ${sql.identifier(table)} add constraint ${sql.identifier(key.name)} ${sql.raw(key.def)}`,
      );
  };
}

/**
 * The plan of the runs that meet an open alert (a subquery over alert_plan_open, whose rows are placed again
 * from the open alert's latest month): what stagedPlan decides for the others, here against the state the
 * open alert has — `action` (the level only rises: the highest of the open alert's and the run's earlier
 * firings') and `event` (against the previous firing's state, or the open alert's as stored).
 */
const openPlan = sql`(
    with p as (
      select s.*, case
          when ${rank('s.level')} > greatest(s.prev_max, ${rank('s.open_level')}) then 'escalate'
          else 'refresh' end as action,
        coalesce(s.prev_level, s.open_level) as before_level, coalesce(s.prev_rule, s.open_rule) as before_rule
      from alert_plan_open s
    )
    select p.*, case
        when p.action = 'escalate' or ${rank('p.level')} > ${rank('p.before_level')} then 'escalated'
        when ${rank('p.level')} < ${rank('p.before_level')} then 'deescalated'
        when p.rule_id <> p.before_rule then 'refreshed'
      end as event
    from p
  )`;

/**
 * A pattern's rows of each subject staged as one (stage.ts) in `firms` (alert_firm_patterns or rows taken from
 * it), as staged firings in alert_firings' column order.
 */
const patternRowsOf = (firms: SQL) => sql`select f.seq + p.seq as seq, f.subject_kind, f.subject_key,
    f.enterprise_id, f.cluster_code, f.region_code, p.signal, p.rule_id, p.level, p.month, p.evidence, p.n, p.last,
    p.first_month, p.first_level, f.seq + p.first_seq as first_seq, p.action, p.event
  from ${firms} f join alert_pattern_rows p on p.pattern = f.pattern`;
const patternFirings = patternRowsOf(sql`alert_firm_patterns`);

/**
 * The staged firings without an open alert: the rows staged as they are and those of the subjects staged as a
 * pattern's, expanded here — at province scale ≈ 510,000 rows of ≈ 170,000 firms "not reported" are written
 * into the alerts and their events from ≈ 170,000 short rows and a few patterns, never staged one by one.
 */
const stagedFirings = sql`(select seq, subject_kind, subject_key, enterprise_id, cluster_code, region_code,
      signal, rule_id, level, month, evidence, n, last, first_month, first_level, first_seq, action, event
    from alert_firings
    union all ${patternFirings})`;

/**
 * The order of (month, seq) as one bigint: the month's day number above the seq's 32 bits (seqs are ≥ 0 and
 * below 2^31). Sorted by the pair, rows of the same month — nearly all the rows of a province's backfill fall
 * in one or two months — were told apart by their seq, taken out of both rows (past the texts before it) in
 * every comparison; one bigint is compared as it is. At province scale (≈ 340,000 events sorted with their
 * evidence, ≈ 170,000 new ids) the statement writing the alerts and events fell from 1.9–2.6 s of backend CPU
 * to 1.7 s, the same rows in the same order (issue 13).
 */
const monthSeq = (month: SQL, seq: SQL) => sql`((${month} - date '2000-01-01')::int8 << 32) + ${seq}`;

/** Per month ('YYYY-MM'): firings that raise, escalate, and log an event. */
type Counts = Map<string, { created: number; escalated: number; events: number }>;

/** Adds `rows`' counts to `into`, each times `sign`. */
function addCounts(
  into: Counts,
  rows: { month: string; created: number; escalated: number; events: number }[],
  sign: 1 | -1,
) {
  for (const r of rows) {
    const c = into.get(r.month) ?? { created: 0, escalated: 0, events: 0 };
    c.created += sign * r.created;
    c.escalated += sign * r.escalated;
    c.events += sign * r.events;
    into.set(r.month, c);
  }
}

/** The counts of a relation with `month`, `action` and `event` columns, per month. */
const countsOf = (relation: SQL) =>
  sql`select to_char(month, 'YYYY-MM') as month, count(*) filter (where action = 'create')::int as created,
        count(*) filter (where action = 'escalate')::int as escalated,
        count(*) filter (where event is not null)::int as events
      from ${relation} p group by month`;

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
  // The events are written in month order, sorted with their evidence: at province scale ≈ 340,000 rows,
  // ≈ 75 MB, which the default work_mem (4 MB) sent to disk; the joins' hash tables are as large. A larger
  // work_mem for these statements only (set_config(…, true): this transaction, then set back to what
  // it was).
  const [wm] = await queryRows<{ v: string }>(tx, sql`select current_setting('work_mem') as v`);
  await tx.execute(sql`select set_config('work_mem', ${MERGE_WORK_MEM}, true)`);
  await tx.execute(sql`drop table if exists alert_plan_open`);
  // The firings of runs that meet an open alert move from the staging table and are placed again: the run
  // starts at the alert's latest month (a month before it is history the alert has already moved past — a
  // correction of an older month, or months evaluated again: its firing counts, but changes the alert no
  // more), and the rows before it in the run are the alert's own state. A window over these rows alone: a
  // backfill into a table without open alerts sorts nothing. What stays staged are the runs without one,
  // planned as staged; the statement answers the staged counts of the rows it moved (planned again below).
  await tx.execute(
    sql`create temp table alert_plan_open (seq int, subject_kind text, subject_key text, enterprise_id bigint,
          cluster_code text, region_code text, signal text, rule_id text, level text, month date, evidence jsonb,
          open_id bigint, open_level text, open_rule text, n bigint, last boolean, first_month date,
          first_level text, first_seq int, prev_level text, prev_rule text, prev_max int) on commit drop`,
  );
  // A subject staged as a pattern's whose run meets an open alert has its rows staged one by one first (the
  // rows of all its signals: its pattern's rows stay whole), then moved as any other's below.
  await tx.execute(
    sql`with met as (
          delete from alert_firm_patterns f
          where (f.subject_key, f.pattern) in (
            select o.subject_key, p.pattern from alerts o join alert_pattern_rows p on p.signal = o.signal
            where o.open)
          returning f.*
        )
        insert into alert_firings ${patternRowsOf(sql`met`)}`,
  );
  const moved = await queryRows<{ month: string; created: number; escalated: number; events: number }>(
    tx,
    sql`with moved as (
          delete from alert_firings f using alerts o
          where o.open and o.subject_key = f.subject_key and o.signal = f.signal
          returning f.*, o.id as open_id, o.level as open_level, o.rule_id as open_rule, o.last_month as open_last
        ), placed as (
          insert into alert_plan_open
          select f.seq, f.subject_kind, f.subject_key, f.enterprise_id, f.cluster_code, f.region_code, f.signal,
            f.rule_id, f.level, f.month, f.evidence, f.open_id, f.open_level, f.open_rule, row_number() over w,
            f.last, first_value(f.month) over w, first_value(f.level) over w, first_value(f.seq) over w,
            lag(f.level) over w, lag(f.rule_id) over w,
            coalesce(max(${rank('f.level')}) over (w rows between unbounded preceding and 1 preceding), 0)
          from moved f
          where f.month >= f.open_last
          -- bytewise ("C") partitions: the sort compares with memcmp and abbreviated keys instead of the
          -- database's collation (the grouping is the same: these collations are deterministic)
          window w as (partition by f.subject_key collate "C", f.signal collate "C" order by f.month)
        )
        ${countsOf(sql`moved`)}`,
  );
  // without statistics the planner takes a temporary table for a thousand rows (hash joins sized for that)
  await tx.execute(sql`analyze alert_plan_open`);
  // the counts: as staged, less the rows moved, plus those rows as planned against their open alerts
  const counts: Counts = new Map();
  addCounts(
    counts,
    await queryRows(
      tx,
      sql`select to_char(month, 'YYYY-MM') as month, created, escalated, events from alert_firing_counts`,
    ),
    1,
  );
  addCounts(counts, moved, -1);
  addCounts(counts, await queryRows(tx, countsOf(openPlan)), 1);
  const created = [...counts.values()].reduce((n, c) => n + c.created, 0);
  const events = [...counts.values()].reduce((n, c) => n + c.events, 0);
  const buildAlertIndexes = (await bulkWrite(tx, 'alerts', created))
    ? await withoutIndexesAndKey(tx, 'alerts')
    : null;
  const buildEventIndexes = (await bulkWrite(tx, 'alert_events', events))
    ? await withoutIndexesAndKey(tx, 'alert_events')
    : null;
  const raisedAt = new Date();
  const cal = workCalendar();
  const due = Object.fromEntries(
    LEVELS.map((l) => [l, cal.deadlineAfterWorkingDays(raisedAt, set.deadlines[l]).toISOString()]),
  ) as Record<(typeof LEVELS)[number], string>;
  // The new alerts' ids, given in the order of their first firings (the order the month-by-month writer gave
  // them: first month, then emission) over these two narrow columns alone, then joined to their runs' rows
  // by the run's first row (first_seq): the alerts and their events are written from the staged rows without
  // sorting them with their evidence and without looking the ids up again by subject and signal (at province
  // scale ≈ 170,000 alerts; the join of their ids to ≈ 340,000 events by text keys, with their evidence in
  // its hash table, was most of the merge).
  const [identity] = await queryRows<{ oid: number }>(
    tx,
    sql`select pg_get_serial_sequence('alerts', 'id')::regclass::oid::int8 as oid`,
  );
  await tx.execute(sql`drop table if exists alert_new_ids`);
  await tx.execute(
    sql`create temp table alert_new_ids on commit drop as
        select r.first_seq, nextval(${sql.raw(String(Number(identity!.oid)))}::regclass) as id
        from (select first_seq from ${stagedFirings} s where last order by ${monthSeq(sql`first_month`, sql`first_seq`)}) r`,
  );
  await analyzeSampled(tx, ['alert_new_ids']);
  // New alerts, each from its latest firing (the last row of a subject and signal without an open alert):
  // raised at the first firing's month and level (the deadline's). Every firing of a new alert that logs an
  // event is logged against it, those of open alerts against theirs, in month order. Each deadline is cast
  // where it is a constant: a cast of the case's text parsed a timestamp per new alert (≈ 170,000 at province
  // scale, ≈ 60 ms of the statement's ≈ 850 ms of backend CPU).
  await tx.execute(
    sql`with created as (
          insert into alerts (id, subject_kind, subject_key, enterprise_id, cluster_code, region_code, signal,
            rule_id, level, rule_set_version, first_month, last_month, evidence, created_at, updated_at, deadline_at)
          overriding system value
          select i.id, l.subject_kind, l.subject_key, l.enterprise_id, l.cluster_code, l.region_code, l.signal,
            l.rule_id, l.level, ${version}, l.first_month, l.month, l.evidence, ${raisedAt.toISOString()}::timestamptz,
            case when l.n > 1 then now() else ${raisedAt.toISOString()}::timestamptz end,
            case l.first_level when 'red' then ${due.red}::timestamptz when 'orange' then ${due.orange}::timestamptz
              else ${due.yellow}::timestamptz end
          from ${stagedFirings} l join alert_new_ids i on i.first_seq = l.first_seq
          where l.last
        )
        insert into alert_events (alert_id, kind, month, level, rule_id, evidence, user_id, username)
        select p.alert_id, p.event, p.month, p.level, p.rule_id, p.evidence, ${actor.id}, ${actor.username}
        from (
          select i.id as alert_id, f.event, f.month, f.seq, f.level, f.rule_id, f.evidence
          from ${stagedFirings} f join alert_new_ids i on i.first_seq = f.first_seq
          where f.event is not null
          union all
          select p.open_id, p.event, p.month, p.seq, p.level, p.rule_id, p.evidence
          from ${openPlan} p
          where p.event is not null
        ) p
        order by ${monthSeq(sql`p.month`, sql`p.seq`)}`,
  );
  // open alerts that fired: the latest firing's rule, level and evidence, the latest month — only where one
  // of them differs (evaluating unchanged data again changes no row)
  await tx.execute(
    sql`update alerts a set level = l.level, rule_id = l.rule_id, last_month = greatest(a.last_month, l.month),
          evidence = l.evidence, rule_set_version = ${version}, updated_at = now()
        from alert_plan_open l
        where l.open_id = a.id and l.last
          and ((a.level, a.rule_id, a.evidence, a.rule_set_version) is distinct from (l.level, l.rule_id, l.evidence, ${version})
            or a.last_month < l.month)`,
  );
  await buildAlertIndexes?.();
  await buildEventIndexes?.();
  await tx.execute(sql`drop table alert_new_ids`);
  await tx.execute(sql`drop table alert_plan_open`);
  await tx.execute(sql`drop table alert_firing_counts`);
  await tx.execute(sql`drop table alert_firings`);
  await tx.execute(sql`drop table alert_firm_patterns`);
  await tx.execute(sql`drop table alert_pattern_rows`);
  await tx.execute(sql`select set_config('work_mem', ${wm!.v}, true)`);
  return new Map([...counts].map(([month, c]) => [month, { created: c.created, escalated: c.escalated }]));
}
