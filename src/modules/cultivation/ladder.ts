// The output ladder per cluster over the years (issue 20 item 4): firms at or above 10/50/100/500/1000
// 亿元 of annual 工业总产值 (the same "at least" counting as the monitoring ladders), the policy's ladder
// targets from the city's clusters configuration, and the firms that moved a rung in the latest year.
// Counts cover the whole cluster (a count of firms reveals no firm's figures); movers are named only
// inside the user's scope and counted otherwise.
import { sql } from 'drizzle-orm';
import { loadCityConfig, resolveCityDir } from '../../config/load.ts';
import { queryRows, type Db } from '../../db/client.ts';
import { LADDER_YI_YUAN, ladderCounts, movers } from '../../domain/cultivation/index.ts';
import { enterpriseScopeCondition, type Scope } from '../../server/scope.ts';
import { latestCompleteYear } from './metrics.ts';
import { idArray } from '../../db/arrays.ts';
import { currentMemberships, registryRows } from '../enterprises/index.ts';
import { monthlyFactRows } from '../imports/index.ts';
import type { LadderAnswer } from './schemas.ts';

const FIRST_YEAR = 2019;

// The city's clusters and their ladder targets: configuration, read once per process (not per request).
let config: ReturnType<typeof loadCityConfig> | null = null;
const cityConfig = () => (config ??= loadCityConfig(resolveCityDir()));

export async function ladder(db: Db, scope: Scope, q: { cluster?: string }): Promise<LadderAnswer> {
  const [city, last] = await Promise.all([cityConfig(), latestCompleteYear(db)]);
  const years: number[] = [];
  for (let y = FIRST_YEAR; y <= last; y++) years.push(y);
  const clusters = city.clusters.filter((c) => !q.cluster || c.code === q.cluster);
  const lowest = Math.min(...LADDER_YI_YUAN) * 10000; // 万元
  // one row per firm, cluster and year at or above the lowest rung: a few hundred rows, not the facts
  const rows = await queryRows<{
    enterprise_id: string | number;
    cluster_code: string;
    y: number;
    output: number;
  }>(
    db,
    sql`select ms.enterprise_id, ec.cluster_code, extract(year from ms.month)::int as y, sum(ms.output_value) as output
        from ${monthlyFactRows()} ms
        join ${currentMemberships()} ec on ec.enterprise_id = ms.enterprise_id
        where ms.month >= ${`${FIRST_YEAR}-01-01`}::date and ms.month < ${`${last + 1}-01-01`}::date
        group by ms.enterprise_id, ec.cluster_code, extract(year from ms.month)
        having sum(ms.output_value) >= ${lowest}`,
  );
  const byYear = (code: string, y: number) =>
    new Map(
      rows
        .filter((r) => r.cluster_code === code && r.y === y)
        .map((r) => [Number(r.enterprise_id), Number(r.output) / 10000]),
    );
  const moved = new Map(
    clusters.map((c) => [
      c.code,
      last > FIRST_YEAR ? movers(byYear(c.code, last - 1), byYear(c.code, last)) : [],
    ]),
  );
  const ids = [...new Set([...moved.values()].flat().map((m) => m.enterpriseId))];
  // names only of the movers the user may see: the scope is in the query
  const names = new Map<number, string>();
  if (ids.length > 0) {
    const nameRows = await queryRows<{ id: string | number; name: string }>(
      db,
      sql`select enterprises.id, enterprises.name from ${registryRows()} enterprises
          where enterprises.id = any(${idArray(ids)}) and ${enterpriseScopeCondition(scope) ?? sql`true`}`,
    );
    for (const r of nameRows) names.set(Number(r.id), r.name);
  }
  return {
    rungs: [...LADDER_YI_YUAN],
    years,
    provenance:
      '年工业总产值 = 月度数据（monthly_stats）当年1–12月合计；“N亿级”按“不低于N亿元”累计计数（docs/methodology.md）；目标：config/<city>/clusters.json leadingEnterpriseTargets。',
    clusters: clusters.map((c) => {
      const counts = years.map((y) => ladderCounts([...byYear(c.code, y).values()]).map((x) => x.firms));
      const all = moved.get(c.code) ?? [];
      const shown = all.filter((m) => names.has(m.enterpriseId));
      return {
        code: c.code,
        name: c.name,
        counts,
        targets: c.leadingEnterpriseTargets.map((t) => ({
          rung: t.thresholdYiYuan,
          count: t.count,
          ...(t.note ? { note: t.note } : {}),
        })),
        movers: shown.map((m) => ({ ...m, name: names.get(m.enterpriseId) ?? null })),
        moversHidden: all.length - shown.length,
      };
    }),
  };
}
