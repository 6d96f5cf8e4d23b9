// Reference data: regions, zones, industries, clusters and the cluster↔industry mapping, loaded from the
// city's configuration folder by `migrate`, read by everyone.
import { and, asc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { clusterIndustries, clusters, industries, meta, regions, zones } from '../../db/schema.ts';
import type { CityConfig } from '../../config/load.ts';
import { buildClusterMapping, type ClusterMapping } from '../../domain/clusters.ts';
import type { CityInfo, Cluster, Industry, Region, Zone } from './schemas.ts';
import type { z } from 'zod';
import type { industryQuery } from './schemas.ts';

const BATCH = 500;

async function insertBatched<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/**
 * Official classifications (regions, zones, industries) are refreshed from config on every run;
 * clusters and the cluster↔industry mapping are only added when missing, because an administrator
 * may have edited them since.
 */
export async function loadReferenceData(db: Db, config: CityConfig): Promise<Record<string, number>> {
  return db.transaction(async (tx) => {
    await insertBatched(config.regions, (batch) =>
      tx
        .insert(regions)
        .values(
          batch.map((r) => ({
            code: r.code,
            name: r.name,
            nameEn: r.nameEn ?? null,
            level: r.level,
            parentCode: r.parentCode ?? null,
            source: r.source ?? null,
          })),
        )
        .onConflictDoUpdate({
          target: regions.code,
          set: {
            name: sql`excluded.name`,
            nameEn: sql`excluded.name_en`,
            level: sql`excluded.level`,
            parentCode: sql`excluded.parent_code`,
            source: sql`excluded.source`,
          },
        }),
    );
    await insertBatched(config.zones, (batch) =>
      tx
        .insert(zones)
        .values(
          batch.map((z) => {
            const { code, name, shortName, nameEn, hostRegionCode, level, reportingUnit, ...details } = z;
            return {
              code,
              name,
              shortName: shortName ?? null,
              nameEn: nameEn ?? null,
              hostRegionCode,
              level: level ?? null,
              reportingUnit: !!reportingUnit,
              details,
            };
          }),
        )
        .onConflictDoUpdate({
          target: zones.code,
          set: {
            name: sql`excluded.name`,
            shortName: sql`excluded.short_name`,
            nameEn: sql`excluded.name_en`,
            hostRegionCode: sql`excluded.host_region_code`,
            level: sql`excluded.level`,
            reportingUnit: sql`excluded.reporting_unit`,
            details: sql`excluded.details`,
          },
        }),
    );
    await insertBatched(config.industries, (batch) =>
      tx
        .insert(industries)
        .values(
          batch.map((i) => ({
            code: i.code,
            name: i.name,
            level: i.level,
            parentCode: i.parentCode ?? null,
            section: i.section,
            remark: i.remark ?? null,
          })),
        )
        .onConflictDoUpdate({
          target: industries.code,
          set: {
            name: sql`excluded.name`,
            level: sql`excluded.level`,
            parentCode: sql`excluded.parent_code`,
            section: sql`excluded.section`,
            remark: sql`excluded.remark`,
          },
        }),
    );
    await tx
      .insert(clusters)
      .values(
        config.clusters.map((c, i) => {
          const { code, name, nameEn, ...details } = c;
          return { code, name, nameEn, sortOrder: i + 1, details };
        }),
      )
      .onConflictDoNothing();
    await insertBatched(config.clusterIndustries, (batch) =>
      tx
        .insert(clusterIndustries)
        .values(
          batch.map((m) => ({
            clusterCode: m.clusterCode,
            industryCode: m.industryCode,
            confidence: m.confidence,
            note: m.note ?? null,
            source: m.source ?? null,
          })),
        )
        .onConflictDoNothing(),
    );
    const city = { code: config.city.code, name: config.city.name, nameEn: config.city.nameEn };
    await tx
      .insert(meta)
      .values({ key: 'city', value: city })
      .onConflictDoUpdate({ target: meta.key, set: { value: city } });
    return {
      regions: config.regions.length,
      zones: config.zones.length,
      industries: config.industries.length,
      clusters: config.clusters.length,
      clusterIndustries: config.clusterIndustries.length,
    };
  });
}

export async function getMeta<T>(db: Db, key: string): Promise<T | null> {
  const [row] = await db.select().from(meta).where(eq(meta.key, key));
  return (row?.value as T | undefined) ?? null;
}

export async function cityInfo(db: Db): Promise<CityInfo> {
  // one statement, not three at once: the bulletin hook asks this inside an import's transaction, and a
  // transaction is one connection, where concurrent queries are deprecated by pg (refused from pg@9)
  const rows = await db
    .select()
    .from(meta)
    .where(inArray(meta.key, ['city', 'demo_data', 'demo_pending']));
  const value = <T>(key: string) => (rows.find((r) => r.key === key)?.value as T | undefined) ?? null;
  const city = value<{ code: string; name: string; nameEn: string }>('city');
  const demo = value<unknown>('demo_data');
  // the demo parts a first start writes after the server answers (src/cli/demo-steps.ts)
  const pending = value<{ steps?: string[]; failed?: string }>('demo_pending');
  return {
    code: city?.code ?? '',
    name: city?.name ?? '',
    nameEn: city?.nameEn ?? '',
    demoData: demo != null,
    demoPending: pending ? { steps: pending.steps ?? [], failed: pending.failed != null } : null,
  };
}

export async function listRegions(db: Db): Promise<Region[]> {
  const rows = await db.select().from(regions).orderBy(asc(regions.code));
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    nameEn: r.nameEn,
    level: r.level as Region['level'],
    parentCode: r.parentCode,
  }));
}

export async function listZones(db: Db): Promise<Zone[]> {
  const rows = await db.select().from(zones).orderBy(asc(zones.code));
  return rows.map(({ details: _d, ...z }) => z);
}

export async function listIndustries(db: Db, query: z.infer<typeof industryQuery>): Promise<Industry[]> {
  const conds: SQL[] = [];
  if (query.level) conds.push(eq(industries.level, query.level));
  if (query.parent) conds.push(eq(industries.parentCode, query.parent));
  if (query.q) conds.push(or(ilike(industries.name, `%${query.q}%`), ilike(industries.code, `${query.q}%`))!);
  if (query.clustered) {
    conds.push(
      sql`exists (select 1 from ${clusterIndustries} ci where ${industries.code} like ci.industry_code || '%' or ci.industry_code like ${industries.code} || '%')`,
    );
  }
  const rows = await db
    .select()
    .from(industries)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(industries.code));
  return rows.map((r) => ({ ...r, level: r.level as Industry['level'] }));
}

export async function listClusters(db: Db): Promise<Cluster[]> {
  const [rows, mapping] = await Promise.all([
    db.select().from(clusters).orderBy(asc(clusters.sortOrder)),
    db.select().from(clusterIndustries),
  ]);
  return rows.map((c) => ({
    code: c.code,
    name: c.name,
    nameEn: c.nameEn,
    sortOrder: c.sortOrder,
    details: c.details as Record<string, unknown>,
    industryCodes: mapping
      .filter((m) => m.clusterCode === c.code)
      .map((m) => m.industryCode)
      .sort(),
  }));
}

export async function loadClusterMapping(db: Db): Promise<ClusterMapping> {
  return buildClusterMapping(await db.select().from(clusterIndustries));
}

export async function regionExists(db: Db, code: string, level?: Region['level']): Promise<boolean> {
  const rows = await db
    .select({ code: regions.code })
    .from(regions)
    .where(level ? and(eq(regions.code, code), eq(regions.level, level)) : eq(regions.code, code));
  return rows.length > 0;
}
