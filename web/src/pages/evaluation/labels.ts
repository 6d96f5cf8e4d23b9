import type { TFunction } from 'i18next';
import { unitName } from '../../format.ts';
import { PRESET_NAMES_EN } from '../../../../src/domain/evaluation/presets.ts';

/** A rule set's name in the UI language: a preset's English name, an edited set's name as its author wrote it. */
export const ruleSetName = (name: string, language: string): string =>
  (language === 'en' && PRESET_NAMES_EN[name]) || name;

/**
 * A differentiated policy's name in the UI language. A rule set names its policies in Chinese (free text
 * an administrator edits); in English the name is composed from what the policy is: its kind, the class,
 * the direction of a quota and the consecutive years it needs. A kind without words keeps its label.
 */
export function policyLabel(
  p: { kind: string; class: string; value: number; label: string; consecutiveYears?: number },
  t: TFunction,
  language: string,
): string {
  if (language !== 'en') return p.label;
  const quota = p.kind === 'energy_quota' || p.kind === 'emission_quota';
  const land = p.kind === 'land_supply';
  const key = quota
    ? `${p.kind}.${p.value < 0 ? 'cut' : 'support'}`
    : land
      ? `${p.kind}.${p.class === 'A' || p.class === 'B' ? 'priority' : 'restricted'}`
      : p.kind;
  const name = t(`evaluation.policies.kinds.${key}`, { class: p.class, defaultValue: '' });
  if (!name) return p.label;
  return p.consecutiveYears && p.consecutiveYears > 1
    ? `${name} ${t('evaluation.policies.kinds.years', { count: p.consecutiveYears })}`
    : name;
}

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
