// 主要产品 (main products) of an enterprise: how a registry cell or a form field is split into the list
// kept on the enterprise. Pure; shared by the registry import, the enterprise API and the demo data.

/** Separators between products in one cell: 、，,;；/ and line breaks (docs/imports.md). */
export const PRODUCT_SEPARATORS = /[、，,;；/／\r\n]+/;

/** Longest product kept (characters); a longer piece is a description, not a product word. */
export const MAX_PRODUCT_LENGTH = 50;

/** At most this many products per enterprise. */
export const MAX_PRODUCTS = 30;

/**
 * The products of a list or a cell: each piece trimmed (inner runs of white space made one space),
 * empty pieces dropped, duplicates dropped (the first spelling kept), in the order written.
 */
export function normaliseProducts(input: string | readonly string[] | null | undefined): string[] {
  if (input == null) return [];
  const pieces =
    typeof input === 'string'
      ? input.split(PRODUCT_SEPARATORS)
      : input.flatMap((p) => p.split(PRODUCT_SEPARATORS));
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of pieces) {
    const p = raw.replace(/\s+/g, ' ').trim();
    if (!p) continue;
    const key = p.toUpperCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** A stored list as read back (jsonb arrives parsed from one driver, as text from another) → string[]. */
export function productsOf(v: unknown): string[] {
  const list = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
}

/** How a list is written back into one cell (export, template): joined by 、. */
export function joinProducts(list: readonly string[] | null | undefined): string {
  return (list ?? []).join('、');
}
