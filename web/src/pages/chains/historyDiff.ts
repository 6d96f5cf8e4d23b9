// An entry of a chain's edit history as readable changes: the fields that differ between the stored
// before and after rows (created: the fields set; deleted: the fields removed), bookkeeping columns left
// out. Pure, so that the page only renders.

/** Columns that change with every edit or say nothing to a reader. */
const BOOKKEEPING = new Set(['chainCode', 'sortOrder', 'updatedAt', 'createdAt', 'id']);

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isEmpty = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

const same = (a: unknown, b: unknown): boolean =>
  (isEmpty(a) && isEmpty(b)) || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function historyChanges(before: unknown, after: unknown): FieldChange[] {
  const b = isRecord(before) ? before : null;
  const a = isRecord(after) ? after : null;
  if (!b && !a) return [];
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].filter(
    (k) => !BOOKKEEPING.has(k),
  );
  const out: FieldChange[] = [];
  for (const field of keys) {
    const was = b?.[field];
    const now = a?.[field];
    // a created or deleted thing: list what it had, not its empty fields
    if (!b || !a) {
      if (!isEmpty(b ? was : now)) out.push({ field, before: was, after: now });
    } else if (!same(was, now)) out.push({ field, before: was, after: now });
  }
  return out;
}
