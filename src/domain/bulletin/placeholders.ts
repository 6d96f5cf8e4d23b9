// Figures in a bulletin's text: "1–10月，五大产业集群实现规上工业总产值 {ytd} 亿元，同比增长 {ytdYoy}".
// A placeholder names a typed value; this file formats it the way the pages do (money 万元 → 亿元 with
// two decimals, growth and shares as percentages with one decimal) and fills the text. A figure that is
// missing prints "—", never 0.

export type Value =
  /** money in 万元, shown in 亿元 */
  | { kind: 'yi'; wan: number | null }
  /** a ratio (0.123), shown as 12.3% */
  | { kind: 'pct'; ratio: number | null }
  | { kind: 'count'; n: number | null }
  | { kind: 'text'; text: string | null };

export const MISSING = '—';

export const yi = (wan: number | null | undefined): Value => ({ kind: 'yi', wan: wan ?? null });
export const pct = (ratio: number | null | undefined): Value => ({ kind: 'pct', ratio: ratio ?? null });
export const count = (n: number | null | undefined): Value => ({ kind: 'count', n: n ?? null });
export const text = (t: string | null | undefined): Value => ({ kind: 'text', text: t ?? null });

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);

/** 万元 → 亿元, two decimals (the pages' 亿元 format). */
export function formatYi(wan: number | null): string {
  return finite(wan) ? (wan / 10_000).toFixed(2) : MISSING;
}

/** 0.1234 → "12.3%"; negative keeps its sign ("-3.4%"); -0.0 prints as 0.0%. */
export function formatPct(ratio: number | null): string {
  if (!finite(ratio)) return MISSING;
  const s = (ratio * 100).toFixed(1);
  return `${s === '-0.0' ? '0.0' : s}%`;
}

export function formatValue(v: Value): string {
  switch (v.kind) {
    case 'yi':
      return formatYi(v.wan);
    case 'pct':
      return formatPct(v.ratio);
    case 'count':
      return finite(v.n) ? String(Math.round(v.n)) : MISSING;
    case 'text':
      return v.text ?? MISSING;
  }
}

const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9]*)\}/g;

/** The placeholder names a text uses, in order of first appearance. */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * Fills the placeholders. A name without a value is left as written and reported in `unknown` (templates
 * are checked when loaded, so this only happens with a value the data did not supply).
 */
export function renderText(
  template: string,
  values: Readonly<Record<string, Value>>,
): { text: string; unknown: string[] } {
  const unknown: string[] = [];
  const out = template.replace(PLACEHOLDER, (whole, name: string) => {
    const v = values[name];
    if (!v) {
      unknown.push(name);
      return whole;
    }
    return formatValue(v);
  });
  return { text: out, unknown };
}

/** 'YYYY-MM' → its labels: "2025年1–10月", "10月", year. January is "1月", not "1–1月". */
export function periodLabels(month: string): { period: string; monthLabel: string; year: string } {
  const [y, m] = month.split('-');
  const n = Number(m);
  return { period: `${y}年${n === 1 ? '1月' : `1–${n}月`}`, monthLabel: `${n}月`, year: y! };
}
