import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CN_CALENDAR as cal, dayNumber } from '../calendar/index.ts';
import { SAMPLE_FLOW as flow } from '../../../test/helpers/workitems.ts';
import {
  availableTransitions,
  checkTransition,
  DEFAULT_ESCALATION,
  deadlineFor,
  escalationMarks,
  levelAt,
  levelIndex,
  slaColour,
  workflowProblems,
  type Relation,
  type WorkflowDefinition,
} from './index.ts';

const cst = (s: string) => new Date(`${s}+08:00`);

const rel = (...r: Relation[]) => new Set<Relation>(r);

describe('the state machine as data', () => {
  it('a sound definition has no problems; a broken one says what is wrong', () => {
    expect(workflowProblems(flow)).toEqual([]);
    const broken: WorkflowDefinition = {
      ...flow,
      transitions: [
        ...flow.transitions,
        { name: 'undo', zh: '撤销', en: 'Undo', from: ['closed'], to: 'nowhere', by: [] },
      ],
    };
    expect(workflowProblems(broken)).toEqual([
      'undo: target nowhere unknown',
      'undo: leaves final state closed',
      'undo: nobody may fire it',
    ]);
  });
  it('offers each relation only its own transitions', () => {
    expect(availableTransitions(flow, 'new', rel('coordinator')).map((t) => t.name)).toEqual(['assign']);
    expect(availableTransitions(flow, 'assigned', rel('owner')).map((t) => t.name)).toEqual([
      'return',
      'answer',
    ]);
    expect(availableTransitions(flow, 'assigned', rel('subject'))).toEqual([]);
  });
  it('refuses with the reason: wrong state, wrong person, reason or owner missing', () => {
    expect(checkTransition(flow, 'new', 'answer', rel('owner'), {})).toMatchObject({
      ok: false,
      code: 'wrong_state',
    });
    expect(checkTransition(flow, 'assigned', 'answer', rel('subject'), {})).toMatchObject({
      ok: false,
      code: 'not_allowed',
    });
    expect(checkTransition(flow, 'assigned', 'return', rel('owner'), { reason: '  ' })).toMatchObject({
      ok: false,
      code: 'reason_required',
    });
    expect(checkTransition(flow, 'new', 'assign', rel('coordinator'), {})).toMatchObject({
      ok: false,
      code: 'owner_required',
    });
    expect(checkTransition(flow, 'new', 'nope', rel('coordinator'), {})).toMatchObject({
      ok: false,
      code: 'unknown_transition',
    });
    expect(checkTransition(flow, 'new', 'assign', rel('coordinator'), { ownerUnitId: 3 })).toMatchObject({
      ok: true,
      to: 'assigned',
    });
  });
});

describe('deadlines and escalation', () => {
  it('a 7-working-day deadline set on the eve of 国庆 2025 skips the holiday; 催办 and 督办 follow in working days', () => {
    const from = cst('2025-09-26T10:00:00');
    const deadline = deadlineFor({ kind: 'workingDays', days: 7 }, from, cal)!;
    expect(deadline).toEqual(cst('2025-10-13T17:30:00'));
    const m = escalationMarks(from, deadline, cal, DEFAULT_ESCALATION);
    // 4 office hours before the 17:30 close: the end of the morning (12:00 and 13:30 are the same office instant)
    expect(m.remindAt).toEqual(cst('2025-10-13T12:00:00'));
    expect(m.urgeAt).toEqual(cst('2025-10-14T09:00:00')); // the day after
    expect(m.escalateAt).toEqual(cst('2025-10-21T09:00:00')); // 5 working days after the 催办
    expect(levelAt(m, cst('2025-10-01T10:00:00'))).toBe('normal');
    expect(levelAt(m, cst('2025-10-13T14:00:00'))).toBe('due_soon');
    expect(levelAt(m, cst('2025-10-13T20:00:00'))).toBe('overdue');
    expect(levelAt(m, cst('2025-10-14T09:00:00'))).toBe('urged');
    expect(levelAt(m, cst('2025-10-21T09:00:00'))).toBe('escalated');
    expect(slaColour(levelAt(m, cst('2025-10-21T09:00:00')), true)).toBe('purple');
  });
  it('春节 2026: a deadline falling in the holiday is urged after 2.24 and escalated after 调休 2.28', () => {
    const from = cst('2026-02-10T16:00:00');
    const deadline = deadlineFor({ kind: 'workingDays', days: 3 }, from, cal)!;
    expect(deadline).toEqual(cst('2026-02-13T17:30:00')); // 2.11, 2.12, 2.13
    const m = escalationMarks(from, deadline, cal, DEFAULT_ESCALATION);
    expect(m.urgeAt).toEqual(cst('2026-02-14T09:00:00')); // the 调休 Saturday
    expect(m.escalateAt).toEqual(cst('2026-02-28T09:00:00')); // 2.24, 2.25, 2.26, 2.27, 2.28 (Sat)
  });
  it('one working hour (first contact) asked at 11:30 ends at 14:00', () => {
    expect(deadlineFor({ kind: 'workingHours', hours: 1 }, cst('2025-03-03T11:30:00'), cal)).toEqual(
      cst('2025-03-03T14:00:00'),
    );
  });
  it('levels only climb as time passes, and the marks are ordered', () => {
    const instant = fc
      .integer({ min: dayNumber('2025-01-01') * 86400, max: dayNumber('2026-11-30') * 86400 })
      .map((s) => new Date(s * 1000));
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 40 * 86400 }),
        fc.integer({ min: 0, max: 40 * 86400 }),
        (from, days, d1, d2) => {
          const deadline = cal.deadlineAfterWorkingDays(from, days);
          const m = escalationMarks(from, deadline, cal, DEFAULT_ESCALATION);
          const ordered = m.remindAt <= m.deadlineAt && m.deadlineAt < m.urgeAt && m.urgeAt < m.escalateAt;
          const a = new Date(from.getTime() + Math.min(d1, d2) * 1000);
          const b = new Date(from.getTime() + Math.max(d1, d2) * 1000);
          return ordered && levelIndex(levelAt(m, a)) <= levelIndex(levelAt(m, b));
        },
      ),
    );
  });
});
