import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  STAGES,
  assess,
  averageAnnualGrowth,
  checkReport,
  daysBetween,
  idleMonths,
  investmentGrowth,
  investmentPace,
  monthEnd,
  overdueStages,
  reconcile,
  stageIndex,
  transition,
  type ProjectStatus,
  type Stage,
  type StageAction,
  type TrackedProject,
} from './index.ts';

const plan = (dates: Partial<Record<Stage, [string | null, string | null]>>) =>
  STAGES.map((stage) => ({
    stage,
    plannedDate: dates[stage]?.[0] ?? null,
    actualDate: dates[stage]?.[1] ?? null,
  }));

describe('stage machine', () => {
  const at = (stage: Stage, status: ProjectStatus = 'active') => ({ stage, status });

  it('moves one stage forward without a reason', () => {
    const r = transition(at('signed'), { kind: 'advance', to: 'land' }, false);
    expect(r).toEqual({ ok: true, next: { stage: 'land', status: 'active' }, skipped: [] });
  });

  it('refuses a skip to someone without the permission, even with a reason', () => {
    const r = transition(
      at('signed'),
      { kind: 'advance', to: 'started', reason: '以租代供，无需供地' },
      false,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toBe('skipNotAllowed');
  });

  it('lets a permitted user skip with a reason and names the skipped stages', () => {
    expect(transition(at('signed'), { kind: 'advance', to: 'started' }, true)).toMatchObject({
      ok: false,
      problem: 'reasonRequired',
    });
    expect(transition(at('signed'), { kind: 'advance', to: 'started', reason: '  ab ' }, true)).toMatchObject(
      { ok: false, problem: 'reasonRequired' },
    );
    const r = transition(
      at('negotiation'),
      { kind: 'advance', to: 'started', reason: '利用已有厂房，无需供地' },
      true,
    );
    expect(r).toEqual({
      ok: true,
      next: { stage: 'started', status: 'active' },
      skipped: ['signed', 'land'],
    });
  });

  it('never moves back, nor to the same stage', () => {
    expect(transition(at('started'), { kind: 'advance', to: 'land' }, true)).toMatchObject({
      ok: false,
      problem: 'backward',
    });
    expect(transition(at('started'), { kind: 'advance', to: 'started' }, true)).toMatchObject({
      ok: false,
      problem: 'same',
    });
  });

  it('pauses with a reason, resumes, and terminates for good', () => {
    expect(transition(at('land'), { kind: 'pause' }, false)).toMatchObject({
      ok: false,
      problem: 'reasonRequired',
    });
    expect(transition(at('land'), { kind: 'pause', reason: '资金链紧张' + '，暂缓' }, false)).toMatchObject({
      ok: true,
      next: { stage: 'land', status: 'paused' },
    });
    expect(transition(at('land', 'paused'), { kind: 'advance', to: 'started' }, true)).toMatchObject({
      ok: false,
      problem: 'paused',
    });
    expect(transition(at('land', 'paused'), { kind: 'resume' }, false)).toMatchObject({
      ok: true,
      next: { stage: 'land', status: 'active' },
    });
    expect(transition(at('land'), { kind: 'resume' }, false)).toMatchObject({
      ok: false,
      problem: 'notPaused',
    });
    expect(
      transition(at('land'), { kind: 'terminate', reason: '投资方撤资，项目终止' }, false),
    ).toMatchObject({ ok: true, next: { status: 'terminated' } });
    expect(transition(at('land', 'terminated'), { kind: 'resume' }, true)).toMatchObject({
      ok: false,
      problem: 'terminated',
    });
  });

  it('property: an accepted advance never goes back, and skips exactly the stages between', () => {
    const stage = fc.constantFrom(...STAGES);
    const action: fc.Arbitrary<StageAction> = fc.oneof(
      fc.record({
        kind: fc.constant('advance' as const),
        to: stage,
        reason: fc.option(fc.string(), { nil: null }),
      }),
      fc.record({
        kind: fc.constantFrom('pause' as const, 'resume' as const, 'terminate' as const),
        reason: fc.option(fc.string(), { nil: null }),
      }),
    );
    fc.assert(
      fc.property(
        stage,
        fc.constantFrom<ProjectStatus>('active', 'paused', 'terminated'),
        action,
        fc.boolean(),
        (s, status, a, maySkip) => {
          const r = transition({ stage: s, status }, a, maySkip);
          if (!r.ok) return;
          expect(status).not.toBe('terminated');
          expect(stageIndex(r.next.stage)).toBeGreaterThanOrEqual(stageIndex(s));
          if (a.kind === 'advance') {
            expect(r.skipped.length).toBe(stageIndex(a.to) - stageIndex(s) - 1);
            if (r.skipped.length > 0) {
              expect(maySkip).toBe(true);
              expect((a.reason ?? '').trim().length).toBeGreaterThanOrEqual(4);
            }
          } else expect(r.next.stage).toBe(s);
        },
      ),
    );
  });
});

describe('delay rules', () => {
  const signed: TrackedProject = {
    stage: 'land',
    status: 'active',
    plannedTotalInvestment: 12_000,
    stages: plan({
      signed: ['2026-01-10', '2026-01-12'],
      land: ['2026-03-01', '2026-03-20'],
      started: ['2026-06-30', null],
      completed: ['2027-06-30', null],
    }),
    progress: [{ month: '2026-06', investmentMonth: 300, investmentCumulative: 800 }],
  };

  it('is not delayed on its planned 开工 date, and is delayed from the next day', () => {
    expect(assess(signed, '2026-06-30').delayed).toBe(false);
    const next = assess(signed, '2026-07-01');
    expect(next.delayed).toBe(true);
    expect(next.stalled).toBe(true);
    expect(next.reasons).toEqual(['overdue']);
    expect(next.overdue).toEqual([{ stage: 'started', plannedDate: '2026-06-30', daysLate: 1 }]);
    expect(next.daysLate).toBe(1);
  });

  it('counts every overdue stage not reached, and ignores stages reached', () => {
    const o = overdueStages('land', signed.stages, '2027-07-02');
    expect(o.map((x) => [x.stage, x.daysLate])).toEqual([
      ['started', 367],
      ['completed', 2],
    ]);
    expect(assess(signed, '2026-07-01').lateMilestones).toEqual([
      { stage: 'signed', plannedDate: '2026-01-10', actualDate: '2026-01-12', daysLate: 2 },
      { stage: 'land', plannedDate: '2026-03-01', actualDate: '2026-03-20', daysLate: 19 },
    ]);
  });

  it('does not flag paused or terminated projects as delayed, but keeps paused ones on the stalled list', () => {
    const paused = assess({ ...signed, status: 'paused' }, '2026-08-01');
    expect(paused.delayed).toBe(false);
    expect(paused.stalled).toBe(true);
    const ended = assess({ ...signed, status: 'terminated' }, '2026-08-01');
    expect(ended.stalled).toBe(false);
    expect(ended.missingReport).toBe(false);
  });

  it('judges investment pace by hand', () => {
    // 开工 2026-01-01, planned 竣工 2026-12-31 (364 days); on 2026-07-01 (181 days) 181/364 of 36 400 = 18 100 expected
    const p: TrackedProject = {
      stage: 'started',
      status: 'active',
      plannedTotalInvestment: 36_400,
      stages: plan({ started: ['2026-01-01', '2026-01-01'], completed: ['2026-12-31', null] }),
      progress: [{ month: '2026-06', investmentMonth: 2_000, investmentCumulative: 12_000 }],
    };
    const pace = investmentPace(p, '2026-07-01');
    expect(pace.elapsed).toBeCloseTo(181 / 364, 12);
    expect(pace.expected).toBeCloseTo(18_100, 9);
    expect(pace.ratio).toBeCloseTo(12_000 / 18_100, 12); // 0.663 < 0.7 → slow
    expect(pace.slow).toBe(true);
    expect(
      investmentPace(
        { ...p, progress: [{ month: '2026-06', investmentMonth: 2_000, investmentCumulative: 12_670 }] },
        '2026-07-01',
      ).slow,
    ).toBe(false);
    // too early to judge: 2026-03-01 is 59/364 < 25 % of the period
    expect(investmentPace({ ...p, progress: [] }, '2026-03-01').slow).toBe(false);
  });

  it('counts idle construction months back from last month', () => {
    const p: TrackedProject = {
      stage: 'started',
      status: 'active',
      plannedTotalInvestment: 1_000_000,
      stages: plan({ started: ['2026-01-15', '2026-02-03'], completed: ['2030-01-01', null] }),
      progress: [
        { month: '2026-02', investmentMonth: 100, investmentCumulative: 100 },
        { month: '2026-03', investmentMonth: 50, investmentCumulative: 150 },
        { month: '2026-04', investmentMonth: 0, investmentCumulative: 150 },
        // May missing, June zero
        { month: '2026-06', investmentMonth: 0, investmentCumulative: 150 },
      ],
    };
    expect(idleMonths(p, '2026-07')).toBe(3); // June, May, April
    expect(assess(p, '2026-07-10').reasons).toContain('idle');
    expect(idleMonths(p, '2026-05')).toBe(1);
    // never before 开工: a project started in February cannot be idle in January
    expect(idleMonths({ ...p, progress: [] }, '2026-03')).toBe(1); // February only
  });

  it('flags a missing report for the current month only for projects that must report', () => {
    expect(assess(signed, '2026-06-15').missingReport).toBe(false); // June reported
    expect(assess(signed, '2026-07-01').missingReport).toBe(true);
    expect(assess({ ...signed, stage: 'negotiation' }, '2026-07-01').missingReport).toBe(false);
    expect(assess({ ...signed, stage: 'full_production' }, '2026-07-01').missingReport).toBe(false);
  });

  it('property: a project is never delayed by overdue dates on or before them', () => {
    const day = fc
      .integer({ min: 0, max: 3000 })
      .map((n) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.integer({ min: -400, max: 400 }), (planned, offset) => {
        const today = new Date(Date.parse(planned) + offset * 86_400_000).toISOString().slice(0, 10);
        const o = overdueStages('signed', plan({ started: [planned, null] }), today);
        expect(o.length === 1).toBe(offset > 0);
        if (o.length) expect(o[0]!.daysLate).toBe(offset);
      }),
    );
  });

  it('does date arithmetic across leap days and month ends', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(monthEnd('2024-02')).toBe('2024-02-29');
    expect(monthEnd('2026-12')).toBe('2026-12-31');
  });
});

describe('monthly report check', () => {
  const prev = { month: '2026-05', investmentMonth: 100, investmentCumulative: 1_000 };

  it('fills 累计 from the previous report when left out', () => {
    expect(checkReport(prev, { month: '2026-06', investmentMonth: 250 })).toEqual({
      ok: true,
      investmentCumulative: 1_250,
    });
    expect(checkReport(null, { month: '2026-06', investmentMonth: 250 })).toEqual({
      ok: true,
      investmentCumulative: 250,
    });
  });

  it('requires 累计 = previous + 本月 for consecutive months, within rounding', () => {
    expect(
      checkReport(prev, { month: '2026-06', investmentMonth: 250, investmentCumulative: 1_250.4 }).ok,
    ).toBe(true);
    const bad = checkReport(prev, { month: '2026-06', investmentMonth: 250, investmentCumulative: 1_300 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.field).toBe('investmentCumulative');
  });

  it('after a gap accepts a larger 累计 but not a smaller one', () => {
    expect(
      checkReport(prev, { month: '2026-08', investmentMonth: 250, investmentCumulative: 1_900 }).ok,
    ).toBe(true);
    expect(
      checkReport(prev, { month: '2026-08', investmentMonth: 250, investmentCumulative: 1_100 }).ok,
    ).toBe(false);
  });

  it('refuses a negative month', () => {
    expect(checkReport(null, { month: '2026-06', investmentMonth: -1 })).toMatchObject({
      ok: false,
      field: 'investmentMonth',
    });
  });
});

describe('investment growth', () => {
  it('computes 1–N月 year on year per group by hand', () => {
    const t = investmentGrowth(
      [
        { group: 'textile', month: '2025-01', amount: 100 },
        { group: 'textile', month: '2025-03', amount: 100 },
        { group: 'textile', month: '2025-04', amount: 999 }, // after N = 3: not counted
        { group: 'textile', month: '2026-02', amount: 230 },
        { group: 'auto', month: '2026-01', amount: 50 },
        { group: 'auto', month: '2024-01', amount: 70 }, // two years back: not counted
        { group: 'auto', month: '2025-02', amount: 50 },
      ],
      '2026-03',
    );
    expect(t.year).toBe(2026);
    expect(t.months).toBe(3);
    const textile = t.rows.find((r) => r.group === 'textile')!;
    expect(textile).toMatchObject({ current: 230, previous: 200, meetsGoal: true });
    expect(textile.growth).toBeCloseTo(0.15, 12); // exactly 15 % meets ≥ 15 %
    expect(t.rows.find((r) => r.group === 'auto')).toMatchObject({
      current: 50,
      previous: 50,
      growth: 0,
      meetsGoal: false,
    });
    expect(t.total).toMatchObject({ current: 280, previous: 250 });
    expect(t.total.growth).toBeCloseTo(0.12, 12);
  });

  it('gives no growth on a zero base', () => {
    const t = investmentGrowth([{ group: 'x', month: '2026-01', amount: 10 }], '2026-01');
    expect(t.rows[0]).toMatchObject({ growth: null, meetsGoal: null });
  });

  it('property: group rows add up to the total', () => {
    const fact = fc.record({
      group: fc.constantFrom('a', 'b', 'c'),
      month: fc
        .tuple(fc.integer({ min: 2024, max: 2026 }), fc.integer({ min: 1, max: 12 }))
        .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
      amount: fc.integer({ min: 0, max: 100_000 }),
    });
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (facts, n) => {
        const t = investmentGrowth(facts, `2026-${String(n).padStart(2, '0')}`);
        expect(t.rows.reduce((s, r) => s + r.current, 0)).toBe(t.total.current);
        expect(t.rows.reduce((s, r) => s + r.previous, 0)).toBe(t.total.previous);
      }),
    );
  });

  it('computes average annual growth', () => {
    expect(averageAnnualGrowth(100, 121, 2)).toBeCloseTo(0.1, 12);
    expect(averageAnnualGrowth(0, 121, 2)).toBeNull();
  });

  it('reconciles with statistics', () => {
    expect(reconcile(100, null).status).toBe('noStatistics');
    expect(reconcile(97, 100)).toMatchObject({ status: 'agrees', difference: -3, coverage: 0.97 });
    expect(reconcile(60, 100)).toMatchObject({ status: 'projectsBelow', coverage: 0.6 });
    expect(reconcile(130, 100).status).toBe('projectsAbove');
  });
});
