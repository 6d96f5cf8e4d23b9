// Queries of the cluster index's own tables. Results go in with ONE statement per edition and frequency
// (the rows travel as one jsonb parameter), whatever their number.
import { and, asc, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { indexComputations, indexResults, indexSettings } from '../../db/schema.ts';
import { monthlyFactRows } from '../imports/index.ts';
import type { Computed } from './compute.ts';

export async function dataThrough(db: Db): Promise<string | null> {
  const [r] = await queryRows<{ m: string | null }>(
    db,
    sql`select max(ms.month)::text as m from ${monthlyFactRows()} ms`,
  );
  return r?.m ?? null;
}

/** Replaces an edition's results for one frequency (callers guarantee the edition is a draft). */
export async function storeComputed(
  tx: Db,
  definitionId: number,
  c: Computed,
  through: string | null,
  runs: number,
  seed: number,
) {
  await tx
    .delete(indexResults)
    .where(and(eq(indexResults.definitionId, definitionId), eq(indexResults.frequency, c.frequency)));
  await tx
    .delete(indexComputations)
    .where(
      and(eq(indexComputations.definitionId, definitionId), eq(indexComputations.frequency, c.frequency)),
    );
  const payload = c.rows.map((r) => ({
    period: r.period,
    cluster_code: r.clusterCode,
    region_code: r.regionCode,
    firms: r.firms,
    score: r.score,
    rank: r.rank,
    band: r.band,
    dimensions: r.dimensions,
    indicators: r.indicators,
    gates: r.gates,
    median_rank: r.uncertainty?.medianRank ?? null,
    p5_rank: r.uncertainty?.p5Rank ?? null,
    p95_rank: r.uncertainty?.p95Rank ?? null,
    median_score: r.uncertainty?.medianScore ?? null,
    p5_score: r.uncertainty?.p5Score ?? null,
    p95_score: r.uncertainty?.p95Score ?? null,
    revenue_total: r.revenue.total,
    revenue_top1: r.revenue.top1,
    revenue_top2: r.revenue.top2,
  }));
  if (payload.length)
    await tx.execute(sql`
      insert into index_results (definition_id, frequency, period, cluster_code, region_code, firms, score, rank, band,
        dimensions, indicators, gates, median_rank, p5_rank, p95_rank, median_score, p5_score, p95_score,
        revenue_total, revenue_top1, revenue_top2)
      select ${definitionId}, ${c.frequency}, x.period, x.cluster_code, x.region_code, x.firms, x.score, x.rank, x.band,
        x.dimensions, x.indicators, x.gates, x.median_rank, x.p5_rank, x.p95_rank, x.median_score, x.p5_score, x.p95_score,
        x.revenue_total, x.revenue_top1, x.revenue_top2
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(period text, cluster_code text, region_code text,
        firms int, score float8, rank int, band text, dimensions jsonb, indicators jsonb, gates jsonb,
        median_rank float8, p5_rank float8, p95_rank float8, median_score float8, p5_score float8, p95_score float8,
        revenue_total float8, revenue_top1 float8, revenue_top2 float8)`);
  await tx.insert(indexComputations).values({
    definitionId,
    frequency: c.frequency,
    rows: c.rows.length,
    dataThrough: through,
    sensitivity: c.sensitivity,
    runs,
    seed,
  });
}

export type ResultDbRow = typeof indexResults.$inferSelect;

export async function loadResults(
  db: Db,
  definitionId: number,
  frequency: string,
  level: 'cluster' | 'county',
  filter: { period?: string; cluster?: string } = {},
): Promise<ResultDbRow[]> {
  const conds = [eq(indexResults.definitionId, definitionId), eq(indexResults.frequency, frequency)];
  conds.push(level === 'cluster' ? eq(indexResults.regionCode, '') : sql`${indexResults.regionCode} <> ''`);
  if (filter.period) conds.push(eq(indexResults.period, filter.period));
  if (filter.cluster) conds.push(eq(indexResults.clusterCode, filter.cluster));
  return db
    .select()
    .from(indexResults)
    .where(and(...conds))
    .orderBy(asc(indexResults.period), asc(indexResults.clusterCode), asc(indexResults.regionCode));
}

export async function loadComputations(db: Db, definitionId: number) {
  return db
    .select()
    .from(indexComputations)
    .where(eq(indexComputations.definitionId, definitionId))
    .orderBy(asc(indexComputations.frequency));
}

export async function names(
  db: Db,
): Promise<{ clusters: Map<string, string>; regions: Map<string, string> }> {
  const cl = await queryRows<{ code: string; name: string }>(db, sql`select code, name from clusters`);
  const rg = await queryRows<{ code: string; name: string }>(
    db,
    sql`select code, name from regions where level in ('city','county')`,
  );
  return {
    clusters: new Map(cl.map((c) => [c.code, c.name])),
    regions: new Map(rg.map((r) => [r.code, r.name])),
  };
}

export async function getSetting(db: Db, key: string) {
  const [r] = await db.select().from(indexSettings).where(eq(indexSettings.key, key));
  return r ?? null;
}

export async function putSetting(tx: Db, key: string, enabled: boolean, by: string) {
  await tx
    .insert(indexSettings)
    .values({ key, enabled, updatedBy: by, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: indexSettings.key,
      set: { enabled, updatedBy: by, updatedAt: new Date() },
    });
}
