// The firings of a firm that reported in none of the evaluated months, from its reporting pattern alone
// (pure; issue 13). At province scale an import of 50,000 firms' months evaluates 220,000 firms, 170,000 of
// which the file does not bring: each fires "not reported" and nothing else, yet each was evaluated on its
// own table — most of the alert hook's CPU and garbage.
//
// Why the pattern is enough: every signal of a firm's table but months_not_reported, mu_class_drop and
// project_delay_months is missing (or, in January, not computed) in a month the firm did not report
// (firm-table.ts: the year-ago comparisons, the flows, the tax/electricity gap and the seasonal baseline
// all read the month's own report). A rule fires in a month only where each of its conditions holds, so
// in an evaluated month without a report only rules on those three signals can fire; a run of consecutive
// months and the evidence read the same rule's signals in the months before. months_not_reported reads
// whether the firm reported, never what. So for a firm without a class drop and without projects the
// firings are those of a table of the same reported months with no values — the same for every firm with
// that pattern, evaluated once (unreported-firms.test.ts checks this against the full table).
import type { Month } from '../periods.ts';
import type { FactColumns } from './fact-columns.ts';
import { REPORTING_LOOKBACK } from './firm-signals.ts';
import { evaluateFirmTable, firmTable } from './firm-table.ts';
import { monthIndex } from './months.ts';
import type { Firing, RuleSet } from './types.ts';

/** Patterns kept at most (a pattern is a set of reported months in a window of ~40: few in practice). */
const MEMO_LIMIT = 4096;

const byNumber = (a: number, b: number) => a - b;

/** evaluateFirmTable's firings of firms that reported in no evaluated month, by reporting pattern. */
export class UnreportedFirings {
  /** the first month months_not_reported reads (REPORTING_LOOKBACK before the first target) */
  private readonly first: number;
  /** months from `first` to the last target: 1 where the month is evaluated */
  private readonly evaluated: Uint8Array;
  private readonly memo = new Map<number | string, Map<Month, Firing[]>>();
  private readonly present: number[] = [];
  /** firms answered so far (the evaluation's step breakdown tells them apart) */
  count = 0;

  /**
   * `targets` consecutive and ascending (firmTable's), `months` the evaluated ones among them, `open` the
   * month still open for reporting (firmTable's; the same for every firm, so a pattern's firings still are).
   */
  constructor(
    private readonly set: RuleSet,
    private readonly targets: readonly Month[],
    private readonly months: readonly Month[],
    private readonly open: Month | null = null,
  ) {
    this.first = monthIndex(targets[0]!) - REPORTING_LOOKBACK;
    this.evaluated = new Uint8Array(monthIndex(targets.at(-1)!) - this.first + 1);
    for (const m of months) {
      const o = monthIndex(m) - this.first;
      if (o >= 0 && o < this.evaluated.length) this.evaluated[o] = 1;
    }
  }

  /**
   * The firm's firings by month (evaluateFirmTable on its own table), or undefined when they depend on more
   * than its reporting: it reported in an evaluated month, or has a class drop or projects (then the caller
   * evaluates its table). The maps answered are shared between firms: read them, do not change them.
   */
  firings(
    facts: FactColumns,
    classDrop: number | null,
    hasProjects: boolean,
  ): Map<Month, Firing[]> | undefined {
    if (classDrop != null || hasProjects) return undefined;
    // the reported months written over the last firm's (`length = 0` let the list's store go, and each firm's
    // first push made a new one: ≈ 170,000 at province scale, issue 13); the list is cut to them only where
    // it is read as a whole
    const present = this.present;
    let count = 0;
    const size = this.evaluated.length;
    // the pattern's key: the months' offsets as the bits of a number (exact below 2^53, whatever their order),
    // else their list as text — at province scale ≈ 170,000 firms' months were sorted and joined into a
    // string, hashed to be looked up, for a few hundred patterns (issue 13)
    const bits = size <= 52;
    let mask = 0;
    for (const m of facts.months) {
      const o = m - this.first;
      if (o < 0 || o >= size) continue;
      if (this.evaluated[o]) return undefined;
      present[count++] = m;
      if (bits) mask += 2 ** o;
    }
    // the columns come in any month order
    if (!bits) {
      present.length = count;
      present.sort(byNumber);
    }
    const key = bits ? mask : present.join(',');
    this.count++;
    const known = this.memo.get(key);
    if (known) return known;
    present.length = count;
    present.sort(byNumber);
    const none = present.map(() => null);
    const pattern: FactColumns = {
      months: present.slice(),
      output: none,
      tax: none,
      electricity: none,
      employees: none,
      revenue: none,
      profit: none,
    };
    const fired = evaluateFirmTable(
      this.set,
      firmTable(pattern, this.targets, null, undefined, undefined, this.open),
      this.months,
    );
    if (this.memo.size < MEMO_LIMIT) this.memo.set(key, fired);
    return fired;
  }
}
