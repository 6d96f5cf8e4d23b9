// Hand-computed cases of the two signals fed from the project library: a firm's project delay (as of each
// month's end, so a history replays) and a cluster's or county's investment growth against the city's.
import { describe, expect, it } from 'vitest';
import {
  evaluateSubject,
  investmentGrowthGaps,
  projectDaysLate,
  projectDelayMonths,
  type FirmProject,
  type Rule,
  type SignalRow,
} from './index.ts';

const project = (over: Partial<FirmProject> = {}): FirmProject => ({
  stage: 'land',
  status: 'active',
  stages: [
    { stage: 'signed', plannedDate: '2025-06-01', actualDate: '2025-06-01' },
    { stage: 'land', plannedDate: '2025-09-01', actualDate: '2025-10-20' },
    { stage: 'started', plannedDate: '2026-01-15', actualDate: null },
    { stage: 'completed', plannedDate: '2027-06-30', actualDate: null },
  ],
  ...over,
});

describe('project delay, by hand', () => {
  it('counts from the day after the planned date, in whole 30-day months at the month end', () => {
    // 开工 planned 2026-01-15, not reached: 2026-01-31 is 16 days late, 2026-04-30 is 16+28+31+30 = 105
    expect(projectDaysLate(project(), '2026-01-15')).toBe(0);
    expect(projectDaysLate(project(), '2026-01-16')).toBe(1);
    expect(projectDelayMonths([project()], '2026-01')).toBe(0);
    expect(projectDaysLate(project(), '2026-04-30')).toBe(105);
    expect(projectDelayMonths([project()], '2026-04')).toBe(3); // ⌊105 / 30⌋
  });

  it('replays history: a stage reached later is late in the months before it was reached', () => {
    // 供地 planned 2025-09-01, reached 2025-10-20: as of 2025-09-30 it was 29 days late, as of 2025-10-31 on time
    expect(projectDaysLate(project(), '2025-09-30')).toBe(29);
    expect(projectDaysLate(project(), '2025-10-31')).toBe(0);
    // a stage reached now without a recorded date counts as reached in every month
    const skipped = project({
      stage: 'started',
      stages: [{ stage: 'started', plannedDate: '2026-01-15', actualDate: null }],
    });
    expect(projectDelayMonths([skipped], '2026-06')).toBe(0);
  });

  it('the longest delay of the firm’s projects; paused and terminated ones are not judged; no project is null', () => {
    const late = project();
    const later = project({
      stages: [{ stage: 'started', plannedDate: '2025-11-30', actualDate: null }],
    });
    // 2025-11-30 → 2026-04-30 = 151 days = 5 months; 2026-01-15 → 105 days = 3 months
    expect(projectDelayMonths([late, later], '2026-04')).toBe(5);
    expect(projectDelayMonths([project({ status: 'paused' })], '2026-04')).toBe(0);
    expect(projectDelayMonths([project({ status: 'terminated' })], '2026-04')).toBe(0);
    expect(projectDelayMonths([], '2026-04')).toBeNull();
  });

  it('fires the default-style rule (≥ 3 months, yellow) once the delay reaches it', () => {
    const rule: Rule = {
      id: 'project-delay-3m',
      subject: 'firm',
      signal: 'project_delay_months',
      level: 'yellow',
      all: [{ signal: 'project_delay_months', op: '>=', value: 3 }],
      consecutive: 1,
      nameZh: '项目延期',
      nameEn: 'Project delay',
      source: 'test',
      inference: true,
      enabled: true,
    };
    const series = new Map<string, SignalRow>(
      ['2026-03', '2026-04'].map((m) => [m, { project_delay_months: projectDelayMonths([project()], m) }]),
    );
    const set = { deadlines: { red: 3, orange: 7, yellow: 13 }, rules: [rule] };
    expect(evaluateSubject(set, 'firm', series, '2026-03')).toEqual([]); // 75 days = 2 months
    expect(evaluateSubject(set, 'firm', series, '2026-04')).toEqual([
      {
        ruleId: 'project-delay-3m',
        signal: 'project_delay_months',
        level: 'yellow',
        month: '2026-04',
        evidence: [{ month: '2026-04', values: { project_delay_months: 3 } }],
      },
    ]);
  });
});

describe('investment growth against the city, by hand', () => {
  // 本月完成投资 (万元) of three clusters' projects
  const facts = [
    { group: 'A', month: '2025-01', amount: 100 },
    { group: 'A', month: '2025-02', amount: 100 },
    { group: 'A', month: '2026-01', amount: 100 },
    { group: 'A', month: '2026-02', amount: 150 },
    { group: 'B', month: '2025-02', amount: 200 },
    { group: 'B', month: '2026-02', amount: 100 },
    { group: 'B', month: '2026-03', amount: 999 }, // after February: not in 1–2月
    { group: 'C', month: '2026-02', amount: 50 }, // new: no base last year
  ];

  it('1–2月 growth of each group minus the city’s, in percentage points', () => {
    // A: 250 / 200 = +25 %; B: 100 / 200 = −50 %; C: no base; city: (250+100+50) / (200+200) = 0 %
    const gaps = investmentGrowthGaps(facts, '2026-02')!;
    expect(gaps.get('A')).toBeCloseTo(25, 10);
    expect(gaps.get('B')).toBeCloseTo(-50, 10);
    expect(gaps.get('C')).toBeNull();
  });

  it('January is not computed (1–2月 together); a city without a base has no gaps', () => {
    expect(investmentGrowthGaps(facts, '2026-01')).toBeNull();
    const gaps = investmentGrowthGaps([{ group: 'A', month: '2026-02', amount: 10 }], '2026-02')!;
    expect(gaps.get('A')).toBeNull();
  });

  it('through March: 1–3月 against 1–3月 of last year', () => {
    // A: 250/200 = +25 %; B: 1099/200 = +449.5 %; city: 1399/400 = +249.75 %
    const gaps = investmentGrowthGaps(facts, '2026-03')!;
    expect(gaps.get('A')).toBeCloseTo(25 - 249.75, 10);
    expect(gaps.get('B')).toBeCloseTo(449.5 - 249.75, 10);
  });
});
