// The enterprises an import's rows name, looked up chunk by chunk (issue 13). Loading the whole
// registry first (every firm's USCC → id and county: 0.44 s and ≈ 50 MiB at 220,000 firms) cost a
// province-scale monthly import its memory margin; a file names far fewer firms than the registry
// holds. Each chunk of rows asks only for the codes not asked before (one `= any($1::text[])` query),
// and the answers — found or not — are kept for the rest of the import, so a firm's 20 months cost
// one lookup. What is kept grows with the distinct codes of the file, never with the registry.
import { sql } from 'drizzle-orm';
import { queryRows, textArray, type Db } from '../../db/client.ts';
import type { EnterpriseRef } from '../../domain/imports/rows.ts';

/** The registry rows with these codes (codes not registered are simply absent). */
export async function lookupEnterprises(
  db: Db,
  codes: readonly string[],
): Promise<{ uscc: string; ref: EnterpriseRef }[]> {
  if (codes.length === 0) return [];
  const rows = await queryRows<{ id: number | string; uscc: string; region_code: string }>(
    db,
    sql`select id, uscc, region_code from enterprises where uscc = any(${textArray(codes)})`,
  );
  return rows.map((r) => ({ uscc: r.uscc, ref: { id: Number(r.id), regionCode: r.region_code } }));
}

/**
 * The codes an import has resolved so far. `resolve` is awaited once per chunk of rows before any of
 * them is checked; `get` then answers synchronously, as the row checks need. `before` runs only when
 * a query is actually needed: a commit uses it to end its COPY first, since the lookup runs on the
 * import's own connection (one statement at a time; a COPY in progress takes no other query).
 */
export class EnterpriseCodes {
  /** code → its enterprise, or null: not registered (asked once, not asked again) */
  private readonly known = new Map<string, EnterpriseRef | null>();

  /**
   * `keep: false` forgets a chunk's answers at the next chunk: a registry file names each firm once (a
   * repeat is an error of its own), so keeping its 220,000 codes — most of them new, answered null —
   * would only cost memory.
   */
  constructor(
    private readonly db: Db,
    private readonly opts: { keep: boolean } = { keep: true },
  ) {}

  get(uscc: string): EnterpriseRef | undefined {
    return this.known.get(uscc) ?? undefined;
  }

  /** Codes looked up so far (found or not). */
  get size(): number {
    return this.known.size;
  }

  async resolve(codes: Iterable<string>, before?: () => Promise<void>): Promise<void> {
    if (!this.opts.keep) this.known.clear();
    const missing: string[] = [];
    for (const c of codes) if (!this.known.has(c)) missing.push(c);
    if (missing.length === 0) return;
    await before?.();
    const found = await lookupEnterprises(this.db, missing);
    for (const c of missing) this.known.set(c, null);
    for (const { uscc, ref } of found) this.known.set(uscc, ref);
  }
}
