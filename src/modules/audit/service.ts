// Every change leaves one audit row (who, when, what, before/after), written in the change's transaction.
import { and, count, desc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { auditLog } from '../../db/schema.ts';
import { executeCount, type Db } from '../../db/client.ts';
import type { z } from 'zod';
import type { auditQuery } from './schemas.ts';

export interface Actor {
  id: number | null;
  username: string;
  ip?: string | null;
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

export async function writeAudit(db: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await writeAudits(db, actor, [entry]);
}

/**
 * Many entries of one actor in ONE insert (the entries as one jsonb array parameter, however many): the
 * same columns and values writeAudit writes for each, in the entries' order.
 */
export async function writeAudits(db: Db, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const rows = entries.map((e) => ({
    action: e.action,
    entity: e.entity,
    entityId: e.entityId == null ? null : String(e.entityId),
    before: e.before ?? null,
    after: e.after ?? null,
  }));
  await executeCount(
    db,
    sql`insert into audit_log (user_id, username, action, entity, entity_id, before, after, ip)
        select ${actor.id}::bigint, ${actor.username}::text, e.v->>'action', e.v->>'entity', e.v->>'entityId',
               nullif(e.v->'before', 'null'::jsonb), nullif(e.v->'after', 'null'::jsonb), ${actor.ip ?? null}::text
          from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) with ordinality as e(v, ord)
         order by e.ord`,
  );
}

/** Whether an entry of this action on this entity was written since an instant (e.g. a warning told once). */
export async function auditedSince(
  db: Db,
  q: { action: string; entityId: string; since: Date },
): Promise<boolean> {
  const [row] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.action, q.action), eq(auditLog.entityId, q.entityId), gt(auditLog.at, q.since)))
    .limit(1);
  return row != null;
}

export async function listAudit(db: Db, query: z.infer<typeof auditQuery>) {
  const conds: SQL[] = [];
  if (query.entity) conds.push(eq(auditLog.entity, query.entity));
  if (query.entityId) conds.push(eq(auditLog.entityId, query.entityId));
  if (query.username) conds.push(eq(auditLog.username, query.username));
  const where = conds.length ? and(...conds) : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(auditLog).where(where),
  ]);
  return {
    items: rows.map((r) => ({ ...r, at: r.at.toISOString() })),
    total: totals[0]?.n ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}
