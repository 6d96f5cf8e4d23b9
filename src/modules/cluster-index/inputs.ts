// Indicator inputs the bureau enters itself: reported values (填报值, read by indicators whose metric is
// `reported:<code>`) and the negative list behind the 负面清单 gate. Each entry names its source; every
// change is audited with what it replaced. Entries change future computations only: published editions
// keep the results they were published with.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { queryRows, type Db } from '../../db/client.ts';
import { indexNegativeEvents, indexReportedValues } from '../../db/schema.ts';
import { badRequest } from '../../server/errors.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { registryRows } from '../enterprises/index.ts';
import { getSetting } from './repo.ts';
import { NEGATIVE_LIST } from './metrics.ts';
import type { negativeEventBody, reportedQuery, reportedValueBody } from './schemas.ts';

const LIST_LIMIT = 5000;

type ReportedRow = typeof indexReportedValues.$inferSelect;
const reportedView = (r: ReportedRow) => ({
  code: r.code,
  period: r.period,
  clusterCode: r.clusterCode,
  regionCode: r.regionCode || null,
  value: r.value,
  unit: r.unit,
  source: r.source,
  note: r.note,
  enteredBy: r.enteredBy,
  enteredAt: r.enteredAt.toISOString(),
});

export async function listReported(db: Db, q: z.infer<typeof reportedQuery>) {
  const conds = [];
  if (q.code) conds.push(eq(indexReportedValues.code, q.code));
  if (q.period) conds.push(eq(indexReportedValues.period, q.period));
  const rows = await db
    .select()
    .from(indexReportedValues)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(indexReportedValues.code, indexReportedValues.period, indexReportedValues.clusterCode)
    .limit(LIST_LIMIT);
  return { items: rows.map(reportedView) };
}

/** Enters or corrects one reported value (the unit must exist). */
export async function putReported(db: Db, actor: Actor, body: z.infer<typeof reportedValueBody>) {
  const [known] = await queryRows<{ cluster: boolean; region: boolean }>(
    db,
    sql`select exists (select 1 from clusters where code = ${body.clusterCode}) as cluster,
               (${body.regionCode}::text is null or exists (select 1 from regions where code = ${body.regionCode} and level = 'county')) as region`,
  );
  if (!known?.cluster || !known.region)
    throw badRequest('Unknown cluster or county.', '集群或区县不存在。', [
      { field: known?.cluster ? 'regionCode' : 'clusterCode', message: 'unknown', messageZh: '不存在' },
    ]);
  const key = {
    code: body.code,
    period: body.period,
    clusterCode: body.clusterCode,
    regionCode: body.regionCode ?? '',
  };
  const values = {
    ...key,
    value: body.value,
    unit: body.unit ?? null,
    source: body.source,
    note: body.note ?? null,
    enteredBy: actor.username,
    enteredAt: new Date(),
  };
  const row = await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [before] = await tx
      .select()
      .from(indexReportedValues)
      .where(
        and(
          eq(indexReportedValues.code, key.code),
          eq(indexReportedValues.period, key.period),
          eq(indexReportedValues.clusterCode, key.clusterCode),
          eq(indexReportedValues.regionCode, key.regionCode),
        ),
      )
      .for('update');
    const [after] = await tx
      .insert(indexReportedValues)
      .values(values)
      .onConflictDoUpdate({
        target: [
          indexReportedValues.code,
          indexReportedValues.period,
          indexReportedValues.clusterCode,
          indexReportedValues.regionCode,
        ],
        set: values,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: 'index.reported',
      entity: 'index_reported_values',
      entityId: `${key.code}|${key.period}|${key.clusterCode}|${key.regionCode}`,
      before: before ? { value: before.value, source: before.source } : null,
      after: { value: after!.value, source: after!.source, note: after!.note },
    });
    return after!;
  });
  return reportedView(row);
}

export async function listNegative(db: Db) {
  const rows = await db
    .select({ e: indexNegativeEvents, uscc: sql<string>`firm.uscc`, name: sql<string>`firm.name` })
    .from(indexNegativeEvents)
    .innerJoin(sql`${registryRows()} firm`, sql`firm.id = ${indexNegativeEvents.enterpriseId}`)
    .orderBy(desc(indexNegativeEvents.eventDate), desc(indexNegativeEvents.id))
    .limit(LIST_LIMIT);
  return {
    maintained: (await getSetting(db, NEGATIVE_LIST))?.enabled ?? false,
    items: rows.map(({ e, uscc, name }) => ({
      id: e.id,
      enterpriseId: e.enterpriseId,
      uscc,
      name,
      eventDate: e.eventDate,
      kind: e.kind as z.infer<typeof negativeEventBody>['kind'],
      description: e.description,
      source: e.source,
      withdrawn: e.withdrawn,
      enteredBy: e.enteredBy,
      enteredAt: e.enteredAt.toISOString(),
    })),
  };
}

/** Enters an event of a firm (or corrects/withdraws the one of the same firm, date and kind). */
export async function putNegative(db: Db, actor: Actor, body: z.infer<typeof negativeEventBody>) {
  const [found] = await queryRows<{ id: string | number }>(
    db,
    sql`select e.id from ${registryRows()} e where e.uscc = ${body.uscc}`,
  );
  const firm = found && { id: Number(found.id) };
  if (!firm)
    throw badRequest('No enterprise has this USCC.', '统一社会信用代码对应的企业不存在。', [
      { field: 'uscc', message: 'unknown', messageZh: '不存在' },
    ]);
  const values = {
    enterpriseId: firm.id,
    eventDate: body.eventDate,
    kind: body.kind,
    description: body.description,
    source: body.source,
    withdrawn: body.withdrawn ?? false,
    enteredBy: actor.username,
    enteredAt: new Date(),
  };
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [before] = await tx
      .select()
      .from(indexNegativeEvents)
      .where(
        and(
          eq(indexNegativeEvents.enterpriseId, firm.id),
          eq(indexNegativeEvents.eventDate, body.eventDate),
          eq(indexNegativeEvents.kind, body.kind),
        ),
      )
      .for('update');
    const [after] = await tx
      .insert(indexNegativeEvents)
      .values(values)
      .onConflictDoUpdate({
        target: [indexNegativeEvents.enterpriseId, indexNegativeEvents.eventDate, indexNegativeEvents.kind],
        set: values,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: 'index.negative',
      entity: 'index_negative_events',
      entityId: after!.id,
      before: before
        ? { description: before.description, source: before.source, withdrawn: before.withdrawn }
        : null,
      after: { description: after!.description, source: after!.source, withdrawn: after!.withdrawn },
    });
  });
  return listNegative(db);
}
