import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  analyseChain,
  analyseGaps,
  assignEnterprises,
  chainStrength,
  chainWords,
  codeCovers,
  countyQuotients,
  DEFAULT_CROSS_CHAIN,
  DEFAULT_GAP_PARAMS,
  effectiveAssignments,
  evidenceElsewhere,
  nodeFigures,
  nodeKeywords,
  nodesMatching,
  proximity,
  quadrantOf,
  rankGaps,
  rankTargets,
  relatednessDensity,
  strengthIndex,
  suggestAction,
  type ChainDef,
  type EnterpriseFacts,
  type NodeFirm,
} from './index.ts';

/**
 * A small chain: a 乙烯 (2614) and b 丙烯 (2614) feed c 聚酯切片 (2651), which feeds d 织造 (1751),
 * which feeds e 服装 (division 18).
 */
const CHAIN: ChainDef = {
  code: 'test',
  nodes: [
    { code: 'a', name: '乙烯(C2)', stage: 'upstream', industryCodes: ['2614'], keyProducts: [] },
    { code: 'b', name: '丙烯', stage: 'upstream', industryCodes: ['2614'], keyProducts: [] },
    { code: 'c', name: '聚酯切片', stage: 'midstream', industryCodes: ['2651'], keyProducts: ['差别化纤维'] },
    { code: 'd', name: '织造(机织/化纤织造)', stage: 'midstream', industryCodes: ['1751'], keyProducts: [] },
    { code: 'e', name: '服装', stage: 'downstream', industryCodes: ['18'], keyProducts: [] },
  ],
  edges: [
    { from: 'a', to: 'c' },
    { from: 'b', to: 'c' },
    { from: 'c', to: 'd' },
    { from: 'd', to: 'e' },
  ],
};

const firm = (
  id: number,
  name: string,
  industryCode: string,
  clusterMember = true,
  mainProducts?: string[],
): EnterpriseFacts => ({
  id,
  name,
  industryCode,
  clusterMember,
  ...(mainProducts ? { mainProducts } : {}),
});

/** 光伏 nodes sharing 3825, as configured: 电池片, 光伏组件, 逆变器 (also 3824). */
const PV_CHAIN: ChainDef = {
  code: 'pv',
  nodes: [
    {
      code: 'cell',
      name: '电池片',
      stage: 'midstream',
      industryCodes: ['3825'],
      keyProducts: ['高性能太阳能电池'],
    },
    {
      code: 'module',
      name: '光伏组件',
      stage: 'midstream',
      industryCodes: ['3825'],
      keyProducts: ['薄膜光伏电池及组件'],
    },
    {
      code: 'inverter',
      name: '逆变器',
      stage: 'midstream',
      industryCodes: ['3825', '3824'],
      keyProducts: ['光伏控制设备'],
    },
    { code: 'glass', name: '光伏玻璃', stage: 'midstream', industryCodes: ['3042'], keyProducts: [] },
  ],
  edges: [],
};

describe('assignment', () => {
  it('derives product words from key products and the node name', () => {
    expect(nodeKeywords(CHAIN.nodes[0]!)).toEqual(['乙烯', 'C2']);
    expect(nodeKeywords(CHAIN.nodes[3]!)).toEqual(['织造', '机织', '化纤织造']);
    expect(nodeKeywords(CHAIN.nodes[2]!)).toEqual(['差别化纤维', '聚酯切片']);
  });

  it('a code covers its descendants only', () => {
    expect(codeCovers('18', '1810')).toBe(true);
    expect(codeCovers('1810', '18')).toBe(false);
    expect(codeCovers('', '1810')).toBe(false);
  });

  it('uses the code, lets a product word decide between nodes sharing a code, and keeps keyword-only matches to members', () => {
    const got = assignEnterprises(CHAIN, [
      firm(1, '嘉兴恒华乙烯化工有限公司', '2614'), // code shared by a and b; 乙烯 picks a
      firm(2, '嘉兴瑞达化工有限公司', '2614'), // shared code, no word → a and b
      firm(3, '嘉兴宏泰服饰有限公司', '1810'), // e by code
      firm(4, '嘉兴永兴织造贸易有限公司', '5132', true), // keyword only, cluster member → d
      firm(5, '嘉兴永兴织造贸易有限公司', '5132', false), // keyword only, not a member → nothing
      firm(6, '嘉兴恒泰食品有限公司', '1391'), // nothing
    ]);
    expect(got).toEqual([
      { enterpriseId: 1, nodeCode: 'a', match: 'code_keyword' },
      { enterpriseId: 2, nodeCode: 'a', match: 'shared_code' },
      { enterpriseId: 2, nodeCode: 'b', match: 'shared_code' },
      { enterpriseId: 3, nodeCode: 'e', match: 'code' },
      { enterpriseId: 4, nodeCode: 'd', match: 'keyword' },
    ]);
  });

  it('places a firm whose code several nodes share by its main products (电池片 vs 光伏组件)', () => {
    const got = assignEnterprises(PV_CHAIN, [
      firm(1, '嘉兴明运光伏科技有限公司', '3825', true, ['PERC电池片', 'TOPCon电池片']),
      firm(2, '嘉兴华腾新能源有限公司', '3825', true, ['双玻光伏组件']),
      firm(3, '嘉兴恒辉光伏有限公司', '3825', true, ['光伏组件', '储能逆变器']), // makes both
      firm(4, '嘉兴泰阳能源有限公司', '3825'), // no products, nothing in the name → every 3825 node
      firm(5, '嘉兴泰阳能源有限公司', '3825', true, ['太阳能']), // products that name no node → same
      firm(6, '嘉兴光伏组件有限公司', '3825', true, ['PERC电池片']), // products speak before the name
      firm(7, '嘉兴光伏组件有限公司', '3825'), // the name alone still decides
      firm(8, '嘉兴晶华玻璃有限公司', '3042', true, ['光伏组件']), // code decides; the product word elsewhere is no code match
      firm(9, '嘉兴晶华贸易有限公司', '5179', true, ['光伏组件']), // no code: a keyword match (member)
      firm(10, '嘉兴晶华贸易有限公司', '5179', false, ['光伏组件']), // not a member: nothing
    ]);
    const on = (id: number) =>
      got.filter((a) => a.enterpriseId === id).map((a) => `${a.nodeCode}:${a.match}`);
    expect(on(1)).toEqual(['cell:code_keyword']);
    expect(on(2)).toEqual(['module:code_keyword']);
    expect(on(3)).toEqual(['module:code_keyword', 'inverter:code_keyword']);
    expect(on(4)).toEqual(['cell:shared_code', 'module:shared_code', 'inverter:shared_code']);
    expect(on(5)).toEqual(on(4));
    expect(on(6)).toEqual(['cell:code_keyword']);
    expect(on(7)).toEqual(['module:code_keyword']);
    expect(on(8)).toEqual(['glass:code']);
    expect(on(9)).toEqual(['module:keyword']);
    expect(on(10)).toEqual([]);
  });

  it('lets the most specific product word win inside one product (聚丙烯 is not 丙烯)', () => {
    const chem: ChainDef = {
      code: 'chem',
      nodes: [
        { code: 'c3', name: '丙烯(C3)', stage: 'upstream', industryCodes: ['2614'], keyProducts: ['C3'] },
        {
          code: 'acrylic',
          name: '丙烯酸(酯)/聚丙烯',
          stage: 'midstream',
          industryCodes: ['2614', '2651'],
          keyProducts: [],
        },
        { code: 'eo', name: '环氧乙烷/乙二醇', stage: 'midstream', industryCodes: ['2614'], keyProducts: [] },
      ],
      edges: [],
    };
    expect(nodesMatching(['聚丙烯'], chainWords(chem))).toEqual(new Set(['acrylic']));
    expect(nodesMatching(['丙烯酸丁酯'], chainWords(chem))).toEqual(new Set(['acrylic']));
    expect(nodesMatching(['聚合级丙烯'], chainWords(chem))).toEqual(new Set(['c3']));
    // two products: each decides for itself
    expect(nodesMatching(['丙烯', '聚丙烯'], chainWords(chem))).toEqual(new Set(['c3', 'acrylic']));
    expect(nodesMatching(['pta'], chainWords(chem))).toEqual(new Set());
    const got = assignEnterprises(chem, [firm(1, '嘉兴石化有限公司', '2614', true, ['聚丙烯', '乙二醇'])]);
    expect(got.map((a) => a.nodeCode)).toEqual(['acrylic', 'eo']);
  });

  it("does not put a firm on shared-code nodes when its products name another chain's node with its code", () => {
    const textile: ChainDef = {
      code: 'textile',
      nodes: [
        {
          code: 'px',
          name: '对二甲苯(PX)',
          stage: 'upstream',
          industryCodes: ['2511', '2614'],
          keyProducts: [],
        },
        { code: 'meg', name: '乙二醇(MEG)', stage: 'upstream', industryCodes: ['2614'], keyProducts: [] },
        { code: 'poly', name: '涤纶', stage: 'midstream', industryCodes: ['2822'], keyProducts: [] },
      ],
      edges: [],
    };
    const chem: ChainDef = {
      code: 'chem',
      nodes: [
        { code: 'c3', name: '丙烯(C3)', stage: 'upstream', industryCodes: ['2614'], keyProducts: ['C3'] },
        {
          code: 'acrylic',
          name: '丙烯酸(酯)/聚丙烯',
          stage: 'midstream',
          industryCodes: ['2614'],
          keyProducts: [],
        },
        { code: 'eo', name: '环氧乙烷/乙二醇', stage: 'midstream', industryCodes: ['2614'], keyProducts: [] },
      ],
      edges: [],
    };
    const all = [textile, chem, PV_CHAIN];
    const firms = [
      firm(1, '嘉兴石化有限公司', '2614', true, ['聚丙烯']), // names chem's 聚丙烯 node, which carries 2614
      firm(2, '嘉兴石化有限公司', '2614'), // no products: nothing to go by
      firm(3, '嘉兴石化有限公司', '2614', true, ['对二甲苯']), // names a textile node: code_keyword there
      firm(4, '嘉兴石化有限公司', '2614', true, ['光伏组件']), // names a node of another code: no evidence
      firm(5, '嘉兴丙烯化工有限公司', '2614'), // only the name names 丙烯
      firm(6, '嘉兴石化有限公司', '2614', true, ['乙二醇', '丙烯']), // names a textile node too
      firm(7, '嘉兴石化有限公司', '2511', true, ['丙烯']), // a single code match stays
    ];
    const on = (got: ReturnType<typeof assignEnterprises>, id: number) =>
      got.filter((a) => a.enterpriseId === id).map((a) => `${a.nodeCode}:${a.match}`);
    const got = assignEnterprises(textile, firms, { chains: all });
    expect(on(got, 1)).toEqual([]);
    expect(on(got, 2)).toEqual(['px:shared_code', 'meg:shared_code']);
    expect(on(got, 3)).toEqual(['px:code_keyword']);
    expect(on(got, 4)).toEqual(['px:shared_code', 'meg:shared_code']);
    expect(on(got, 5)).toEqual(['px:shared_code', 'meg:shared_code']);
    expect(on(got, 6)).toEqual(['meg:code_keyword']);
    expect(on(got, 7)).toEqual(['px:code']);
    expect(evidenceElsewhere(textile, firms[0]!, all)).toEqual([{ chainCode: 'chem', nodeCode: 'acrylic' }]);
    expect(evidenceElsewhere(chem, firms[0]!, all)).toEqual([]);
    // the chemical chain places it by its products as before
    expect(on(assignEnterprises(chem, firms, { chains: all }), 1)).toEqual(['acrylic:code_keyword']);
    // the name counts when asked to
    const byName = { ...DEFAULT_CROSS_CHAIN, nameIsEvidence: true };
    expect(on(assignEnterprises(textile, firms, { chains: all, crossChain: byName }), 5)).toEqual([]);
    // kept, or placed without the other chains: each chain on its own, as before
    const keep = { ...DEFAULT_CROSS_CHAIN, sharedCodeWithEvidenceElsewhere: 'keep' as const };
    expect(on(assignEnterprises(textile, firms, { chains: all, crossChain: keep }), 1)).toEqual(on(got, 2));
    expect(on(assignEnterprises(textile, firms), 1)).toEqual(on(got, 2));
    // property-like: every withdrawal has evidence elsewhere, every other placement is unchanged
    const alone = assignEnterprises(textile, firms);
    for (const a of alone) {
      const kept = got.some((g) => g.enterpriseId === a.enterpriseId && g.nodeCode === a.nodeCode);
      const f = firms.find((x) => x.id === a.enterpriseId)!;
      expect(kept).toBe(a.match !== 'shared_code' || evidenceElsewhere(textile, f, all).length === 0);
    }
  });

  it('applies confirmations and overrides over the rule', () => {
    const auto = assignEnterprises(CHAIN, [
      firm(2, '嘉兴瑞达化工有限公司', '2614'),
      firm(3, '嘉兴宏泰服饰有限公司', '1810'),
    ]);
    const eff = effectiveAssignments(auto, [
      { enterpriseId: 2, nodeCode: 'b', basis: 'override', assigned: false }, // not a 丙烯 maker
      { enterpriseId: 2, nodeCode: 'a', basis: 'confirmed', assigned: true },
      { enterpriseId: 3, nodeCode: 'd', basis: 'override', assigned: true }, // also weaves
    ]);
    expect(eff).toEqual([
      { enterpriseId: 2, nodeCode: 'a', basis: 'confirmed', match: 'shared_code' },
      { enterpriseId: 3, nodeCode: 'd', basis: 'override', match: 'manual' },
      { enterpriseId: 3, nodeCode: 'e', basis: 'auto', match: 'code' },
    ]);
  });

  it('property: every automatic placement is backed by a code or a product word, once per node', () => {
    const codes = fc.constantFrom('2614', '2651', '1751', '1810', '1391', '5132', '26', '2614');
    const names = fc.constantFrom('乙烯', '丙烯', '织造', '服装', '化工', '食品', '');
    const products = fc.array(fc.constantFrom('聚合级乙烯', '丙烯', '聚酯切片', '织造布', '饲料'), {
      maxLength: 3,
    });
    fc.assert(
      fc.property(
        fc.array(fc.record({ code: codes, word: names, member: fc.boolean(), products }), { maxLength: 30 }),
        (rows) => {
          const firms = rows.map((r, i) =>
            firm(i + 1, `嘉兴恒${r.word}有限公司`, r.code, r.member, r.products),
          );
          const got = assignEnterprises(CHAIN, firms);
          const seen = new Set<string>();
          for (const a of got) {
            const node = CHAIN.nodes.find((n) => n.code === a.nodeCode)!;
            const f = firms.find((x) => x.id === a.enterpriseId)!;
            const byCode = node.industryCodes.some((c) => codeCovers(c, f.industryCode));
            const texts = [f.name, ...(f.mainProducts ?? [])];
            const byWord = nodeKeywords(node).some((w) => texts.some((t) => t.includes(w)));
            expect(byCode || (byWord && f.clusterMember)).toBe(true);
            // a shared-code placement only when no product word of any code-matching node was found
            if (a.match === 'shared_code') {
              const codeNodes = CHAIN.nodes.filter((n) =>
                n.industryCodes.some((c) => codeCovers(c, f.industryCode)),
              );
              expect(codeNodes.length).toBeGreaterThan(1);
              for (const n of codeNodes)
                expect(nodesMatching(texts, chainWords(CHAIN)).has(n.code), `${f.id}/${n.code}`).toBe(false);
            }
            const k = `${a.enterpriseId}/${a.nodeCode}`;
            expect(seen.has(k)).toBe(false);
            seen.add(k);
          }
          // no override → effective equals auto
          expect(effectiveAssignments(got, []).length).toBe(got.length);
        },
      ),
    );
  });
});

const nf = (
  id: number,
  output: number | null,
  outputPrev: number | null,
  scale = 'above',
  regionCode = '330402',
): NodeFirm => ({ id, output, outputPrev, scale, regionCode });

describe('node strength', () => {
  it('computes count, output, like-for-like growth, share, HHI and leading firms by hand', () => {
    // outputs 300, 100, null; previous 200, 100, 50 → growth over firms with both: 400 / 300 − 1 = 1/3
    // HHI = 0.75² + 0.25² = 0.625; top firm share 0.75; share of cluster 400 / 1600 = 0.25
    const f = nodeFigures('c', 'midstream', [nf(1, 300, 200), nf(2, 100, 100, 'below'), nf(3, null, 50)], {
      clusterOutput: 1600,
      minFirms: 1,
    });
    expect(f).toMatchObject({
      firms: 3,
      aboveScale: 2,
      output: 400,
      reporting: 2,
      shareOfCluster: 0.25,
      leadingFirmIds: [1, 2],
      lq: null,
    });
    expect(f.growth).toBeCloseTo(1 / 3, 12);
    expect(f.hhi).toBeCloseTo(0.625, 12);
    expect(f.topFirmShare).toBeCloseTo(0.75, 12);
  });

  it('gives a location quotient only with reference totals', () => {
    // (400 / 10 000) / (2 000 / 100 000) = 0.04 / 0.02 = 2
    const f = nodeFigures('c', 'midstream', [nf(1, 300, null), nf(2, 100, null)], {
      clusterOutput: 0,
      minFirms: 1,
      reference: { cityTotal: 10_000, referenceTotal: 100_000, byNode: new Map([['c', 2000]]) },
    });
    expect(f.lq).toBeCloseTo(2, 12);
    expect(f.shareOfCluster).toBeNull();
    expect(f.growth).toBeNull();
  });

  it('measures upstream and downstream coverage from the edges', () => {
    const firms = new Map([
      ['a', [nf(1, 10, null)]],
      ['c', [nf(2, 10, null)]],
      ['e', [nf(3, 10, null)]],
    ]);
    const figs = chainStrength(CHAIN, firms, { clusterOutput: 30, minFirms: 1 });
    const c = figs.find((f) => f.code === 'c')!;
    expect(c.upstreamCoverage).toBe(0.5); // a present, b missing
    expect(c.downstreamCoverage).toBe(0); // d missing
    expect(figs.find((f) => f.code === 'a')!.upstreamCoverage).toBeNull();
  });

  it('county quotients against the city', () => {
    // node: 南湖 60, 桐乡 40 of city 100; industry: 南湖 200, 桐乡 800 of 1000
    // 南湖 (60/200)/(100/1000) = 3; 桐乡 (40/800)/(0.1) = 0.5
    const q = countyQuotients(
      new Map([
        ['330402', 60],
        ['330483', 40],
      ]),
      new Map([
        ['330402', 200],
        ['330483', 800],
      ]),
    );
    expect(q[0]!.lq).toBeCloseTo(3, 12);
    expect(q[1]!.lq).toBeCloseTo(0.5, 12);
  });

  it('property: figures agree with the firms they come from', () => {
    const out = fc.option(fc.double({ min: 0, max: 1e7, noNaN: true }), { nil: null });
    fc.assert(
      fc.property(fc.array(fc.record({ o: out, p: out, above: fc.boolean() }), { maxLength: 40 }), (rows) => {
        const firms = rows.map((r, i) => nf(i + 1, r.o, r.p, r.above ? 'above' : 'below'));
        const f = nodeFigures('x', 'upstream', firms, { clusterOutput: 1e9, minFirms: 1 });
        const positives = firms.filter((x) => (x.output ?? 0) > 0).map((x) => x.output!);
        expect(f.firms).toBe(firms.length);
        expect(f.reporting).toBe(positives.length);
        expect(f.output).toBeCloseTo(
          positives.reduce((s, v) => s + v, 0),
          3,
        );
        expect(f.leadingFirmIds.length).toBe(Math.min(5, positives.length));
        if (f.hhi !== null) {
          expect(f.hhi).toBeGreaterThanOrEqual(1 / positives.length - 1e-9);
          expect(f.hhi).toBeLessThanOrEqual(1 + 1e-9);
        } else expect(positives.length).toBe(0);
      }),
    );
  });
});

describe('gap analysis', () => {
  // a 1000 (2 firms, both 规上), b none, c 2000 (one 规上 firm), d 100 (one 规下 firm, down 50 %), e 4000 (two firms)
  const firms = new Map<string, NodeFirm[]>([
    ['a', [nf(1, 500, 500), nf(2, 500, 500)]],
    ['c', [nf(3, 2000, 2000)]],
    ['d', [nf(4, 100, 200, 'below')]],
    ['e', [nf(5, 2000, 2000), nf(6, 2000, 2000)]],
  ]);
  const figs = chainStrength(CHAIN, firms, { clusterOutput: 7100, minFirms: 1 });
  const gaps = analyseGaps(CHAIN, figs);
  const gap = (code: string) => gaps.find((g) => g.code === code)!;

  it('flags a missing node with its figures', () => {
    expect(gap('b')).toMatchObject({
      status: 'missing',
      position: 'source',
      degree: 1,
      reasons: [{ code: 'missing', figures: { firms: 0, minFirms: 1 } }],
    });
    expect(gap('b').neighbourCoverage).toBe(1); // its customer c is present
  });

  it('flags weak nodes relative to their stage, each reason with its figures', () => {
    // midstream present: c 2000, d 100 → median 1050; d 100 < 0.25 × 1050 = 262.5 → small_output
    expect(gap('d').status).toBe('weak');
    expect(gap('d').reasons.map((r) => r.code)).toEqual([
      'small_output',
      'no_above_scale',
      'concentrated',
      'declining',
    ]);
    expect(gap('d').reasons[0]!.figures).toMatchObject({ output: 100, stageMedian: 1050, threshold: 0.25 });
    expect(gap('d').reasons[3]!.figures.growth).toBeCloseTo(-0.5, 12);
    // c is one firm: concentrated, nothing else
    expect(gap('c').reasons.map((r) => r.code)).toEqual(['concentrated']);
    // a: two equal firms, HHI 0.5 ≥ 0.5 → concentrated; raising the bar clears it
    expect(gap('a').reasons.map((r) => r.code)).toEqual(['concentrated']);
    expect(
      analyseGaps(CHAIN, figs, { ...DEFAULT_GAP_PARAMS, maxHhi: 0.6 }).find((g) => g.code === 'a')!.status,
    ).toBe('ok');
    expect(gap('e').reasons.map((r) => r.code)).toEqual(['concentrated']); // two equal firms: HHI 0.5
  });

  it('flags a node when more than half of its firms sit there only through a shared industry code, without proposing an action', () => {
    // a and b share 2614: on a three of four firms are unconfirmed shared-code firms, on b two of four
    const shared = (id: number) => ({ ...nf(id, 600, 600), sharedCodeOnly: true });
    const sure = (id: number) => ({ ...shared(id), sharedCodeOnly: false });
    const byNode = new Map<string, NodeFirm[]>([
      ['a', [shared(1), shared(2), shared(3), sure(4)]],
      ['b', [shared(1), shared(2), sure(5), sure(6)]],
    ]);
    const analyse = (unverifiedShare?: number) =>
      analyseGaps(CHAIN, chainStrength(CHAIN, byNode, { clusterOutput: 1, minFirms: 1 }), {
        ...DEFAULT_GAP_PARAMS,
        maxHhi: 0.9,
        ...(unverifiedShare === undefined ? {} : { unverifiedShare }),
      });
    const g = analyse();
    const a = g.find((x) => x.code === 'a')!;
    expect(a.status).toBe('weak');
    expect(a.reasons).toEqual([
      { code: 'unverified', figures: { firms: 4, sharedCodeOnly: 3, threshold: 0.5 } },
    ]);
    expect(suggestAction(a, true, false)).toBeNull();
    expect(g.find((x) => x.code === 'b')!.status).toBe('ok'); // exactly half: not more than half
    // the share is a parameter: at 0.4 both are flagged, at 0.8 neither
    expect(analyse(0.4).filter((x) => x.reasons.some((r) => r.code === 'unverified')).length).toBe(2);
    expect(analyse(0.8).filter((x) => x.reasons.some((r) => r.code === 'unverified')).length).toBe(0);
  });

  it('proposes the chain action for each gap', () => {
    expect(suggestAction(gap('b'), true, false)).toBe('fill');
    expect(suggestAction(gap('d'), true, true)).toBe('grow');
    expect(suggestAction(gap('c'), true, true)).toBe('strengthen');
    expect(suggestAction({ ...gap('e'), status: 'missing' }, true, true)).toBe('extend');
    expect(suggestAction(gap('b'), false, false)).toBe('build');
    expect(suggestAction({ ...gap('a'), status: 'ok', reasons: [] }, true, false)).toBeNull();
  });

  it('property: missing exactly when a node has fewer firms than the minimum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 1, max: 3 }),
        (counts, minFirms) => {
          const byNode = new Map(
            CHAIN.nodes.map((n, i) => [
              n.code,
              Array.from({ length: counts[i]! }, (_, k) => nf(i * 10 + k + 1, 100, 100)),
            ]),
          );
          const figures = chainStrength(CHAIN, byNode, { clusterOutput: 1, minFirms });
          for (const g of analyseGaps(CHAIN, figures, { ...DEFAULT_GAP_PARAMS, minFirms })) {
            const i = CHAIN.nodes.findIndex((n) => n.code === g.code);
            expect(g.status === 'missing').toBe(counts[i]! < minFirms);
            expect(g.reasons.length > 0).toBe(g.status !== 'ok');
          }
        },
      ),
    );
  });
});

describe('relatedness', () => {
  it('proximity from structure and codes, by hand', () => {
    const phi = proximity(CHAIN);
    expect(phi.get('a')!.get('b')).toBe(0.8); // same class 2614 (0.8) beats two steps via c (0.5)
    expect(phi.get('a')!.get('c')).toBe(1); // edge
    expect(phi.get('a')!.get('d')).toBe(0.5); // a–c–d
    expect(phi.get('a')!.get('e')).toBe(0);
    expect(phi.get('d')!.get('e')).toBe(1);
  });

  it('density = share of related capabilities present, by hand', () => {
    const present = new Map([
      ['a', true],
      ['b', false],
      ['c', true],
      ['d', false],
      ['e', true],
    ]);
    const density = relatednessDensity(CHAIN, present);
    // b: φ(b,a)=0.8 ✓, φ(b,c)=1 ✓, φ(b,d)=0.5 ✗, φ(b,e)=0 → 1.8 / 2.3
    expect(density.get('b')).toBeCloseTo((100 * 1.8) / 2.3, 10);
    // d: φ(d,a)=0.5 ✓, φ(d,b)=0.5 ✗, φ(d,c)=1 ✓, φ(d,e)=1 ✓ → 2.5 / 3
    expect(density.get('d')).toBeCloseTo((100 * 2.5) / 3, 10);
  });

  it('property: density stays in 0–100 and never falls when a capability is added', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 0, max: 4 }),
        (flags, add) => {
          const present = new Map(CHAIN.nodes.map((n, i) => [n.code, flags[i]!]));
          const before = relatednessDensity(CHAIN, present);
          const after = relatednessDensity(CHAIN, new Map([...present, [CHAIN.nodes[add]!.code, true]]));
          for (const n of CHAIN.nodes) {
            const b = before.get(n.code)!;
            expect(b).toBeGreaterThanOrEqual(0);
            expect(b).toBeLessThanOrEqual(100);
            expect(after.get(n.code)!).toBeGreaterThanOrEqual(b - 1e-9);
          }
        },
      ),
    );
  });

  it('strength index and quadrants', () => {
    const s = strengthIndex(
      new Map([
        ['a', 0],
        ['b', 99],
        ['c', 9999],
      ]),
    );
    expect(s.get('a')).toBe(0);
    expect(s.get('c')).toBe(100);
    expect(s.get('b')).toBeCloseTo(50, 10); // ln 100 / ln 10000
    expect(quadrantOf(false, 0, 90)).toBe('absent');
    expect(quadrantOf(true, 80, 80)).toBe('strength');
    expect(quadrantOf(true, 20, 80)).toBe('opportunity');
    expect(quadrantOf(true, 20, 20)).toBe('weakness');
    expect(quadrantOf(true, 80, 20)).toBe('outlier');
  });
});

describe('whole chain and roadmap', () => {
  it('runs the method and ranks gaps by feasibility', () => {
    const firms = new Map<string, NodeFirm[]>([
      ['a', [nf(1, 500, 500), nf(2, 600, 500), nf(7, 700, 600)]],
      ['c', [nf(3, 2000, 2000), nf(8, 1500, 1400), nf(9, 1500, 1400)]],
      ['e', [nf(5, 2000, 2000), nf(6, 1000, 900), nf(10, 1000, 900)]],
    ]);
    const nodes = analyseChain(CHAIN, firms, { clusterOutput: 10_000 });
    const ranked = rankGaps(nodes).map((n) => [n.figures.code, n.gap.status, n.action]);
    // b density 78.3, d density 83.3 → d first; both missing, d is inner → fill
    expect(ranked).toEqual([
      ['d', 'missing', 'fill'],
      ['b', 'missing', 'fill'],
    ]);
    expect(nodes.find((n) => n.figures.code === 'b')!.quadrant).toBe('absent');
  });

  it('ranks targets by size, progress and expansion, by hand', () => {
    const ranked = rankTargets([
      { id: 1, sizeClass: 'large', revenue: null, contactStatus: 'none', expanding: false }, // 0.5·1 = 0.5
      { id: 2, sizeClass: 'medium', revenue: null, contactStatus: 'negotiating', expanding: true }, // 0.3+0.24+0.2 = 0.74
      { id: 3, sizeClass: 'large', revenue: null, contactStatus: 'declined', expanding: true }, // 0
      { id: 4, sizeClass: null, revenue: 1_000_000, contactStatus: 'none', expanding: false }, // 0.5
    ]);
    expect(ranked.map((r) => r.id)).toEqual([2, 1, 4, 3]);
    expect(ranked[0]!.score).toBeCloseTo(0.74, 12);
    expect(ranked[1]!.score).toBeCloseTo(0.5, 12);
    expect(ranked[3]!.score).toBe(0);
  });

  it('property: target scores are between 0 and 1 and sorted', () => {
    const t = fc.record({
      sizeClass: fc.constantFrom('large', 'medium', 'small', null),
      revenue: fc.option(fc.double({ min: 0, max: 1e9, noNaN: true }), { nil: null }),
      contactStatus: fc.constantFrom('none', 'contacted', 'visited', 'negotiating', 'signed', 'declined'),
      expanding: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(t, { maxLength: 20 }), (rows) => {
        const ranked = rankTargets(rows.map((r, i) => ({ ...r, id: i + 1 })));
        for (let i = 0; i < ranked.length; i++) {
          expect(ranked[i]!.score).toBeGreaterThanOrEqual(0);
          expect(ranked[i]!.score).toBeLessThanOrEqual(1);
          if (i > 0) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
        }
      }),
    );
  });
});
