// The platforms register (issue 16 item 4) on every test database: create, change and delete with audit
// rows; a county officer sees its county's entries and the city-wide ones and changes its own only; import
// is all or nothing with each problem naming file, row, column and reason; the export imports back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { auditLog, platforms } from '../../src/db/schema.ts';
import type { Platform, PlatformImportResult, PlatformList } from '../../src/modules/platforms/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, TONGXIANG, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

async function workbook(rows: unknown[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('平台');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe.each(testDatabases())('platforms register on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookies: Record<string, string> = {};
  let made: Platform;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    app = await testApp(d);
    for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const req = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie: cookies[who]! }, payload: payload as never });
  const audits = (action: string) => d.db.select().from(auditLog).where(eq(auditLog.action, action));
  const body = {
    name: '南湖汽车零部件特色产业园',
    kind: 'feature_park',
    level: 'city',
    regionCode: NANHU,
    zoneCode: null,
    clusterCode: 'automotive',
    year: 2024,
    source: '嘉兴市特色产业园认定文件（测试）',
  };

  it('a county officer registers, changes and deletes its own county’s platforms, audited', async () => {
    const res = await req('POST', '/api/platforms', 'nanhu', body);
    expect(res.statusCode, res.body).toBe(201);
    made = json<Platform>(res);
    expect(made).toMatchObject({
      kindZh: '特色产业园',
      regionName: '南湖区',
      clusterCode: 'automotive',
      editable: true,
    });
    const upd = await req('PUT', `/api/platforms/${made.id}`, 'nanhu', { ...body, level: 'provincial' });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(json<Platform>(upd).level).toBe('provincial');
    const [created] = await audits('platform.create');
    expect(created!.after).toMatchObject({ name: body.name, regionCode: NANHU });
    const [updated] = await audits('platform.update');
    expect(updated!.before).toMatchObject({ level: 'city' });
    expect(updated!.after).toMatchObject({ level: 'provincial' });
    // another county's officer does not see it, cannot change it, cannot register into another county
    expect((await req('GET', `/api/platforms/${made.id}`, 'tongxiang')).statusCode).toBe(404);
    expect((await req('PUT', `/api/platforms/${made.id}`, 'tongxiang', body)).statusCode).toBe(404);
    expect((await req('POST', '/api/platforms', 'tongxiang', body)).statusCode).toBe(403);
    // a zone outside the county is refused with the field named
    const bad = await req('POST', '/api/platforms', 'admin', { ...body, name: '错区', zoneCode: 'Z-TXEDZ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('zoneCode');
    // the analyst and the agency read; they may not write
    expect((await req('POST', '/api/platforms', 'analyst', body)).statusCode).toBe(403);
    const temp = json<Platform>(await req('POST', '/api/platforms', 'admin', { ...body, name: '临时平台' }));
    expect((await req('DELETE', `/api/platforms/${temp.id}`, 'nanhu')).statusCode).toBe(204);
    expect((await audits('platform.delete'))[0]!.before).toMatchObject({ name: '临时平台' });
    expect(await d.db.select().from(platforms).where(eq(platforms.id, temp.id))).toEqual([]);
  });

  it('lists within scope: a county its own and city-wide entries, an agency its cluster’s', async () => {
    await req('POST', '/api/platforms', 'admin', {
      ...body,
      name: '嘉兴市工业设计公共服务平台',
      kind: 'public_service',
      regionCode: null,
      clusterCode: null,
    });
    await req('POST', '/api/platforms', 'admin', {
      ...body,
      name: '桐乡化纤创新中心',
      kind: 'innovation_center',
      regionCode: TONGXIANG,
      clusterCode: 'textile',
    });
    const names = async (who: string, q = '') =>
      json<PlatformList>(await req('GET', `/api/platforms${q}`, who))
        .items.map((p) => p.name)
        .sort();
    expect(await names('nanhu')).toEqual(['南湖汽车零部件特色产业园', '嘉兴市工业设计公共服务平台'].sort());
    expect(await names('textileAgency')).toEqual(['桐乡化纤创新中心']);
    expect((await names('admin')).length).toBe(3);
    expect(await names('admin', '?kind=innovation_center')).toEqual(['桐乡化纤创新中心']);
    expect((await req('GET', '/api/platforms', 'enterprise')).statusCode).toBe(403);
  });

  it('refuses a file with any bad row, naming file, row, column and reason, and writes nothing', async () => {
    const before = await d.db.select().from(platforms);
    const contentBase64 = await workbook([
      ['名称', '类型', '级别', '县（市、区）', '功能区', '集群', '认定年份', '来源'],
      ['南湖智能装备小微企业园', '小微企业园', '市级', '南湖区', '', '', 2023, '认定文件A'],
      ['南湖某平台', '孵化器', '市级', '南湖区', '', '', 2023, '认定文件B'],
      ['南湖另一平台', '特色产业园', '区级', '南湖区', '', '纺织', '二〇二三', ''],
    ]);
    const res = await req('POST', '/api/platforms/import', 'nanhu', { fileName: '平台.xlsx', contentBase64 });
    expect(res.statusCode, res.body).toBe(200);
    const out = json<PlatformImportResult>(res);
    expect(out.ok).toBe(false);
    const where = out.problems.map((p) => `${p.file}|${p.row}|${p.column}|${p.value ?? ''}`);
    expect(where).toEqual([
      '平台.xlsx|3|类型|孵化器',
      '平台.xlsx|4|级别|区级',
      '平台.xlsx|4|集群|纺织',
      '平台.xlsx|4|认定年份|二〇二三',
      '平台.xlsx|4|来源|',
    ]);
    expect(out.problems[0]!.zh).toBe('不是已知的平台类型');
    expect(await d.db.select().from(platforms)).toEqual(before);
    // a county may not import another county's platforms
    const other = await req('POST', '/api/platforms/import', 'tongxiang', {
      fileName: '平台.xlsx',
      contentBase64: await workbook([
        ['名称', '类型', '县（市、区）', '来源'],
        ['南湖某园', '小微企业园', '南湖区', '认定文件'],
      ]),
    });
    expect(json<PlatformImportResult>(other).problems[0]).toMatchObject({
      row: 2,
      column: '县（市、区）',
      zh: '只能导入本地的平台载体',
    });
    // not an xlsx: refused before any reader
    const junk = await req('POST', '/api/platforms/import', 'nanhu', {
      fileName: 'x.xlsx',
      contentBase64: Buffer.from('not a zip').toString('base64'),
    });
    expect(json<PlatformImportResult>(junk).ok).toBe(false);
  });

  it('imports a good file (new rows added, a matching name and kind updated) and the export imports back', async () => {
    const res = await req('POST', '/api/platforms/import', 'nanhu', {
      fileName: '平台.xlsx',
      contentBase64: await workbook([
        [
          '平台名称',
          '平台类型',
          '认定级别',
          '所在县（市、区）',
          '功能区',
          '所属集群',
          '认定年份',
          '认定文件',
        ],
        ['南湖智能装备小微企业园', '小微企业园', '市级', '330402', '', '', '2023年', '认定文件A'],
        ['南湖汽车零部件特色产业园', '特色产业园', '国家级', '南湖区', '', '汽车制造', 2024, '认定文件B'],
      ]),
    });
    const out = json<PlatformImportResult>(res);
    expect(out.problems).toEqual([]);
    expect(out).toMatchObject({ ok: true, inserted: 1, updated: 1 });
    const [changed] = await d.db.select().from(platforms).where(eq(platforms.id, made.id));
    expect(changed).toMatchObject({ level: 'national', source: '认定文件B' });
    const imported = await audits('platform.import');
    expect(imported[0]!.after).toMatchObject({ file: '平台.xlsx', inserted: 1, updated: 1 });

    const exp = await req('GET', '/api/platforms/export.xlsx', 'nanhu');
    expect(exp.statusCode).toBe(200);
    const again = await req('POST', '/api/platforms/import', 'nanhu', {
      fileName: '导出.xlsx',
      contentBase64: exp.rawPayload.toString('base64'),
    });
    // the county's export holds a city-wide row it may not import: refused, nothing written
    const o2 = json<PlatformImportResult>(again);
    expect(o2.ok).toBe(false);
    expect(o2.problems.map((p) => p.column)).toEqual(['县（市、区）']);
    const city = await req('GET', '/api/platforms/export.xlsx', 'admin');
    const o3 = json<PlatformImportResult>(
      await req('POST', '/api/platforms/import', 'admin', {
        fileName: '导出.xlsx',
        contentBase64: city.rawPayload.toString('base64'),
      }),
    );
    expect(o3).toMatchObject({ ok: true, inserted: 0, updated: 4 });
    const rows = await d.db
      .select()
      .from(platforms)
      .where(and(eq(platforms.regionCode, NANHU)));
    expect(rows.length).toBe(2);
  });
});
