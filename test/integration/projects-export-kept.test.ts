// The project library's Excel export is kept per reader's scope, filter and day at the projects' answer
// version (issue 13, reads bench: building it took ≈ 0.8 s of the one JavaScript thread for the city,
// so 50 exports at once waited 3.5–24 s). Proves the kept file is never stale nor another scope's: a
// write through the application shows in the very next export, a change by hand within the digest's
// time, and each county, filter and reader scope gets its own workbook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { loadChains } from '../../src/modules/chains/index.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { DIGEST_TTL_MS } from '../../src/modules/projects/answers.ts';
import type { ProjectDetail } from '../../src/modules/projects/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, seedFixture, TONGXIANG } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

describe.each(testDatabases())('kept project export on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await loadChains(d.db, await loadCityConfig(resolveCityDir()));
    const fx = await seedFixture(d);
    app = await testApp(d);
    for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const req = (method: 'GET' | 'POST' | 'PATCH', url: string, who: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie: cookies[who]! }, payload: payload as never });
  /** the 项目库 sheet's rows as [code, owner] */
  const exported = async (who: string, query = '') => {
    const res = await req('GET', `/api/projects/export.xlsx${query}`, who);
    expect(res.statusCode, res.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('项目库')!;
    const rows: [string, string][] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) rows.push([String(row.getCell(1).value), String(row.getCell(18).value ?? '')]);
    });
    return rows;
  };
  const create = async (who: string, regionCode: string, name: string) => {
    const res = await req('POST', '/api/projects', who, {
      kind: 'investment',
      investorName: '示例新材料（嘉兴）有限公司',
      plannedTotalInvestment: 12_000,
      plannedFixedInvestment: 10_000,
      priority: 'high',
      likelihood: 'medium',
      name,
      regionCode,
      stage: 'signed',
    });
    expect(res.statusCode, res.body).toBe(201);
    return json<ProjectDetail>(res);
  };

  it('answers each scope and filter its own workbook, and never a stale one', async () => {
    const nanhu = await create('nanhu', NANHU, '南湖导出测试项目');
    const tongxiang = await create('tongxiang', TONGXIANG, '桐乡导出测试项目');
    const city = await exported('analyst');
    expect(city.map(([code]) => code).sort()).toEqual([nanhu.code, tongxiang.code].sort());
    // the same workbook again (kept), and each county only its own, though the city's was kept first
    expect(await exported('analyst')).toEqual(city);
    expect((await exported('nanhu')).map(([code]) => code)).toEqual([nanhu.code]);
    expect((await exported('tongxiang')).map(([code]) => code)).toEqual([tongxiang.code]);
    // a filter is a key of its own, however the URL orders it
    const filtered = await exported('analyst', `?county=${TONGXIANG}&kind=investment`);
    expect(filtered.map(([code]) => code)).toEqual([tongxiang.code]);
    expect(await exported('analyst', `?kind=investment&county=${TONGXIANG}`)).toEqual(filtered);

    // a write through the application shows in the very next export, for every scope that sees it
    const owner = `负责人${Date.now() % 10_000}`;
    const res = await req('PATCH', `/api/projects/${nanhu.id}`, 'nanhu', { owner });
    expect(res.statusCode, res.body).toBe(200);
    expect((await exported('analyst')).find(([code]) => code === nanhu.code)![1]).toBe(owner);
    expect((await exported('nanhu'))[0]![1]).toBe(owner);
    // a new project too
    const second = await create('nanhu', NANHU, '南湖导出测试项目二');
    expect((await exported('nanhu')).map(([code]) => code).sort()).toEqual([nanhu.code, second.code].sort());

    // a change made outside the application (SQL by hand) shows within the digest's time
    await d.db.execute(sql`update projects set owner = '手工修改' where id = ${nanhu.id}`);
    await new Promise((r) => setTimeout(r, DIGEST_TTL_MS + 50));
    expect((await exported('analyst')).find(([code]) => code === nanhu.code)![1]).toBe('手工修改');
  });
});
