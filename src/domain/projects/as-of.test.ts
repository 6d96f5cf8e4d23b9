import { describe, expect, it } from 'vitest';
import { projectAsOf } from './as-of.ts';
import { assess, monthEnd, type TrackedProject } from './tracking.ts';

const project: TrackedProject = {
  stage: 'started',
  status: 'active',
  plannedTotalInvestment: 100_000,
  stages: [
    { stage: 'negotiation', plannedDate: '2025-01-10', actualDate: '2025-01-05' },
    { stage: 'signed', plannedDate: '2025-03-01', actualDate: '2025-02-20' },
    { stage: 'land', plannedDate: '2025-05-01', actualDate: '2025-08-15' },
    { stage: 'started', plannedDate: '2025-07-01', actualDate: '2025-10-20' },
    { stage: 'completed', plannedDate: '2026-12-31', actualDate: null },
  ],
  progress: [
    { month: '2025-10', investmentMonth: 5_000, investmentCumulative: 5_000 },
    { month: '2025-11', investmentMonth: 6_000, investmentCumulative: 11_000 },
  ],
};

describe('a project as of a past date', () => {
  it('month ends', () => {
    expect([monthEnd('2026-02'), monthEnd('2024-02'), monthEnd('2026-10'), monthEnd('2026-12')]).toEqual([
      '2026-02-28',
      '2024-02-29',
      '2026-10-31',
      '2026-12-31',
    ]);
  });

  it('stages reached later are not reached, later reports are not in', () => {
    const then = projectAsOf(project, '2025-07-31')!;
    expect(then.stage).toBe('signed');
    expect(then.stages.find((s) => s.stage === 'land')!.actualDate).toBeNull();
    expect(then.progress).toEqual([]);
    // on that day 供地 was overdue (planned 2025-05-01): 91 days late; today's record, assessed on the
    // same day, already has 开工 reached and shows no delay at all
    expect(assess(then, '2025-07-31').daysLate).toBe(91);
    expect(assess(project, '2025-07-31').daysLate).toBe(0);
    const oct = projectAsOf(project, '2025-10-31')!;
    expect(oct.stage).toBe('started');
    expect(oct.progress.map((r) => r.month)).toEqual(['2025-10']);
  });

  it('a project whose every dated stage is later did not exist yet; one without dates is kept', () => {
    expect(projectAsOf(project, '2024-12-31')).toBeNull();
    const undated = { ...project, stages: project.stages.map((s) => ({ ...s, actualDate: null })) };
    expect(projectAsOf(undated, '2024-12-31')!.stage).toBe('started');
  });
});
