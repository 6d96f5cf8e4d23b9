// Words and colours of the chain pages: reasons with their figures, strength colours, percentages.
import type { TFunction } from 'i18next';
import { formatMoney, formatNumber, MISSING } from '../../format.ts';
import type { GapReasonView } from './api.ts';

export const pct = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? MISSING : `${formatNumber(v * 100, 1)}%`;

export const num = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined || !Number.isFinite(v) ? MISSING : formatNumber(v, digits);

/** One gap flag in words, with the figures behind it. */
export function reasonText(r: GapReasonView, t: TFunction): string {
  const f = r.figures;
  switch (r.code) {
    case 'missing':
      return t('chains.reason.missing', { firms: f.firms ?? 0, minFirms: f.minFirms ?? 1 });
    case 'small_output':
      return t('chains.reason.small_output', {
        output: formatMoney(f.output, t),
        stageMedian: formatMoney(f.stageMedian, t),
        threshold: pct(f.threshold),
      });
    case 'no_above_scale':
      return t('chains.reason.no_above_scale', { aboveScale: f.aboveScale ?? 0, firms: f.firms ?? 0 });
    case 'concentrated':
      return t('chains.reason.concentrated', {
        firms: f.firms ?? 0,
        hhi: num(f.hhi, 3),
        topFirmShare: pct(f.topFirmShare),
      });
    case 'declining':
      return t('chains.reason.declining', { growth: pct(f.growth), threshold: pct(f.threshold) });
    case 'unverified':
      return t('chains.reason.unverified', { firms: f.firms ?? 0, shared: f.sharedCodeOnly ?? 0 });
  }
}

/** Strength 0–100 → a blue scale; missing nodes are white. */
export function strengthColour(strength: number | null, missing: boolean): string {
  if (missing) return '#ffffff';
  const s = Math.max(0, Math.min(100, strength ?? 0)) / 100;
  // from light #d6e4ff to deep #1d39c4
  const mix = (a: number, b: number) => Math.round(a + (b - a) * s);
  return `rgb(${mix(214, 29)}, ${mix(228, 57)}, ${mix(255, 196)})`;
}

export const STATUS_COLOUR = { missing: 'red', weak: 'orange', ok: 'green' } as const;
export const QUADRANT_COLOUR = {
  strength: '#1d39c4',
  opportunity: '#389e0d',
  weakness: '#d46b08',
  outlier: '#8c8c8c',
  absent: '#cf1322',
} as const;
