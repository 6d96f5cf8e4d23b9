import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildClusterMapping, clustersForIndustry, industryAncestry } from './clusters.ts';

const mapping = buildClusterMapping([
  { clusterCode: 'textile', industryCode: '17' },
  { clusterCode: 'textile', industryCode: '2653' },
  { clusterCode: 'chem_materials', industryCode: '2653' },
  { clusterCode: 'new_energy', industryCode: '3825' },
  { clusterCode: 'automotive', industryCode: '3841' },
  { clusterCode: 'new_energy', industryCode: '3841' },
]);

describe('cluster membership by industry code', () => {
  it('lists a code and its ancestors', () => {
    expect(industryAncestry('3825')).toEqual(['3825', '382', '38']);
    expect(industryAncestry('17')).toEqual(['17']);
  });
  it('matches through the division', () => {
    expect(clustersForIndustry('1711', mapping)).toEqual(['textile']);
  });
  it('puts a dual-mapped code into both clusters', () => {
    expect(clustersForIndustry('2653', mapping)).toEqual(['chem_materials', 'textile']);
    expect(clustersForIndustry('3841', mapping)).toEqual(['automotive', 'new_energy']);
  });
  it('leaves unmapped codes outside every cluster', () => {
    expect(clustersForIndustry('3911', mapping)).toEqual([]);
    expect(clustersForIndustry('2652', mapping)).toEqual([]);
  });
  it('a child code belongs at least to every cluster of its parent', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{4}$/), (code) => {
        const parent = clustersForIndustry(code.slice(0, 3), mapping);
        const child = clustersForIndustry(code, mapping);
        return parent.every((c) => child.includes(c));
      }),
    );
  });
});
