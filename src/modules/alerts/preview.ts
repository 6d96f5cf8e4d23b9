// What a rule-set change would do before it is saved: alerts on the latest month under the current and the
// candidate rules (by level), and the backtest of both, with what gets worse.
import type { Db } from '../../db/client.ts';
import { evaluateSubject, worseThan, type RuleSet } from '../../domain/alerts/index.ts';
import { addMonths, monthsBetween } from '../../domain/periods.ts';
import { cachedBacktests } from './backtest.ts';
import { lookbackOf, subjectSignals } from './evaluate.ts';
import { keptNewestMonthReporting, openMonthOf } from './reporting.ts';
import { assertSound, currentRuleSetForRead } from './rules.ts';

export async function previewRuleSet(db: Db, candidate: RuleSet) {
  assertSound(candidate);
  const current = await currentRuleSetForRead(db);
  // the latest month as the evaluation judges it: reporting not judged while it is open
  const reporting = await keptNewestMonthReporting(db, current.definition);
  const month = reporting?.month ?? null;
  const latest = { current: { red: 0, orange: 0, yellow: 0 }, candidate: { red: 0, orange: 0, yellow: 0 } };
  if (month) {
    const back = Math.max(lookbackOf(current.definition), lookbackOf(candidate));
    const { subjects } = await subjectSignals(
      db,
      monthsBetween(addMonths(month, -back), month),
      [month],
      undefined,
      undefined,
      openMonthOf(reporting),
    );
    for (const s of subjects) {
      for (const f of evaluateSubject(current.definition, s.kind, s.series, month)) latest.current[f.level]++;
      for (const f of evaluateSubject(candidate, s.kind, s.series, month)) latest.candidate[f.level]++;
    }
  }
  const [a, b] = await cachedBacktests(db, [current.definition, candidate], month);
  return { month, latest, backtest: { current: a!, candidate: b! }, worse: worseThan(b!, a!) };
}
