// Reading an edition's results: the tables behind the pages and downloads (the same rows for both), the
// comparison of two editions, the firms behind a figure (enterprise scope), and the public view.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { DEFAULT_DISCLOSURE, summaryReason } from '../../domain/disclosure/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { enterpriseScopeCondition } from '../../server/scope.ts';
import { notFound } from '../../server/errors.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { changesBetween, currentEdition } from '../editions/index.ts';
import { INDEX_KEY, INDEX_KIND } from './framework.ts';
import { loadFirmFigures, NEGATIVE_LIST, periodsFor, type Frequency } from './metrics.ts';
import { getSetting, loadResults, names, putSetting, type ResultDbRow } from './repo.ts';
import type { EditionBody, ResultList, ResultRow } from './schemas.ts';
import { seesDrafts, visibleEdition } from './service.ts';

const num = (v: number | null | undefined) => (v === null || v === undefined ? null : v);

function toRow(
  r: ResultDbRow,
  n: Awaited<ReturnType<typeof names>>,
  minFirms: number,
  withhold: boolean,
): ResultRow {
  const suppression = disclosureOf(r, minFirms);
  const suppressed = suppression !== null;
  const hide = suppressed && withhold;
  return {
    period: r.period,
    clusterCode: r.clusterCode,
    clusterName: n.clusters.get(r.clusterCode) ?? r.clusterCode,
    regionCode: r.regionCode || null,
    regionName: r.regionCode ? (n.regions.get(r.regionCode) ?? r.regionCode) : null,
    firms: r.firms,
    suppressed,
    suppression,
    score: hide ? null : num(r.score),
    rank: hide ? null : num(r.rank),
    band: hide ? null : r.band,
    dimensions: hide ? [] : (r.dimensions as ResultRow['dimensions']),
    indicators: hide ? [] : (r.indicators as ResultRow['indicators']),
    gates: hide ? [] : (r.gates as ResultRow['gates']),
    medianRank: hide ? null : num(r.medianRank),
    p5Rank: hide ? null : num(r.p5Rank),
    p95Rank: hide ? null : num(r.p95Rank),
    medianScore: hide ? null : num(r.medianScore),
    p5Score: hide ? null : num(r.p5Score),
    p95Score: hide ? null : num(r.p95Score),
  };
}

/**
 * Why a unit's figures are withheld from readers who may not see its firms (src/domain/disclosure): the
 * frequency rule on its firms, then — on its 营业收入, the magnitude behind its scale and ratio
 * indicators — the (1, 60 %) dominance and 10 % p rules. There is no secondary suppression: the views
 * publish no total of which a withheld unit is a part (ranks are not additive).
 */
export function disclosureOf(
  r: Pick<ResultDbRow, 'firms' | 'revenueTotal' | 'revenueTop1' | 'revenueTop2'>,
  minFirms: number,
): SuppressionReason | null {
  if (r.firms > 0 && r.firms < minFirms) return 'frequency';
  if (r.revenueTotal === null || r.revenueTop1 === null) return null;
  return summaryReason(
    { count: r.firms, total: r.revenueTotal, top: [r.revenueTop1, r.revenueTop2 ?? 0] },
    { ...DEFAULT_DISCLOSURE, minFirms },
  );
}

type SuppressionReason = 'frequency' | 'dominance' | 'p-percent';

/**
 * Small cells (fewer firms than the framework's minimum) are withheld from readers outside the city's
 * officials who may see every firm anyway (admin, analyst); the public view always withholds them.
 */
function withholdFor(user: AuthedUser | null): boolean {
  return !(user && seesDrafts(user));
}

export async function listResults(
  db: Db,
  user: AuthedUser | null,
  id: number,
  q: { frequency: Frequency; level: 'cluster' | 'county'; period?: string; cluster?: string },
): Promise<ResultList> {
  const e = await visibleEdition(db, user, id);
  const rows = await loadResults(db, id, q.frequency, q.level, { period: q.period, cluster: q.cluster });
  const n = await names(db);
  const periods = periodsFor(
    Array.from({ length: e.body.years.to - e.body.years.from + 1 }, (_, i) => e.body.years.from + i),
    q.frequency,
  ).map((p) => p.label);
  return {
    editionId: e.id,
    version: e.version,
    status: e.status,
    frequency: q.frequency,
    level: q.level,
    periods: periods.filter((p) => rows.some((r) => r.period === p) || !rows.length),
    items: rows.map((r) => toRow(r, n, e.body.framework.minFirms, withholdFor(user))),
  };
}

export async function compareEditions(
  db: Db,
  user: AuthedUser,
  q: { a: number; b: number; frequency: Frequency; level: 'cluster' | 'county'; period?: string },
) {
  const ea = await visibleEdition(db, user, q.a);
  const eb = await visibleEdition(db, user, q.b);
  const period = q.period ?? String(Math.min(ea.body.years.to, eb.body.years.to));
  const [ra, rb] = await Promise.all([
    loadResults(db, ea.id, q.frequency, q.level, { period }),
    loadResults(db, eb.id, q.frequency, q.level, { period }),
  ]);
  const n = await names(db);
  const withhold = withholdFor(user);
  const min = Math.max(ea.body.framework.minFirms, eb.body.framework.minFirms);
  const keyOf = (r: ResultDbRow) => `${r.clusterCode}|${r.regionCode}`;
  const byB = new Map(rb.map((r) => [keyOf(r), r]));
  const keys = [...new Set([...ra.map(keyOf), ...rb.map(keyOf)])].sort();
  const byA = new Map(ra.map((r) => [keyOf(r), r]));
  return {
    a: { id: ea.id, version: ea.version, status: ea.status },
    b: { id: eb.id, version: eb.version, status: eb.status },
    period,
    changes: changesBetween(ea.body, eb.body),
    items: keys.map((k) => {
      const x = byA.get(k);
      const y = byB.get(k);
      const [clusterCode, regionCode] = k.split('|') as [string, string];
      const hide = withhold && [x, y].some((r) => r !== undefined && disclosureOf(r, min) !== null);
      return {
        clusterCode,
        clusterName: n.clusters.get(clusterCode) ?? clusterCode,
        regionCode: regionCode || null,
        regionName: regionCode ? (n.regions.get(regionCode) ?? regionCode) : null,
        scoreA: hide ? null : (x?.score ?? null),
        scoreB: hide ? null : (y?.score ?? null),
        rankA: hide ? null : (x?.rank ?? null),
        rankB: hide ? null : (y?.rank ?? null),
      };
    }),
  };
}

const FIRM_LIMIT = 500;

/** The member firms behind a unit's figures, limited to the user's enterprise scope. */
export async function firmsBehind(
  db: Db,
  user: AuthedUser,
  id: number,
  q: { frequency: Frequency; period: string; cluster: string; region?: string },
) {
  const e = await visibleEdition(db, user, id);
  const year = Number(q.period.slice(0, 4));
  const period = periodsFor([year], q.frequency).find((p) => p.label === q.period);
  if (!period || year < e.body.years.from || year > e.body.years.to) throw notFound('period');
  const scope = enterpriseScopeCondition(user.scope);
  const items = await loadFirmFigures(
    db,
    period,
    q.frequency,
    q.cluster,
    q.region ?? null,
    scope,
    FIRM_LIMIT,
  );
  const [total] = await queryRows<{ n: number }>(
    db,
    sql`select firms as n from index_results where definition_id = ${id} and frequency = ${q.frequency}
        and period = ${q.period} and cluster_code = ${q.cluster} and region_code = ${q.region ?? ''}`,
  );
  return {
    period: q.period,
    clusterCode: q.cluster,
    regionCode: q.region ?? null,
    shown: items.length,
    total: total?.n ?? items.length,
    items,
  };
}

// ---------- settings and the public view ----------

export const PUBLIC_VIEW = 'public_view';

export async function settings(db: Db) {
  const s = await getSetting(db, PUBLIC_VIEW);
  const n = await getSetting(db, NEGATIVE_LIST);
  const last = [s, n].filter((x) => x !== null).sort((a, b) => +b!.updatedAt - +a!.updatedAt)[0] ?? null;
  return {
    publicView: s?.enabled ?? false,
    negativeList: n?.enabled ?? false,
    updatedBy: last?.updatedBy ?? null,
    updatedAt: last?.updatedAt.toISOString() ?? null,
  };
}

export async function setSettings(
  db: Db,
  actor: Actor,
  body: { publicView?: boolean; negativeList?: boolean },
) {
  const before = await settings(db);
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    if (body.publicView !== undefined) await putSetting(tx, PUBLIC_VIEW, body.publicView, actor.username);
    if (body.negativeList !== undefined)
      await putSetting(tx, NEGATIVE_LIST, body.negativeList, actor.username);
    await writeAudit(tx, actor, {
      action: 'index.settings',
      entity: 'index_settings',
      entityId: body.publicView !== undefined ? PUBLIC_VIEW : NEGATIVE_LIST,
      before: { publicView: before.publicView, negativeList: before.negativeList },
      after: {
        publicView: body.publicView ?? before.publicView,
        negativeList: body.negativeList ?? before.negativeList,
      },
    });
  });
  return settings(db);
}

/**
 * The unauthenticated view: only when the bureau turned it on, only the edition in force, only
 * cluster (city) level annual figures, small cells withheld. 404 otherwise, revealing nothing.
 */
export async function publicIndex(db: Db) {
  if (!(await settings(db)).publicView) throw notFound('public index');
  const cur = await currentEdition<EditionBody>(db, INDEX_KIND, INDEX_KEY);
  if (!cur) throw notFound('public index');
  const list = await listResults(db, null, cur.id, { frequency: 'year', level: 'cluster' });
  const fw = cur.body.framework;
  return {
    edition: { id: cur.id, version: cur.version, title: cur.title, publishedAt: cur.published.at },
    framework: {
      name: fw.name,
      description: fw.description,
      dimensions: fw.dimensions.map((d) => ({ key: d.key, name: d.name, weight: d.weight })),
      indicators: fw.indicators.map((i) => ({
        key: i.key,
        name: i.name,
        unit: i.unit,
        dimension: i.dimension,
      })),
    },
    periods: list.periods,
    items: list.items,
  };
}
