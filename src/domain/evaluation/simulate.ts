// The simulator: the same year under two rule sets — class transition matrix, the enterprises that
// move, and how sensitive the ranks of rule set B are to each of its weights (+10 % each in turn).
import { evaluate, NO_CLASS, type Evaluation } from './evaluate.ts';
import {
  CLASSES,
  type EvaluationClass,
  type EvaluationInput,
  type IndicatorKey,
  type RuleSet,
  type ScaleGroup,
} from './types.ts';

/** Row/column labels of the matrix: A, B, C, D and '—' (not evaluated). */
export const MATRIX_LABELS = [...CLASSES, '—'] as const;
export type MatrixLabel = (typeof MATRIX_LABELS)[number];

export interface Mover {
  enterpriseId: number;
  from: MatrixLabel;
  to: MatrixLabel;
  rankFrom: number | null;
  rankTo: number | null;
  totalFrom: number | null;
  totalTo: number | null;
}

export interface WeightSensitivity {
  scale: ScaleGroup;
  key: IndicatorKey;
  weight: number;
  /** mean |rank change| over evaluated enterprises when this weight grows by `step` */
  meanAbsRankChange: number;
  maxAbsRankChange: number;
  classChanges: number;
}

export interface Simulation {
  evaluated: { a: number; b: number };
  matrix: number[][];
  movers: Mover[];
  moverCount: number;
  sensitivity: WeightSensitivity[];
}

const label = (c: number): MatrixLabel => (c === NO_CLASS ? '—' : CLASSES[c]!);
const matrixIndex = (c: number) => (c === NO_CLASS ? 4 : c);

function rankChanges(base: Evaluation, other: Evaluation) {
  let sum = 0;
  let max = 0;
  let count = 0;
  let classChanges = 0;
  for (let i = 0; i < base.n; i++) {
    if (base.higher[i]! < 0 || other.higher[i]! < 0) continue;
    const d = Math.abs(base.higher[i]! - other.higher[i]!);
    sum += d;
    if (d > max) max = d;
    count++;
    if (base.classes[i] !== other.classes[i]) classChanges++;
  }
  return { mean: count ? sum / count : 0, max, classChanges };
}

export function simulate(
  a: RuleSet,
  b: RuleSet,
  inputs: readonly EvaluationInput[],
  options: { moverLimit?: number; step?: number } = {},
): Simulation {
  const evA = evaluate(a, inputs);
  const evB = evaluate(b, inputs);
  const matrix = MATRIX_LABELS.map(() => MATRIX_LABELS.map(() => 0));
  const movers: Mover[] = [];
  let moverCount = 0;
  const limit = options.moverLimit ?? 1000;
  for (let i = 0; i < inputs.length; i++) {
    const ca = evA.classes[i]!;
    const cb = evB.classes[i]!;
    matrix[matrixIndex(ca)]![matrixIndex(cb)]!++;
    if (ca === cb) continue;
    moverCount++;
    if (movers.length < limit) {
      movers.push({
        enterpriseId: inputs[i]!.enterpriseId,
        from: label(ca),
        to: label(cb),
        rankFrom: evA.higher[i]! >= 0 ? evA.higher[i]! + 1 : null,
        rankTo: evB.higher[i]! >= 0 ? evB.higher[i]! + 1 : null,
        totalFrom: Number.isNaN(evA.totals[i]!) ? null : evA.totals[i]!,
        totalTo: Number.isNaN(evB.totals[i]!) ? null : evB.totals[i]!,
      });
    }
  }
  const step = options.step ?? 0.1;
  const sensitivity: WeightSensitivity[] = [];
  for (const scale of ['above', 'below'] as const) {
    b.groups[scale].indicators.forEach((rule, r) => {
      const changed = structuredClone(b);
      changed.groups[scale].indicators[r]!.weight = rule.weight * (1 + step);
      const d = rankChanges(evB, evaluate(changed, inputs));
      sensitivity.push({
        scale,
        key: rule.key,
        weight: rule.weight,
        meanAbsRankChange: d.mean,
        maxAbsRankChange: d.max,
        classChanges: d.classChanges,
      });
    });
  }
  const count = (ev: Evaluation) => ev.classes.reduce((s, c) => s + (c === NO_CLASS ? 0 : 1), 0);
  return { evaluated: { a: count(evA), b: count(evB) }, matrix, movers, moverCount, sensitivity };
}

export type { EvaluationClass };
