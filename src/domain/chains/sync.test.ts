import { describe, expect, it } from 'vitest';
import { canonical, describeDiff, diffChain, isEmptyDiff, type ChainSpec, type NodeSpec } from './sync.ts';

const node = (code: string, extra: Partial<NodeSpec> = {}): NodeSpec => ({
  code,
  name: code.toUpperCase(),
  stage: 'midstream',
  industryCodes: ['3825'],
  keyProducts: [],
  knownEnterprises: [],
  ...extra,
});

const spec = (nodes: NodeSpec[], edges: [string, string][], fields: Partial<ChainSpec['fields']> = {}) => ({
  fields: {
    clusterCode: 'new_energy',
    name: '光伏新能源',
    nameEn: null,
    description: null,
    proposed: true,
    sources: ['a'],
    landmark: true,
    policyNote: '§四(二)',
    ...fields,
  },
  nodes,
  edges: edges.map(([from, to]) => ({ from, to })),
});

describe('diffChain', () => {
  it('finds nothing between equal chains, whatever the key order of stored objects', () => {
    const a = spec([node('a', { knownEnterprises: [{ name: 'X', source: 'u' }] })], []);
    const b = spec([node('a', { knownEnterprises: [{ source: 'u', name: 'X' }] })], []);
    expect(isEmptyDiff(diffChain(a, b))).toBe(true);
    expect(canonical({ b: 1, a: [1, { d: null, c: 'x' }] })).toBe('{"a":[1,{"c":"x","d":null}],"b":1}');
  });

  it('lists fields, nodes added, removed and changed, and edges added and removed', () => {
    const current = spec(
      [node('si'), node('wafer'), node('cell', { industryCodes: ['3825'] })],
      [
        ['si', 'wafer'],
        ['wafer', 'cell'],
      ],
    );
    const wanted = spec(
      [node('si'), node('cell', { industryCodes: ['3825', '3824'], name: '电池片' }), node('module')],
      [
        ['si', 'cell'],
        ['cell', 'module'],
      ],
      { landmark: false },
    );
    const d = diffChain(current, wanted);
    expect(d.fields).toEqual([{ field: 'landmark', before: true, after: false }]);
    expect(d.nodesAdded.map((n) => n.code)).toEqual(['module']);
    expect(d.nodesRemoved.map((n) => n.code)).toEqual(['wafer']);
    expect(d.nodesChanged).toEqual([
      {
        code: 'cell',
        changes: [
          { field: 'name', before: 'CELL', after: '电池片' },
          { field: 'industryCodes', before: ['3825'], after: ['3825', '3824'] },
        ],
      },
    ]);
    expect(d.edgesAdded).toEqual([
      { from: 'si', to: 'cell' },
      { from: 'cell', to: 'module' },
    ]);
    expect(d.edgesRemoved).toEqual([
      { from: 'si', to: 'wafer' },
      { from: 'wafer', to: 'cell' },
    ]);
    expect(isEmptyDiff(d)).toBe(false);
    expect(describeDiff(d)).toEqual([
      '~ landmark: true → false',
      '+ node module MODULE (midstream)',
      '- node wafer WAFER',
      '~ node cell name: CELL → 电池片',
      '~ node cell industryCodes: +3824',
      '+ edge si → cell',
      '+ edge cell → module',
      '- edge si → wafer',
      '- edge wafer → cell',
    ]);
  });
});
