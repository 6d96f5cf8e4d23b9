// Adjustment flags (调整标记) per enterprise and evaluation year: listed within the user's scope, set or
// cleared by an officer with evidence (audited in the same transaction). Imports of kind `flags` write
// the same table through the imports capability. Runs read them (repo.loadInputs) and store them.
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { evaluationFlags } from '../../db/schema.ts';
import { FLAGS, isFlagKey, type FlagKey } from '../../domain/evaluation/flags.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { badRequest, notFound } from '../../server/errors.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { scopeSql } from './repo.ts';
import { registryRows } from '../enterprises/index.ts';
import { evaluationAnswer, forgetEvaluationAnswers } from './answers.ts';

export interface FlagRow {
  enterpriseId: number;
  uscc: string;
  name: string;
  regionCode: string;
  year: number;
  flag: FlagKey;
  flagZh: string;
  evidence: string | null;
  importId: number | null;
  updatedBy: string | null;
  updatedAt: string;
}

type FlagQuery = { year?: number; enterpriseId?: number; flag?: string; page?: number; pageSize?: number };
export interface FlagPage {
  items: FlagRow[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * One page of the flags within the reader's scope (the scope, the filters, the order and the page inside
 * the SQL, the total beside it in the same statement). A city's list is thousands of rows (≈ 1 MB when it
 * was sent whole), so a page is kept per query, page, scope and data version (answers.ts) and sent as
 * kept JSON.
 */
export function listFlags(db: Db, user: AuthedUser, q: FlagQuery): Promise<FlagPage> {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const key = `flags:${q.year ?? ''}:${q.enterpriseId ?? ''}:${q.flag ?? ''}:${page}:${pageSize}:${JSON.stringify(user.scope)}`;
  return evaluationAnswer(db, key, () => computeFlags(db, user, q, page, pageSize));
}

async function computeFlags(
  db: Db,
  user: AuthedUser,
  q: FlagQuery,
  page: number,
  pageSize: number,
): Promise<FlagPage> {
  const conds = [scopeSql(user.scope)];
  if (q.year) conds.push(sql`f.year = ${q.year}`);
  if (q.enterpriseId) conds.push(sql`f.enterprise_id = ${q.enterpriseId}`);
  if (q.flag) conds.push(sql`f.flag = ${q.flag}`);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select f.*, enterprises.uscc, enterprises.name, enterprises.region_code, count(*) over () as total
        from evaluation_flags f
        join ${registryRows()} enterprises on enterprises.id = f.enterprise_id where ${sql.join(conds, sql` and `)}
        order by f.year desc, enterprises.region_code, enterprises.id, f.flag
        limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  // a page past the end has no row to carry the total: count it alone (rare: a stale link)
  const total = rows.length
    ? Number(rows[0]!.total)
    : page > 1
      ? Number(
          (
            await queryRows<{ n: string }>(
              db,
              sql`select count(*) as n from evaluation_flags f join ${registryRows()} enterprises on enterprises.id = f.enterprise_id
                  where ${sql.join(conds, sql` and `)}`,
            )
          )[0]?.n ?? 0,
        )
      : 0;
  return {
    total,
    page,
    pageSize,
    items: rows.map((r) => ({
      enterpriseId: Number(r.enterprise_id),
      uscc: r.uscc as string,
      name: r.name as string,
      regionCode: r.region_code as string,
      year: Number(r.year),
      flag: r.flag as FlagKey,
      flagZh: isFlagKey(r.flag) ? FLAGS[r.flag].zh : String(r.flag),
      evidence: (r.evidence as string | null) ?? null,
      importId: r.import_id == null ? null : Number(r.import_id),
      updatedBy: (r.updated_by as string | null) ?? null,
      updatedAt: new Date(r.updated_at as string).toISOString(),
    })),
  };
}

async function scopedEnterprise(db: Db, user: AuthedUser, id: number) {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`select enterprises.id from ${registryRows()} enterprises where enterprises.id = ${id} and ${scopeSql(user.scope)}`,
  );
  if (!row) throw notFound('enterprise');
}

/** Sets (set: true) or clears a flag; the evidence says why either way and goes to the audit log. */
export async function setFlag(
  db: Db,
  user: AuthedUser,
  key: { enterpriseId: number; year: number; flag: string },
  body: { set: boolean; evidence: string },
  actor: Actor,
): Promise<{ ok: true; changed: boolean }> {
  if (!isFlagKey(key.flag)) throw badRequest(`Unknown flag "${key.flag}".`, `未知的调整标记“${key.flag}”。`);
  await scopedEnterprise(db, user, key.enterpriseId);
  const where = and(
    eq(evaluationFlags.enterpriseId, key.enterpriseId),
    eq(evaluationFlags.year, key.year),
    eq(evaluationFlags.flag, key.flag),
  );
  const out = await db.transaction(async (tx) => {
    // (locked: a concurrent change waits, and the audit's "before" is the row it replaced)
    const [before] = await tx.select().from(evaluationFlags).where(where).for('update');
    let after: typeof before | null = null;
    if (body.set) {
      const values = {
        evidence: body.evidence,
        updatedBy: actor.username,
        updatedAt: new Date(),
        importId: null,
      };
      [after] = await tx
        .insert(evaluationFlags)
        .values({ ...key, ...values })
        .onConflictDoUpdate({
          target: [evaluationFlags.enterpriseId, evaluationFlags.flag, evaluationFlags.year],
          set: values,
        })
        .returning();
    } else if (before) {
      await tx.delete(evaluationFlags).where(where);
    }
    const changed = body.set || !!before;
    if (changed)
      await writeAudit(tx as unknown as Db, actor, {
        action: body.set ? 'evaluation.flag.set' : 'evaluation.flag.clear',
        entity: 'evaluation_flag',
        entityId: `${key.enterpriseId}:${key.year}:${key.flag}`,
        before: before ?? null,
        after: after ?? { cleared: true, evidence: body.evidence },
      });
    return { ok: true as const, changed };
  });
  forgetEvaluationAnswers(); // the kept flag lists of this process
  return out;
}
