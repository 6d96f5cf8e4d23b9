import type { TFunction } from 'i18next';
import { unitName } from '../../format.ts';

export const CLASS_COLORS: Record<string, string> = { A: 'green', B: 'blue', C: 'orange', D: 'red' };
export const fmt = (v: number | null | undefined, digits = 2) =>
  v == null || Number.isNaN(v) ? '—' : v.toLocaleString('zh-CN', { maximumFractionDigits: digits });
/** A ratio (0.0149) as a percentage with at most two decimals: '1.49%'. */
export const pct = (v: number | null | undefined) =>
  v == null || Number.isNaN(v) ? '—' : `${(v * 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 })}%`;
/**
 * A value with its unit in the UI language, at most two decimals; a unitless indicator is a ratio and
 * shown as %.
 */
export const withUnit = (v: number | null | undefined, unit: string, t: TFunction) =>
  unit === '' ? pct(v) : v == null || Number.isNaN(v) ? '—' : `${fmt(v)} ${unitName(unit, t)}`;
/** The unit of each lever of "how to move up" (the inputs' stored units). */
export const LEVER_UNITS: Record<string, string> = {
  taxPaid: '万元',
  valueAdded: '万元',
  landMu: '亩',
  energyTce: '吨标准煤',
};
export const groupLabel = (t: TFunction, scale: string) =>
  t(scale === 'above' ? 'evaluation.result.above' : 'evaluation.result.below');
