// Hand-computed checks of the county split, progress and the average annual growth.
import { describe, expect, it } from 'vitest';
import {
  averageAnnualGrowth,
  cityFromCounties,
  onTime,
  progressOf,
  reportDueOn,
  splitGoal,
  TARGET_REPORT_WORKFLOW,
} from './index.ts';
import { workflowProblems } from '../workitems/index.ts';

const C = ['A', 'B', 'C'];

describe('splitGoal', () => {
  it('splits by each county’s share of the baseline: 100 over baselines 10/30/60 → 10/30/60', () => {
    const g = splitGoal(
      'baseline_share',
      100,
      C,
      new Map([
        ['A', 10],
        ['B', 30],
        ['C', 60],
      ]),
    );
    expect([...g.values()]).toEqual([10, 30, 60]);
  });
  it('entered goals win and the rest shares what they leave: A=40 → B,C share 60 by 30:60', () => {
    const g = splitGoal(
      'baseline_share',
      100,
      C,
      new Map([
        ['A', 10],
        ['B', 30],
        ['C', 60],
      ]),
      new Map([['A', 40]]),
    );
    expect(g.get('A')).toBe(40);
    expect(g.get('B')).toBeCloseTo(20, 12);
    expect(g.get('C')).toBeCloseTo(40, 12);
  });
  it('falls back to equal shares when no county had any of it in the baseline year', () => {
    const g = splitGoal('baseline_share', 9, C, new Map([['A', 0]]));
    expect([...g.values()]).toEqual([3, 3, 3]);
  });
  it('equal, same, entered and none', () => {
    expect([...splitGoal('equal', 6, C, new Map()).values()]).toEqual([2, 2, 2]);
    expect([...splitGoal('same', 15, C, new Map()).values()]).toEqual([15, 15, 15]);
    expect([...splitGoal('entered', 15, C, new Map(), new Map([['B', 4]])).values()]).toEqual([
      null,
      4,
      null,
    ]);
    expect(splitGoal('none', 15, C, new Map()).size).toBe(0);
    expect([...splitGoal('equal', null, C, new Map()).values()]).toEqual([null, null, null]);
  });
  it('shares sum to the city goal (property over random baselines)', () => {
    for (let k = 0; k < 200; k++) {
      const base = new Map(C.map((c) => [c, Math.floor(Math.random() * 50)]));
      const sum = [...splitGoal('baseline_share', 77, C, base).values()].reduce((s, v) => s! + v!, 0)!;
      expect(sum).toBeCloseTo(77, 9);
    }
  });
});

describe('progressOf', () => {
  it('value / goal for at-least goals, uncapped', () => {
    expect(progressOf(3, 4, '>=')).toBe(0.75);
    expect(progressOf(6, 4, '>=')).toBe(1.5);
    expect(progressOf(null, 4, '>=')).toBeNull();
    expect(progressOf(3, null, '>=')).toBeNull();
  });
  it('ceilings: met → 1, else goal / value; a zero ceiling not met → 0', () => {
    expect(progressOf(0, 0, '≈')).toBe(1);
    expect(progressOf(5, 0, '≈')).toBe(0);
    expect(progressOf(50, 40, '<=')).toBe(0.8);
  });
});

describe('averageAnnualGrowth', () => {
  it('100 → 201.136 in 5 years is 15 % a year', () => {
    const g = averageAnnualGrowth(
      new Map([
        [2020, 100],
        [2025, 100 * 1.15 ** 5],
      ]),
      2020,
      2025,
    );
    expect(g).toBeCloseTo(15, 9);
  });
  it('200 → 242 in 2 years is 10 %', () => {
    expect(
      averageAnnualGrowth(
        new Map([
          [2023, 200],
          [2025, 242],
        ]),
        2023,
        2025,
      ),
    ).toBeCloseTo(10, 9);
  });
  it('null without a positive baseline or end', () => {
    expect(averageAnnualGrowth(new Map([[2025, 10]]), 2020, 2025)).toBeNull();
    expect(
      averageAnnualGrowth(
        new Map([
          [2020, 0],
          [2025, 10],
        ]),
        2020,
        2025,
      ),
    ).toBeNull();
  });
});

describe('reporting', () => {
  it('a year’s values are due by 31 January; on time is judged in CST', () => {
    expect(reportDueOn(2025)).toBe('2026-01-31');
    expect(onTime(new Date('2026-01-31T15:59:00Z'), '2026-01-31')).toBe(true); // 23:59 CST
    expect(onTime(new Date('2026-01-31T16:00:00Z'), '2026-01-31')).toBe(false);
  });
  it('the city sums approved county counts only for additive units', () => {
    expect(cityFromCounties([1, null, 2], true)).toEqual({ value: 3, counties: 2 });
    expect(cityFromCounties([30, 40], false)).toEqual({ value: null, counties: 2 });
  });
  it('the review workflow is sound', () => {
    expect(workflowProblems(TARGET_REPORT_WORKFLOW)).toEqual([]);
  });
});
