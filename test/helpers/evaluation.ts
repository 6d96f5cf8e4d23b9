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
 * Worked for the default rule set, version 2 (issue 15: a blank is 0 everywhere, benchmark means included;
 * a total of 0 is class D). HAND_EXPECTED_V1 below keeps version 1's readings (runs made with it keep them).
 * 规上 group (南湖): F1, F2, F3.
 *   亩均税收     F1 100/10 = 10, F2 100/20 = 5, F3 −30/10 = −3 (negative tax) → mean 4
 *                scores 30·10/4 = 75, 30·5/4 = 37.5, max(0, 30·−3/4) = 0
 *   亩均增加值   40, 20, 20 → mean 80/3; scores 30, 15, 15
 *   单位能耗增加值 F1 400/100 = 4, F2 400/200 = 2, F3 energy missing → mean 3 (energy keeps its rule: left
 *                out of the benchmark); scores 26.667, 13.333, F3 = mean score (26.667 + 13.333)/2 = 20
 *   单位排放增加值 F1 400/(1+0+1+2) = 100, F2 all four blank → missing, F3 200/2 = 100 → mean 100;
 *                scores 10, F2 = mean score 10, 10
 *   全员劳动生产率 F1 400/40 = 10, F2 400/20 = 20, F3 employees missing → 0, counted: mean 30/3 = 10;
 *                scores 10, 20, 0            (version 1: F3 left out, mean 15; 6.667, 13.333, 0)
 *   R&D占比      F1 20/1000 = 0.02, F2 0/500 = 0, F3 R&D blank → 0, counted: mean 0.02/3;
 *                scores 30, 0, 0             (version 1: F3 left out, mean 0.01; 20, 0, 0)
 *   totals       F1 181.667, F2 95.833, F3 45 → A (p 0), B (p 1/3), B (p 2/3)
 * 规下 group (南湖): B1, B2, B3 (and B4 excluded: land 2.99 < 3).
 *   亩均税收     B1 6/3 = 2 (land exactly 3 亩 is evaluated), B2 20/5 = 4, B3 tax blank → 0, counted:
 *                mean 2; scores 50, 100, 0   (version 1: B3 left out, mean 3; 33.333, 66.667, 0)
 *   单位电耗税收 B1 6/2 = 3, B2 electricity missing → 0, B3 tax blank → 0, both counted: mean 1;
 *                scores 150, 0, 0            (version 1: both left out, mean 3; 50, 0, 0)
 *   totals       200, 100, 0 → A, B, and B3 D: a total of 0 is D   (version 1: 83.333, 66.667, 0 → A, B, B)
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
    total: 75 + 30 + 80 / 3 + 10 + 10 + 30,
    scores: [75, 30, 80 / 3, 10, 10, 30],
    reason: null,
    group: '规上',
  },
  F2: {
    class: 'B',
    total: 37.5 + 15 + 40 / 3 + 10 + 20,
    scores: [37.5, 15, 40 / 3, 10, 20, 0],
    reason: null,
    group: '规上',
  },
  F3: { class: 'B', total: 45, scores: [0, 15, 20, 10, 0, 0], reason: null, group: '规上' },
  B1: { class: 'A', total: 200, scores: [50, 150], reason: null, group: '规下' },
  B2: { class: 'B', total: 100, scores: [100, 0], reason: null, group: '规下' },
  B3: { class: 'D', total: 0, scores: [0, 0], reason: null, group: '规下' },
  B4: { class: null, total: null, scores: [], reason: 'small_land', group: '规下' },
  U1: { class: null, total: null, scores: [], reason: 'utility', group: '规上' },
  L1: { class: null, total: null, scores: [], reason: 'land_missing', group: '规上' },
  L2: { class: null, total: null, scores: [], reason: 'land_missing', group: '规上' },
  S1: { class: 'A', total: 100, scores: [30, 20, 20, 10, 10, 10], reason: null, group: '规上' },
  S2: { class: null, total: null, scores: [], reason: 'utility', group: '规上' },
};

/** Version 1 of the default rule set (issue 5's readings), which runs made with it keep. */
export const HAND_EXPECTED_V1: Record<string, Expected> = {
  ...HAND_EXPECTED,
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
  B1: { class: 'A', total: 100 / 3 + 50, scores: [100 / 3, 50], reason: null, group: '规下' },
  B2: { class: 'B', total: 200 / 3, scores: [200 / 3, 0], reason: null, group: '规下' },
  B3: { class: 'B', total: 0, scores: [0, 0], reason: null, group: '规下' },
};

export const Z = '330421'; // 嘉善县

/**
 * A 规下 group (嘉善) with blanks and zeros side by side, where zero totals are 2 of 5 (40 % > 5 %).
 *   亩均税收     Z1 50/10 = 5, Z2 tax typed 0 → 0, Z3 tax blank → 0, Z4 25/5 = 5, Z5 25/5 = 5 → mean 15/5 = 3
 *   单位电耗税收 Z1 50/10 = 5, Z2 0/5 = 0, Z3 blank/blank → 0, Z4 electricity typed 0 → 0,
 *                Z5 electricity blank → 0 → mean 5/5 = 1
 *   scores       Z1 50·5/3 + 50·5/1 = 83.333 + 250 = 333.333; Z2 0; Z3 0; Z4 83.333 + 0; Z5 83.333 + 0
 *   classes      Z1 A (p 0); Z4, Z5 tied, p 1/5 → B; Z2, Z3 total 0 → D (by position, p 3/5, they
 *                would be B: the old reading put a zero block larger than 5 % in B or C)
 *   Z2 (typed 0) and Z3 (blank) get identical results; so do Z4 (electricity 0) and Z5 (blank).
 * Version 1 read the blanks differently: 亩均税收 mean over Z1, Z2, Z4, Z5 = 15/4 = 3.75; 单位电耗税收 over
 * Z1, Z2 only = 2.5, so Z1 = 50·5/3.75 + 50·5/2.5 = 166.667, Z4 = Z5 = 66.667, and Z2, Z3 B.
 */
export const ZERO_ROWS: Row[] = [
  { label: 'Z1', name: '嘉善示例甲五金厂', taxPaid: 50, electricity: 10, landMu: 10 },
  { label: 'Z2', name: '嘉善示例乙五金厂', taxPaid: 0, electricity: 5, landMu: 10 },
  { label: 'Z3', name: '嘉善示例丙五金厂', taxPaid: null, electricity: null, landMu: 10 },
  { label: 'Z4', name: '嘉善示例丁五金厂', taxPaid: 25, electricity: 0, landMu: 5 },
  { label: 'Z5', name: '嘉善示例戊五金厂', taxPaid: 25, electricity: null, landMu: 5 },
].map((r) => ({ ...blank, regionCode: Z, scale: 'below' as const, industryCode: '3489', ...r }));

export const ZERO_EXPECTED: Record<string, { class: string; total: number; scores: number[] }> = {
  Z1: { class: 'A', total: 250 / 3 + 250, scores: [250 / 3, 250] },
  Z2: { class: 'D', total: 0, scores: [0, 0] },
  Z3: { class: 'D', total: 0, scores: [0, 0] },
  Z4: { class: 'B', total: 250 / 3, scores: [250 / 3, 0] },
  Z5: { class: 'B', total: 250 / 3, scores: [250 / 3, 0] },
};

export function handInputs(firstId = 1): (EvaluationInput & { label: string; name: string })[] {
  return HAND_ROWS.map((r, k) => ({ ...r, enterpriseId: firstId + k }));
}

export const handUscc = (k: number): string =>
  makeUscc(`91${HAND_ROWS[k]!.regionCode}${String(800 + k).padStart(9, '0')}`);

export const zeroUscc = (k: number): string =>
  makeUscc(`91${ZERO_ROWS[k]!.regionCode}${String(900 + k).padStart(9, '0')}`);

export function zeroInputs(firstId = 500): (EvaluationInput & { label: string; name: string })[] {
  return ZERO_ROWS.map((r, k) => ({ ...r, enterpriseId: firstId + k }));
}

/** Inserts the 嘉善 group of blanks and zeros (ZERO_ROWS) for `year`; returns label → id. */
export async function seedZeroExample(d: Database, year = 2024): Promise<Record<string, number>> {
  return seedRows(d, ZERO_ROWS, zeroUscc, year);
}

/** Inserts the hand-computed example (enterprises and their annual inputs for `year`); returns label → id. */
export async function seedHandExample(d: Database, year = 2024): Promise<Record<string, number>> {
  return seedRows(d, HAND_ROWS, handUscc, year);
}

async function seedRows(
  d: Database,
  list: Row[],
  uscc: (k: number) => string,
  year: number,
): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const [k, r] of list.entries()) {
    const [row] = await d.db
      .insert(enterprises)
      .values({
        uscc: uscc(k),
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
