// Screening (issue 20 item 2): every firm in scope against every library for a year — which criteria
// it meets, which it misses and by how much, which only a person can check — and the candidate lists
// (meets every data-testable criterion, not yet recognised). Computed on each request from the facts.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { checkLibrary, type Library, type LibraryOutcome } from '../../domain/cultivation/index.ts';
import { notFound } from '../../server/errors.ts';
import { enterpriseScopeCondition, type Scope } from '../../server/scope.ts';
import { cultivationLibraries, libraryByKey } from './libraries.ts';
import { firmMetrics, latestCompleteYear, tiersHeld, type FirmRow } from './metrics.ts';
import { rollupVersion } from '../monitoring/index.ts';
import { registryRows } from '../enterprises/index.ts';
import type { CandidatesAnswer, FirmAnswer, LibrariesAnswer } from './schemas.ts';

export const PROVENANCE =
  '营业收入、利润总额、工业总产值、出口交货值：月度数据（monthly_stats）当年1–12月合计；研发费用、年平均职工人数：年度数据（annual_inputs）；' +
  '成立年份：企业名录；已认定：企业梯队数据（enterprise_tiers，截至当年）；入库条件：config/<city>/cultivation.json（每项注明来源，推断项已标明）。';

/** Libraries a firm holds: those whose tier it has, plus pipeline entries recognised. */
function heldLibraries(libs: Library[], tiers: Set<string> | undefined, recognised: Set<string> | undefined) {
  const held = new Set<string>();
  for (const l of libs) {
    if ((l.tier && tiers?.has(l.tier)) || recognised?.has(l.key)) held.add(l.key);
  }
  return held;
}

interface EntryRow {
  id: number;
  enterpriseId: number;
  library: string;
  stage: string;
}

async function entriesIn(db: Db, scope: Scope, enterpriseId?: number): Promise<EntryRow[]> {
  const scopeCond = enterpriseScopeCondition(scope) ?? sql`true`;
  const one = enterpriseId != null ? sql`and enterprises.id = ${enterpriseId}` : sql``;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select ce.id, ce.enterprise_id, ce.library, ce.stage
        from cultivation_entries ce join ${registryRows()} enterprises on enterprises.id = ce.enterprise_id
        where ${scopeCond} ${one}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    enterpriseId: Number(r.enterprise_id),
    library: String(r.library),
    stage: String(r.stage),
  }));
}

interface Screened {
  firm: FirmRow;
  held: Set<string>;
  outcomes: Map<string, LibraryOutcome>;
}

/**
 * The facts read for a screening, kept per data version: every import, registry edit and recorded
 * tier changes the monitoring rollups' version stamp, so a cached read is never older than the facts.
 */
const factsCache = new Map<string, Promise<{ firms: FirmRow[]; tiers: Map<number, Set<string>> }>>();
const MAX_CACHED = 64;

async function factsFor(
  db: Db,
  scope: Scope,
  year: number,
  opts: { enterpriseId?: number; cluster?: string },
) {
  const key = JSON.stringify([
    await rollupVersion(db),
    scope,
    year,
    opts.enterpriseId ?? null,
    opts.cluster ?? null,
  ]);
  let hit = factsCache.get(key);
  if (!hit) {
    if (factsCache.size >= MAX_CACHED) factsCache.clear();
    hit = Promise.all([
      firmMetrics(db, scope, year, opts),
      tiersHeld(db, year, opts.enterpriseId != null ? [opts.enterpriseId] : undefined),
    ]).then(([firms, tiers]) => ({ firms, tiers }));
    factsCache.set(key, hit);
    hit.catch(() => factsCache.delete(key));
  }
  return hit;
}

async function screen(
  db: Db,
  scope: Scope,
  year: number,
  opts: { enterpriseId?: number; cluster?: string } = {},
) {
  const libs = await cultivationLibraries();
  const [{ firms, tiers }, entries] = await Promise.all([
    factsFor(db, scope, year, opts),
    entriesIn(db, scope, opts.enterpriseId),
  ]);
  const recognisedByFirm = new Map<number, Set<string>>();
  const entryOf = new Map<string, EntryRow>();
  for (const e of entries) {
    entryOf.set(`${e.enterpriseId}:${e.library}`, e);
    if (e.stage === 'recognised') {
      let s = recognisedByFirm.get(e.enterpriseId);
      if (!s) recognisedByFirm.set(e.enterpriseId, (s = new Set()));
      s.add(e.library);
    }
  }
  const screened: Screened[] = firms.map((firm) => {
    const held = heldLibraries(libs, tiers.get(firm.enterpriseId), recognisedByFirm.get(firm.enterpriseId));
    const outcomes = new Map(libs.map((l) => [l.key, checkLibrary(l, firm.metrics, held)]));
    return { firm, held, outcomes };
  });
  return { libs, screened, entryOf, entries };
}

export async function yearOrLatest(db: Db, year?: number): Promise<number> {
  return year ?? (await latestCompleteYear(db));
}

export async function librarySummaries(
  db: Db,
  scope: Scope,
  q: { year?: number; cluster?: string },
): Promise<LibrariesAnswer> {
  const year = await yearOrLatest(db, q.year);
  const { libs, screened, entries } = await screen(db, scope, year, { cluster: q.cluster });
  const inFirms = new Set(screened.map((s) => s.firm.enterpriseId));
  return {
    year,
    provenance: PROVENANCE,
    libraries: libs.map((lib) => {
      let recognised = 0;
      let candidates = 0;
      let nearCandidates = 0;
      const candidatesByCluster: Record<string, number> = {};
      for (const s of screened) {
        if (s.held.has(lib.key)) {
          recognised++;
          continue;
        }
        const o = s.outcomes.get(lib.key)!;
        if (o.meetsAll) {
          candidates++;
          for (const c of s.firm.clusters) candidatesByCluster[c] = (candidatesByCluster[c] ?? 0) + 1;
        } else if (o.near) nearCandidates++;
      }
      const pipeline: Record<string, number> = {};
      for (const e of entries)
        if (e.library === lib.key && (!q.cluster || inFirms.has(e.enterpriseId)))
          pipeline[e.stage] = (pipeline[e.stage] ?? 0) + 1;
      return {
        library: lib as LibrariesAnswer['libraries'][number]['library'],
        recognised,
        candidates,
        nearCandidates,
        pipeline,
        candidatesByCluster,
      };
    }),
  };
}

export async function candidates(
  db: Db,
  scope: Scope,
  q: { year?: number; cluster?: string; library: string; maxMissing: number },
): Promise<CandidatesAnswer> {
  const lib = await libraryByKey(q.library);
  if (!lib) throw notFound('library');
  const year = await yearOrLatest(db, q.year);
  const { screened, entryOf } = await screen(db, scope, year, { cluster: q.cluster });
  const items = screened
    .filter((s) => !s.held.has(lib.key))
    .map((s) => ({ s, o: s.outcomes.get(lib.key)! }))
    .filter(({ o }) => o.meetsAll || (q.maxMissing === 1 && o.near))
    .sort(
      (a, b) =>
        a.o.missing - b.o.missing || (b.s.firm.metrics.revenue ?? 0) - (a.s.firm.metrics.revenue ?? 0),
    )
    .map(({ s, o }) => {
      const entry = entryOf.get(`${s.firm.enterpriseId}:${lib.key}`);
      return {
        enterpriseId: s.firm.enterpriseId,
        name: s.firm.name,
        regionCode: s.firm.regionCode,
        clusters: s.firm.clusters,
        missing: o.missing,
        outcomes: o.outcomes,
        stage: (entry?.stage ?? 'candidate') as CandidatesAnswer['items'][number]['stage'],
        entryId: entry?.id ?? null,
      };
    });
  return { year, library: lib as CandidatesAnswer['library'], items };
}

/** One firm against every library: what it meets and what it lacks (the enterprise user's view too). */
export async function firmOutcomes(
  db: Db,
  scope: Scope,
  enterpriseId: number,
  year?: number,
): Promise<FirmAnswer> {
  const y = await yearOrLatest(db, year);
  const { libs, screened, entryOf } = await screen(db, scope, y, { enterpriseId });
  const s = screened[0];
  if (!s) {
    // in scope but without the year's figures, or out of scope: the same answer reveals nothing
    const [exists] = await queryRows<{ name: string }>(
      db,
      sql`select enterprises.name from ${registryRows()} enterprises where enterprises.id = ${enterpriseId} and ${enterpriseScopeCondition(scope) ?? sql`true`}`,
    );
    if (!exists) throw notFound('enterprise');
    throw notFound('figures of this enterprise for the year');
  }
  return {
    year: y,
    enterpriseId,
    name: s.firm.name,
    metrics: { ...s.firm.metrics },
    held: [...s.held],
    libraries: libs.map((l) => {
      const o = s.outcomes.get(l.key)!;
      const entry = entryOf.get(`${enterpriseId}:${l.key}`);
      return {
        library: l as FirmAnswer['libraries'][number]['library'],
        recognised: s.held.has(l.key),
        meetsAll: o.meetsAll,
        missing: o.missing,
        outcomes: o.outcomes,
        stage: (entry?.stage ?? null) as FirmAnswer['libraries'][number]['stage'],
        entryId: entry?.id ?? null,
      };
    }),
  };
}
