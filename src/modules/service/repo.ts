// Reads of service requests joined with their work items.
import { and, eq, sql } from 'drizzle-orm';
import { idArray, queryRows, type Db } from '../../db/client.ts';
import { serviceRequests } from '../../db/schema.ts';
import { SERVICE_REQUEST_KIND } from '../../domain/service/index.ts';
import { currentMemberships, registryRows } from '../enterprises/index.ts';
import {
  assistDutiesOf,
  listWorkItems,
  toWorkItemView,
  workItemBySubject,
  workItemRows,
  workItemsByDeadline,
  type WorkItemFilter,
  type WorkItemRecord,
} from '../workitems/index.ts';
import type { ListQuery, RequestView } from './schemas.ts';
import type { Visibility } from './access.ts';

export type RequestRecord = typeof serviceRequests.$inferSelect;

export function toRequestView(
  r: RequestRecord,
  enterpriseName: string,
  item: WorkItemRecord & { ownerUnitName?: string | null },
): RequestView {
  return {
    id: r.id,
    code: r.code,
    enterpriseId: r.enterpriseId,
    enterpriseName,
    regionCode: r.regionCode,
    clusterCode: r.clusterCode,
    nature: r.nature,
    category: r.category,
    chainCommon: r.chainCommon,
    level: r.level,
    complex: r.complex,
    channel: r.channel,
    title: r.title,
    description: r.description,
    contactName: r.contactName,
    contactPhone: r.contactPhone,
    tags: (r.tags as string[]) ?? [],
    receivedAt: r.receivedAt.toISOString(),
    answer: r.answer,
    answeredAt: r.answeredAt?.toISOString() ?? null,
    directAnswer: r.directAnswer,
    answeredOnTime: r.answeredOnTime,
    rating: r.rating,
    ratingNote: r.ratingNote,
    contestCount: r.contestCount,
    reopenCount: r.reopenCount,
    mergedInto: r.mergedInto,
    item: toWorkItemView(item),
  };
}

/** The firm's registered name, joined from the registry (the enterprises module's relation). */
const firmName = sql<string>`e.name`;
const joinFirm = [sql`${registryRows()} e`, sql`e.id = ${serviceRequests.enterpriseId}`] as const;

export async function requestById(db: Db, id: number) {
  const [row] = await db
    .select({ r: serviceRequests, name: firmName })
    .from(serviceRequests)
    .innerJoin(...joinFirm)
    .where(eq(serviceRequests.id, id));
  if (!row) return undefined;
  const item = await workItemBySubject(db, SERVICE_REQUEST_KIND, 'service_request', id);
  return item ? { ...row, item } : undefined;
}

/** The firm's county and current cluster (the first by code when it belongs to several). */
export async function firmFacts(db: Db, enterpriseId: number) {
  return (await firmFactsOf(db, [enterpriseId])).get(enterpriseId);
}

interface FirmFacts {
  id: number;
  name: string;
  regionCode: string;
  clusterCode: string | null;
}

/** Firms' county and current cluster, in one query (the firms found; a missing id is simply absent). */
export async function firmFactsOf(db: Db, enterpriseIds: readonly number[]): Promise<Map<number, FirmFacts>> {
  if (!enterpriseIds.length) return new Map();
  const rows = await queryRows<{
    id: number | string;
    name: string;
    region_code: string;
    cluster_code: string | null;
  }>(
    db,
    sql`select e.id, e.name, e.region_code, m.cluster_code
          from ${registryRows()} e
          left join (select m.enterprise_id, min(m.cluster_code) as cluster_code from ${currentMemberships()} m
                      where m.enterprise_id = any(${idArray(enterpriseIds)}) group by m.enterprise_id) m
            on m.enterprise_id = e.id
         where e.id = any(${idArray(enterpriseIds)})`,
  );
  return new Map(
    rows.map((row) => [
      Number(row.id),
      { id: Number(row.id), name: row.name, regionCode: row.region_code, clusterCode: row.cluster_code },
    ]),
  );
}

type AssistDuty = NonNullable<RequestView['myAssist']>;

type AssistOf = (p: { assignedAt: Date; dueAt: Date | null; doneAt: Date | null }) => {
  level: string;
  sla: string;
};

/**
 * The pool's filter as the work items' (the caller's scope and units, the query's conditions): for the
 * list, the export and the counts of the home page's to-dos (todos.ts) alike.
 */
export function requestFilter(
  db: Db,
  v: Visibility,
  q: Omit<ListQuery, 'page' | 'pageSize'>,
): WorkItemFilter {
  const where = and(
    q.category ? eq(serviceRequests.category, q.category) : undefined,
    q.channel ? eq(serviceRequests.channel, q.channel) : undefined,
  );
  const sub = db
    .select({ id: sql`${serviceRequests.id}::text` })
    .from(serviceRequests)
    .where(where);
  return {
    kind: SERVICE_REQUEST_KIND,
    scope: v.scope,
    orUnitIds: v.unitIds,
    ownerUnitIds: q.unit ? [q.unit] : q.mine ? v.unitIds : undefined,
    states: q.state ? q.state.split(',') : undefined,
    open: q.open,
    minLevel: q.sla === 'due_soon' ? 1 : q.sla === 'overdue' ? 2 : q.sla === 'escalated' ? 4 : undefined,
    regionCode: q.county,
    clusterCode: q.cluster,
    q: q.q,
    subjectIn: q.category || q.channel ? sub : undefined,
    assistPendingFor: q.assist === 'pending' ? v.unitIds : undefined,
  };
}

/** The requests of these work items, in the items' order, with the caller's 协办 duty on each. */
async function requestsOfItems(
  db: Db,
  v: Visibility,
  items: (WorkItemRecord & { ownerUnitName: string | null })[],
  assistOf?: AssistOf,
) {
  const ids = items.map((i) => Number(i.subjectId));
  const reqs = ids.length
    ? await db
        .select({ r: serviceRequests, name: firmName })
        .from(serviceRequests)
        .innerJoin(...joinFirm)
        .where(sql`${serviceRequests.id} = any(${sql.param(ids)}::bigint[])`)
    : [];
  const byId = new Map(reqs.map((x) => [x.r.id, x]));
  const itemIds = items.map((i) => i.id);
  const duties = await assistDutiesOf(db, itemIds, v.unitIds);
  const dutyOf = new Map<number, AssistDuty>();
  for (const p of duties) {
    const prev = dutyOf.get(p.workItemId);
    if (prev && prev.doneAt == null) continue; // an open duty shows before a done one
    dutyOf.set(p.workItemId, {
      unitId: p.unitId,
      dueAt: p.dueAt?.toISOString() ?? null,
      doneAt: p.doneAt?.toISOString() ?? null,
      ...(assistOf ? assistOf(p) : { level: 'normal', sla: 'none' }),
    });
  }
  return items.flatMap((i) => {
    const x = byId.get(Number(i.subjectId));
    return x ? [{ ...toRequestView(x.r, x.name, i), myAssist: dutyOf.get(i.id) ?? null }] : [];
  });
}

/**
 * `assistOf`: the caller's 协办 duty on each listed item (one query over the page's items); the list stays
 * a read, its marks are computed from the stored due time (service.ts assistLevel).
 */
export async function listRequests(db: Db, v: Visibility, q: ListQuery, assistOf?: AssistOf) {
  const page = await listWorkItems(db, {
    ...requestFilter(db, v, q),
    page: q.page,
    pageSize: q.pageSize,
    order: 'deadline',
  });
  return {
    items: await requestsOfItems(db, v, page.items, assistOf),
    total: page.total,
    page: page.page,
    pageSize: page.pageSize,
  };
}

/**
 * The pool's requests in the list's order (deadline first, none last, then id), `pageSize` at a time, by
 * keyset on the work items' deadline index (workItemsByDeadline): for the export, which read 200 at a time
 * by offset and counted the pool again for every page.
 */
export async function* requestsInListOrder(db: Db, v: Visibility, q: ListQuery, pageSize = 500) {
  for await (const items of workItemsByDeadline(db, requestFilter(db, v, q), pageSize))
    yield await requestsOfItems(db, v, items);
}

/** Open requests of one firm (duplicate candidates). */
export async function openRequestsOf(db: Db, enterpriseId: number) {
  return db
    .select({
      id: serviceRequests.id,
      code: serviceRequests.code,
      title: serviceRequests.title,
      description: serviceRequests.description,
      state: sql<string>`w.state`,
    })
    .from(serviceRequests)
    .innerJoin(
      sql`${workItemRows()} w`,
      sql`w.kind = ${SERVICE_REQUEST_KIND} and w.subject_id = ${serviceRequests.id}::text`,
    )
    .where(and(eq(serviceRequests.enterpriseId, enterpriseId), sql`w.closed_at is null`));
}
