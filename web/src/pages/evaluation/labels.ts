import type { TFunction } from 'i18next';

export const CLASS_COLORS: Record<string, string> = { A: 'green', B: 'blue', C: 'orange', D: 'red' };
export const fmt = (v: number | null | undefined, digits = 2) =>
  v == null || Number.isNaN(v) ? '—' : v.toLocaleString('zh-CN', { maximumFractionDigits: digits });
export const groupLabel = (t: TFunction, scale: string) =>
  t(scale === 'above' ? 'evaluation.result.above' : 'evaluation.result.below');
