// A project as it stood at a past date (the monthly bulletin's 滞后项目 are those of the bulletin month,
// not of the day it is printed): stages reached after the date are not reached yet, monthly reports of
// later months are not in yet. The status (暂停/终止) has no history in the data and stays the current one.
import { STAGES, stageIndex, type Stage } from './stages.ts';
import type { TrackedProject } from './tracking.ts';

/**
 * The project as of `date` (YYYY-MM-DD), or null when it did not exist yet (every stage it has reached
 * was reached after the date). A stage without an actual date is taken as reached when the current
 * stage is past it (the data do not say when), as the tracking rules do.
 */
export function projectAsOf<P extends TrackedProject>(p: P, date: string): P | null {
  const dated = p.stages.filter((s) => s.actualDate);
  if (dated.length && dated.every((s) => s.actualDate! > date)) return null;
  const month = date.slice(0, 7);
  const current = p.stages.find((s) => s.stage === p.stage);
  let stage: Stage = p.stage;
  if (current?.actualDate && current.actualDate > date) {
    const before = dated
      .filter((s) => s.actualDate! <= date && stageIndex(s.stage) < stageIndex(p.stage))
      .sort((a, b) => stageIndex(b.stage) - stageIndex(a.stage))[0];
    stage = before?.stage ?? STAGES[0];
  }
  return {
    ...p,
    stage,
    stages: p.stages.map((s) => (s.actualDate && s.actualDate > date ? { ...s, actualDate: null } : s)),
    progress: p.progress.filter((r) => r.month <= month),
  };
}
