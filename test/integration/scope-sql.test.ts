// The scope rule in one form (issue 11 item 1): the SQL helpers of src/server/scope.ts select exactly
// the rows the policy's row rule (scopeAllows, src/domain/policy) lets a scope see — for every scope,
// every scope kind of a resource, rows that carry their own county/cluster/firm/owner and rows that only
// name their firm, city-wide rows by default and where a resource says they are not the city's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import {
  scopeAllows,
  workRowVisible,
  type RowFacts,
  type Scope,
  type ScopeKind,
  type WorkScope,
} from '../../src/domain/policy/index.ts';
import { scopeCondition, workRowsCondition, type ScopeColumns } from '../../src/server/scope.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, seedFixture, TONGXIANG, type Fixture } from '../helpers/fixtures.ts';

const CITY = '330400';
const KINDS: ScopeKind[] = ['enterprise', 'region', 'cluster', 'city', 'own'];

interface Probe {
  id: number;
  enterprise_id: number | null;
  region_code: string | null;
  cluster_code: string | null;
  owner_id: number | null;
}

describe.each(testDatabases())('scope SQL agrees with the policy on $kind', (t) => {
  let d: Database;
  let fx: Fixture;
  const probes: Probe[] = [];
  const firmRegion = new Map<number, string>();
  const firmClusters = new Map<number, string[]>();

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    for (const f of await queryRows<{ id: number; region_code: string }>(
      d.db,
      sql`select id, region_code from enterprises`,
    ))
      firmRegion.set(Number(f.id), f.region_code);
    for (const m of await queryRows<{ enterprise_id: number; cluster_code: string }>(
      d.db,
      sql`select enterprise_id, cluster_code from enterprise_clusters where valid_to is null`,
    ))
      firmClusters.set(Number(m.enterprise_id), [
        ...(firmClusters.get(Number(m.enterprise_id)) ?? []),
        m.cluster_code,
      ]);
    const firms = [...Object.values(fx.ids), null];
    let id = 0;
    for (const e of firms)
      for (const r of [NANHU, TONGXIANG, CITY, null])
        for (const c of ['textile', 'chem_materials', null])
          for (const o of [1, 2, null])
            probes.push({ id: ++id, enterprise_id: e, region_code: r, cluster_code: c, owner_id: o });
    await d.db.execute(sql`create table scope_probe (id int primary key, enterprise_id int,
      region_code text, cluster_code text, owner_id int)`);
    await d.db.execute(sql`insert into scope_probe
      select * from jsonb_to_recordset(${JSON.stringify(probes)}::jsonb)
        as x(id int, enterprise_id int, region_code text, cluster_code text, owner_id int)`);
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  const col = (name: string) => sql.raw(`p.${name}`);
  const FULL: ScopeColumns = {
    enterpriseId: col('enterprise_id'),
    regionCode: col('region_code'),
    clusterCode: col('cluster_code'),
    ownerId: col('owner_id'),
  };
  const FIRM_ONLY: ScopeColumns = { enterpriseId: col('enterprise_id') };
  /** the row as the policy sees it through the columns the table offers */
  const facts = (p: Probe, cols: ScopeColumns, cityWide?: boolean): RowFacts => {
    const e = p.enterprise_id;
    return {
      enterpriseId: e,
      regionCode: cols.regionCode ? p.region_code : e != null ? (firmRegion.get(e) ?? null) : null,
      clusterCodes: cols.clusterCode
        ? p.cluster_code
          ? [p.cluster_code]
          : []
        : e != null
          ? (firmClusters.get(e) ?? [])
          : [],
      ownerIds: cols.ownerId && p.owner_id != null ? [p.owner_id] : [],
      // rows offering no county column are never city-wide (a firm always has a county)
      cityWide: cityWide ?? (cols.regionCode ? undefined : false),
    };
  };

  it('selects exactly the rows scopeAllows lets each scope see', async () => {
    const scopes: Scope[] = [
      { kind: 'all' },
      { kind: 'none' },
      { kind: 'region', regionCode: NANHU },
      { kind: 'cluster', clusterCode: 'textile' },
      { kind: 'enterprise', enterpriseId: fx.ids.nanhuTextile },
    ];
    let cells = 0;
    const wrong: string[] = [];
    for (const scope of scopes)
      for (const kind of KINDS)
        for (const [colsName, cols] of [
          ['full', FULL],
          ['firm only', FIRM_ONLY],
          ['no city rows', { ...FULL, cityWide: false as const }],
        ] as const)
          for (const userId of [1, 3]) {
            const where = scopeCondition(scope, kind, cols, { cityCode: CITY, userId });
            const got = (
              await queryRows<{ id: number }>(
                d.db,
                sql`select p.id from scope_probe p where ${and(sql`true`, where as SQL | undefined)} order by p.id`,
              )
            ).map((r) => r.id);
            const cityWide = 'cityWide' in cols && cols.cityWide === false ? false : undefined;
            const want = probes
              .filter((p) => scopeAllows(scope, kind, facts(p, cols, cityWide), { cityCode: CITY, userId }))
              .map((p) => p.id);
            cells++;
            if (JSON.stringify(got) !== JSON.stringify(want))
              wrong.push(
                `${scope.kind} × ${kind} × ${colsName} × user ${userId}: ${got.length} ≠ ${want.length}`,
              );
          }
    console.log(
      `scope SQL vs policy: ${cells} (scope, kind, columns, user) cells over ${probes.length} rows`,
    );
    expect(wrong).toEqual([]);
  });

  it('selects exactly the rows of unit-handled work workRowVisible lets each work scope see', async () => {
    // a probe's owner_id stands for the unit leading it; it is co-handled by unit (id mod 3)
    const assistOf = (p: Probe) => [p.id % 3];
    const scopes: Scope[] = [
      { kind: 'all' },
      { kind: 'none' },
      { kind: 'region', regionCode: NANHU },
      { kind: 'cluster', clusterCode: 'textile' },
      { kind: 'enterprise', enterpriseId: fx.ids.nanhuTextile },
    ];
    let cells = 0;
    const wrong: string[] = [];
    for (const scope of scopes)
      for (const ledBy of [[], [1]])
        for (const assistedBy of [[], [2]])
          for (const resource of ['service.request', 'service.statistics'] as const) {
            const ws: WorkScope = { scope, ledBy, assistedBy };
            const where = workRowsCondition(ws, resource, {
              ...FULL,
              leadUnitId: col('owner_id'),
              assistedBy: (ids) => sql`(p.id % 3) = any(${sql.param([...ids])}::int[])`,
            });
            const got = (
              await queryRows<{ id: number }>(
                d.db,
                sql`select p.id from scope_probe p where ${and(sql`true`, where as SQL | undefined)} order by p.id`,
              )
            ).map((r) => r.id);
            const want = probes
              .filter((p) =>
                workRowVisible(ws, resource, {
                  ...facts(p, FULL),
                  leadUnitId: p.owner_id,
                  assistUnitIds: assistOf(p),
                }),
              )
              .map((p) => p.id);
            cells++;
            if (JSON.stringify(got) !== JSON.stringify(want))
              wrong.push(
                `${scope.kind} × led ${ledBy} × assisted ${assistedBy}: ${got.length} ≠ ${want.length}`,
              );
          }
    console.log(`work scope SQL vs policy: ${cells} cells over ${probes.length} rows`);
    expect(wrong).toEqual([]);
  });
});
