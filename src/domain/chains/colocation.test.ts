// Relatedness from co-location on a hand-made matrix (issue 14 item 5).
import { describe, expect, it } from 'vitest';
import { colocationDensity, coLocationPhi, colocationProximity, locationPresence } from './colocation.ts';
import type { ChainDef } from './types.ts';

const node = (code: string, industryCodes: string[]) => ({
  code,
  name: code,
  stage: 'midstream' as const,
  industryCodes,
  keywords: [],
});
// four nodes, no edges, unrelated codes: any φ > 0 comes from co-location (or nothing)
const CHAIN = {
  code: 'x',
  name: 'x',
  clusterCode: 'c',
  nodes: [node('a', ['1711']), node('b', ['2611']), node('c', ['3411']), node('d', ['3971'])],
  edges: [],
} as unknown as ChainDef;

// Firms per (node, town): t1 a a b ; t2 a b ; t3 c c ; t4 c b
const F = (nodeCode: string, town: string) => ({ node: nodeCode, locations: [town, null] });
const FIRMS = [
  F('a', 't1'),
  F('a', 't1'),
  F('b', 't1'),
  F('a', 't2'),
  F('b', 't2'),
  F('c', 't3'),
  F('c', 't3'),
  F('c', 't4'),
  F('b', 't4'),
];

describe('co-location relatedness', () => {
  it('LQ ≥ 1 by hand', () => {
    // n = 9; shares a 3/9, b 3/9, c 3/9. t1 (3 firms): a 2/3 ÷ 1/3 = 2 ✓, b 1/3 ÷ 1/3 = 1 ✓;
    // t2 (2): a 1/2 ÷ 1/3 = 1.5 ✓, b 1.5 ✓; t3 (2): c 3 ✓; t4 (2): c 1.5 ✓, b 1.5 ✓
    const { locations, presence } = locationPresence(FIRMS);
    expect(locations).toEqual(['t1', 't2', 't3', 't4']);
    expect([...presence.get('a')!].sort()).toEqual(['t1', 't2']);
    expect([...presence.get('b')!].sort()).toEqual(['t1', 't2', 't4']);
    expect([...presence.get('c')!].sort()).toEqual(['t3', 't4']);
    expect(presence.get('d')).toBeUndefined();
  });
  it('φ = shared locations ÷ the larger count; none without locations', () => {
    const { presence } = locationPresence(FIRMS);
    expect(coLocationPhi(presence.get('a'), presence.get('b'))).toBeCloseTo(2 / 3, 12); // {t1,t2} ∩ {t1,t2,t4}
    expect(coLocationPhi(presence.get('a'), presence.get('c'))).toBe(0);
    expect(coLocationPhi(presence.get('b'), presence.get('c'))).toBeCloseTo(1 / 3, 12); // t4
    expect(coLocationPhi(presence.get('a'), presence.get('d'))).toBeNull();
    const phi = colocationProximity(CHAIN, presence);
    // d has no located firm: its φ falls back to the structural substitute (unrelated codes, no edges → 0)
    expect(phi.get('a')!.get('d')).toEqual({ phi: 0, measured: false });
    expect(phi.get('a')!.get('b')!.measured).toBe(true);
  });
  it('density = 100 × mean over towns of the share of related nodes present', () => {
    // a: φ(a,b) = 2/3, φ(a,c) = 0, φ(a,d) = 0 → den 2/3; towns with b: t1, t2, t4 → d = 1, 1, 0, 1 → 75
    // b: φ(b,a) = 2/3, φ(b,c) = 1/3 → den 1; t1 a → 2/3; t2 a → 2/3; t3 c → 1/3; t4 c → 1/3 → mean 0.5 → 50
    // c: φ(c,b) = 1/3 only → towns with b: t1, t2, t4 → 1, 1, 0, 1 → 75
    // d: related to nothing → null
    const d = colocationDensity(CHAIN, FIRMS);
    expect(d.get('a')).toBeCloseTo(75, 10);
    expect(d.get('b')).toBeCloseTo(50, 10);
    expect(d.get('c')).toBeCloseTo(75, 10);
    expect(d.get('d')).toBeNull();
  });
  it('separates nodes that the old measure put all at 100 (every node present city-wide)', () => {
    const values = [...colocationDensity(CHAIN, FIRMS).values()].filter((v) => v != null);
    expect(new Set(values.map((v) => Math.round(v!))).size).toBeGreaterThan(1);
  });
});
