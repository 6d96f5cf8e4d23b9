// The register of units (承办单位) and the users who act for them. Kept with work items because owning
// work is what a unit is for here; other capabilities read it through ./index.ts.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { unitMembers, units } from '../../db/schema.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { accountRows, usersByName } from '../auth/index.ts';
import { conflict, notFound } from '../../server/errors.ts';

export type UnitRecord = typeof units.$inferSelect;
export const UNIT_KINDS = [
  'department',
  'county',
  'cluster_agency',
  'coordinator',
  'supervisor',
  'town',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export interface NewUnit {
  code: string;
  name: string;
  nameEn?: string | null;
  kind: UnitKind;
  level: 'city' | 'county' | 'town';
  regionCode?: string | null;
  clusterCode?: string | null;
  duties?: string[];
  sortOrder?: number;
  source?: string | null;
}

export async function listUnits(db: Db, filter: { kind?: UnitKind; activeOnly?: boolean } = {}) {
  const rows = await db
    .select()
    .from(units)
    .where(
      and(
        filter.kind ? eq(units.kind, filter.kind) : undefined,
        filter.activeOnly === false ? undefined : eq(units.active, true),
      ),
    )
    .orderBy(asc(units.sortOrder), asc(units.id));
  const members = rows.length
    ? await db
        .select({
          unitId: unitMembers.unitId,
          userId: sql<number>`us.id`.mapWith(Number),
          username: sql<string>`us.username`,
          displayName: sql<string>`us.display_name`,
          duty: unitMembers.duty,
        })
        .from(unitMembers)
        .innerJoin(sql`${accountRows()} us`, sql`us.id = ${unitMembers.userId}`)
        .where(
          inArray(
            unitMembers.unitId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(sql`us.username`)
    : [];
  return rows.map((u) => ({ ...u, members: members.filter((m) => m.unitId === u.id) }));
}

export async function unitById(db: Db, id: number): Promise<UnitRecord | undefined> {
  const [row] = await db.select().from(units).where(eq(units.id, id));
  return row;
}

export async function unitByCode(db: Db, code: string): Promise<UnitRecord | undefined> {
  const [row] = await db.select().from(units).where(eq(units.code, code));
  return row;
}

/** The units a user acts for. */
export async function unitsOfUser(db: Db, userId: number): Promise<UnitRecord[]> {
  return db
    .select({ u: units })
    .from(unitMembers)
    .innerJoin(units, eq(units.id, unitMembers.unitId))
    .where(eq(unitMembers.userId, userId))
    .then((rows) => rows.map((r) => r.u));
}

export async function createUnit(db: Db, actor: Actor, input: NewUnit): Promise<UnitRecord> {
  return db.transaction(async (tx) => {
    if (await unitByCode(tx, input.code))
      throw conflict(`Unit ${input.code} exists already.`, `单位编码 ${input.code} 已存在。`);
    const [row] = await tx
      .insert(units)
      .values({ ...input, duties: input.duties ?? [], sortOrder: input.sortOrder ?? 0 })
      .returning();
    await writeAudit(tx, actor, { action: 'unit.create', entity: 'unit', entityId: row!.id, after: row });
    return row!;
  });
}

/** Adds units that do not exist yet (by code); existing ones are left as an administrator edited them. */
export async function ensureUnits(db: Db, actor: Actor, list: NewUnit[]): Promise<number> {
  if (!list.length) return 0;
  const existing = new Set(
    (
      await db
        .select({ code: units.code })
        .from(units)
        .where(
          inArray(
            units.code,
            list.map((u) => u.code),
          ),
        )
    ).map((r) => r.code),
  );
  const fresh = list.filter((u) => !existing.has(u.code));
  if (!fresh.length) return 0;
  await db
    .insert(units)
    .values(fresh.map((u) => ({ ...u, duties: u.duties ?? [], sortOrder: u.sortOrder ?? 0 })));
  await writeAudit(db, actor, {
    action: 'unit.seed',
    entity: 'unit',
    after: { codes: fresh.map((u) => u.code) },
  });
  return fresh.length;
}

/** What an administrator may change of a unit (its code and kind stay: work and history name them). */
export interface UnitChange {
  name?: string;
  nameEn?: string | null;
  level?: 'city' | 'county' | 'town';
  regionCode?: string | null;
  clusterCode?: string | null;
  duties?: string[];
  active?: boolean;
  sortOrder?: number;
}

export async function updateUnit(db: Db, actor: Actor, id: number, change: UnitChange): Promise<UnitRecord> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(units).where(eq(units.id, id)).for('update');
    if (!before) throw notFound('unit');
    const set = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
    if (!Object.keys(set).length) return before;
    const [after] = await tx.update(units).set(set).where(eq(units.id, id)).returning();
    await writeAudit(tx as Db, actor, {
      action: 'unit.update',
      entity: 'unit',
      entityId: id,
      before: Object.fromEntries(Object.keys(set).map((k) => [k, before[k as keyof UnitRecord]])),
      after: set,
    });
    return after!;
  });
}

export async function setUnitMember(
  db: Db,
  actor: Actor,
  input: {
    unitId: number;
    userId?: number;
    /** instead of userId: the administrator types the user's login name */
    username?: string;
    duty?: 'handler' | 'head';
    remove?: boolean;
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await unitById(tx as Db, input.unitId))) throw notFound('unit');
    let userId = input.userId;
    if (userId == null && input.username) {
      const name = input.username.trim();
      const u = (await usersByName(tx as Db, [name])).get(name);
      if (!u) throw notFound('user');
      userId = u.id;
    }
    if (userId == null) throw notFound('user');
    if (input.remove) {
      await tx
        .delete(unitMembers)
        .where(and(eq(unitMembers.unitId, input.unitId), eq(unitMembers.userId, userId)));
    } else {
      await tx
        .insert(unitMembers)
        .values({ unitId: input.unitId, userId, duty: input.duty ?? 'handler' })
        .onConflictDoUpdate({
          target: [unitMembers.unitId, unitMembers.userId],
          set: { duty: sql`excluded.duty` },
        });
    }
    await writeAudit(tx, actor, {
      action: input.remove ? 'unit.member.remove' : 'unit.member.add',
      entity: 'unit',
      entityId: input.unitId,
      after: { userId, duty: input.duty ?? 'handler' },
    });
  });
}
