// The platforms register (平台载体): list in the user's scope, create, change, delete, each change audited
// in its transaction. Region scope: a county officer sees its county's entries and the city-wide ones
// (no county), and changes only its own county's; a cluster agency reads its cluster's.
import { and, asc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { clusters, platforms, regions, zones } from '../../db/schema.ts';
import { PLATFORM_KINDS, type PlatformKind } from '../../domain/platforms.ts';
import { can, type Scope } from '../../domain/policy/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { badRequest, forbidden, notFound } from '../../server/errors.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import type { Platform, PlatformBody, PlatformList } from './schemas.ts';
import type { z } from 'zod';
import type { platformQuery } from './schemas.ts';

export type PlatformRow = typeof platforms.$inferSelect;

/** The rows a scope may read, as SQL. */
export function platformScopeCondition(scope: Scope): SQL | undefined {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'region':
      return or(eq(platforms.regionCode, scope.regionCode), isNull(platforms.regionCode));
    case 'cluster':
      return eq(platforms.clusterCode, scope.clusterCode);
    default:
      return sql`false`;
  }
}

/** Whether the user may change a platform in (or move one to) this county: the city any, a county its own. */
function writable(user: AuthedUser, regionCode: string | null): boolean {
  if (user.scope.kind === 'all') return true;
  return user.scope.kind === 'region' && regionCode === user.scope.regionCode;
}

interface Names {
  regions: Map<string, string>;
  zones: Map<string, { name: string; host: string }>;
  clusters: Map<string, string>;
}

export async function referenceNames(db: Db): Promise<Names> {
  const [r, z, c] = await Promise.all([
    db.select({ code: regions.code, name: regions.name }).from(regions).where(eq(regions.level, 'county')),
    db.select({ code: zones.code, name: zones.name, host: zones.hostRegionCode }).from(zones),
    db.select({ code: clusters.code, name: clusters.name }).from(clusters),
  ]);
  return {
    regions: new Map(r.map((x) => [x.code, x.name])),
    zones: new Map(z.map((x) => [x.code, { name: x.name, host: x.host }])),
    clusters: new Map(c.map((x) => [x.code, x.name])),
  };
}

function toPlatform(r: PlatformRow, names: Names, user: AuthedUser | null): Platform {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    kindZh: PLATFORM_KINDS[r.kind as PlatformKind] ?? r.kind,
    level: r.level,
    regionCode: r.regionCode,
    regionName: r.regionCode ? (names.regions.get(r.regionCode) ?? r.regionCode) : null,
    zoneCode: r.zoneCode,
    zoneName: r.zoneCode ? (names.zones.get(r.zoneCode)?.name ?? r.zoneCode) : null,
    clusterCode: r.clusterCode,
    clusterName: r.clusterCode ? (names.clusters.get(r.clusterCode) ?? r.clusterCode) : null,
    year: r.year,
    source: r.source,
    editable: user !== null && can(user, 'platforms.platform', 'update') && writable(user, r.regionCode),
  };
}

export async function listPlatforms(
  db: Db,
  user: AuthedUser,
  q: z.infer<typeof platformQuery>,
): Promise<PlatformList> {
  const conds: SQL[] = [];
  const scoped = platformScopeCondition(user.scope);
  if (scoped) conds.push(scoped);
  if (q.kind) conds.push(eq(platforms.kind, q.kind));
  if (q.county) conds.push(eq(platforms.regionCode, q.county));
  if (q.cluster) conds.push(eq(platforms.clusterCode, q.cluster));
  if (q.level) conds.push(eq(platforms.level, q.level));
  if (q.q) conds.push(ilike(platforms.name, `%${q.q.replace(/[%_\\]/g, (c) => '\\' + c)}%`));
  const rows = await db
    .select()
    .from(platforms)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(platforms.kind), asc(platforms.regionCode), asc(platforms.year), asc(platforms.id));
  const names = await referenceNames(db);
  const byKind: Record<string, number> = {};
  for (const r of rows) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
  return { items: rows.map((r) => toPlatform(r, names, user)), byKind };
}

async function visibleRow(db: Db, user: AuthedUser, id: number, lock = false): Promise<PlatformRow> {
  const scoped = platformScopeCondition(user.scope);
  const q = db
    .select()
    .from(platforms)
    .where(scoped ? and(eq(platforms.id, id), scoped) : eq(platforms.id, id));
  const [r] = lock ? await q.for('update') : await q;
  if (!r) throw notFound('platform');
  return r;
}

export async function getPlatform(db: Db, user: AuthedUser, id: number): Promise<Platform> {
  return toPlatform(await visibleRow(db, user, id), await referenceNames(db), user);
}

/** Checks the codes against the reference data; a zone must lie in the county. Returns the refusals. */
export function checkBody(
  b: Pick<PlatformBody, 'regionCode' | 'zoneCode' | 'clusterCode'>,
  names: Names,
): { field: string; zh: string; en: string }[] {
  const out: { field: string; zh: string; en: string }[] = [];
  if (b.regionCode && !names.regions.has(b.regionCode))
    out.push({ field: 'regionCode', zh: '不是本市的县（市、区）', en: 'not a county of the city' });
  if (b.zoneCode) {
    const z = names.zones.get(b.zoneCode);
    if (!z) out.push({ field: 'zoneCode', zh: '未知的功能区', en: 'unknown zone' });
    else if (b.regionCode && z.host !== b.regionCode)
      out.push({
        field: 'zoneCode',
        zh: '功能区不在该县（市、区）内',
        en: 'the zone lies in another county',
      });
  }
  if (b.clusterCode && !names.clusters.has(b.clusterCode))
    out.push({ field: 'clusterCode', zh: '未知的集群', en: 'unknown cluster' });
  return out;
}

function refuseOutside(user: AuthedUser, regionCode: string | null) {
  if (!writable(user, regionCode))
    throw forbidden(
      'Forbidden: a county officer keeps its own county’s platforms only.',
      '无权限：县（市、区）用户只能维护本地的平台载体。',
    );
}

async function validated(db: Db, body: PlatformBody) {
  const bad = checkBody(body, await referenceNames(db));
  if (bad.length)
    throw badRequest(
      bad.map((b) => `${b.field}: ${b.en}`).join('; '),
      bad.map((b) => b.zh).join('；'),
      bad.map((b) => ({ field: b.field, message: b.en, messageZh: b.zh })),
    );
}

const audited = (r: PlatformRow) => ({
  name: r.name,
  kind: r.kind,
  level: r.level,
  regionCode: r.regionCode,
  zoneCode: r.zoneCode,
  clusterCode: r.clusterCode,
  year: r.year,
  source: r.source,
});

export async function createPlatform(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  body: PlatformBody,
): Promise<Platform> {
  refuseOutside(user, body.regionCode);
  await validated(db, body);
  const row = await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [r] = await tx.insert(platforms).values(body).returning();
    await writeAudit(tx, actor, {
      action: 'platform.create',
      entity: 'platform',
      entityId: r!.id,
      after: audited(r!),
    });
    return r!;
  });
  return toPlatform(row, await referenceNames(db), user);
}

export async function updatePlatform(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  id: number,
  body: PlatformBody,
): Promise<Platform> {
  const row = await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    // the row as it stands, locked until the edit commits: a county officer's edit is judged on the county
    // the platform is in now (not before another user moved it), and the audit's "before" is the row replaced
    const before = await visibleRow(tx, user, id, true);
    refuseOutside(user, before.regionCode);
    refuseOutside(user, body.regionCode);
    await validated(tx, body);
    const [r] = await tx.update(platforms).set(body).where(eq(platforms.id, id)).returning();
    if (!r) throw notFound('platform');
    await writeAudit(tx, actor, {
      action: 'platform.update',
      entity: 'platform',
      entityId: id,
      before: audited(before),
      after: audited(r),
    });
    return r;
  });
  return toPlatform(row, await referenceNames(db), user);
}

export async function deletePlatform(db: Db, user: AuthedUser, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    // (locked: a second delete at the same time is a 404, not a second audit entry)
    const before = await visibleRow(tx, user, id, true);
    refuseOutside(user, before.regionCode);
    await tx.delete(platforms).where(eq(platforms.id, id));
    await writeAudit(tx, actor, {
      action: 'platform.delete',
      entity: 'platform',
      entityId: id,
      before: audited(before),
    });
  });
}
