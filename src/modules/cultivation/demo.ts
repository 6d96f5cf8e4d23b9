// Demo pipeline (issue 20): for each library, some of the latest year's candidates taken in by their
// county's officer and moved along — nurturing, applying, a few recognised (with the tier recorded, as
// a real recognition would) and a few not passed — so the pipeline and its counts are believable.
// Deterministic: the same data and seed give the same entries.
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { cultivationEntries, cultivationEvents } from '../../db/schema.ts';
import { recordTiers, removeTiersFrom } from '../enterprises/index.ts';
import { candidates } from './screening.ts';
import { cultivationLibraries } from './libraries.ts';
import { latestCompleteYear } from './metrics.ts';

const PLAN = [
  'nurturing',
  'applying',
  'nurturing',
  'recognised',
  'applying',
  'rejected',
  'nurturing',
] as const;
const PATH: Record<string, string[]> = {
  nurturing: ['nurturing'],
  applying: ['nurturing', 'applying'],
  recognised: ['nurturing', 'applying', 'recognised'],
  rejected: ['nurturing', 'applying', 'rejected'],
};

export async function generateDemoCultivation(
  db: Db,
  seed: number,
  perLibrary = 12,
): Promise<{ entries: number }> {
  const year = await latestCompleteYear(db);
  const libs = await cultivationLibraries();
  const picks: {
    enterpriseId: number;
    library: string;
    tier: string | null;
    level: string;
    stage: string;
  }[] = [];
  for (const lib of libs) {
    const list = await candidates(db, { kind: 'all' }, { year, library: lib.key, maxMissing: 0 });
    // every k-th candidate from a seed-dependent offset: spread over counties, stable per seed
    const step = Math.max(1, Math.floor(list.items.length / perLibrary));
    const offset = seed % step;
    for (let i = offset, n = 0; i < list.items.length && n < perLibrary; i += step, n++)
      picks.push({
        enterpriseId: list.items[i]!.enterpriseId,
        library: lib.key,
        tier: lib.tier,
        level: lib.level,
        stage: PLAN[n % PLAN.length]!,
      });
  }
  return db.transaction(async (tx) => {
    const old = tx
      .select({ id: cultivationEntries.id })
      .from(cultivationEntries)
      .where(eq(cultivationEntries.source, 'demo'));
    await tx.delete(cultivationEvents).where(inArray(cultivationEvents.entryId, old));
    await removeTiersFrom(tx, 'cultivation:demo');
    await tx.delete(cultivationEntries).where(eq(cultivationEntries.source, 'demo'));
    if (picks.length === 0) return { entries: 0 };
    const rows = await tx
      .insert(cultivationEntries)
      .values(
        picks.map((p) => ({
          enterpriseId: p.enterpriseId,
          library: p.library,
          stage: p.stage,
          year,
          ownerName: '演示数据',
          source: 'demo',
        })),
      )
      .onConflictDoNothing()
      .returning({
        id: cultivationEntries.id,
        enterpriseId: cultivationEntries.enterpriseId,
        library: cultivationEntries.library,
        stage: cultivationEntries.stage,
      });
    const events = rows.flatMap((r) =>
      PATH[r.stage]!.map((to, i, all) => ({
        entryId: r.id,
        enterpriseId: r.enterpriseId,
        fromStage: i === 0 ? 'candidate' : all[i - 1]!,
        toStage: to,
        note: to === 'rejected' ? '演示：细分市场占有率未达认定要求' : null,
        username: 'demo',
      })),
    );
    if (events.length) await tx.insert(cultivationEvents).values(events);
    const recognised = rows.filter((r) => r.stage === 'recognised');
    const tiers = recognised
      .map((r) => ({
        r,
        p: picks.find((p) => p.enterpriseId === r.enterpriseId && p.library === r.library)!,
      }))
      .filter(({ p }) => p.tier)
      .map(({ r, p }) => ({
        enterpriseId: r.enterpriseId,
        tier: p.tier!,
        year: year + 1,
        level: p.level,
        source: `cultivation:demo:${r.id}`,
      }));
    await recordTiers(tx, tiers);
    return { entries: rows.length };
  });
}
