// The hand-computed examples of the default rule set (issue 5), shared by the domain tests, the API
// tests and the CLI export test. Every expected number is worked out in the comments.
import type { Database } from '../../src/db/client.ts';
import { annualInputs, enterprises } from '../../src/db/schema.ts';
import type { EvaluationInput } from '../../src/domain/evaluation/types.ts';
import { makeUscc } from '../../src/domain/uscc.ts';

export const X = '330402'; // 南湖区
export const Y = '330483'; // 桐乡市

type Row = Omit<EvaluationInput, 'enterpriseId'> & { label: string; name: string };

const blank = {
  landMu: null,
  taxPaid: null,
  valueAdded: null,
  revenue: null,
  mainRevenue: null,
  energyTce: null,
  electricity: null,
  cod: null,
  ammoniaNitrogen: null,
  so2: null,
  nox: null,
  rdExpense: null,
  avgEmployees: null,
};

/**
 * 规上 group (南湖): F1, F2, F3.
 *   亩均税收     F1 100/10 = 10, F2 100/20 = 5, F3 −30/10 = −3 (negative tax) → mean 4
 *                scores 30·10/4 = 75, 30·5/4 = 37.5, max(0, 30·−3/4) = 0
 *   亩均增加值   40, 20, 20 → mean 80/3; scores 30, 15, 15
 *   单位能耗增加值 F1 400/100 = 4, F2 400/200 = 2, F3 energy missing → mean 3;
 *                scores 26.667, 13.333, F3 = mean score (26.667 + 13.333)/2 = 20
 *   单位排放增加值 F1 400/(1+0+1+2) = 100, F2 all four blank → missing, F3 200/2 = 100 → mean 100;
 *                scores 10, F2 = mean score 10, 10
 *   全员劳动生产率 F1 400/40 = 10, F2 400/20 = 20, F3 employees missing → 0; mean 15; scores 6.667, 13.333, 0
 *   R&D占比      F1 20/1000 = 0.02, F2 0/500 = 0, F3 main revenue 0 → 0; mean 0.01; scores 20, 0, 0
 *   totals       F1 168.333, F2 89.167, F3 45 → A (p 0), B (p 1/3), B (p 2/3)
 * 规下 group (南湖): B1, B2, B3 (and B4 excluded: land 2.99 < 3).
 *   亩均税收     B1 6/3 = 2 (land exactly 3 亩 is evaluated), B2 20/5 = 4, B3 tax blank → 0 → mean 3
 *                scores 33.333, 66.667, 0
 *   单位电耗税收 B1 6/2 = 3, B2 electricity missing → 0, B3 tax blank → 0; mean 3; scores 50, 0, 0
 *   totals       83.333, 66.667, 0 → A, B, B
 * 规上 group of one (桐乡): S1 → every indicator at the benchmark: 30+20+20+10+10+10 = 100, A.
 *   S2 in the same county but a utility (4411) is not evaluated, so S1 stays alone.
 * Not evaluated: U1 utility (division 44), L1 land missing, L2 land 0, B4 规下 land 2.99.
 */
export const HAND_ROWS: Row[] = [
  {
    label: 'F1',
    name: '示例甲纺织有限公司',
    regionCode: X,
    scale: 'above',
    industryCode: '1711',
    ...blank,
    landMu: 10,
    taxPaid: 100,
    valueAdded: 400,
    energyTce: 100,
    cod: 1,
    ammoniaNitrogen: 0,
    so2: 1,
    nox: 2,
    avgEmployees: 40,
    rdExpense: 20,
    mainRevenue: 1000,
  },
  {
    label: 'F2',
    name: '示例乙化纤有限公司',
    regionCode: X,
    scale: 'above',
    industryCode: '2822',
    ...blank,
    landMu: 20,
    taxPaid: 100,
    valueAdded: 400,
    energyTce: 200,
    avgEmployees: 20,
    rdExpense: 0,
    mainRevenue: 500,
  },
  {
    label: 'F3',
    name: '示例丙机械有限公司',
    regionCode: X,
    scale: 'above',
    industryCode: '3411',
    ...blank,
    landMu: 10,
    taxPaid: -30,
    valueAdded: 200,
    so2: 2,
    mainRevenue: 0,
  },
  {
    label: 'B1',
    name: '示例丁小微厂',
    regionCode: X,
    scale: 'below',
    industryCode: '1713',
    ...blank,
    landMu: 3,
    taxPaid: 6,
    electricity: 2,
  },
  {
    label: 'B2',
    name: '示例戊小微厂',
    regionCode: X,
    scale: 'below',
    industryCode: '1713',
    ...blank,
    landMu: 5,
    taxPaid: 20,
  },
  {
    label: 'B3',
    name: '示例己小微厂',
    regionCode: X,
    scale: 'below',
    industryCode: '1713',
    ...blank,
    landMu: 4,
    electricity: 10,
  },
  {
    label: 'B4',
    name: '示例庚小微厂',
    regionCode: X,
    scale: 'below',
    industryCode: '1713',
    ...blank,
    landMu: 2.99,
    taxPaid: 50,
    electricity: 1,
  },
  {
    label: 'U1',
    name: '示例热电有限公司',
    regionCode: X,
    scale: 'above',
    industryCode: '4411',
    ...blank,
    landMu: 80,
    taxPaid: 900,
    valueAdded: 3000,
  },
  {
    label: 'L1',
    name: '示例辛电子有限公司',
    regionCode: X,
    scale: 'above',
    industryCode: '3971',
    ...blank,
    taxPaid: 10,
    valueAdded: 50,
  },
  {
    label: 'L2',
    name: '示例壬电子有限公司',
    regionCode: X,
    scale: 'above',
    industryCode: '3971',
    ...blank,
    landMu: 0,
    taxPaid: 10,
    valueAdded: 50,
  },
  {
    label: 'S1',
    name: '桐乡示例独家有限公司',
    regionCode: Y,
    scale: 'above',
    industryCode: '2822',
    ...blank,
    landMu: 50,
    taxPaid: 500,
    valueAdded: 2000,
    energyTce: 1000,
    nox: 5,
    avgEmployees: 100,
    rdExpense: 60,
    mainRevenue: 3000,
  },
  {
    label: 'S2',
    name: '桐乡示例水务有限公司',
    regionCode: Y,
    scale: 'above',
    industryCode: '4610',
    ...blank,
    landMu: 30,
    taxPaid: 50,
    valueAdded: 100,
  },
];

export interface Expected {
  class: string | null;
  total: number | null;
  scores: number[];
  reason: string | null;
  group: string | null;
}

export const HAND_EXPECTED: Record<string, Expected> = {
  F1: {
    class: 'A',
    total: 75 + 30 + 80 / 3 + 10 + 20 / 3 + 20,
    scores: [75, 30, 80 / 3, 10, 20 / 3, 20],
    reason: null,
    group: '规上',
  },
  F2: {
    class: 'B',
    total: 37.5 + 15 + 40 / 3 + 10 + 40 / 3,
    scores: [37.5, 15, 40 / 3, 10, 40 / 3, 0],
    reason: null,
    group: '规上',
  },
  F3: { class: 'B', total: 45, scores: [0, 15, 20, 10, 0, 0], reason: null, group: '规上' },
  B1: { class: 'A', total: 100 / 3 + 50, scores: [100 / 3, 50], reason: null, group: '规下' },
  B2: { class: 'B', total: 200 / 3, scores: [200 / 3, 0], reason: null, group: '规下' },
  B3: { class: 'B', total: 0, scores: [0, 0], reason: null, group: '规下' },
  B4: { class: null, total: null, scores: [], reason: 'small_land', group: '规下' },
  U1: { class: null, total: null, scores: [], reason: 'utility', group: '规上' },
  L1: { class: null, total: null, scores: [], reason: 'land_missing', group: '规上' },
  L2: { class: null, total: null, scores: [], reason: 'land_missing', group: '规上' },
  S1: { class: 'A', total: 100, scores: [30, 20, 20, 10, 10, 10], reason: null, group: '规上' },
  S2: { class: null, total: null, scores: [], reason: 'utility', group: '规上' },
};

export function handInputs(firstId = 1): (EvaluationInput & { label: string; name: string })[] {
  return HAND_ROWS.map((r, k) => ({ ...r, enterpriseId: firstId + k }));
}

export const handUscc = (k: number): string =>
  makeUscc(`91${HAND_ROWS[k]!.regionCode}${String(800 + k).padStart(9, '0')}`);

/** Inserts the hand-computed example (enterprises and their annual inputs for `year`); returns label → id. */
export async function seedHandExample(d: Database, year = 2024): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const [k, r] of HAND_ROWS.entries()) {
    const [row] = await d.db
      .insert(enterprises)
      .values({
        uscc: handUscc(k),
        name: r.name,
        regionCode: r.regionCode,
        industryCode: r.industryCode,
        scale: r.scale,
      })
      .returning({ id: enterprises.id });
    ids[r.label] = row!.id;
    const { label: _l, name: _n, regionCode: _r, scale: _s, industryCode: _i, ...facts } = r;
    await d.db
      .insert(annualInputs)
      .values({ enterpriseId: row!.id, year, ...facts, avgEmployees: facts.avgEmployees });
  }
  return ids;
}
