// Every text an ECharts formatter puts into its HTML tooltip or label goes through `esc` (names come
// from data): the app's one escaper.
export { escapeHtml as esc } from '../../format.ts';

export const fmt = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
