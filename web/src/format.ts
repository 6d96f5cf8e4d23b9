// Display formatting. Stored units are fixed (money 万元, land 亩, energy 吨标准煤, electricity
// 万千瓦时); these helpers only choose how to show them. Unit words come from i18n (`units.*`).
import type { TFunction } from 'i18next';

export const MISSING = '—';

const formats = new Map<number, Intl.NumberFormat>();

/** Grouped, fixed-decimal: 12345.67 → '12,345.7'. */
export function formatNumber(value: number, digits = 1): string {
  let format = formats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formats.set(digits, format);
  }
  return format.format(value);
}

const present = (value: number | null | undefined): value is number =>
  value !== null && value !== undefined && Number.isFinite(value);

/** Money stored in 万元: shown in 亿元 from 10 000 万元 up, else in 万元, one decimal. */
export function formatMoney(wanYuan: number | null | undefined, t: TFunction): string {
  if (!present(wanYuan)) return MISSING;
  return Math.abs(wanYuan) >= 10_000
    ? `${formatNumber(wanYuan / 10_000)} ${t('units.yiYuan')}`
    : `${formatNumber(wanYuan)} ${t('units.wanYuan')}`;
}

/**
 * The money unit of one chart, chosen by the magnitude of its values: 亿元 once the largest reaches
 * 10 000 万元, else 万元. `scale` divides stored 万元 values into the chosen unit.
 */
export function chartMoneyUnit(values: readonly (number | null | undefined)[]): {
  key: 'yiYuan' | 'wanYuan';
  scale: number;
} {
  const max = Math.max(0, ...values.filter(present).map((v) => Math.abs(v)));
  return max >= 10_000 ? { key: 'yiYuan', scale: 10_000 } : { key: 'wanYuan', scale: 1 };
}

type UnitKey = 'wanYuan' | 'mu' | 'tce' | 'wanKwh' | 'tonne' | 'persons';

/** A value in its stored unit with that unit's name: formatWithUnit(12.3, 'mu', t) → '12.3 亩'. */
export function formatWithUnit(
  value: number | null | undefined,
  unit: UnitKey,
  t: TFunction,
  digits = 1,
): string {
  return present(value) ? `${formatNumber(value, digits)} ${t(`units.${unit}`)}` : MISSING;
}

/** A growth ratio (0.123 = +12.3 %) with its sign. */
export function formatGrowth(ratio: number | null | undefined): string {
  if (!present(ratio)) return MISSING;
  return new Intl.NumberFormat('zh-CN', {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(ratio);
}

/** '2024-03-01' or an ISO timestamp → '2024-03'. */
export const formatMonth = (date: string): string => date.slice(0, 7);

/** An ISO timestamp in local time, 'YYYY-MM-DD HH:mm:ss'. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text made safe to put into HTML. ECharts renders tooltip formatters' strings as HTML: every name
 * that reaches one (firms, chain nodes, projects, clusters, counties, zones — all editable by
 * someone) goes through here, or a name like <img onerror=…> runs script for whoever hovers.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * A unit as the server and config data name it (in Chinese: '万元/亩', '吨标准煤', '家') in the UI language;
 * a unit without an English name is shown as given.
 */
export const unitName = (unit: string, t: TFunction): string =>
  unit === '' ? '' : t(`unitNames.${unit}`, { defaultValue: unit });
