// The note a monitoring page carries while its month is the newest on record and still open for reporting
// (报送未截止): the month's figures are partial. When a month is closed is the alert rules' rule
// (src/domain/alerts/reporting.ts) under the share of the rule set in force, and that rule set is the alerts
// capability's. Monitoring does not import alerts: alerts already reaches monitoring (through chains, whose
// answers are kept at the rollups' version), so the import would close a loop, and monitoring is the lower
// capability that others build on. The composition root hands it the alerts' reader instead
// (useOpenMonthSource, src/composition.ts); a process that never connected it shows no note.
import type { Db } from '../../db/client.ts';

/** The newest month while open: firms with a row in it and in the month before, and the share that closes it. */
export interface OpenMonth {
  month: string;
  firms: number;
  before: number;
  share: number;
}

type Source = (db: Db) => Promise<OpenMonth | null>;
let source: Source | null = null;

/** Sets (or clears) where the open month is read from: the alert rules' kept answer (composition root). */
export function useOpenMonthSource(read: Source | null): void {
  source = read;
}

// the answer with its note, kept beside the (kept) answer while the note stays the same: its JSON is then
// made once (answerJson keeps it per object), not per request
const noted = new WeakMap<object, { key: string; out: object }>();

/**
 * The page's answer with `reporting`: the open month's counts when the page shows that month, else null.
 * The counts are of firms city-wide, the same for every reader: a count of reporting firms is no firm's
 * value (disclosure control keeps the firm count of every cell it hides, disclosure.ts hideSet).
 */
export async function withOpenMonth<T extends { month: string | null }>(
  db: Db,
  answer: T,
): Promise<T & { reporting: OpenMonth | null }> {
  const open = source && answer.month ? await source(db) : null;
  const shown: OpenMonth | null =
    open && open.month === answer.month
      ? { month: open.month, firms: open.firms, before: open.before, share: open.share }
      : null;
  const key = shown ? `${shown.month}|${shown.firms}|${shown.before}|${shown.share}` : '';
  const kept = noted.get(answer);
  if (kept?.key === key) return kept.out as T & { reporting: OpenMonth | null };
  const out = { ...answer, reporting: shown };
  noted.set(answer, { key, out });
  return out;
}
