// The four landmark chains (标志性产业链) on every test database: loaded from config with their nodes and
// edges, figures agreeing with the enterprises placed on them; chains created and deleted by administrators
// (validated, audited, in the chain's history, administrators only); and the config sync: a dry run changes
// nothing, an unedited chain follows a changed configuration, an edited one is skipped until forced, and a
// node carrying people's decisions is never dropped silently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { auditLog, chainHistory, chains } from '../../src/db/schema.ts';
import { loadCityConfig, resolveCityDir, type CityConfig } from '../../src/config/load.ts';
import { loadChains } from '../../src/modules/chains/service.ts';
import { configChainSpec, storedChainSpec } from '../../src/modules/chains/seed.ts';
import { needsDecision, syncChains, type SyncReport } from '../../src/modules/chains/sync.ts';
import { canonical, diffChain, isEmptyDiff } from '../../src/domain/chains/index.ts';
import type { ChainDetail, ChainSummary, NodeEnterprises } from '../../src/modules/chains/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { seedFixture } from '../helpers/fixtures.ts';
import { PV, seedPv } from '../helpers/chains.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

const LANDMARKS = ['diff_fiber', 'fashion_textile', 'pv', 'chem_materials'];
const CLI = { id: null, username: 'cli' };

async function setUp(d: Database) {
  const fx = await seedFixture(d);
  const pv = await seedPv(d);
  const app = await testApp(d);
  const cookies: Record<string, string> = {};
  for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
  const req = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    who = 'admin',
    payload?: unknown,
  ) => app.inject({ method, url, headers: { cookie: cookies[who]! }, payload: payload as never });
  return { fx, pv, app, req };
}

describe.each(testDatabases())('landmark chains and chains created by administrators on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let config: CityConfig;
  let req: Awaited<ReturnType<typeof setUp>>['req'];
  let pv: Record<string, number>;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    config = await loadCityConfig(resolveCityDir());
    await loadChains(d.db, config);
    ({ app, req, pv } = await setUp(d));
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const audit = (action: string, entityId: string) =>
    d.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)));

  it('has the four landmark chains after migrate, with the nodes and edges of the configuration', async () => {
    const list = json<ChainSummary[]>(await req('GET', '/api/chains', 'analyst'));
    expect(list.filter((c) => c.landmark).map((c) => c.code)).toEqual(LANDMARKS);
    expect(list.find((c) => c.code === 'diff_fiber')).toMatchObject({
      clusterCode: 'textile',
      name: '差别化纤',
      proposed: true,
      origin: 'config',
      nodes: 11,
      edges: 12,
    });
    for (const code of LANDMARKS) {
      const chain = json<ChainDetail>(await req('GET', `/api/chains/${code}`, 'analyst'));
      const wanted = config.chains[code]!;
      expect(chain.landmark).toBe(true);
      expect(chain.policyNote).toContain('4条特色优势产业链');
      expect(chain.clusterCode).toBe(wanted.cluster);
      expect(chain.nodes.map((n) => n.code)).toEqual(wanted.nodes.map((n) => n.id));
      expect(chain.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(
        wanted.edges.map(([a, b]) => `${a}>${b}`).sort(),
      );
    }
    // the PV landmark chain is the new_energy chain's 光伏 part: same node ids, same node definitions
    const pvChain = json<ChainDetail>(await req('GET', '/api/chains/pv'));
    expect(pvChain.nodes.map((n) => n.code)).toEqual([
      'pv_si',
      'pv_wafer',
      'pv_cell',
      'pv_module',
      'pv_glass',
      'pv_eva',
      'pv_inverter',
      'pv_mount',
      'pv_plant',
    ]);
    expect(pvChain.edges).toContainEqual({ from: 'pv_cell', to: 'pv_module' });
    const fashion = json<ChainDetail>(await req('GET', '/api/chains/fashion_textile'));
    expect(fashion.nodes.find((n) => n.code === 'fashion_brand')).toMatchObject({
      name: '时尚设计与品牌',
      stage: 'downstream',
      industryCodes: ['7492'],
    });
  });

  it('places the enterprises on the 光伏 landmark chain, and every figure agrees with them', async () => {
    const chain = json<ChainDetail>(await req('GET', '/api/chains/pv'));
    expect(chain.referenceYear).toBe(2025);
    const cluster = PV.reduce((s, p) => s + 12 * p.m2025, 0);
    expect(chain.clusterOutput).toBeCloseTo(cluster, 6);
    for (const p of PV) {
      const n = chain.nodes.find((x) => x.code === p.node)!;
      const mine = PV.filter((q) => q.node === p.node);
      expect(n.firms, p.node).toBe(mine.length);
      expect(n.output!, p.node).toBeCloseTo(
        mine.reduce((s, q) => s + 12 * q.m2025, 0),
        6,
      );
      expect(n.shareOfCluster!, p.node).toBeCloseTo(n.output! / cluster, 9);
      const list = json<NodeEnterprises>(await req('GET', `/api/chains/pv/nodes/${p.node}/enterprises`));
      expect(
        list.items
          .filter((i) => i.assigned)
          .map((i) => i.name)
          .sort(),
        p.node,
      ).toEqual(mine.map((q) => q.name).sort());
    }
    expect(chain.nodes.find((n) => n.code === 'pv_module')!.leadingFirms.map((f) => f.id)).toEqual([
      pv.module1,
      pv.module2,
    ]);
    // 电池片: nobody makes it — the same gap as on the cluster chain
    expect(chain.nodes.find((n) => n.code === 'pv_cell')).toMatchObject({
      firms: 0,
      status: 'missing',
      action: 'fill',
    });
    // independently, from the tables: every node's firms and output
    for (const n of chain.nodes) {
      const [row] = await queryRows<{ firms: number; output: number | null }>(
        d.db,
        sql`select count(*)::int as firms, sum((select sum(ms.output_value) from monthly_stats ms
              where ms.enterprise_id = e.id and ms.month >= '2025-01-01' and ms.month < '2026-01-01')) as output
            from enterprise_chain_nodes ecn join enterprises e on e.id = ecn.enterprise_id
            where ecn.chain_code = 'pv' and ecn.node_code = ${n.code} and ecn.assigned and e.status <> 'closed'`,
      );
      expect(n.firms, n.code).toBe(row!.firms);
      expect(n.output ?? 0, n.code).toBeCloseTo(Number(row!.output ?? 0), 3);
    }
  });

  it('creates chains for administrators only, validated, audited and in the history', async () => {
    const body = {
      code: 'pv_cells',
      clusterCode: 'new_energy',
      name: '高效电池片',
      copyFrom: { chainCode: 'new_energy', nodeCodes: ['pv_wafer', 'pv_cell', 'pv_module'] },
    };
    for (const who of ['analyst', 'nanhu', 'textileAgency', 'enterprise'])
      expect((await req('POST', '/api/chains', who, body)).statusCode, who).toBe(403);
    const unknownCluster = await req('POST', '/api/chains', 'admin', { ...body, clusterCode: 'space' });
    expect(unknownCluster.statusCode).toBe(400);
    expect(json<{ detailZh: string; errors: { field: string }[] }>(unknownCluster)).toMatchObject({
      detailZh: '集群 space 不存在。',
      errors: [{ field: 'clusterCode' }],
    });
    const duplicate = await req('POST', '/api/chains', 'admin', { ...body, code: 'pv' });
    expect(duplicate.statusCode).toBe(409);
    expect(json<{ detail: string }>(duplicate).detail).toBe('A chain pv exists already.');
    const badNode = await req('POST', '/api/chains', 'admin', {
      ...body,
      copyFrom: { chainCode: 'new_energy', nodeCodes: ['pv_cell', 'pv_nowhere'] },
    });
    expect(badNode.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(badNode).errors[0]!.field).toBe('copyFrom.nodeCodes');
    expect((await req('POST', '/api/chains', 'admin', { ...body, code: 'Bad Code' })).statusCode).toBe(400);
    expect(await audit('chain.create', 'pv_cells/pv_cells')).toEqual([]);

    const created = await req('POST', '/api/chains', 'admin', body);
    expect(created.statusCode).toBe(201);
    expect(json<ChainSummary>(created)).toMatchObject({
      code: 'pv_cells',
      clusterCode: 'new_energy',
      landmark: false,
      origin: 'admin',
      nodes: 3,
      edges: 2,
    });
    // the rule places the enterprises on the copied nodes
    const chain = json<ChainDetail>(await req('GET', '/api/chains/pv_cells', 'analyst'));
    expect(chain.edges).toEqual([
      { from: 'pv_cell', to: 'pv_module' },
      { from: 'pv_wafer', to: 'pv_cell' },
    ]);
    expect(chain.nodes.find((n) => n.code === 'pv_module')).toMatchObject({ firms: 2, output: 12 * 3200 });
    const [row] = await audit('chain.create', 'pv_cells/pv_cells');
    expect(row).toMatchObject({ username: 'fx_admin', entity: 'chain' });
    const history = json<{ action: string; username: string }[]>(
      await req('GET', '/api/chains/pv_cells/history'),
    );
    expect(history).toMatchObject([{ action: 'create', username: 'fx_admin' }]);

    // an empty landmark chain, listed first among its cluster's chains
    const empty = await req('POST', '/api/chains', 'admin', {
      code: 'smart_kitchen',
      clusterCode: 'smart_home',
      name: '智能厨电',
      landmark: true,
      policyNote: '测试',
    });
    expect(empty.statusCode).toBe(201);
    expect(json<ChainDetail>(await req('GET', '/api/chains/smart_kitchen'))).toMatchObject({
      landmark: true,
      policyNote: '测试',
      origin: 'admin',
      nodes: [],
      edges: [],
    });
    const list = json<ChainSummary[]>(await req('GET', '/api/chains'));
    expect(list.filter((c) => c.clusterCode === 'smart_home').map((c) => c.code)).toEqual([
      'smart_kitchen',
      'smart_home',
    ]);
    expect(list.filter((c) => c.clusterCode === 'new_energy').map((c) => c.code)).toEqual([
      'pv',
      'new_energy',
      'pv_cells',
    ]);
  });

  it("deletes only chains administrators created, never with people's work on them", async () => {
    expect((await req('DELETE', '/api/chains/smart_kitchen', 'analyst')).statusCode).toBe(403);
    const configured = await req('DELETE', '/api/chains/pv', 'admin');
    expect(configured.statusCode).toBe(409);
    expect(json<{ detailZh: string }>(configured).detailZh).toContain('来自本市配置');

    // a placement decision and a target enterprise keep the chain
    const decided = await req(
      'PUT',
      `/api/chains/pv_cells/nodes/pv_module/enterprises/${pv.module1}`,
      'admin',
      {
        decision: 'confirm',
      },
    );
    expect(decided.statusCode).toBe(200);
    const refused = await req('DELETE', '/api/chains/pv_cells', 'admin');
    expect(refused.statusCode).toBe(409);
    expect(json<{ detail: string }>(refused).detail).toContain('1 placement decision(s)');
    await req('PUT', `/api/chains/pv_cells/nodes/pv_module/enterprises/${pv.module1}`, 'admin', {
      decision: 'reset',
    });
    await req('POST', '/api/chains/pv_cells/targets', 'admin', { name: '某电池片企业', nodeCode: 'pv_cell' });
    expect(json<{ detail: string }>(await req('DELETE', '/api/chains/pv_cells', 'admin')).detail).toContain(
      '1 target enterprise(s)',
    );
    expect((await req('GET', '/api/chains/pv_cells')).statusCode).toBe(200);

    expect((await req('DELETE', '/api/chains/smart_kitchen', 'admin')).statusCode).toBe(200);
    expect((await req('GET', '/api/chains/smart_kitchen')).statusCode).toBe(404);
    const [row] = await audit('chain.delete', 'smart_kitchen/smart_kitchen');
    expect(row).toMatchObject({ username: 'fx_admin', after: null });
    expect((row!.before as { name: string }).name).toBe('智能厨电');
    const history = await d.db.select().from(chainHistory).where(eq(chainHistory.chainCode, 'smart_kitchen'));
    expect(history.map((h) => h.action)).toEqual(['create', 'delete']);
  });
});

describe.each(testDatabases())('chains sync on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let config: CityConfig;
  let req: Awaited<ReturnType<typeof setUp>>['req'];
  let pv: Record<string, number>;

  /** The configuration as it was before the landmark chains: the five cluster chains, none a landmark. */
  const older = (c: CityConfig): CityConfig => ({
    ...c,
    chains: Object.fromEntries(
      Object.entries(c.chains)
        .filter(([k, v]) => k === v.cluster)
        .map(([k, v]) => [k, { ...v, landmark: false, policyNote: undefined }]),
    ),
  });
  const statusOf = (r: SyncReport) => Object.fromEntries(r.chains.map((c) => [c.code, c.status]));
  const specOf = async (code: string) => canonical(await storedChainSpec(d.db, code));
  const placements = (chain: string, node: string) =>
    queryRows<{ enterprise_id: number; basis: string }>(
      d.db,
      sql`select enterprise_id::int as enterprise_id, basis from enterprise_chain_nodes
          where chain_code = ${chain} and node_code = ${node} and assigned order by enterprise_id`,
    );

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    config = await loadCityConfig(resolveCityDir());
    await loadChains(d.db, older(config));
    ({ app, req, pv } = await setUp(d));
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  it('gives an existing database the landmark chains on the next migrate', async () => {
    const before = json<ChainSummary[]>(await req('GET', '/api/chains'));
    expect(before.map((c) => c.code)).toEqual([
      'textile',
      'new_energy',
      'chem_materials',
      'automotive',
      'smart_home',
    ]);
    expect(before.some((c) => c.landmark)).toBe(false);
    expect(await loadChains(d.db, config)).toEqual({ chains: 8, added: 3 });
    const after = json<ChainSummary[]>(await req('GET', '/api/chains'));
    expect(after.filter((c) => c.landmark).map((c) => c.code)).toEqual(LANDMARKS);
    const report = await syncChains(d.db, config, { actor: CLI });
    expect(new Set(Object.values(statusOf(report)))).toEqual(new Set(['unchanged']));
    expect(needsDecision(report)).toBe(false);
  });

  it('changes nothing on a dry run, and brings an unedited chain in line with a changed configuration', async () => {
    // the configuration changes: 支架 leaves the cluster chain, 电池片 is renamed, 储能 is added
    const changed = structuredClone(config);
    const ne = changed.chains.new_energy!;
    ne.nodes = ne.nodes.filter((n) => n.id !== 'pv_mount');
    ne.edges = ne.edges.filter(([a, b]) => a !== 'pv_mount' && b !== 'pv_mount');
    ne.nodes.find((n) => n.id === 'pv_cell')!.name = '高效电池片';
    ne.nodes.push({
      id: 'pv_storage',
      name: '储能/锂电池',
      stage: 'midstream',
      industryCodes: ['3841'],
      knownEnterprises: [],
    });
    ne.edges.push(['pv_storage', 'pv_plant']);
    await req('GET', '/api/chains/new_energy'); // automatic placements in force
    expect((await placements('new_energy', 'pv_mount')).map((r) => r.enterprise_id)).toEqual([pv.mount]);
    const before = await specOf('new_energy');
    const historyRows = async () => (await d.db.select().from(chainHistory)).length;
    const historyBefore = await historyRows();

    const dry = await syncChains(d.db, changed, { dryRun: true, actor: CLI });
    const plan = dry.chains.find((c) => c.code === 'new_energy')!;
    expect(plan).toMatchObject({ status: 'updated', applied: false, edits: 0 });
    expect(plan.diff!.nodesAdded.map((n) => n.code)).toEqual(['pv_storage']);
    expect(plan.diff!.nodesRemoved.map((n) => n.code)).toEqual(['pv_mount']);
    expect(plan.diff!.nodesChanged).toEqual([
      { code: 'pv_cell', changes: [{ field: 'name', before: '电池片', after: '高效电池片' }] },
    ]);
    expect(plan.diff!.edgesAdded).toEqual([{ from: 'pv_storage', to: 'pv_plant' }]);
    expect(plan.diff!.edgesRemoved).toEqual([{ from: 'pv_mount', to: 'pv_plant' }]);
    expect(dry.placements).toBeNull();
    expect(await specOf('new_energy')).toBe(before);
    expect(await historyRows()).toBe(historyBefore);
    expect(await placements('new_energy', 'pv_mount')).toHaveLength(1);

    const applied = await syncChains(d.db, changed, { actor: CLI });
    expect(statusOf(applied)).toMatchObject({ new_energy: 'updated', pv: 'updated', textile: 'unchanged' });
    // one source of truth: the landmark chain takes 电池片 by id from the cluster chain, so it follows the rename
    expect(applied.chains.find((c) => c.code === 'pv')!.diff).toMatchObject({
      fields: [],
      nodesAdded: [],
      nodesRemoved: [],
      nodesChanged: [{ code: 'pv_cell', changes: [{ field: 'name', after: '高效电池片' }] }],
    });
    expect(needsDecision(applied)).toBe(false);
    expect(applied.placements).toBeGreaterThan(0);
    const chain = json<ChainDetail>(await req('GET', '/api/chains/new_energy'));
    expect(chain.nodes.map((n) => n.code)).toContain('pv_storage');
    expect(chain.nodes.map((n) => n.code)).not.toContain('pv_mount');
    expect(chain.nodes.find((n) => n.code === 'pv_cell')!.name).toBe('高效电池片');
    expect(await placements('new_energy', 'pv_mount')).toEqual([]);
    // rebuilt: the 支架 firm (3311) now sits on the node that shares its code
    expect((await placements('new_energy', 'nuc_equip')).map((r) => r.enterprise_id)).toContain(pv.mount);
    const stored = (await storedChainSpec(d.db, 'new_energy'))!;
    expect(isEmptyDiff(diffChain(stored, configChainSpec(changed, 'new_energy')!))).toBe(true);
    const [h] = await d.db
      .select()
      .from(chainHistory)
      .where(and(eq(chainHistory.chainCode, 'new_energy'), eq(chainHistory.action, 'config.sync')));
    expect(h).toMatchObject({ username: 'cli', entityKey: 'new_energy' });
    expect(canonical(h!.before)).toBe(before);
    expect((await d.db.select().from(auditLog).where(eq(auditLog.action, 'chain.config.sync'))).length).toBe(
      2,
    );
    // a second sync finds nothing to do; a configuration sync is not an administrator's edit
    const again = await syncChains(d.db, changed, { actor: CLI });
    expect(again.chains.find((c) => c.code === 'new_energy')).toMatchObject({
      status: 'unchanged',
      edits: 0,
    });
    expect(again.placements).toBeNull();
  });

  it('skips a chain an administrator edited, and follows the configuration with force (history written)', async () => {
    const edit = await req('PATCH', '/api/chains/pv/nodes/pv_cell', 'admin', { name: '电池片（TOPCon）' });
    expect(edit.statusCode).toBe(200);
    const edited = await specOf('pv');
    const skipped = await syncChains(d.db, config, { actor: CLI });
    expect(skipped.chains.find((c) => c.code === 'pv')).toMatchObject({
      status: 'edited',
      applied: false,
      edits: 1,
    });
    expect(needsDecision(skipped)).toBe(true);
    expect(await specOf('pv')).toBe(edited);

    const forced = await syncChains(d.db, config, { force: true, actor: CLI });
    expect(forced.chains.find((c) => c.code === 'pv')).toMatchObject({ status: 'updated', applied: true });
    expect(needsDecision(forced)).toBe(false);
    const chain = json<ChainDetail>(await req('GET', '/api/chains/pv'));
    expect(chain.nodes.find((n) => n.code === 'pv_cell')!.name).toBe('电池片');
    const history = json<{ action: string; username: string; before: unknown; after: unknown }[]>(
      await req('GET', '/api/chains/pv/history'),
    );
    expect(history.map((h) => [h.action, h.username])).toEqual([
      ['config.sync', 'cli'], // the rename of the test before
      ['node.update', 'fx_admin'],
      ['config.sync', 'cli'],
    ]);
    expect(canonical(history[2]!.before)).toBe(edited);
    // nothing left to sync: the edited chain now equals the configuration
    const after = await syncChains(d.db, config, { actor: CLI });
    expect(after.chains.find((c) => c.code === 'pv')).toMatchObject({ status: 'unchanged', edits: 1 });
  });

  it("never drops a node carrying people's decisions: the chain is blocked and reported", async () => {
    const url = `/api/chains/pv/nodes/pv_inverter/enterprises/${pv.inverter}`;
    expect((await req('PUT', url, 'admin', { decision: 'confirm', note: '核实' })).statusCode).toBe(200);
    const without = structuredClone(config);
    const pvc = without.chains.pv!;
    pvc.nodes = pvc.nodes.filter((n) => n.id !== 'pv_inverter');
    pvc.edges = pvc.edges.filter(([a, b]) => a !== 'pv_inverter' && b !== 'pv_inverter');
    const before = await specOf('pv');
    for (const force of [false, true]) {
      const r = await syncChains(d.db, without, { force, actor: CLI });
      expect(r.chains.find((c) => c.code === 'pv')).toMatchObject({
        status: 'blocked',
        applied: false,
        blockers: [{ node: 'pv_inverter', decisions: 1, targets: 0, projects: 0 }],
      });
      expect(needsDecision(r)).toBe(true);
      expect(await specOf('pv')).toBe(before);
    }
    expect(await placements('pv', 'pv_inverter')).toEqual([
      { enterprise_id: pv.inverter, basis: 'confirmed' },
    ]);
    // once the decision is reset the node goes, with its automatic placement
    expect((await req('PUT', url, 'admin', { decision: 'reset' })).statusCode).toBe(200);
    const r = await syncChains(d.db, without, { force: true, actor: CLI });
    expect(r.chains.find((c) => c.code === 'pv')).toMatchObject({ status: 'updated', applied: true });
    expect(await placements('pv', 'pv_inverter')).toEqual([]);
    const [row] = await d.db.select().from(chains).where(eq(chains.code, 'pv'));
    expect(row!.landmark).toBe(true);
  });
});
