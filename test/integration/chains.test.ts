// Industry-chain atlas on every test database: a hand-built 光伏 chain with one link (电池片) deliberately
// left without enterprises, scope on node figures and node enterprises, audited edits and decisions, the
// roadmap and its xlsx export; and on a small demo instance, every node figure against its enterprises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { auditLog, enterprises } from '../../src/db/schema.ts';
import { makeUscc } from '../../src/domain/uscc.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import { loadCityConfig, resolveCityDir, type CityConfig } from '../../src/config/load.ts';
import { loadChains, refreshAssignments } from '../../src/modules/chains/service.ts';
import { editedChains } from '../../src/modules/chains/seed.ts';
import type { ChainDetail, NodeEnterprises, Roadmap, GapView } from '../../src/modules/chains/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, seedFixture, TONGXIANG, type Fixture } from '../helpers/fixtures.ts';
import { PV, seedPv } from '../helpers/chains.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFile } from '../helpers/uploads.ts';

describe.each(testDatabases())('chains API on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  let pv: Record<string, number>;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await loadChains(d.db, await loadCityConfig(resolveCityDir()));
    fx = await seedFixture(d);
    pv = await seedPv(d);
    app = await testApp(d);
    for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const req = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    who: string,
    payload?: unknown,
  ) => app.inject({ method, url, headers: { cookie: cookies[who]! }, payload: payload as never });
  const get = (url: string, who = 'admin') => req('GET', url, who);
  const auditRows = (action: string, entityId?: string) =>
    d.db
      .select()
      .from(auditLog)
      .where(
        entityId == null
          ? eq(auditLog.action, action)
          : and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)),
      );
  const node = (chain: ChainDetail, code: string) => chain.nodes.find((n) => n.code === code)!;

  it('loads the configured chains once, proposed, grouped by cluster with landmark chains first, and keeps them on a second load', async () => {
    const list = json<{ code: string; proposed: boolean; landmark: boolean; nodes: number }[]>(
      await get('/api/chains'),
    );
    expect(list.map((c) => c.code)).toEqual([
      'diff_fiber',
      'fashion_textile',
      'textile',
      'pv',
      'new_energy',
      'chem_materials',
      'automotive',
      'smart_home',
    ]);
    expect(list.every((c) => c.proposed)).toBe(true);
    expect(list.filter((c) => c.landmark).map((c) => c.code)).toEqual([
      'diff_fiber',
      'fashion_textile',
      'pv',
      'chem_materials',
    ]);
    expect(list.find((c) => c.code === 'new_energy')!.nodes).toBe(14);
    expect(await loadChains(d.db, await loadCityConfig(resolveCityDir()))).toEqual({ chains: 8, added: 0 });
  });

  it('places enterprises on nodes by code and product word, and every node figure agrees with them', async () => {
    const chain = json<ChainDetail>(await get('/api/chains/new_energy'));
    expect(chain.referenceYear).toBe(2025);
    for (const p of PV) {
      const n = node(chain, p.node);
      const mine = PV.filter((q) => q.node === p.node);
      expect(n.firms, p.node).toBe(mine.length);
      expect(n.output, p.node).toBeCloseTo(
        mine.reduce((s, q) => s + 12 * q.m2025, 0),
        6,
      );
      expect(n.growth!, p.node).toBeCloseTo(
        mine.reduce((s, q) => s + q.m2025, 0) / mine.reduce((s, q) => s + q.m2024, 0) - 1,
        9,
      );
    }
    // cluster output: the eight members' 2025 output
    const cluster = PV.reduce((s, p) => s + 12 * p.m2025, 0);
    expect(chain.clusterOutput).toBeCloseTo(cluster, 6);
    const module = node(chain, 'pv_module');
    expect(module.shareOfCluster!).toBeCloseTo((12 * 3200) / cluster, 9);
    expect(module.hhi!).toBeCloseTo((2400 / 3200) ** 2 + (800 / 3200) ** 2, 9);
    expect(module.leadingFirms.map((f) => f.id)).toEqual([pv.module1, pv.module2]);
    // the fixture's 2651 firm (平湖, no output) sits on 封装胶膜 by code
    expect(node(chain, 'pv_eva')).toMatchObject({ firms: 1, output: 0 });
    // coverage: 组件 gets 玻璃 and 胶膜 but not 电池片 → 2/3
    expect(module.upstreamCoverage!).toBeCloseTo(2 / 3, 12);
  });

  it('shows the deliberately empty 电池片 link as a gap with its reason, ranked by feasibility', async () => {
    const chain = json<ChainDetail>(await get('/api/chains/new_energy'));
    const cell = node(chain, 'pv_cell');
    expect(cell).toMatchObject({
      firms: 0,
      status: 'missing',
      position: 'inner',
      action: 'fill',
      quadrant: 'absent',
    });
    expect(cell.reasons).toEqual([{ code: 'missing', figures: { firms: 0, minFirms: 1 } }]);
    const gaps = json<{ gaps: GapView[] }>(await get('/api/chains/new_energy/gaps')).gaps;
    const codes = gaps.map((g) => g.code);
    expect(codes).toContain('pv_cell');
    // 电池片 sits between present 硅片 and 组件: it is the most feasible gap of the chain
    expect(codes[0]).toBe('pv_cell');
    for (let i = 1; i < gaps.length; i++)
      expect((gaps[i - 1]!.density ?? -1) >= (gaps[i]!.density ?? -1)).toBe(true);
    // parameters are explicit: requiring 3 firms turns every PV node into a gap
    const strict = json<{ method: { minFirms: number }; gaps: GapView[] }>(
      await get('/api/chains/new_energy/gaps?minFirms=3'),
    );
    expect(strict.method.minFirms).toBe(3);
    expect(strict.gaps.find((g) => g.code === 'pv_module')!.reasons[0]).toEqual({
      code: 'missing',
      figures: { firms: 2, minFirms: 3 },
    });
    const quads = json<{ points: { code: string; quadrant: string }[] }>(
      await get('/api/chains/new_energy/quadrants'),
    );
    expect(quads.points.find((p) => p.code === 'pv_cell')!.quadrant).toBe('absent');
  });

  it('scopes node enterprises; other counties appear as totals only, and small totals are suppressed', async () => {
    const admin = json<NodeEnterprises>(await get('/api/chains/new_energy/nodes/pv_module/enterprises'));
    expect(admin.items.map((i) => i.id)).toEqual([pv.module1, pv.module2]);
    expect(admin.items.reduce((s, i) => s + (i.output ?? 0), 0)).toBeCloseTo(12 * 3200, 6);
    expect(admin.others).toEqual({ firms: 0, output: 0 });
    const txCounty = admin.counties.find((c) => c.regionCode === TONGXIANG)!;
    expect(txCounty).toMatchObject({ firms: 2, output: 12 * 3200 });

    const tongxiang = json<NodeEnterprises>(
      await get('/api/chains/new_energy/nodes/pv_module/enterprises', 'tongxiang'),
    );
    expect(tongxiang.items.map((i) => i.name)).toEqual([
      '桐乡示例光伏组件有限公司',
      '桐乡示例光伏组件制造有限公司',
    ]);
    const nanhu = json<NodeEnterprises>(
      await get('/api/chains/new_energy/nodes/pv_module/enterprises', 'nanhu'),
    );
    expect(nanhu.items).toEqual([]);
    expect(nanhu.others).toEqual({ firms: 2, output: null }); // two firms: a total would reveal them
    expect(nanhu.counties.find((c) => c.regionCode === TONGXIANG)).toMatchObject({
      firms: 2,
      output: null,
      lq: null,
    });

    const chain = json<ChainDetail>(await get('/api/chains/new_energy', 'nanhu'));
    expect(node(chain, 'pv_module')).toMatchObject({
      firms: 2,
      output: null,
      suppressed: true,
      leadingFirms: [],
    });
    expect(node(chain, 'pv_si')).toMatchObject({ suppressed: false, output: 12_000 });
    expect(node(chain, 'pv_si').leadingFirms.map((f) => f.name)).toEqual(['嘉兴示例多晶硅材料有限公司']);
    expect(JSON.stringify(chain)).not.toContain('桐乡示例光伏组件');
  });

  it('confirms, excludes, includes and resets placements, audited; refuses outside the scope', async () => {
    const url = (nodeCode: string, id: number) =>
      `/api/chains/new_energy/nodes/${nodeCode}/enterprises/${id}`;
    const outside = await req('PUT', url('pv_module', pv.module1!), 'nanhu', { decision: 'exclude' });
    expect(outside.statusCode).toBe(404);
    expect((await req('PUT', url('pv_si', pv.si!), 'enterprise', { decision: 'exclude' })).statusCode).toBe(
      403,
    );
    expect((await req('PUT', url('pv_cell', pv.si!), 'nanhu', { decision: 'confirm' })).statusCode).toBe(409);

    const confirmed = json<NodeEnterprises>(
      await req('PUT', url('pv_si', pv.si!), 'nanhu', { decision: 'confirm', note: '走访核实' }),
    );
    expect(confirmed.items[0]).toMatchObject({
      basis: 'confirmed',
      assigned: true,
      match: 'code_keyword',
      decidedByName: 'fx_nanhu',
      note: '走访核实',
    });
    const excluded = json<NodeEnterprises>(
      await req('PUT', url('pv_si', pv.si!), 'nanhu', { decision: 'exclude' }),
    );
    expect(excluded.items[0]).toMatchObject({ basis: 'override', assigned: false });
    expect(node(json<ChainDetail>(await get('/api/chains/new_energy')), 'pv_si')).toMatchObject({
      firms: 0,
      status: 'missing',
    });
    const reset = json<NodeEnterprises>(
      await req('PUT', url('pv_si', pv.si!), 'admin', { decision: 'reset' }),
    );
    expect(reset.items[0]).toMatchObject({ basis: 'auto', assigned: true });
    // a firm the rule cannot place: 核电服务 has no industry code
    const included = json<NodeEnterprises>(
      await req('PUT', url('nuc_service', pv.inverter!), 'admin', { decision: 'include' }),
    );
    expect(included.items).toMatchObject([
      { id: pv.inverter, basis: 'override', match: 'manual', assigned: true },
    ]);
    expect(node(json<ChainDetail>(await get('/api/chains/new_energy')), 'nuc_service').firms).toBe(1);

    const rows = await auditRows('chain.assignment', `new_energy/pv_si/${pv.si}`);
    expect(rows.map((r) => (r.after as { decision: string }).decision)).toEqual([
      'confirm',
      'exclude',
      'reset',
    ]);
    expect(rows[0]!.username).toBe('fx_nanhu');
    expect((await auditRows('chain.assignment', `new_energy/nuc_service/${pv.inverter}`)).length).toBe(1);
  });

  it('lets administrators edit the chain with history and audit rows; others are refused', async () => {
    expect(
      (
        await req('POST', '/api/chains/new_energy/nodes', 'analyst', {
          code: 'pv_x',
          name: 'X',
          stage: 'midstream',
          industryCodes: [],
        })
      ).statusCode,
    ).toBe(403);
    const bad = await req('POST', '/api/chains/new_energy/nodes', 'admin', {
      code: 'pv_x',
      name: '测试',
      stage: 'midstream',
      industryCodes: ['9999'],
    });
    expect(bad.statusCode).toBe(400);

    expect(
      (await req('PATCH', '/api/chains/new_energy', 'admin', { description: '光伏与核电两条链' })).statusCode,
    ).toBe(200);
    expect(
      (
        await req('POST', '/api/chains/new_energy/nodes', 'admin', {
          code: 'pv_backsheet',
          name: '光伏背板',
          stage: 'midstream',
          industryCodes: ['2929'],
          keyProducts: ['背板'],
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await req('PATCH', '/api/chains/new_energy/nodes/pv_backsheet', 'admin', { name: '光伏背板膜' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await req('POST', '/api/chains/new_energy/edges', 'admin', { from: 'pv_backsheet', to: 'pv_module' }))
        .statusCode,
    ).toBe(201);
    expect(
      (await req('POST', '/api/chains/new_energy/edges', 'admin', { from: 'pv_backsheet', to: 'pv_module' }))
        .statusCode,
    ).toBe(409);
    expect(
      (await req('DELETE', '/api/chains/new_energy/edges/pv_backsheet/pv_module', 'admin')).statusCode,
    ).toBe(200);
    expect((await req('DELETE', '/api/chains/new_energy/nodes/pv_backsheet', 'admin')).statusCode).toBe(200);

    const history = json<{ action: string; username: string }[]>(await get('/api/chains/new_energy/history'));
    expect(history.map((h) => h.action)).toEqual([
      'update',
      'node.create',
      'node.update',
      'edge.create',
      'edge.delete',
      'node.delete',
    ]);
    expect(history.every((h) => h.username === 'fx_admin')).toBe(true);
    expect((await auditRows('chain.update', 'new_energy/new_energy')).length).toBe(1);
    expect((await auditRows('chain.node.create', 'new_energy/pv_backsheet')).length).toBe(1);
    expect((await auditRows('chain.node.update', 'new_energy/pv_backsheet')).length).toBe(1);
    expect((await auditRows('chain.node.delete', 'new_energy/pv_backsheet')).length).toBe(1);
    expect((await auditRows('chain.edge.create', 'new_energy/pv_backsheet>pv_module')).length).toBe(1);
    expect((await auditRows('chain.edge.delete', 'new_energy/pv_backsheet>pv_module')).length).toBe(1);
  });

  it('keeps a target library and chain projects (audited) and lists ranked targets for the gap on the roadmap', async () => {
    expect(
      (
        await req('POST', '/api/chains/new_energy/targets', 'textileAgency', {
          name: '某光伏电池股份有限公司',
          nodeCode: 'pv_cell',
        })
      ).statusCode,
    ).toBe(403);
    const small = json<{ id: number }>(
      await req('POST', '/api/chains/new_energy/targets', 'admin', {
        name: '示例乙电池科技有限公司',
        headquarters: '江苏',
        nodeCode: 'pv_cell',
        sizeClass: 'medium',
        source: '测试',
      }),
    );
    const big = await req('POST', '/api/chains/new_energy/targets', 'admin', {
      name: '示例甲光伏电池股份有限公司',
      headquarters: '江西',
      nodeCode: 'pv_cell',
      sizeClass: 'large',
      contactStatus: 'contacted',
      source: '测试',
    });
    expect(big.statusCode).toBe(201);
    const bigId = json<{ id: number }>(big).id;
    expect(
      (
        await req('PATCH', `/api/chain-targets/${bigId}`, 'admin', {
          contactStatus: 'negotiating',
          expanding: true,
        })
      ).statusCode,
    ).toBe(200);
    const project = await req('POST', '/api/chains/new_energy/projects', 'admin', {
      kind: 'fill',
      name: '高效电池片补链项目',
      nodeCode: 'pv_cell',
      owner: '秀洲区招商专班',
      targetEnterpriseId: bigId,
      investmentProjectId: 42,
    });
    expect(project.statusCode).toBe(201);
    const projectId = json<{ id: number }>(project).id;
    expect(
      (await req('PATCH', `/api/chain-projects/${projectId}`, 'admin', { stage: 'negotiating' })).statusCode,
    ).toBe(200);
    expect((await auditRows('chain.target.create')).length).toBe(2);
    expect((await auditRows('chain.target.update', String(bigId))).length).toBe(1);
    expect((await auditRows('chain.project.create', String(projectId))).length).toBe(1);
    expect((await auditRows('chain.project.update', String(projectId))).length).toBe(1);

    const roadmap = json<Roadmap>(await get('/api/chains/new_energy/roadmap'));
    const cell = roadmap.gaps.find((g) => g.code === 'pv_cell')!;
    expect(cell.reasons[0]!.code).toBe('missing');
    expect(cell.action).toBe('fill');
    expect(cell.targets.map((x) => x.id)).toEqual([bigId, small.id]);
    expect(cell.targets[0]!.score).toBeGreaterThan(cell.targets[1]!.score);
    expect(cell.projects).toMatchObject([
      { name: '高效电池片补链项目', stage: 'negotiating', investmentProjectId: 42 },
    ]);

    const xlsx = await get('/api/chains/new_energy/roadmap.xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['路线图', '目标企业', '链上项目', '环节数据']);
    const first = wb.getWorksheet('路线图')!.getRow(2);
    expect(first.getCell(2).value).toBe('电池片');
    expect(String(first.getCell(5).value)).toContain('缺失');
    expect(String(first.getCell(8).value)).toContain('示例甲光伏电池股份有限公司');
  });
});

describe.each(testDatabases())(
  'deleting target enterprises and chain projects, with history ($kind)',
  (t) => {
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

    const req = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      who = 'admin',
      payload?: unknown,
    ) => app.inject({ method, url, headers: { cookie: cookies[who]! }, payload: payload as never });
    const auditRows = (action: string, entityId: string) =>
      d.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)));
    type Entry = { action: string; entityKey: string; username: string; before: unknown; after: unknown };

    it('deletes targets and projects for their editors only, audited; a target a project links is refused', async () => {
      const target = json<{ id: number }>(
        await req('POST', '/api/chains/textile/targets', 'textileAgency', {
          name: '示例丙化纤股份有限公司',
          nodeCode: 'spandex',
          sizeClass: 'large',
        }),
      );
      expect(
        (await req('PATCH', `/api/chain-targets/${target.id}`, 'textileAgency', { contactStatus: 'visited' }))
          .statusCode,
      ).toBe(200);
      const project = json<{ id: number }>(
        await req('POST', '/api/chains/textile/projects', 'textileAgency', {
          kind: 'fill',
          name: '氨纶补链项目',
          nodeCode: 'spandex',
          targetEnterpriseId: target.id,
        }),
      );
      // others may not delete; unknown ids are 404
      for (const who of ['analyst', 'nanhu', 'enterprise']) {
        expect((await req('DELETE', `/api/chain-targets/${target.id}`, who)).statusCode, who).toBe(403);
        expect((await req('DELETE', `/api/chain-projects/${project.id}`, who)).statusCode, who).toBe(403);
      }
      expect((await req('DELETE', '/api/chain-targets/999999')).statusCode).toBe(404);
      expect((await req('DELETE', '/api/chain-projects/999999')).statusCode).toBe(404);

      // linked from a project: refused, nothing changed
      const refused = await req('DELETE', `/api/chain-targets/${target.id}`, 'textileAgency');
      expect(refused.statusCode).toBe(409);
      const problem = json<{ detail: string; detailZh: string }>(refused);
      expect(problem.detailZh).toContain('氨纶补链项目');
      expect(problem.detailZh).toContain('请先取消关联或删除这些项目');
      expect(problem.detail).toContain('unlink or delete them first');
      expect(await auditRows('chain.target.delete', String(target.id))).toEqual([]);

      expect((await req('DELETE', `/api/chain-projects/${project.id}`, 'textileAgency')).statusCode).toBe(
        200,
      );
      expect((await req('DELETE', `/api/chain-projects/${project.id}`, 'textileAgency')).statusCode).toBe(
        404,
      );
      expect((await req('DELETE', `/api/chain-targets/${target.id}`, 'textileAgency')).statusCode).toBe(200);
      expect(json<unknown[]>(await req('GET', '/api/chains/textile/targets'))).toEqual([]);
      expect(json<unknown[]>(await req('GET', '/api/chains/textile/projects'))).toEqual([]);

      const [pa] = await auditRows('chain.project.delete', String(project.id));
      expect(pa).toMatchObject({ username: 'fx_textile', entity: 'chain_project', after: null });
      expect(pa!.before).toMatchObject({ name: '氨纶补链项目', targetEnterpriseId: target.id });
      const [ta] = await auditRows('chain.target.delete', String(target.id));
      expect(ta).toMatchObject({ username: 'fx_textile', entity: 'target_enterprise', after: null });
      expect(ta!.before).toMatchObject({ name: '示例丙化纤股份有限公司', contactStatus: 'visited' });
    });

    it("keeps target and project changes in the chain's history, which does not count them as structure edits", async () => {
      const history = json<Entry[]>(await req('GET', '/api/chains/textile/history', 'analyst'));
      expect(history.map((h) => h.action)).toEqual([
        'target.create',
        'target.update',
        'project.create',
        'project.delete',
        'target.delete',
      ]);
      expect(history.every((h) => h.username === 'fx_textile')).toBe(true);
      const [created, updated, , projectGone, targetGone] = history;
      expect(created!.before).toBeNull();
      expect(created!.after).toMatchObject({ name: '示例丙化纤股份有限公司', contactStatus: 'none' });
      expect(updated!.before).toMatchObject({ contactStatus: 'none' });
      expect(updated!.after).toMatchObject({ contactStatus: 'visited' });
      expect(projectGone!.before).toMatchObject({ name: '氨纶补链项目', kind: 'fill' });
      expect(projectGone!.after).toBeNull();
      expect(targetGone!.entityKey).toBe(created!.entityKey);
      expect(targetGone!.after).toBeNull();
      // chains sync and the config load still see an unedited chain
      expect((await editedChains(d.db)).has('textile')).toBe(false);
      const [chain] = await queryRows<{ edited: boolean }>(
        d.db,
        sql`select updated_at > created_at as edited from chains where code = 'textile'`,
      );
      expect(chain!.edited).toBe(false);
    });
  },
);

describe.each(testDatabases())('chain figures on a small demo instance ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let config: CityConfig;
  let cookie: string;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    config = await loadCityConfig(resolveCityDir());
    await loadChains(d.db, config);
    const { generateDemo } = await import('../../src/demo/generate.ts');
    await generateDemo(d, config, { seed: 11, enterpriseCount: 600 });
    const { createUser } = await import('../../src/modules/auth/service.ts');
    await createUser(
      d.db,
      { username: 'demo_admin', displayName: 'A', role: 'admin', password: 'Fixture2025pass' },
      { id: null, username: 'test' },
    );
    app = await testApp(d);
    cookie = await loginCookie(app, 'demo_admin');
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const nodePage = async (code: string, node: string, query = '') =>
    json<NodeEnterprises>(
      await app.inject({
        method: 'GET',
        url: `/api/chains/${code}/nodes/${node}/enterprises${query}`,
        headers: { cookie },
      }),
    );
  /** Every firm on a node the reader sees: its pages of 200 in turn. */
  const wholeNode = async (code: string, node: string) => {
    const first = await nodePage(code, node, '?pageSize=200');
    const items = [...first.items];
    for (let page = 2; items.length < first.total; page++)
      items.push(...(await nodePage(code, node, `?page=${page}&pageSize=200`)).items);
    return { ...first, items };
  };

  it("pages a node's firms as the registry list is paged; the totals are the whole node's", async () => {
    // the node with most firms of the demo's chains
    let most = { code: '', node: '', firms: 0 };
    for (const code of Object.keys(config.chains)) {
      const chain = json<ChainDetail>(
        await app.inject({ method: 'GET', url: `/api/chains/${code}`, headers: { cookie } }),
      );
      for (const n of chain.nodes) if (n.firms > most.firms) most = { code, node: n.code, firms: n.firms };
    }
    expect(most.firms).toBeGreaterThan(20);
    const whole = await wholeNode(most.code, most.node);
    expect(whole.items.length).toBe(whole.total);
    expect(whole.total).toBeGreaterThanOrEqual(most.firms);
    // largest reference-year output first, firms without a figure last, then by id
    const order = whole.items.map((i) => [i.output ?? -1, i.id] as const);
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [order[i - 1]!, order[i]!];
      expect(a[0] > b[0] || (a[0] === b[0] && a[1] < b[1]), `row ${i}`).toBe(true);
    }

    // the default: the first 20, as GET /api/enterprises answers
    const first = await nodePage(most.code, most.node);
    expect(first).toMatchObject({ page: 1, pageSize: 20, total: whole.total });
    expect(first.items).toEqual(whole.items.slice(0, 20));
    // pages of 7 in turn are the whole list; every page carries the whole node's totals
    const pages: NodeEnterprises[] = [];
    for (let page = 1; page <= Math.ceil(whole.total / 7); page++)
      pages.push(await nodePage(most.code, most.node, `?page=${page}&pageSize=7`));
    expect(pages.flatMap((p) => p.items)).toEqual(whole.items);
    for (const p of pages) {
      expect(p).toMatchObject({ total: whole.total, pageSize: 7, others: whole.others });
      expect(p.counties).toEqual(whole.counties);
    }
    // past the last page: no rows, the same totals
    const beyond = await nodePage(most.code, most.node, `?page=${pages.length + 1}&pageSize=7`);
    expect(beyond).toMatchObject({ items: [], total: whole.total, page: pages.length + 1 });
    // the paging parameters are checked as the registry list's are
    for (const bad of ['?page=0', '?pageSize=201', '?pageSize=x'])
      expect(
        (
          await app.inject({
            method: 'GET',
            url: `/api/chains/${most.code}/nodes/${most.node}/enterprises${bad}`,
            headers: { cookie },
          })
        ).statusCode,
        bad,
      ).toBe(400);
  });

  it('every figure on every node agrees with the enterprises assigned to it', async () => {
    let checkedNodes = 0;
    let placed = 0;
    for (const code of Object.keys(config.chains)) {
      const chain = json<ChainDetail>(
        await app.inject({ method: 'GET', url: `/api/chains/${code}`, headers: { cookie } }),
      );
      const y = chain.referenceYear!;
      expect(y).toBeGreaterThan(2018);
      for (const n of chain.nodes) {
        // independently: the node's firms straight from the tables
        const [row] = await queryRows<{ firms: number; above: number; output: number | null }>(
          d.db,
          sql`select count(*)::int as firms, count(*) filter (where e.scale = 'above')::int as above,
                (select sum(ms.output_value) from monthly_stats ms where ms.month >= ${`${y}-01-01`}::date and ms.month < ${`${y + 1}-01-01`}::date
                   and ms.enterprise_id in (select enterprise_id from enterprise_chain_nodes x where x.chain_code = ${code} and x.node_code = ${n.code} and x.assigned)) as output
              from enterprise_chain_nodes ecn join enterprises e on e.id = ecn.enterprise_id
              where ecn.chain_code = ${code} and ecn.node_code = ${n.code} and ecn.assigned and e.status <> 'closed'`,
        );
        expect(n.firms, `${code}/${n.code}`).toBe(row!.firms);
        expect(n.aboveScale, `${code}/${n.code}`).toBe(row!.above);
        const list = await wholeNode(code, n.code);
        const assigned = list.items.filter((i) => i.assigned);
        expect(assigned.length).toBe(n.firms);
        const listed = assigned.reduce((s, i) => s + (i.output ?? 0), 0);
        expect(n.output!).toBeCloseTo(listed, 3);
        expect(n.output!).toBeCloseTo(Number(row!.output ?? 0), 3);
        expect(n.status === 'missing').toBe(n.firms < chain.method.minFirms);
        if (chain.clusterOutput && chain.clusterOutput > 0)
          expect(n.shareOfCluster!).toBeCloseTo(n.output! / chain.clusterOutput, 9);
        const counties = list.counties.reduce((s, c) => s + (c.output ?? 0), 0);
        expect(counties).toBeCloseTo(n.output!, 3);
        checkedNodes++;
        placed += n.firms;
      }
    }
    expect(checkedNodes).toBeGreaterThan(60);
    expect(placed).toBeGreaterThan(50);
  });

  it('tells 电池片 from 光伏组件 by main products: the two nodes no longer hold the same firms', async () => {
    await app.inject({ method: 'GET', url: '/api/chains/new_energy', headers: { cookie } });
    const onNode = async (node: string) =>
      (
        await queryRows<{ id: number }>(
          d.db,
          sql`select enterprise_id::int as id from enterprise_chain_nodes
              where chain_code = 'new_energy' and node_code = ${node} and assigned order by 1`,
        )
      ).map((r) => r.id);
    const cell = await onNode('pv_cell');
    const module = await onNode('pv_module');
    expect(cell.length + module.length).toBeGreaterThan(0);
    expect(cell).not.toEqual(module);
    // the firms on both are exactly the 3825 firms whose products name neither (shared_code, unverified)
    const both = cell.filter((id) => module.includes(id));
    const [shared] = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from enterprise_chain_nodes
          where chain_code = 'new_energy' and node_code = 'pv_cell' and match = 'shared_code'`,
    );
    expect(both.length).toBe(shared!.n);
    // demo firms with products: some, not all
    const [p] = await queryRows<{ all: number; some: number }>(
      d.db,
      sql`select count(*)::int as all, count(main_products)::int as some from enterprises`,
    );
    expect(p!.some).toBeGreaterThan(0);
    expect(p!.some).toBeLessThan(p!.all);
  });
});

describe.each(testDatabases())('placement by main products through the registry ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let cookie: string;
  const USCC = makeUscc('91330402MA0000061');

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await loadChains(d.db, await loadCityConfig(resolveCityDir()));
    const fx = await seedFixture(d);
    app = await testApp(d);
    cookie = await loginCookie(app, fx.users.admin!.username);
  });
  afterAll(async () => {
    await waitForJobs();
    await app?.close();
    if (d) await t.dispose(d);
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie }, payload: payload as never });
  /** the automatic rows of a firm on the 光伏 nodes, straight from the table */
  const placed = async (id: number) =>
    (
      await queryRows<{ node: string; match: string }>(
        d.db,
        sql`select node_code as node, match from enterprise_chain_nodes
            where enterprise_id = ${id} and chain_code = 'new_energy' order by node_code`,
      )
    ).map((r) => `${r.node}:${r.match}`);

  it('moves a firm from every 3825 node to 电池片 when a registry import gives its products', async () => {
    const created = await call('POST', '/api/enterprises', {
      uscc: USCC,
      name: '嘉兴示例新能源科技有限公司',
      regionCode: NANHU,
      industryCode: '3825',
      scale: 'above',
    });
    expect(created.statusCode).toBe(201);
    const id = json<{ id: number; mainProducts: string[] }>(created).id;
    expect(json<{ mainProducts: string[] }>(created).mainProducts).toEqual([]);
    expect((await call('GET', '/api/chains/new_energy')).statusCode).toBe(200);
    expect(await placed(id)).toEqual([
      'pv_cell:shared_code',
      'pv_inverter:shared_code',
      'pv_module:shared_code',
    ]);

    const csv = Buffer.from(
      `统一社会信用代码,企业名称,区县代码,行业代码,规模,主营产品\n${USCC},嘉兴示例新能源科技有限公司,${NANHU},3825,规上,"TOPCon电池片、PERC电池片"\n`,
      'utf8',
    );
    const m = multipartFile('registry.csv', csv);
    const up = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=enterprises',
      headers: { cookie, ...m.headers },
      payload: m.payload,
    });
    expect(up.statusCode).toBeLessThan(300);
    const importId = json<{ id: number }>(up).id;
    await waitForJobs(importId);
    expect((await call('POST', `/api/imports/${importId}/commit`)).statusCode).toBe(202);
    await waitForJobs(importId);
    expect(json<{ status: string }>(await call('GET', `/api/imports/${importId}`)).status).toBe('committed');

    // the facts-changed hook placed it inside the import's transaction, before any chain read
    expect(await placed(id)).toEqual(['pv_cell:code_keyword']);
    const profile = json<{ mainProducts: string[] }>(await call('GET', `/api/enterprises/${id}`));
    expect(profile.mainProducts).toEqual(['TOPCon电池片', 'PERC电池片']);
    const chain = json<ChainDetail>(await call('GET', '/api/chains/new_energy'));
    expect(chain.nodes.find((n) => n.code === 'pv_cell')!.firms).toBe(1);
    expect(chain.nodes.find((n) => n.code === 'pv_module')!.firms).toBe(0);
    const list = json<{ items: { id: number }[] }>(
      await call('GET', `/api/enterprises?product=${encodeURIComponent('电池片')}`),
    );
    expect(list.items.map((i) => i.id)).toEqual([id]);
  });

  it('an edit of the products (audited) moves it to 光伏组件; clearing them puts it back on every 3825 node', async () => {
    const [row] = await d.db.select().from(enterprises).where(eq(enterprises.uscc, USCC));
    const id = row!.id;
    const edited = await call('PATCH', `/api/enterprises/${id}`, {
      mainProducts: ['双玻光伏组件，N型光伏组件'],
    });
    expect(edited.statusCode).toBe(200);
    expect(json<{ mainProducts: string[] }>(edited).mainProducts).toEqual(['双玻光伏组件', 'N型光伏组件']);
    const [audit] = await d.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'enterprise.update'), eq(auditLog.entityId, String(id))));
    expect((audit!.before as { mainProducts: string[] }).mainProducts).toEqual([
      'TOPCon电池片',
      'PERC电池片',
    ]);
    expect((audit!.after as { mainProducts: string[] }).mainProducts).toEqual([
      '双玻光伏组件',
      'N型光伏组件',
    ]);
    expect(await placed(id)).toEqual(['pv_module:code_keyword']);

    const tooLong = await call('PATCH', `/api/enterprises/${id}`, { mainProducts: ['光'.repeat(51)] });
    expect(tooLong.statusCode).toBe(400);

    expect((await call('PATCH', `/api/enterprises/${id}`, { mainProducts: [] })).statusCode).toBe(200);
    const [cleared] = await d.db.select().from(enterprises).where(eq(enterprises.id, id));
    expect(cleared!.mainProducts).toBeNull();
    const chain = json<ChainDetail>(await call('GET', '/api/chains/new_energy'));
    expect(await placed(id)).toEqual([
      'pv_cell:shared_code',
      'pv_inverter:shared_code',
      'pv_module:shared_code',
    ]);
    // one firm, placed only through the shared code: more than half unverified on each of the three nodes
    for (const code of ['pv_cell', 'pv_module'])
      expect(chain.nodes.find((n) => n.code === code)!.reasons.map((r) => r.code)).toContain('unverified');
  });

  it("keeps a 2614 firm whose products name a chemical node off the textile chain's shared 2614 nodes, on every path", async () => {
    const uscc = makeUscc('91330402MA0000062');
    const created = await call('POST', '/api/enterprises', {
      uscc,
      name: '嘉兴示例石化有限公司',
      regionCode: NANHU,
      industryCode: '2614',
      scale: 'above',
    });
    expect(created.statusCode).toBe(201);
    const id = json<{ id: number }>(created).id;
    const rows = async () =>
      (
        await queryRows<{ chain: string; node: string; match: string; basis: string }>(
          d.db,
          sql`select chain_code as chain, node_code as node, match, basis from enterprise_chain_nodes
              where enterprise_id = ${id} and chain_code in ('textile', 'diff_fiber', 'chem_materials')
              order by chain_code, node_code`,
        )
      ).map((r) => `${r.chain}/${r.node}:${r.match}${r.basis === 'auto' ? '' : `:${r.basis}`}`);
    expect((await call('GET', '/api/chains/textile')).statusCode).toBe(200);
    // no products: every 2614 node of every chain, unverified
    const everywhere = await rows();
    expect(everywhere).toContain('textile/meg:shared_code');
    expect(everywhere).toContain('textile/px:shared_code');
    expect(everywhere).toContain('diff_fiber/px:shared_code');
    expect(everywhere).toContain('chem_materials/c3:shared_code');

    // products naming 聚丙烯 (the chemical chain's 2614 node): the registry edit's hook moves it at once
    expect(
      (await call('PATCH', `/api/enterprises/${id}`, { mainProducts: ['聚丙烯', '丙烯'] })).statusCode,
    ).toBe(200);
    const byProducts = ['chem_materials/acrylic:code_keyword', 'chem_materials/c3:code_keyword'];
    expect(await rows()).toEqual(byProducts);
    // a full rebuild gives the same
    await refreshAssignments(d.db);
    expect(await rows()).toEqual(byProducts);
    const textile = json<ChainDetail>(await call('GET', '/api/chains/textile'));
    expect(textile.nodes.find((n) => n.code === 'meg')!.firms).toBe(0);

    // a person may still include it; a reset hands it back to the same rule
    const url = `/api/chains/textile/nodes/meg/enterprises/${id}`;
    expect((await call('PUT', url, { decision: 'include' })).statusCode).toBe(200);
    expect(await rows()).toEqual([...byProducts, 'textile/meg:manual:override']);
    expect((await call('PUT', url, { decision: 'reset' })).statusCode).toBe(200);
    expect(await rows()).toEqual(byProducts);

    // products naming a textile node put it there again
    expect((await call('PATCH', `/api/enterprises/${id}`, { mainProducts: ['乙二醇'] })).statusCode).toBe(
      200,
    );
    expect(await rows()).toEqual(
      expect.arrayContaining(['textile/meg:code_keyword', 'diff_fiber/meg:code_keyword']),
    );
    expect((await rows()).some((r) => r.startsWith('textile/px'))).toBe(false);
  });
});
