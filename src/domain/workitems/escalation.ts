// Escalation as a pure function of now: the marks (reminder, 催办, 督办) are computed once from the deadline
// with the working-day calendar when the deadline is set, and stored beside it; the level at any instant is
// then a comparison, which the sweep does in SQL over all items at once (the same rule as `levelAt`).
import type { WorkCalendar } from '../calendar/index.ts';
import { localDate } from '../calendar/index.ts';
import type { DeadlineRule, EscalationMarks, EscalationPolicy, Level, SlaColour } from './types.ts';
import { LEVELS } from './types.ts';

export const DEFAULT_ESCALATION: EscalationPolicy = {
  remindBeforeWorkingHours: 4,
  urgeAfterWorkingDays: 1,
  escalateAfterWorkingDays: 5,
};

/** The deadline a rule gives for something that starts at `from`; undefined for keep/none/given. */
export function deadlineFor(rule: DeadlineRule, from: Date, cal: WorkCalendar): Date | undefined {
  switch (rule.kind) {
    case 'workingDays':
      return cal.deadlineAfterWorkingDays(from, rule.days);
    case 'workingHours':
      return cal.addWorkingHours(from, rule.hours);
    default:
      return undefined;
  }
}

export function escalationMarks(
  from: Date,
  deadlineAt: Date,
  cal: WorkCalendar,
  policy: EscalationPolicy,
): EscalationMarks {
  const allowed = cal.workingMinutesBetween(from, deadlineAt);
  const lead = Math.min(policy.remindBeforeWorkingHours * 60, allowed / 2);
  const remindAt =
    deadlineAt <= from ? deadlineAt : cal.addWorkingHours(from, Math.max(0, allowed - lead) / 60);
  const urgeDay = cal.addWorkingDays(localDate(deadlineAt), policy.urgeAfterWorkingDays);
  const urgeAt = cal.startOfDay(urgeDay);
  const escalateAt = cal.startOfDay(cal.addWorkingDays(urgeDay, policy.escalateAfterWorkingDays));
  return { deadlineAt, remindAt: remindAt > deadlineAt ? deadlineAt : remindAt, urgeAt, escalateAt };
}

/** The level of a timed item at `now` (the sweep's SQL states the same rule). */
export function levelAt(marks: EscalationMarks, now: Date): Level {
  const t = now.getTime();
  if (t >= marks.escalateAt.getTime()) return 'escalated';
  if (t >= marks.urgeAt.getTime()) return 'urged';
  if (t > marks.deadlineAt.getTime()) return 'overdue';
  if (t >= marks.remindAt.getTime()) return 'due_soon';
  return 'normal';
}

export function levelIndex(level: Level): number {
  return LEVELS.indexOf(level);
}

export function slaColour(level: Level | null, timed: boolean): SlaColour {
  if (!timed || level == null) return 'none';
  switch (level) {
    case 'normal':
      return 'green';
    case 'due_soon':
      return 'yellow';
    case 'overdue':
    case 'urged':
      return 'red';
    case 'escalated':
      return 'purple';
  }
}
