// Reads of work items: one item, a scoped and filtered page of items, an item's history and co-handlers.
// Lists take the caller's Scope (the same rule as every enterprise-level query) plus the capability's
// own conditions; there is no unscoped list here.
import {
  and,
  asc,
  count,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  or,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { units, workItemEvents, workItemParties, workItems } from '../../db/schema.ts';
import type { Scope } from '../../domain/policy/index.ts';
import { scopeCondition } from '../../server/scope.ts';
import type { WorkItemRecord } from './service.ts';

/** Items visible to a scope: the policy's rule for firm rows, on the item's own firm, county and cluster. */
export function workItemScopeCondition(scope: Scope): SQL | undefined {
  return scopeCondition(scope, 'enterprise', {
    enterpriseId: workItems.enterpriseId,
    regionCode: workItems.regionCode,
    clusterCode: workItems.clusterCode,
  });
}

export interface WorkItemFilter {
  kind: string;
  /** rows the caller may see by scope; combine with `orOwnedBy` for units that own items outside it */
  scope?: Scope;
  /** also (OR) items owned by, or co-handled by, these units (a department sees its inbox city-wide) */
  orUnitIds?: number[];
  ownerUnitIds?: number[];
  states?: string[];
  minLevel?: number;
  open?: boolean;
  enterpriseId?: number;
  regionCode?: string;
  clusterCode?: string;
  q?: string;
  /** items whose subject id is among these (a select of text ids over the capability's own tables) */
  subjectIn?: SQLWrapper;
  /** items on which one of these units owes 协办 input it has not given yet */
  assistPendingFor?: number[];
  /** the capability's own conditions (on its tables joined by subject) */
  where?: SQL;
  page?: number;
  pageSize?: number;
  order?: 'deadline' | 'newest' | 'level';
}

export function workItemConditions(f: WorkItemFilter): SQL | undefined {
  const scoped = f.scope ? workItemScopeCondition(f.scope) : undefined;
  const byUnit =
    f.orUnitIds && f.orUnitIds.length
      ? or(
          inArray(workItems.ownerUnitId, f.orUnitIds),
          sql`exists (select 1 from ${workItemParties} p where p.work_item_id = ${workItems.id} and p.unit_id = any(${sql.param(f.orUnitIds)}::bigint[]))`,
        )
      : undefined;
  const visible =
    scoped && byUnit ? or(scoped, byUnit) : (scoped ?? (f.scope?.kind === 'all' ? undefined : byUnit));
  return and(
    eq(workItems.kind, f.kind),
    f.scope && f.scope.kind !== 'all' && !scoped && !byUnit ? sql`false` : visible,
    f.ownerUnitIds?.length ? inArray(workItems.ownerUnitId, f.ownerUnitIds) : undefined,
    f.states?.length ? inArray(workItems.state, f.states) : undefined,
    f.minLevel != null ? and(eq(workItems.timed, true), gte(workItems.level, f.minLevel)) : undefined,
    f.open === true
      ? sql`${workItems.closedAt} is null`
      : f.open === false
        ? sql`${workItems.closedAt} is not null`
        : undefined,
    f.enterpriseId != null ? eq(workItems.enterpriseId, f.enterpriseId) : undefined,
    f.regionCode ? eq(workItems.regionCode, f.regionCode) : undefined,
    f.clusterCode ? eq(workItems.clusterCode, f.clusterCode) : undefined,
    f.q ? ilike(workItems.title, `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`) : undefined,
    f.subjectIn ? inArray(workItems.subjectId, f.subjectIn) : undefined,
    f.assistPendingFor == null
      ? undefined
      : f.assistPendingFor.length
        ? sql`exists (select 1 from ${workItemParties} p where p.work_item_id = ${workItems.id}
                 and p.done_at is null and p.unit_id = any(${sql.param(f.assistPendingFor)}::bigint[]))`
        : sql`false`,
    f.where,
  );
}

export async function listWorkItems(db: Db, f: WorkItemFilter) {
  const where = workItemConditions(f);
  const page = f.page ?? 1;
  const pageSize = Math.min(f.pageSize ?? 50, 500);
  const order =
    f.order === 'newest'
      ? [desc(workItems.createdAt), desc(workItems.id)]
      : f.order === 'level'
        ? [desc(workItems.level), asc(workItems.deadlineAt), asc(workItems.id)]
        : [sql`${workItems.deadlineAt} asc nulls last`, asc(workItems.id)];
  const [rows, [total]] = await Promise.all([
    db
      .select({ item: workItems, ownerUnitName: units.name })
      .from(workItems)
      .leftJoin(units, eq(units.id, workItems.ownerUnitId))
      .where(where)
      .orderBy(...order)
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(workItems).where(where),
  ]);
  return {
    items: rows.map((r) => ({ ...r.item, ownerUnitName: r.ownerUnitName })),
    total: total?.n ?? 0,
    page,
    pageSize,
  };
}

/**
 * The items of a filter in listWorkItems' default order (deadline first, none last, then id), `pageSize` at a
 * time, read by keyset on work_items_deadline_idx (kind, deadline_at, id): each page starts after the last
 * item read — first the items with a deadline, `(deadline_at, id) > (last)`, then those without, `id > last`
 * — so a long export walks the index once, with no offset read again from the start and no count per page.
 * The cursor is the last deadline as the database's own text (microseconds kept; a Date would round them).
 */
export async function* workItemsByDeadline(db: Db, f: WorkItemFilter, pageSize = 500) {
  const where = workItemConditions(f);
  let dated = true;
  let last: { id: number; deadline: string | null } | null = null;
  for (;;) {
    const after: SQL = dated
      ? last
        ? sql`${workItems.deadlineAt} is not null
              and (${workItems.deadlineAt}, ${workItems.id}) > (${last.deadline}::timestamptz, ${last.id}::bigint)`
        : sql`${workItems.deadlineAt} is not null`
      : last
        ? sql`${workItems.deadlineAt} is null and ${workItems.id} > ${last.id}::bigint`
        : sql`${workItems.deadlineAt} is null`;
    const rows = await db
      .select({
        item: workItems,
        ownerUnitName: units.name,
        deadline: sql<string | null>`${workItems.deadlineAt}::text`,
      })
      .from(workItems)
      .leftJoin(units, eq(units.id, workItems.ownerUnitId))
      .where(and(where, after))
      .orderBy(...(dated ? [asc(workItems.deadlineAt), asc(workItems.id)] : [asc(workItems.id)]))
      .limit(pageSize);
    if (rows.length) yield rows.map((r) => ({ ...r.item, ownerUnitName: r.ownerUnitName }));
    if (rows.length < pageSize) {
      if (!dated) return;
      dated = false;
      last = null;
    } else {
      const end = rows[rows.length - 1]!;
      last = { id: end.item.id, deadline: end.deadline };
    }
  }
}

/**
 * How many items a filter matches, and how many of them are overdue: the item's own clock (timed, level ≥ 2:
 * overdue, 催办 or 督办), or — with `assistOverdueFor` — a 协办 input these units still owe past its due
 * time. One statement; the same conditions as listWorkItems (a count beside the list a page shows).
 */
export async function countWorkItems(
  db: Db,
  f: WorkItemFilter,
  opts: { assistOverdueFor?: readonly number[] } = {},
): Promise<{ total: number; overdue: number }> {
  const overdue = opts.assistOverdueFor
    ? opts.assistOverdueFor.length
      ? sql`exists (select 1 from ${workItemParties} p where p.work_item_id = ${workItems.id} and p.done_at is null
             and p.due_at < now() and p.unit_id = any(${sql.param([...opts.assistOverdueFor])}::bigint[]))`
      : sql`false`
    : sql`${workItems.timed} and ${workItems.level} >= 2`;
  const [row] = await db
    .select({ total: count(), overdue: sql<number>`count(*) filter (where ${overdue})::int` })
    .from(workItems)
    .where(workItemConditions(f));
  return { total: Number(row?.total ?? 0), overdue: Number(row?.overdue ?? 0) };
}

export async function getWorkItem(db: Db, id: number): Promise<WorkItemRecord | undefined> {
  const [row] = await db.select().from(workItems).where(eq(workItems.id, id));
  return row;
}

export async function workItemBySubject(
  db: Db,
  kind: string,
  subjectType: string,
  subjectId: string | number,
): Promise<WorkItemRecord | undefined> {
  const [row] = await db
    .select()
    .from(workItems)
    .where(
      and(
        eq(workItems.kind, kind),
        eq(workItems.subjectType, subjectType),
        eq(workItems.subjectId, String(subjectId)),
      ),
    );
  return row;
}

export async function workItemHistory(db: Db, id: number) {
  const from = sql<string | null>`(select name from ${units} where id = ${workItemEvents.fromUnitId})`;
  const to = sql<string | null>`(select name from ${units} where id = ${workItemEvents.toUnitId})`;
  return db
    .select({ event: workItemEvents, fromUnitName: from, toUnitName: to })
    .from(workItemEvents)
    .where(eq(workItemEvents.workItemId, id))
    .orderBy(asc(workItemEvents.at), asc(workItemEvents.id))
    .then((rows) =>
      rows.map((r) => ({ ...r.event, fromUnitName: r.fromUnitName, toUnitName: r.toUnitName })),
    );
}

export async function workItemParties_(db: Db, id: number) {
  return db
    .select({ party: workItemParties, unitName: units.name })
    .from(workItemParties)
    .innerJoin(units, eq(units.id, workItemParties.unitId))
    .where(eq(workItemParties.workItemId, id))
    .orderBy(asc(units.sortOrder))
    .then((rows) => rows.map((r) => ({ ...r.party, unitName: r.unitName })));
}

/** The 协办 duties these units hold on these items (one query, two array parameters). */
export async function assistDutiesOf(db: Db, itemIds: readonly number[], unitIds: readonly number[]) {
  if (!itemIds.length || !unitIds.length) return [];
  return db
    .select()
    .from(workItemParties)
    .where(
      sql`${workItemParties.workItemId} = any(${sql.param([...itemIds])}::bigint[])
          and ${workItemParties.unitId} = any(${sql.param([...unitIds])}::bigint[])`,
    );
}
