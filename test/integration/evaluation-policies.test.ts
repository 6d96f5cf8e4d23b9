// Issue 15 items 6, 7 and 9 on every test database: the policy list with amounts worked out by hand from the
// hand example, one department's ledger as xlsx (scoped to the officer's county), the class mix over the
// years from published runs, and the optional A+ class.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { seedHandExample, X, Y } from '../helpers/evaluation.ts';
import type {
  ClassTrendDto,
  PolicyListDto,
  ResultRow,
  Run,
  RuleSetRow,
} from '../../src/modules/evaluation/schemas.ts';

const YEAR = 2024;

describe.each(testDatabases())('亩均 policies, ledgers, trends and A+ on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let ids: Record<string, number>;
  const cookies: Record<string, string> = {};
  let run: Run;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    ids = await seedHandExample(d, YEAR);
    const actor = { id: null, username: 'fixture' };
    const users = [
      { username: 'pl_admin', displayName: 'Admin', role: 'admin' as const },
      { username: 'pl_reviewer', displayName: '复核人', role: 'admin' as const },
      { username: 'pl_tongxiang', displayName: '桐乡专员', role: 'county' as const, regionCode: Y },
      { username: 'pl_f1', displayName: '示例甲', role: 'enterprise' as const, enterpriseId: ids.F1! },
    ];
    for (const u of users) await createUser(d.db, { ...u, password: PASSWORD }, actor);
    app = await testApp(d);
    for (const u of users) cookies[u.username] = await loginCookie(app, u.username);
    run = json<Run>(await call('POST', '/api/evaluation/runs', 'pl_admin', { year: YEAR }));
    expect((await call('POST', `/api/evaluation/runs/${run.id}/submit`, 'pl_admin')).statusCode).toBe(200);
    expect((await call('POST', `/api/evaluation/runs/${run.id}/publish`, 'pl_reviewer')).statusCode).toBe(
      200,
    );
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const call = (method: 'GET' | 'POST', url: string, who: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie: cookies[who]! }, payload: payload as never });
  const label = (id: number) => Object.entries(ids).find(([, v]) => v === id)![0];
  const policies = async (who: string, q = '') => {
    const res = await call('GET', `/api/evaluation/runs/${run.id}/policies${q}`, who);
    expect(res.statusCode, res.body).toBe(200);
    return json<PolicyListDto>(res);
  };
  /** [firm, policy id, amount rounded to 0.01] */
  const flat = (l: PolicyListDto) =>
    l.items
      .flatMap((it) =>
        it.policies.map((p) => [
          label(it.enterpriseId),
          p.id,
          p.amount == null ? null : Math.round(p.amount * 100) / 100,
        ]),
      )
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])));

  it('the run uses default v3 and every firm of a class gets its policies with hand-computed amounts', async () => {
    const l = await policies('pl_admin');
    expect(l.ruleSet).toEqual({ code: 'default', version: 3 });
    // classes (helpers/evaluation.ts): A F1 B1 S1, B F2 F3 B2, D B3
    expect(flat(await policies('pl_admin', '?department=power'))).toEqual([
      ['B3', 'd-electricity', 3], // 0.3 元/千瓦时 × 10 万千瓦时
    ]);
    // 城镇土地使用税: value % × 亩 × 666.67 m² × 6 元/m² ÷ 10 000
    expect(flat(await policies('pl_admin', '?department=tax'))).toEqual([
      ['B1', 'a-land-tax', 1.2], // 100 % × 3 亩
      ['B2', 'b-land-tax', 1.6], // 80 % × 5 亩
      ['F1', 'a-land-tax', 4], // 100 % × 10 亩
      ['F2', 'b-land-tax', 6.4], // 80 % × 20 亩
      ['F3', 'b-land-tax', 3.2], // 80 % × 10 亩
      ['S1', 'a-land-tax', 20], // 100 % × 50 亩
    ]);
    expect(flat(await policies('pl_admin', '?department=economy'))).toEqual([
      ['B1', 'a-energy', null], // no energy input
      ['B3', 'd-energy', null],
      ['F1', 'a-energy', 5], // +5 % × 100 吨标准煤
      ['S1', 'a-energy', 50], // +5 % × 1 000
    ]);
    const water = flat(await policies('pl_admin', '?department=water'));
    expect(water).toEqual([
      ['B3', 'd-sewage', null],
      ['B3', 'd-water', null],
    ]);
    const b3 = l.items.find((i) => label(i.enterpriseId) === 'B3')!;
    expect(b3.policies.find((p) => p.id === 'd-electricity')!.formula).toBe('0.3 元/千瓦时 × 10 万千瓦时');
    expect(b3.policies.every((p) => (p.source ?? '').length > 0)).toBe(true);
  });

  it('a county officer gets only their county in the list and in the ledger; an enterprise is refused', async () => {
    expect(flat(await policies('pl_tongxiang', '?department=tax'))).toEqual([['S1', 'a-land-tax', 20]]);
    const res = await call(
      'GET',
      `/api/evaluation/runs/${run.id}/ledger.xlsx?department=tax`,
      'pl_tongxiang',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('ledger-tax');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toContain('税务部门');
    expect(String(ws.getCell('A1').value)).toContain('第3版');
    const rows = ws.getSheetValues().slice(3) as unknown[][];
    expect(rows.map((r) => [r[2], r[4], r[9]])).toEqual([['桐乡示例独家有限公司', 'A', 20]]);
    expect((await call('GET', `/api/evaluation/runs/${run.id}/policies`, 'pl_f1')).statusCode).toBe(403);
    expect(
      (await call('GET', `/api/evaluation/runs/${run.id}/ledger.xlsx?department=nope`, 'pl_admin'))
        .statusCode,
    ).toBe(400);
  });

  it('pages are slices of the kept list: a repeated page is the same bytes, scope and filter kept apart', async () => {
    const whole = await policies('pl_admin');
    const pages: PolicyListDto[] = [];
    for (let page = 1; (page - 1) * 2 < whole.total; page++)
      pages.push(await policies('pl_admin', `?page=${page}&pageSize=2`));
    expect(pages.flatMap((p) => p.items)).toEqual(whole.items);
    expect(pages.map((p) => [p.page, p.pageSize, p.total])).toEqual(
      pages.map((_, i) => [i + 1, 2, whole.total]),
    );
    expect(pages.every((p) => JSON.stringify(p.summary) === JSON.stringify(whole.summary))).toBe(true);
    // the kept page again (served from its kept bytes), and the same page asked by another scope / filter
    const again = await call('GET', `/api/evaluation/runs/${run.id}/policies?page=1&pageSize=2`, 'pl_admin');
    expect(again.headers['content-type']).toContain('application/json');
    expect(json<PolicyListDto>(again)).toEqual(pages[0]);
    const county = await policies('pl_tongxiang', '?page=1&pageSize=2');
    expect(county.items.map((i) => label(i.enterpriseId))).toEqual(['S1']);
    const tax = await policies('pl_admin', '?department=tax&page=1&pageSize=2');
    const taxWhole = await policies('pl_admin', '?department=tax');
    expect(tax.items).toEqual(taxWhole.items.slice(0, 2));
    expect(tax.total).toBe(taxWhole.total);
  });

  it('the class mix per county comes from the published run and names it', async () => {
    const res = await call('GET', '/api/evaluation/class-trend?by=region', 'pl_admin');
    expect(res.statusCode, res.body).toBe(200);
    const items = json<ClassTrendDto>(res).items;
    expect(items.map((r) => [r.code, r.year, r.A, r.B, r.C, r.D, r.runIds])).toEqual([
      [X, YEAR, 2, 3, 0, 1, [run.id]],
      [Y, YEAR, 1, 0, 0, 0, [run.id]],
    ]);
    const mine = json<ClassTrendDto>(
      await call('GET', '/api/evaluation/class-trend?by=region', 'pl_tongxiang'),
    );
    expect(mine.items.map((r) => r.code)).toEqual([Y]);
  });

  it('A+ is an option of a rule-set version: the top share of each group’s A, classes unchanged', async () => {
    const sets = json<{ items: RuleSetRow[] }>(
      await call('GET', '/api/evaluation/rule-sets', 'pl_admin'),
    ).items;
    const v3 = sets.find((s) => s.code === 'default' && s.version === 3)!;
    const saved = await call('POST', `/api/evaluation/rule-sets/${v3.id}/versions`, 'pl_admin', {
      definition: { ...v3.definition, aPlus: { share: 0.5 } },
      reason: '试行A+类（测试）',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const withA = json<RuleSetRow>(saved);
    const res = await call('POST', '/api/evaluation/runs', 'pl_admin', { year: YEAR, ruleSetId: withA.id });
    expect(res.statusCode, res.body).toBe(201);
    const r2 = json<Run>(res);
    // each A group has one A member (F1; B1; S1): 0 ahead < 0.5 × 1, so each is A+
    expect(r2.summary).toMatchObject({ classes: { A: 3, B: 3, C: 0, D: 1 }, aPlus: 3 });
    const rows = json<{ items: ResultRow[] }>(
      await call('GET', `/api/evaluation/runs/${r2.id}/results?pageSize=500`, 'pl_admin'),
    ).items;
    expect(
      rows
        .filter((r) => r.aPlus)
        .map((r) => label(r.enterpriseId))
        .sort(),
    ).toEqual(['B1', 'F1', 'S1']);
    expect(rows.filter((r) => r.aPlus).every((r) => r.class === 'A')).toBe(true);
    const ex = json<{ aPlus: boolean; class: string }>(
      await call('GET', `/api/evaluation/runs/${r2.id}/results/${ids.F1}/explanation`, 'pl_admin'),
    );
    expect(ex).toMatchObject({ aPlus: true, class: 'A' });
    // the published default run has no A+ at all
    expect(run.summary.aPlus).toBeUndefined();
  });
});
