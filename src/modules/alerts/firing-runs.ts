// The firings of an evaluation as the rows the alert writer stages (issue 13): per subject and signal, the
// months in order, reduced to the firings where the alert's state can change — the first one, each one whose
// rule or level differs from the firing before it, and the last one. The firings left out repeat the state
// of the one before them: they would neither raise, escalate nor change an alert, and the last firing alone
// gives the alert's latest month and evidence. At province scale 170,000 firms missing from a file fire "not
// reported" in every month: twelve firings each became three rows (raised, escalated, latest).
//
// Each row also carries its place in the run of its subject and signal (position, first row, the row before,
// the highest level before it, whether it is the last): what the writer's plan would otherwise get from a
// window over every staged row, sorted by subject and signal (at province scale ≈ 510,000 rows with their
// evidence). The rows of one subject come in one go, so the run is known here at no cost; the writer
// recomputes it only where an open alert cuts the run short (write.ts).
import { LEVEL_RANK, type Firing, type SignalKey, type SubjectKind } from '../../domain/alerts/index.ts';
import type { Month } from '../../domain/periods.ts';

export interface FiringSubject {
  kind: SubjectKind;
  key: string;
  enterpriseId: number | null;
  clusterCode: string | null;
  regionCode: string | null;
}

/** One staged firing (a row of the writer's staging table). */
export interface StagedFiring {
  /** emission order: alerts raised in one month get their ids in this order */
  seq: number;
  subject_kind: SubjectKind;
  subject_key: string;
  enterprise_id: number | null;
  cluster_code: string | null;
  region_code: string | null;
  signal: SignalKey;
  rule_id: string;
  level: Firing['level'];
  month: string;
  evidence: Firing['evidence'];
  /** the row's position in the staged run of its subject and signal (1 = first) */
  n: number;
  /** whether it is the run's last row (the latest firing) */
  last: boolean;
  /** the run's first row: month, level and seq */
  first_month: string;
  first_level: Firing['level'];
  first_seq: number;
  /** the run's row before this one: level and rule (null on the first) */
  prev_level: Firing['level'] | null;
  prev_rule: string | null;
  /** the highest level rank (LEVEL_RANK) of the run's rows before this one, 0 on the first */
  prev_max: number;
}

/** A row's own fields, before its place in the run is known. */
type FiringFields = Omit<
  StagedFiring,
  'n' | 'last' | 'first_month' | 'first_level' | 'first_seq' | 'prev_level' | 'prev_rule' | 'prev_max'
>;

/** One firing of a subject in a month as a staged row's own fields. */
function firingFields(
  subject: FiringSubject,
  firing: Firing,
  month: Month,
  next: { seq: number },
): FiringFields {
  return {
    seq: next.seq++,
    subject_kind: subject.kind,
    subject_key: subject.key,
    enterprise_id: subject.enterpriseId,
    cluster_code: subject.clusterCode,
    region_code: subject.regionCode,
    signal: firing.signal,
    rule_id: firing.ruleId,
    level: firing.level,
    month: `${month}-01`,
    evidence: firing.evidence,
  };
}

/**
 * The staged rows of one subject: `firingsOf(month)` answers its firings of a month (at most one per signal,
 * as evaluateSubject gives them); `fired` counts every firing per month (the evaluation's counts). The rows
 * come in emission order (their seq), once the subject's months are all seen.
 */
export function* firingRuns(
  subject: FiringSubject,
  months: readonly Month[],
  firingsOf: (month: Month) => readonly Firing[],
  fired: Map<Month, number>,
  next: { seq: number },
): Generator<StagedFiring> {
  // per signal: the last firing seen and whether it was staged
  const last = new Map<SignalKey, { firing: Firing; month: Month; staged: boolean }>();
  const rows: FiringFields[] = [];
  const row = (firing: Firing, month: Month) => rows.push(firingFields(subject, firing, month, next));
  for (const month of months) {
    const firings = firingsOf(month);
    if (firings.length) fired.set(month, (fired.get(month) ?? 0) + firings.length);
    for (const firing of firings) {
      const before = last.get(firing.signal);
      const changed =
        !before || before.firing.level !== firing.level || before.firing.ruleId !== firing.ruleId;
      if (changed) row(firing, month);
      last.set(firing.signal, { firing, month, staged: changed });
    }
  }
  for (const l of last.values()) if (!l.staged) row(l.firing, l.month);
  yield* placedInRuns(rows);
}

/**
 * The rows with their place in their signal's run. Per signal the rows come in month order (each month's
 * changes in turn, then the latest firing when it was not one of them).
 */
function* placedInRuns(rows: readonly FiringFields[]): Generator<StagedFiring> {
  const runs = new Map<SignalKey, StagedFiring[]>();
  const placed = rows.map((r) => {
    const run = runs.get(r.signal) ?? [];
    runs.set(r.signal, run);
    const first = run[0];
    const prev = run.at(-1);
    // every field named (no spread): the rows' own fields differ in type from subject to subject (a firm's
    // number, a county's null), and a spread of them took ≈ 8 µs a row at province scale (4 s for 511,000)
    const row: StagedFiring = {
      seq: r.seq,
      subject_kind: r.subject_kind,
      subject_key: r.subject_key,
      enterprise_id: r.enterprise_id,
      cluster_code: r.cluster_code,
      region_code: r.region_code,
      signal: r.signal,
      rule_id: r.rule_id,
      level: r.level,
      month: r.month,
      evidence: r.evidence,
      n: run.length + 1,
      last: false,
      first_month: first?.month ?? r.month,
      first_level: first?.level ?? r.level,
      first_seq: first?.seq ?? r.seq,
      prev_level: prev?.level ?? null,
      prev_rule: prev?.rule_id ?? null,
      prev_max: prev ? Math.max(prev.prev_max, LEVEL_RANK[prev.level]) : 0,
    };
    run.push(row);
    return row;
  });
  for (const run of runs.values()) run.at(-1)!.last = true;
  yield* placed;
}

/**
 * The staged rows that one map of firings gives any subject, placed once (seqs from 0): the firms evaluated by
 * their reporting alone share their firings (UnreportedFirings, one map per reporting pattern), so their rows
 * differ only in the subject and where their seqs start. At province scale ≈ 170,000 firms gave ≈ 510,000
 * staged rows of 10 distinct patterns' rows; staged as one row per firm (stage.ts) and expanded in the merge
 * (write.ts), none of them is encoded, copied or parsed as a firing of its own.
 */
export interface FiringPattern {
  /** its number among the evaluation's patterns */
  id: number;
  /** the rows as firingRuns gives them, `seq` and `first_seq` counted from the firm's first row */
  rows: StagedFiring[];
  /** the firings per month of each firm with this pattern (the evaluation's counts) */
  fired: [Month, number][];
}

/** A subject whose staged rows are a pattern's (stage.ts stages it as one row), its rows' seqs from `seq`. */
export interface PatternSubject {
  subject: FiringSubject;
  seq: number;
  pattern: FiringPattern;
}

/**
 * The pattern of `firingsOf`'s firings (see FiringPattern), placed as firingRuns places them; `id` its number.
 */
export function firingPattern(
  subject: FiringSubject,
  months: readonly Month[],
  firingsOf: (month: Month) => readonly Firing[],
  id: number,
): FiringPattern {
  const fired = new Map<Month, number>();
  const rows = [...firingRuns(subject, months, firingsOf, fired, { seq: 0 })];
  return { id, rows, fired: [...fired] };
}
