// The edition's CSV download: a label someone typed (a dimension, an indicator, a band, a cluster's name)
// that a spreadsheet would run as a formula is written as text; the figures stay numbers.
import { describe, expect, it } from 'vitest';
import { editionCsv } from './export.ts';
import type { IndexEdition, ResultList, ResultRow } from './schemas.ts';

const framework = {
  dimensions: [{ key: 'scale', name: '=规模' }],
  indicators: [{ key: 'revenue', name: '@营业收入' }],
} as unknown as IndexEdition['body']['framework'];

const row: ResultRow = {
  period: '2025',
  clusterCode: 'textile',
  clusterName: '=HYPERLINK("http://example.invalid","纺织")',
  regionCode: null,
  regionName: null,
  firms: 12,
  suppressed: false,
  suppression: null,
  score: -1.25,
  rank: 1,
  band: '+领先',
  dimensions: [{ key: 'scale', score: 0.5, weight: 1 }],
  indicators: [{ key: 'revenue', raw: -3, normalised: 0.25, imputed: false, weight: 1, contribution: 0.25 }],
  gates: [],
  medianRank: 1,
  p5Rank: 1,
  p95Rank: 2,
  medianScore: -1.25,
  p5Score: -2,
  p95Score: 1e-7,
};

describe('editionCsv', () => {
  it('neutralises a label that starts like a formula and keeps every figure a number', () => {
    const list = { items: [row] } as unknown as ResultList;
    const [head, line] = editionCsv(framework, list)
      .replace(/^\ufeff/, '')
      .split('\r\n');
    expect(head).toBe(
      '期间,集群,集群代码,区县,区县代码,企业数,指数,排名,档次,排名中位数,排名P5,排名P95,指数P5,指数P95,' +
        "'=规模,'@营业收入(原始值),'@营业收入(标准化)",
    );
    expect(line).toBe(
      `2025,"'=HYPERLINK(""http://example.invalid"",""纺织"")",textile,全市,,12,-1.25,1,'+领先,1,1,2,-2,1e-7,0.5,-3,0.25`,
    );
  });
});
