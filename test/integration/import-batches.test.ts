// Import batches on every test database: a registry file and fact files previewed and committed
// together in one transaction — monthly rows may name firms that only the batch's registry creates;
// one bad row anywhere writes nothing of any file; re-running changes nothing; a county officer stays
// in their county across the batch; an administrator rolls the whole batch back.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { auditLog, enterprises, importBatches, imports, monthlyStats } from '../../src/db/schema.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import {
  afterBatchCommit,
  commitBatch,
  createBatch,
  type BatchFileRef,
} from '../../src/modules/imports/batches.ts';
import type { ImportBatch, ImportDetail, ImportList } from '../../src/modules/imports/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, seedFixture, TONGXIANG, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFiles } from '../helpers/uploads.ts';

type Row = (string | number | null)[];

function csv(rows: Row[]): Buffer {
  return Buffer.from(
    rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\r\n') + '\r\n',
  );
}

const REGISTRY = ['统一社会信用代码', '企业名称', '区县代码', '行业代码', '规模'];
const MONTHLY = ['统一社会信用代码', '统计月份', '工业总产值(万元)'];

describe.each(testDatabases())('import batches on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookies: Record<string, string> = {};
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-batch-'));
  // firms that exist only once a batch's registry file is committed
  const NEW1 = fixtureUscc(9101, NANHU);
  const NEW2 = fixtureUscc(9102, TONGXIANG);
  const NEW3 = fixtureUscc(9103, NANHU);
  const NEW4 = fixtureUscc(9104, NANHU);
  const NEW5 = fixtureUscc(9105, TONGXIANG);
  const OTHER = fixtureUscc(2); // an existing Nanhu firm of the fixture

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    app = await testApp(d);
    for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await waitForJobs();
    await app?.close();
    if (d) await t.dispose(d);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const get = (url: string, who = 'admin') =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
  const post = (url: string, who = 'admin') =>
    app.inject({ method: 'POST', url, headers: { cookie: cookies[who]! } });

  async function uploadBatch(
    files: { field: string; fileName: string; content: Buffer }[],
    who = 'admin',
  ): Promise<ImportBatch & { statusCode: number }> {
    const m = multipartFiles(files);
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports/batches',
      headers: { ...m.headers, cookie: cookies[who]! },
      payload: m.payload,
    });
    if (res.statusCode >= 300) return { statusCode: res.statusCode, ...json<ImportBatch>(res) };
    const body = json<ImportBatch>(res);
    await waitForJobs();
    return {
      ...json<ImportBatch>(await get(`/api/imports/batches/${body.id}`, who)),
      statusCode: res.statusCode,
    };
  }
  async function commitIt(id: number, who = 'admin'): Promise<ImportBatch & { statusCode: number }> {
    const res = await post(`/api/imports/batches/${id}/commit`, who);
    if (res.statusCode !== 202) return { statusCode: res.statusCode, ...json<ImportBatch>(res) };
    await waitForJobs();
    return { ...json<ImportBatch>(await get(`/api/imports/batches/${id}`, who)), statusCode: res.statusCode };
  }
  const firm = async (uscc: string) =>
    (await d.db.select().from(enterprises).where(eq(enterprises.uscc, uscc)))[0];
  const monthRows = async (month: string) =>
    queryRows<{ uscc: string; output_value: number; import_id: number | string }>(
      d.db,
      sql`select e.uscc, m.output_value, m.import_id from monthly_stats m join enterprises e on e.id = m.enterprise_id
          where m.month = ${`${month}-01`} order by e.uscc`,
    );
  const audit = (action: string, entityId: number) =>
    d.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))));
  const errorsOf = (f: ImportDetail) =>
    f.problems.filter((p) => p.severity === 'error').map((p) => [p.row, p.code]);

  const registry = csv([
    REGISTRY,
    [NEW1, '嘉兴批量示例纺织有限公司', NANHU, '1711', '规上'],
    [NEW2, '桐乡批量示例科技有限公司', TONGXIANG, '3825', '规下'],
  ]);
  const september = csv([MONTHLY, [NEW1, '2024-09', 1200], [NEW2, '2024-09', 300]]);
  let batchId = 0;

  it('refuses the monthly file alone (unknown enterprises), and commits it in a batch with the registry that creates them', async () => {
    const m = multipartFiles([{ field: 'file', fileName: 'sept.csv', content: september }]);
    const alone = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=monthly',
      headers: { ...m.headers, cookie: cookies.admin! },
      payload: m.payload,
    });
    await waitForJobs();
    const single = json<ImportDetail>(await get(`/api/imports/${json<ImportDetail>(alone).id}`));
    expect(single.status).toBe('refused');
    expect(errorsOf(single)).toEqual([
      [2, 'enterprise.unknown'],
      [3, 'enterprise.unknown'],
    ]);

    // the monthly file first in the upload: the registry is read first all the same
    const batch = await uploadBatch([
      { field: 'monthly', fileName: 'sept.csv', content: september },
      { field: 'enterprises', fileName: 'new-firms.csv', content: registry },
    ]);
    expect(batch.statusCode).toBe(202);
    expect(batch.status, JSON.stringify(batch.files.map(errorsOf))).toBe('previewed');
    expect(batch.files.map((f) => [f.kind, f.fileName, f.status, f.batchId])).toEqual([
      ['enterprises', 'new-firms.csv', 'previewed', batch.id],
      ['monthly', 'sept.csv', 'previewed', batch.id],
    ]);
    expect(batch.job).toMatchObject({ phase: 'preview', status: 'done', fraction: 1 });
    expect(await firm(NEW1)).toBeUndefined(); // a preview writes nothing
    // a file of a batch is committed with its batch only
    expect((await post(`/api/imports/${batch.files[1]!.id}/commit`)).statusCode).toBe(409);

    const done = await commitIt(batch.id);
    expect(done.statusCode).toBe(202);
    expect(done.status).toBe('committed');
    expect(done.job).toMatchObject({ phase: 'commit', status: 'done' });
    expect(done.files.map((f) => f.status)).toEqual(['committed', 'committed']);
    expect(done.files[0]!.counts).toMatchObject({ inserted: 2 });
    expect(done.files[1]!.counts).toMatchObject({ inserted: 2 });
    expect(await firm(NEW1)).toMatchObject({ regionCode: NANHU, importId: done.files[0]!.id });
    expect((await monthRows('2024-09')).map((r) => [r.uscc, r.output_value, Number(r.import_id)])).toEqual(
      [
        [NEW1, 1200, done.files[1]!.id],
        [NEW2, 300, done.files[1]!.id],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    // audited: each file's upload and commit, and the batch's
    for (const f of done.files) {
      expect(await audit('import.upload', f.id)).toHaveLength(1);
      expect(await audit('import.commit', f.id)).toHaveLength(1);
    }
    expect(await audit('import_batch.upload', batch.id)).toHaveLength(1);
    expect(await audit('import_batch.commit', batch.id)).toHaveLength(1);
    // the history lists the batch's files
    const list = json<ImportList>(await get(`/api/imports?batch=${batch.id}`));
    expect(list.items.map((i) => i.id).sort()).toEqual(done.files.map((f) => f.id).sort());
    batchId = batch.id;
  });

  it('changes nothing when the same batch is run again', async () => {
    const count = async () =>
      (
        await queryRows<{ e: number; m: number; i: number }>(
          d.db,
          sql`select (select count(*)::int from enterprises) as e, (select count(*)::int from monthly_stats) as m,
                (select count(*)::int from imports where status = 'committed') as i`,
        )
      )[0];
    const before = await count();
    const again = await uploadBatch([
      { field: 'enterprises', fileName: 'new-firms-copy.csv', content: registry },
      { field: 'monthly', fileName: 'sept-copy.csv', content: september },
    ]);
    expect(again.statusCode).toBe(200);
    expect(again.status).toBe('refused');
    expect(again.error).toBe('every file was imported before');
    const first = json<ImportBatch>(await get(`/api/imports/batches/${batchId}`));
    expect(again.files.map((f) => f.counts.duplicateOf)).toEqual(first.files.map((f) => f.id));
    expect((await commitIt(again.id)).statusCode).toBe(409);
    expect(await count()).toEqual(before);
  });

  it('refuses a batch in which one monthly row is bad: nothing of any file is written, the registry’s previous data intact, every file says why', async () => {
    const [otherBefore] = await d.db.select().from(enterprises).where(eq(enterprises.uscc, OTHER));
    const fixRegistry = csv([
      REGISTRY,
      [OTHER, '嘉兴市南湖示例食品（批量改名）有限公司', NANHU, '1391', '规上'],
      [NEW3, '嘉兴批量示例新材料有限公司', NANHU, '2651', '规上'],
    ]);
    const october = csv([MONTHLY, [NEW3, '2024-10', 500], [OTHER, '2024-10', 'abc']]);
    const preview = await uploadBatch([
      { field: 'enterprises', fileName: 'fix.csv', content: fixRegistry },
      { field: 'monthly', fileName: 'oct.csv', content: october },
    ]);
    expect(preview.status).toBe('refused');
    expect(preview.files.map((f) => f.status)).toEqual(['previewed', 'refused']);
    expect(errorsOf(preview.files[1]!)).toEqual([[3, 'number.invalid']]);
    expect((await commitIt(preview.id)).statusCode).toBe(409);

    // the commit checks again, in its one transaction: the registry is written first, then rolled back
    const fixPath = path.join(tmp, 'fix.csv');
    const octPath = path.join(tmp, 'oct.csv');
    fs.writeFileSync(fixPath, fixRegistry);
    fs.writeFileSync(octPath, october);
    const actor = { id: null, username: 'cli' };
    const importer = { id: null, username: 'cli', regionCode: null };
    const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
    const { batchId: id, importIds } = await createBatch(d.db, importer, actor, 'committing', [
      {
        kind: 'enterprises',
        fileName: 'fix.csv',
        sha256: sha(fixRegistry),
        size: fixRegistry.length,
        storedAs: null,
        duplicateOf: null,
      },
      {
        kind: 'monthly',
        fileName: 'oct.csv',
        sha256: sha(october),
        size: october.length,
        storedAs: null,
        duplicateOf: null,
      },
    ]);
    const files: BatchFileRef[] = [
      { importId: importIds[0]!, kind: 'enterprises', path: fixPath, fileName: 'fix.csv' },
      { importId: importIds[1]!, kind: 'monthly', path: octPath, fileName: 'oct.csv' },
    ];
    const outcome = await commitBatch(d, id, files, importer, actor);
    await afterBatchCommit(d, id, files, outcome, actor);
    expect(outcome.status).toBe('refused');
    expect(outcome.files.map((f) => f.status)).toEqual(['held', 'refused']);
    expect(await firm(NEW3)).toBeUndefined();
    const [otherAfter] = await d.db.select().from(enterprises).where(eq(enterprises.uscc, OTHER));
    expect(otherAfter).toEqual(otherBefore);
    expect(await monthRows('2024-10')).toEqual([]);
    const recs = await d.db.select().from(imports).where(inArray(imports.id, importIds));
    const byId = new Map(recs.map((r) => [r.id, r]));
    expect(byId.get(importIds[0]!)).toMatchObject({ status: 'refused', batchId: id });
    expect(byId.get(importIds[0]!)!.error).toContain('oct.csv');
    expect(byId.get(importIds[0]!)!.counts).toMatchObject({ batchRefusedBy: importIds[1], error: 0 });
    expect(byId.get(importIds[1]!)).toMatchObject({ status: 'refused', error: null });
    expect(byId.get(importIds[1]!)!.counts).toMatchObject({ error: 1, badRows: 1 });
    const [b] = await d.db.select().from(importBatches).where(eq(importBatches.id, id));
    expect(b).toMatchObject({ status: 'refused' });
    expect(await audit('import_batch.refused', id)).toHaveLength(1);
    expect(await audit('import.refused', importIds[0]!)).toHaveLength(1);
    expect(await audit('import.refused', importIds[1]!)).toHaveLength(1);
    expect(await audit('import.commit', importIds[0]!)).toHaveLength(0); // rolled back with the batch
  });

  it('keeps a county officer to their county across the batch', async () => {
    const mixed = await uploadBatch(
      [
        {
          field: 'enterprises',
          fileName: 'nanhu-firms.csv',
          content: csv([
            REGISTRY,
            [NEW4, '嘉兴批量示例机械有限公司', NANHU, '3411', '规上'],
            [NEW5, '桐乡批量示例家居有限公司', TONGXIANG, '2110', '规上'],
          ]),
        },
        {
          field: 'monthly',
          fileName: 'nanhu-nov.csv',
          content: csv([
            MONTHLY,
            [NEW4, '2024-11', 10],
            [NEW5, '2024-11', 20],
            [fixtureUscc(3, TONGXIANG), '2024-11', 30],
          ]),
        },
      ],
      'nanhu',
    );
    expect(mixed.status).toBe('refused');
    expect(mixed.regionCode).toBe(NANHU);
    expect(errorsOf(mixed.files[0]!)).toEqual([[3, 'scope.otherCounty']]);
    expect(errorsOf(mixed.files[1]!)).toEqual([
      [3, 'enterprise.unknown'],
      [4, 'scope.otherCounty'],
    ]);

    const own = await uploadBatch(
      [
        {
          field: 'enterprises',
          fileName: 'nanhu-firm.csv',
          content: csv([REGISTRY, [NEW4, '嘉兴批量示例机械有限公司', NANHU, '3411', '规上']]),
        },
        { field: 'monthly', fileName: 'nanhu-nov-own.csv', content: csv([MONTHLY, [NEW4, '2024-11', 10]]) },
      ],
      'nanhu',
    );
    expect(own.status).toBe('previewed');
    const done = await commitIt(own.id, 'nanhu');
    expect(done.status).toBe('committed');
    expect(await firm(NEW4)).toMatchObject({ regionCode: NANHU });
    expect((await get(`/api/imports/batches/${own.id}`, 'tongxiang')).statusCode).toBe(404);
    expect((await get(`/api/imports/batches/${own.id}`, 'analyst')).statusCode).toBe(200);
    const m = multipartFiles([{ field: 'monthly', fileName: 'x.csv', content: september }]);
    const analyst = await app.inject({
      method: 'POST',
      url: '/api/imports/batches',
      headers: { ...m.headers, cookie: cookies.analyst! },
      payload: m.payload,
    });
    expect(analyst.statusCode).toBe(403);
  });

  let correctionBatch = 0;
  it('commits a correction batch: the registry renames a firm and the monthly file corrects rows on record (two staging tables in one transaction)', async () => {
    const batch = await uploadBatch([
      {
        field: 'enterprises',
        fileName: 'rename.csv',
        content: csv([REGISTRY, [NEW1, '嘉兴批量示例纺织更名有限公司', NANHU, '1711', '规上']]),
      },
      { field: 'monthly', fileName: 'sept-fix.csv', content: csv([MONTHLY, [NEW1, '2024-09', 1250]]) },
    ]);
    expect(batch.status).toBe('previewed');
    const done = await commitIt(batch.id);
    expect(done.status).toBe('committed');
    expect(done.files.map((f) => f.counts)).toMatchObject([
      { inserted: 0, replaced: 1 },
      { inserted: 0, replaced: 1 },
    ]);
    expect(await firm(NEW1)).toMatchObject({ name: '嘉兴批量示例纺织更名有限公司' });
    expect((await monthRows('2024-09')).find((r) => r.uscc === NEW1)?.output_value).toBe(1250);
    correctionBatch = batch.id;
  });

  it('refuses malformed batches: two registry files, a field that names no kind', async () => {
    const two = await uploadBatch([
      { field: 'enterprises', fileName: 'a.csv', content: registry },
      {
        field: 'enterprises',
        fileName: 'b.csv',
        content: csv([REGISTRY, [NEW3, 'x', NANHU, '1711', '规上']]),
      },
    ]);
    expect(two.statusCode).toBe(400);
    const odd = await uploadBatch([{ field: 'weekly', fileName: 'a.csv', content: september }]);
    expect(odd.statusCode).toBe(400);
  });

  it('rolls back a whole batch, newest file first, in one transaction (administrators only, audited)', async () => {
    const batch = json<ImportBatch>(await get(`/api/imports/batches/${batchId}`));
    const [reg, monthly] = batch.files;
    // today's rules still hold for a single file: the registry is used by the monthly file
    expect((await post(`/api/imports/${reg!.id}/rollback`)).statusCode).toBe(409);
    expect((await post(`/api/imports/batches/${batchId}/rollback`, 'nanhu')).statusCode).toBe(403);
    // newest first: the correction batch changed this batch's rows
    const blocked = await post(`/api/imports/batches/${batchId}/rollback`);
    expect(blocked.statusCode).toBe(409);
    expect(json<ImportBatch>(await get(`/api/imports/batches/${batchId}`)).status).toBe('committed');
    expect((await post(`/api/imports/batches/${correctionBatch}/rollback`)).statusCode).toBe(200);
    expect(await firm(NEW1)).toMatchObject({ name: '嘉兴批量示例纺织有限公司' });
    expect((await monthRows('2024-09')).find((r) => r.uscc === NEW1)?.output_value).toBe(1200);
    const res = await post(`/api/imports/batches/${batchId}/rollback`);
    expect(res.statusCode).toBe(200);
    const after = json<ImportBatch>(res);
    expect(after.status).toBe('rolled_back');
    expect(after.rolledBackBy).toBe(fx.users.admin!.username);
    expect(after.files.map((f) => f.status)).toEqual(['rolled_back', 'rolled_back']);
    expect(await firm(NEW1)).toBeUndefined();
    expect(await firm(NEW2)).toBeUndefined();
    expect(await monthRows('2024-09')).toEqual([]);
    expect(await audit('import_batch.rollback', batchId)).toHaveLength(1);
    expect(await audit('import.rollback', reg!.id)).toHaveLength(1);
    expect(await audit('import.rollback', monthly!.id)).toHaveLength(1);
    const rollbacks = await d.db
      .select({ entityId: auditLog.entityId })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, 'import.rollback'),
          inArray(auditLog.entityId, [String(reg!.id), String(monthly!.id)]),
        ),
      )
      .orderBy(auditLog.id);
    expect(rollbacks.map((r) => Number(r.entityId))).toEqual([monthly!.id, reg!.id]);
    expect((await post(`/api/imports/batches/${batchId}/rollback`)).statusCode).toBe(409);
    // the monthly_stats table has nothing of the batch left
    expect(await d.db.select().from(monthlyStats).where(eq(monthlyStats.importId, monthly!.id))).toEqual([]);
  });
});
