// Adjustment flags (调整标记) of the 亩均 evaluation on every test database: imported from the template
// (all or nothing; rolled back), set and cleared by an officer with evidence (audited, scoped), read by
// runs and stored with their results, so the explanation shows each flag that changed the class.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { auditLog } from '../../src/db/schema.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import type { ImportDetail } from '../../src/modules/imports/schemas.ts';
import type { ExplanationDto, Run } from '../../src/modules/evaluation/schemas.ts';
import type { FlagRowDto } from '../../src/modules/evaluation/schemas-flags.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFile } from '../helpers/uploads.ts';
import { handUscc, HAND_ROWS, seedHandExample, X, Y } from '../helpers/evaluation.ts';

const YEAR = 2024;
const uscc = (label: string) => handUscc(HAND_ROWS.findIndex((r) => r.label === label));

describe.each(testDatabases())('evaluation adjustment flags on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let ids: Record<string, number>;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    ids = await seedHandExample(d, YEAR);
    const actor = { id: null, username: 'fixture' };
    const users = [
      { username: 'fl_admin', displayName: 'Admin', role: 'admin' as const },
      { username: 'fl_analyst', displayName: '分析员', role: 'analyst' as const },
      { username: 'fl_nanhu', displayName: '南湖专员', role: 'county' as const, regionCode: X },
      { username: 'fl_tongxiang', displayName: '桐乡专员', role: 'county' as const, regionCode: Y },
    ];
    for (const u of users) await createUser(d.db, { ...u, password: PASSWORD }, actor);
    app = await testApp(d);
    for (const u of users) cookies[u.username] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await waitForJobs();
    await app?.close();
    if (d) await t.dispose(d);
  });

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie: cookies[who]! }, payload: payload as never });
  const flags = async (who = 'fl_admin', query = '') =>
    json<{ items: FlagRowDto[] }>(await call('GET', `/api/evaluation/flags?year=${YEAR}${query}`, who)).items;

  async function importSheet(rows: (string | number)[][]): Promise<ImportDetail> {
    const tpl = await call('GET', '/api/imports/templates/flags', 'fl_admin');
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as never);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      '统一社会信用代码',
      '调整标记',
      '评价年度',
      '依据',
    ]);
    for (const r of rows) ws.addRow(r);
    const m = multipartFile('flags.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=flags',
      headers: { ...m.headers, cookie: cookies.fl_admin! },
      payload: m.payload,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const id = json<ImportDetail>(res).id;
    await waitForJobs(id);
    return json<ImportDetail>(await call('GET', `/api/imports/${id}`, 'fl_admin'));
  }

  it('imports flags from the template: all or nothing, a bad row writes none', async () => {
    const bad = await importSheet([
      [uscc('F1'), '安全生产事故', YEAR, '嘉应急〔2024〕1号事故通报'],
      [uscc('B3'), '不存在的标记', YEAR, '说明'],
    ]);
    expect(bad.status).toBe('refused');
    expect(await flags()).toEqual([]);

    const good = await importSheet([
      [uscc('F1'), '安全生产事故', YEAR, '嘉应急〔2024〕1号事故通报'],
      [uscc('B3'), '新设立企业', YEAR, '营业执照 2024-03-01'],
      [uscc('S1'), '专精特新', YEAR, '浙经信企业〔2024〕2号'],
    ]);
    expect(good.status).toBe('previewed');
    const commit = await call('POST', `/api/imports/${good.id}/commit`, 'fl_admin');
    expect(commit.statusCode, commit.body).toBe(202);
    await waitForJobs(good.id);
    const rows = await flags();
    expect(rows.map((r) => [r.enterpriseId, r.flag]).sort()).toEqual(
      [
        [ids.F1, 'safetyIncident'],
        [ids.B3, 'newFirm'],
        [ids.S1, 'specialized'],
      ].sort(),
    );
    expect(rows.find((r) => r.flag === 'safetyIncident')).toMatchObject({
      evidence: '嘉应急〔2024〕1号事故通报',
      importId: good.id,
      flagZh: '安全生产事故',
    });
    // scoped: 桐乡 sees only S1's
    expect((await flags('fl_tongxiang')).map((r) => r.enterpriseId)).toEqual([ids.S1]);
    // paged in the SQL: pages of two are the list in its order, with the total beside each
    const paged = async (page: number) =>
      json<{ items: FlagRowDto[]; total: number }>(
        await call('GET', `/api/evaluation/flags?year=${YEAR}&page=${page}&pageSize=2`, 'fl_admin'),
      );
    const [p1, p2] = [await paged(1), await paged(2)];
    expect([p1.total, p2.total, p1.items.length, p2.items.length]).toEqual([3, 3, 2, 1]);
    expect([...p1.items, ...p2.items]).toEqual(rows);
    expect(await paged(3)).toMatchObject({ items: [], total: 3 });
  });

  it('an officer sets and clears a flag with evidence (audited); the analyst and other counties may not', async () => {
    const url = `/api/evaluation/flags/${ids.F2}/${YEAR}/majorProject`;
    expect((await call('PUT', url, 'fl_analyst', { set: true, evidence: '市重点项目' })).statusCode).toBe(
      403,
    );
    expect((await call('PUT', url, 'fl_tongxiang', { set: true, evidence: '市重点项目' })).statusCode).toBe(
      404,
    );
    expect((await call('PUT', url, 'fl_nanhu', { set: true, evidence: '' })).statusCode).toBe(400);
    const set = await call('PUT', url, 'fl_nanhu', {
      set: true,
      evidence: '嘉发改〔2024〕3号 市重点建设项目',
    });
    expect(set.statusCode, set.body).toBe(200);
    const entityId = `${ids.F2}:${YEAR}:majorProject`;
    const audit = () =>
      d.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entity, 'evaluation_flag'), eq(auditLog.entityId, entityId)));
    expect((await audit()).map((a) => a.action)).toEqual(['evaluation.flag.set']);
    const clear = await call('PUT', url, 'fl_nanhu', { set: false, evidence: '项目已竣工，撤销标记' });
    expect(json<{ changed: boolean }>(clear).changed).toBe(true);
    expect((await audit()).map((a) => a.action).sort()).toEqual([
      'evaluation.flag.clear',
      'evaluation.flag.set',
    ]);
    expect((await flags('fl_admin', `&enterpriseId=${ids.F2}`)).length).toBe(0);
    expect(
      (
        await call('PUT', `/api/evaluation/flags/${ids.F2}/${YEAR}/nope`, 'fl_admin', {
          set: true,
          evidence: 'xx',
        })
      ).statusCode,
    ).toBe(400);
  });

  it('a run reads the flags, stores them, and the explanation shows the flag that changed the class', async () => {
    const res = await call('POST', '/api/evaluation/runs', 'fl_admin', { year: YEAR });
    expect(res.statusCode, res.body).toBe(201);
    const run = json<Run>(res);
    // F1 (A by position) is vetoed to C; B3 (total 0 → D) is protected to C as a new firm
    const explain = async (label: string) =>
      json<ExplanationDto>(
        await call('GET', `/api/evaluation/runs/${run.id}/results/${ids[label]}/explanation`, 'fl_admin'),
      );
    const f1 = await explain('F1');
    expect(f1.class).toBe('C');
    expect(f1.flags).toEqual([{ key: 'safetyIncident', zh: '安全生产事故' }]);
    expect(f1.adjustments).toEqual([
      expect.objectContaining({ id: 'veto-safety', classBefore: 'A', classAfter: 'C', changed: true }),
    ]);
    const b3 = await explain('B3');
    expect(b3.class).toBe('C');
    expect(b3.adjustments[0]).toMatchObject({
      id: 'protect-new',
      classBefore: 'D',
      classAfter: 'C',
      changed: true,
    });
    // 专精特新 earns nothing in the default rule set: shown, changes nothing
    const s1 = await explain('S1');
    expect(s1.class).toBe('A');
    expect(s1.flags.map((f) => f.key)).toEqual(['specialized']);
    expect(s1.adjustments).toEqual([]);

    // the run keeps the flags it used: clearing one later changes neither the result nor its explanation
    await call('PUT', `/api/evaluation/flags/${ids.F1}/${YEAR}/safetyIncident`, 'fl_admin', {
      set: false,
      evidence: '事故认定撤销',
    });
    const stored = await queryRows<{ attributes: Record<string, number> | null; class: string }>(
      d.db,
      sql`select attributes, class from evaluation_results where run_id = ${run.id} and enterprise_id = ${ids.F1}`,
    );
    expect(stored[0]).toMatchObject({ class: 'C', attributes: { safetyIncident: 1, incident: 1 } });
    expect((await explain('F1')).class).toBe('C');
    expect((await explain('F1')).adjustments[0]!.changed).toBe(true);
  });

  it('rolling the import back removes its flags', async () => {
    const [imp] = await queryRows<{ id: number }>(
      d.db,
      sql`select id from imports where kind = 'flags' and status = 'committed' order by id desc limit 1`,
    );
    const rb = await call('POST', `/api/imports/${imp!.id}/rollback`, 'fl_admin');
    expect(rb.statusCode, rb.body).toBe(200);
    expect(await flags()).toEqual([]);
  });
});
