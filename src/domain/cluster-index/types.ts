// The cluster index (集群指数) as data: a framework (dimensions, indicators, normalisation, weights,
// aggregation, missing-data treatment, gates, bands, uncertainty settings) and the rows it is computed over.
// COINr's vocabulary (JRC): normalise → weight → aggregate, then uncertainty and sensitivity analysis.

export const NORMALISATIONS = ['target', 'minmax', 'zscore'] as const;
/**
 * - `target`: linear between the indicator's base value (0) and target value (100), capped to [0, 100]
 *   (宁波 基数值/目标值 method, reference §5.3); a target below the base means lower is better.
 * - `minmax`: (x − min)/(max − min)·100 over the comparison set (every unit and period of one level).
 * - `zscore`: 50 + 10·z over the comparison set (a T-score: keeps 0–100-like values, positive for the
 *   geometric mean in practice).
 */
export type Normalisation = (typeof NORMALISATIONS)[number];

export const AGGREGATIONS = ['arithmetic', 'geometric'] as const;
/** Weighted arithmetic or geometric mean, used at both levels (indicators → dimension → index). */
export type Aggregation = (typeof AGGREGATIONS)[number];

export const MISSING_TREATMENTS = ['reweight', 'mean', 'zero'] as const;
/**
 * - `reweight`: aggregate what is available; the missing indicator's weight is shared out (COINr's default)
 * - `mean`: impute the mean normalised value of the comparison set (marked as imputed)
 * - `zero`: a missing value scores 0
 */
export type MissingTreatment = (typeof MISSING_TREATMENTS)[number];

export interface Dimension {
  key: string;
  name: string;
  nameEn: string;
  weight: number;
  source: string;
}

export interface Indicator {
  key: string;
  name: string;
  nameEn: string;
  dimension: string;
  /** which platform figure feeds it (the module's metric library) */
  metric: string;
  unit: string;
  /** 1 = more is better, −1 = less is better (min–max and z-score) */
  direction: 1 | -1;
  /** weight inside its dimension */
  weight: number;
  /** base (0 points) and target (100 points) of the `target` normalisation */
  base: number;
  target: number;
  source: string;
  /** true when the indicator, its base or its target is our deduction rather than a cited figure */
  inference?: boolean;
}

export type GateOp = '>=' | '>' | '<=' | '<';
export interface GateCondition {
  metric: string;
  op: GateOp;
  threshold: number;
}
/** A pass/fail condition shown beside the score; it never changes the score. Passes when any condition holds. */
export interface Gate {
  key: string;
  name: string;
  nameEn: string;
  anyOf: GateCondition[];
  source: string;
  inference?: boolean;
}

export interface Band {
  min: number;
  label: string;
  labelEn: string;
}

export interface UncertaintySettings {
  runs: number;
  seed: number;
  /** each dimension weight is multiplied by U(1 − spread, 1 + spread), then all renormalised */
  weightSpread: number;
  normalisations: Normalisation[];
  aggregations: Aggregation[];
}

export interface IndexFramework {
  name: string;
  nameEn: string;
  description: string;
  dimensions: Dimension[];
  indicators: Indicator[];
  normalisation: Normalisation;
  aggregation: Aggregation;
  missing: MissingTreatment;
  gates: Gate[];
  /** display bands, highest first by `min` */
  bands: Band[];
  uncertainty: UncertaintySettings;
  /** cells with fewer firms are suppressed in public views */
  minFirms: number;
  sources: { id: string; title: string; url?: string }[];
}

/** One unit (a cluster, or a cluster × county) in one period, with its raw metric values. */
export interface IndexRow {
  id: string;
  unit: string;
  period: string;
  firms: number;
  raw: Record<string, number | null>;
}

export interface Choices {
  normalisation: Normalisation;
  aggregation: Aggregation;
  /** dimension key → weight (renormalised over the dimensions present) */
  dimensionWeights: Record<string, number>;
}

export interface IndicatorResult {
  key: string;
  raw: number | null;
  normalised: number | null;
  imputed: boolean;
  /** the indicator's share of the index weight as applied to this row (missing ones reweighted) */
  weight: number;
  /** points of the index this indicator accounts for; the contributions of a row add up to its score */
  contribution: number;
}

export interface GateResult {
  key: string;
  pass: boolean | null;
  values: (number | null)[];
}

export interface RowResult {
  id: string;
  unit: string;
  period: string;
  firms: number;
  indicators: IndicatorResult[];
  dimensions: { key: string; score: number | null; weight: number }[];
  score: number | null;
  /** 1 = best within its period; ties share the better rank */
  rank: number | null;
  band: string | null;
  gates: GateResult[];
}
