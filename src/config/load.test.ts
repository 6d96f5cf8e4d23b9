import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CityConfigError, loadCityConfig, resolveCityDir, type CityConfig } from './load.ts';

const JIAXING = resolveCityDir('jiaxing');

describe('resolveCityDir', () => {
  it('points at config/<city> under the repository root', () => {
    expect(JIAXING.split(path.sep).slice(-2)).toEqual(['config', 'jiaxing']);
    expect(resolveCityDir('other-city')).toBe(path.join(path.dirname(JIAXING), 'other-city'));
  });

  it('defaults to CLUSTERSCOPE_CITY, then jiaxing', () => {
    const saved = process.env.CLUSTERSCOPE_CITY;
    try {
      delete process.env.CLUSTERSCOPE_CITY;
      expect(resolveCityDir()).toBe(JIAXING);
      process.env.CLUSTERSCOPE_CITY = 'ningbo';
      expect(resolveCityDir()).toBe(path.join(path.dirname(JIAXING), 'ningbo'));
    } finally {
      if (saved === undefined) delete process.env.CLUSTERSCOPE_CITY;
      else process.env.CLUSTERSCOPE_CITY = saved;
    }
  });

  it('rejects folder names that could escape config/', () => {
    expect(() => resolveCityDir('../etc')).toThrow(/invalid city folder name/);
  });
});

describe('config/jiaxing', () => {
  let cfg: CityConfig;
  beforeAll(async () => {
    cfg = await loadCityConfig(JIAXING);
  });

  it('describes 嘉兴市 in 浙江省', () => {
    expect(cfg.city.code).toBe('330400');
    expect(cfg.city.name).toBe('嘉兴市');
    expect(cfg.city.province.code).toBe('330000');
  });

  it('has 1 city, 7 county-level units and 72 towns/streets', () => {
    const count = (level: string) => cfg.regions.filter((r) => r.level === level).length;
    expect(count('city')).toBe(1);
    expect(count('county')).toBe(7);
    expect(count('town')).toBe(72);
    expect(cfg.regions).toHaveLength(80);
  });

  it('places 南湖区 330402 as a county under 330400', () => {
    const nanhu = cfg.regions.find((r) => r.code === '330402');
    expect(nanhu).toMatchObject({
      name: '南湖区',
      nameEn: 'Nanhu District',
      level: 'county',
      parentCode: '330400',
    });
  });

  it('holds the complete GB/T 4754-2017 tree', () => {
    const count = (level: string) => cfg.industries.filter((i) => i.level === level).length;
    expect(count('section')).toBe(20);
    expect(count('division')).toBe(97);
    expect(count('group')).toBe(473);
    // 1381 = the 1380 小类 of the upstream file plus 3741 飞机制造, which upstream mislabels as a 中类 row
    expect(count('class')).toBe(1381);
  });

  it('finds 3825 光伏设备及元器件制造 under 382 → 38 → C', () => {
    const byCode = new Map(cfg.industries.map((i) => [i.code, i]));
    const pv = byCode.get('3825');
    expect(pv).toMatchObject({
      name: '光伏设备及元器件制造',
      level: 'class',
      parentCode: '382',
      section: 'C',
    });
    expect(byCode.get('382')).toMatchObject({ level: 'group', parentCode: '38' });
    expect(byCode.get('38')).toMatchObject({ level: 'division', parentCode: 'C' });
    expect(byCode.get('C')).toMatchObject({ level: 'section', parentCode: null });
  });

  it('derives single-child groups from their only class', () => {
    const byCode = new Map(cfg.industries.map((i) => [i.code, i]));
    expect(byCode.get('183')).toMatchObject({ name: '服饰制造', level: 'group', parentCode: '18' });
    expect(byCode.get('183')?.source).toMatch(/DERIVED/);
    expect(byCode.get('1830')).toMatchObject({ parentCode: '183' });
    expect(byCode.get('3741')).toMatchObject({ name: '飞机制造', level: 'class', parentCode: '374' });
  });

  it('has the five clusters with 2025 targets 3000/1000/3000/1000/1000 and a 1万亿 total', () => {
    expect(cfg.clusters.map((c) => c.code)).toEqual([
      'textile',
      'new_energy',
      'chem_materials',
      'automotive',
      'smart_home',
    ]);
    const targets = cfg.clusters.map((c) => c.target.outputYiYuan);
    expect(targets).toEqual([3000, 1000, 3000, 1000, 1000]);
    // The cluster targets add up to 9000 亿元; the policy's 1万亿 (10000 亿元) total is a separate 力争 figure.
    expect(targets.reduce((a, b) => a + b, 0)).toBe(9000);
    const total = cfg.targetSets
      .find((s) => s.code === 'five-clusters-2020')
      ?.targets.find((t) => t.code === 'output-total');
    expect(total?.goal).toBe(10000);
  });

  it('maps cluster bases to county and zone codes', () => {
    const chem = cfg.clusters.find((c) => c.code === 'chem_materials');
    expect(chem?.baseRegionCodes).toEqual(['Z-JXPORT', '330482']);
    const auto = cfg.clusters.find((c) => c.code === 'automotive');
    expect(auto?.baseRegionCodes).toContain('Z-JXETDZ');
    const smart = cfg.clusters.find((c) => c.code === 'smart_home');
    expect(smart?.leadingEnterpriseTargets).toEqual([
      expect.objectContaining({ thresholdYiYuan: 10, count: null }),
    ]);
  });

  it('keeps dual-cluster industry codes under both clusters', () => {
    const of = (code: string) =>
      cfg.clusterIndustries
        .filter((r) => r.industryCode === code)
        .map((r) => r.clusterCode)
        .sort();
    expect(of('2653')).toEqual(['chem_materials', 'textile']);
    expect(of('3841')).toEqual(['automotive', 'new_energy']);
    expect(of('1771')).toEqual(['smart_home', 'textile']);
    const industries = new Set(cfg.industries.map((i) => i.code));
    expect(cfg.clusterIndustries.every((r) => industries.has(r.industryCode))).toBe(true);
  });

  it('hosts 港区 in 平湖市 330482 and reports only 经开区 and 港区 beside the counties', () => {
    const port = cfg.zones.find((z) => z.shortName === '港区');
    expect(port).toMatchObject({ code: 'Z-JXPORT', hostRegionCode: '330482', reportingUnit: true });
    expect(port?.towns).toEqual(['330482101']);
    expect(
      cfg.zones
        .filter((z) => z.reportingUnit)
        .map((z) => z.code)
        .sort(),
    ).toEqual(['Z-JXETDZ', 'Z-JXPORT']);
    expect(cfg.zones.every((z) => !/^\d/.test(z.code))).toBe(true);
    expect(cfg.excludedZones.map((z) => z.id)).toEqual(['JXBINHAI']);
  });

  it('carries chains for every cluster, the four landmark chains and the 135N targets', () => {
    // every cluster has its own chain, keyed by the cluster code
    for (const c of cfg.clusters) expect(cfg.chains[c.code]?.cluster, c.code).toBe(c.code);
    expect(cfg.chains.new_energy?.nodes.some((n) => n.industryCodes.includes('3825'))).toBe(true);
    // 标志性产业链 (§四(二)): 差别化纤, 时尚纺织, 化工新材料 (the cluster chain itself), 光伏新能源
    const landmarks = Object.entries(cfg.chains).filter(([, c]) => c.landmark);
    expect(Object.fromEntries(landmarks.map(([k, c]) => [k, [c.name, c.cluster]]))).toEqual({
      chem_materials: ['化工新材料', 'chem_materials'],
      diff_fiber: ['差别化纤', 'textile'],
      fashion_textile: ['时尚纺织', 'textile'],
      pv: ['光伏新能源', 'new_energy'],
    });
    expect(landmarks.every(([, c]) => c.proposed && c.policyNote?.includes('§四(二)'))).toBe(true);
    // nodes taken by id are the cluster chain's own nodes, with the edges between them
    const pv = cfg.chains.pv!;
    const ne = cfg.chains.new_energy!;
    expect(pv.nodes.map((n) => n.id)).toEqual(
      ne.nodes.filter((n) => n.id.startsWith('pv_')).map((n) => n.id),
    );
    expect(pv.nodes.find((n) => n.id === 'pv_module')).toEqual(ne.nodes.find((n) => n.id === 'pv_module'));
    expect(pv.edges).toEqual(ne.edges.filter(([a]) => a.startsWith('pv_')));
    const diff = cfg.chains.diff_fiber!;
    expect(diff.edges).toContainEqual(['pta', 'pet']);
    expect(diff.edges).toContainEqual(['spandex', 'weaving']); // its own extra edge
    expect(diff.nodes.some((n) => n.id === 'apparel')).toBe(false);
    const fashion = cfg.chains.fashion_textile!;
    expect(fashion.nodes.find((n) => n.id === 'fashion_brand')).toMatchObject({ stage: 'downstream' });
    expect(fashion.edges).toContainEqual(['apparel', 'fashion_brand']);
    const s135 = cfg.targetSets.find((s) => s.code === '135n-2023-2027');
    expect(s135?.targets.find((t) => t.metric === 'tax_per_mu')).toMatchObject({ goal: 37, unit: '万元/亩' });
  });
});

describe('a broken configuration', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'clusterscope-config-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  async function brokenCopy(name: string, file: string, edit: (text: string) => string): Promise<string> {
    const dir = path.join(tmp, name);
    await cp(JIAXING, dir, { recursive: true });
    const p = path.join(dir, file);
    const before = await readFile(p, 'utf8');
    const after = edit(before);
    expect(after).not.toBe(before);
    await writeFile(p, after);
    return dir;
  }

  it('names the file and the row of a bad parent code', async () => {
    const dir = await brokenCopy('bad-parent', 'regions.csv', (t) =>
      t.replace('330402007,建设街道,,town,330402,', '330402007,建设街道,,town,330499,'),
    );
    const lines = (await readFile(path.join(dir, 'regions.csv'), 'utf8')).split('\n');
    const line = lines.findIndex((l) => l.startsWith('330402007,')) + 1;
    const err = await loadCityConfig(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CityConfigError);
    const message = (err as Error).message;
    expect(message).toContain(`regions.csv row ${line - 1} (line ${line}) [parent_code]`);
    expect(message).toContain('parent_code "330499" does not exist');
    expect((err as CityConfigError).issues).toEqual([
      expect.objectContaining({ file: 'regions.csv', row: line - 1 }),
    ]);
  });

  it('rejects an unknown industry code in the cluster mapping', async () => {
    const dir = await brokenCopy('bad-industry', 'cluster_industries.csv', (t) =>
      t.replace('textile,1711,', 'textile,1799,'),
    );
    await expect(loadCityConfig(dir)).rejects.toThrow(
      /cluster_industries\.csv row \d+ \(line \d+\) \[industry_code\]: industry code "1799" does not exist/,
    );
  });

  it('rejects a zone whose host region does not exist', async () => {
    const dir = await brokenCopy('bad-zone', 'zones.json', (t) =>
      t.replace('"hostRegionCode": "330482"', '"hostRegionCode": "330488"'),
    );
    await expect(loadCityConfig(dir)).rejects.toThrow(
      /zones\.json \[zones\[\d+\]\.hostRegionCode\]: host region "330488"/,
    );
  });

  const chainIssues = async (
    name: string,
    edit: (chains: Record<string, Record<string, unknown>>) => void,
  ) => {
    const dir = await brokenCopy(name, 'chains.json', (t) => {
      const chains = JSON.parse(t) as Record<string, Record<string, unknown>>;
      edit(chains);
      return JSON.stringify(chains);
    });
    const err = (await loadCityConfig(dir).catch((e: unknown) => e)) as CityConfigError;
    expect(err).toBeInstanceOf(CityConfigError);
    return err.issues.filter((i) => i.file === 'chains.json').map((i) => `${i.path}: ${i.message}`);
  };

  it('requires a policy note of a landmark chain, and fromChain for nodes given by id', async () => {
    const messages = await chainIssues('bad-chain-shape', (chains) => {
      delete chains.fashion_textile!.policyNote;
      chains.lonely = { proposed: true, cluster: 'textile', source: 'x', nodes: ['px'] };
    });
    expect(messages).toEqual([
      'fashion_textile.policyNote: a landmark chain needs a policyNote',
      'lonely.nodes[0]: node "px" is an id: only a chain with fromChain may take nodes by id',
    ]);
  });

  it('checks clusters, taken nodes, edges and node ids across the chains of a cluster', async () => {
    const messages = await chainIssues('bad-chain-refs', (chains) => {
      chains.pv!.nodes = ['pv_si', 'pv_nowhere'];
      chains.pv!.edges = [['pv_si', 'pv_module']];
      chains.diff_fiber!.cluster = 'nowhere';
      chains.twice = {
        proposed: true,
        cluster: 'smart_home',
        source: 'x',
        nodes: [{ id: 'furniture', name: '家具', stage: 'midstream', industryCodes: ['21'] }],
      };
    });
    expect(messages).toEqual([
      'diff_fiber.cluster: "nowhere" is not a cluster code of clusters.json',
      'diff_fiber.fromChain: "textile" belongs to cluster "textile", not "nowhere"',
      'pv.nodes[1]: "pv_nowhere" is not a node of "new_energy"',
      'pv.edges[0]: edge end "pv_module" is not a node id',
      'twice.nodes[0].id: node "furniture" is defined in chain "smart_home" of the same cluster already; take it by id (fromChain) or choose another id',
    ]);
  });

  it('rejects a missing file', async () => {
    const dir = path.join(tmp, 'missing');
    await cp(JIAXING, dir, { recursive: true });
    await rm(path.join(dir, 'industries.csv'));
    await expect(loadCityConfig(dir)).rejects.toThrow(/industries\.csv: file not found/);
  });
});
