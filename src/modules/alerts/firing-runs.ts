// The firings of an evaluation as the rows the alert writer stages (issue 13): per subject and signal, the
// months in order, reduced to the firings where the alert's state can change — the first one, each one whose
// rule or level differs from the firing before it, and the last one. The firings left out repeat the state
// of the one before them: they would neither raise, escalate nor change an alert, and the last firing alone
// gives the alert's latest month and evidence. At province scale 170,000 firms missing from a file fire "not
// reported" in every month: twelve firings each became three rows (raised, escalated, latest).
import type { Firing, SignalKey, SubjectKind } from '../../domain/alerts/index.ts';
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
}

/** One firing of a subject in a month as a staged row. */
export function stagedFiring(
  subject: FiringSubject,
  firing: Firing,
  month: Month,
  next: { seq: number },
): StagedFiring {
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
 * as evaluateSubject gives them); `fired` counts every firing per month (the evaluation's counts).
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
  const row = (firing: Firing, month: Month) => stagedFiring(subject, firing, month, next);
  for (const month of months) {
    const firings = firingsOf(month);
    if (firings.length) fired.set(month, (fired.get(month) ?? 0) + firings.length);
    for (const firing of firings) {
      const before = last.get(firing.signal);
      const changed =
        !before || before.firing.level !== firing.level || before.firing.ruleId !== firing.ruleId;
      if (changed) yield row(firing, month);
      last.set(firing.signal, { firing, month, staged: changed });
    }
  }
  for (const l of last.values()) if (!l.staged) yield row(l.firing, l.month);
}
