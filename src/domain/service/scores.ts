// Rates and department scores from counts (the counts come from one grouped SQL query). Pure.
import { BOARD_SIZE, MIN_RANKED_REQUESTS, SCORE_WEIGHTS } from './defaults.ts';

export interface RequestCounts {
  received: number;
  direct: number;
  closed: number;
  closedOnTime: number;
  rated: number;
  satisfied: number;
}

export interface Rates {
  directRate: number | null;
  closeRate: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** 直接解答率, 办结率, 按时办结率, 满意率 (满意 + 基本满意 over rated) [src 南通, 苏州 — reference §3.3]. */
export function ratesOf(c: RequestCounts): Rates {
  return {
    directRate: ratio(c.direct, c.received),
    closeRate: ratio(c.closed, c.received),
    onTimeRate: ratio(c.closedOnTime, c.closed),
    satisfactionRate: ratio(c.satisfied, c.rated),
  };
}

export interface UnitCounts {
  unitId: number;
  unitName: string;
  /** county units and departments are ranked apart [src 榆林] */
  group: 'county' | 'department';
  assigned: number;
  receivedOnTime: number;
  answered: number;
  answeredOnTime: number;
  rated: number;
  satisfied: number;
  returned: number;
  redone: number;
}

export interface UnitScore {
  unitId: number;
  unitName: string;
  group: 'county' | 'department';
  assigned: number;
  timelyReceipt: number | null;
  onTime: number | null;
  satisfaction: number | null;
  returnRate: number | null;
  redoRate: number | null;
  score: number | null;
  rank: number | null;
  board: 'red' | 'black' | null;
}

/**
 * Score each unit: the weighted mean of 及时接收率, 按时办结率, 满意度, (1 − 回退率), (1 − 重办率), × 100, over
 * the indicators it has data for. Units with fewer than MIN_RANKED_REQUESTS are scored but not ranked.
 * 红榜 = the best BOARD_SIZE of a group, 黑榜 = the worst BOARD_SIZE (never the same unit twice).
 */
export function scoreUnits(list: readonly UnitCounts[]): UnitScore[] {
  const scored: UnitScore[] = list.map((u) => {
    const ind = {
      timelyReceipt: ratio(u.receivedOnTime, u.assigned),
      onTime: ratio(u.answeredOnTime, u.answered),
      satisfaction: ratio(u.satisfied, u.rated),
      returnRate: ratio(u.returned, u.assigned),
      redoRate: ratio(u.redone, u.answered),
    };
    const parts: [number, number][] = [
      [ind.timelyReceipt ?? NaN, SCORE_WEIGHTS.timelyReceipt],
      [ind.onTime ?? NaN, SCORE_WEIGHTS.onTime],
      [ind.satisfaction ?? NaN, SCORE_WEIGHTS.satisfaction],
      [ind.returnRate == null ? NaN : 1 - ind.returnRate, SCORE_WEIGHTS.returnRate],
      [ind.redoRate == null ? NaN : 1 - ind.redoRate, SCORE_WEIGHTS.redoRate],
    ];
    const have = parts.filter(([v]) => !Number.isNaN(v));
    const w = have.reduce((s, [, x]) => s + x, 0);
    const score = w > 0 ? Math.round((have.reduce((s, [v, x]) => s + v * x, 0) / w) * 1000) / 10 : null;
    return {
      unitId: u.unitId,
      unitName: u.unitName,
      group: u.group,
      assigned: u.assigned,
      ...ind,
      score,
      rank: null,
      board: null,
    };
  });
  for (const group of ['county', 'department'] as const) {
    const ranked = scored
      .filter((s) => s.group === group && s.score != null && s.assigned >= MIN_RANKED_REQUESTS)
      .sort((a, b) => b.score! - a.score! || a.unitId - b.unitId);
    ranked.forEach((s, i) => (s.rank = i + 1));
    const n = Math.min(BOARD_SIZE, Math.floor(ranked.length / 2));
    ranked.slice(0, n).forEach((s) => (s.board = 'red'));
    ranked.slice(ranked.length - n).forEach((s) => (s.board = 'black'));
  }
  return scored;
}
