// What makes a framework unusable, said before it is saved (a draft may be incomplete, but not incoherent).
import type { IndexFramework } from './types.ts';

export interface FrameworkProblem {
  path: string;
  message: string;
  messageZh: string;
}

export const MAX_RUNS = 5000;

export function checkFramework(fw: IndexFramework, metrics?: ReadonlySet<string>): FrameworkProblem[] {
  const out: FrameworkProblem[] = [];
  const dims = new Set<string>();
  fw.dimensions.forEach((d, i) => {
    if (dims.has(d.key))
      out.push({ path: `dimensions[${i}].key`, message: 'duplicate dimension', messageZh: '维度重复' });
    dims.add(d.key);
    if (!(d.weight >= 0))
      out.push({ path: `dimensions[${i}].weight`, message: 'weight must be ≥ 0', messageZh: '权重须 ≥ 0' });
  });
  if (!fw.dimensions.some((d) => d.weight > 0))
    out.push({
      path: 'dimensions',
      message: 'some dimension needs a weight',
      messageZh: '至少一个维度须有权重',
    });
  const keys = new Set<string>();
  fw.indicators.forEach((ind, i) => {
    if (keys.has(ind.key))
      out.push({ path: `indicators[${i}].key`, message: 'duplicate indicator', messageZh: '指标重复' });
    keys.add(ind.key);
    if (!dims.has(ind.dimension))
      out.push({ path: `indicators[${i}].dimension`, message: 'unknown dimension', messageZh: '维度不存在' });
    if (!(ind.weight >= 0))
      out.push({ path: `indicators[${i}].weight`, message: 'weight must be ≥ 0', messageZh: '权重须 ≥ 0' });
    if (metrics && !metrics.has(ind.metric))
      out.push({ path: `indicators[${i}].metric`, message: 'unknown metric', messageZh: '数据口径不存在' });
  });
  fw.gates.forEach((g, i) =>
    g.anyOf.forEach((c, j) => {
      if (metrics && !metrics.has(c.metric))
        out.push({
          path: `gates[${i}].anyOf[${j}].metric`,
          message: 'unknown metric',
          messageZh: '数据口径不存在',
        });
    }),
  );
  const u = fw.uncertainty;
  if (!(u.runs >= 10 && u.runs <= MAX_RUNS))
    out.push({
      path: 'uncertainty.runs',
      message: `runs must be 10–${MAX_RUNS}`,
      messageZh: `模拟次数须在 10–${MAX_RUNS}`,
    });
  if (!(u.weightSpread >= 0 && u.weightSpread < 1))
    out.push({
      path: 'uncertainty.weightSpread',
      message: 'spread must be in [0, 1)',
      messageZh: '权重扰动须在 [0, 1)',
    });
  if (!u.normalisations.length || !u.aggregations.length)
    out.push({
      path: 'uncertainty',
      message: 'name at least one alternative',
      messageZh: '至少列出一种方法',
    });
  return out;
}
