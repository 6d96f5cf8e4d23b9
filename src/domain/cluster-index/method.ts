// The method of an edition in words and formulas: the edition page and the xlsx show the same text. Pure
// (the web imports it, so it lives in the domain and takes only the fields it reads).
import type { IndexFramework } from './types.ts';

/** What the method text reads of an edition (the module's IndexEdition satisfies it). */
export interface MethodEdition {
  version: number;
  title: string;
  body: {
    framework: Pick<
      IndexFramework,
      'name' | 'description' | 'normalisation' | 'aggregation' | 'missing' | 'uncertainty' | 'minFirms'
    >;
  };
}

export const NORM_ZH: Record<string, string> = {
  target: '基数值→目标值线性计分（截断于0–100）',
  minmax: '最小–最大标准化',
  zscore: 'Z分数（50 + 10·z）',
};
export const AGG_ZH: Record<string, string> = { arithmetic: '加权算术平均', geometric: '加权几何平均' };
export const MISSING_ZH: Record<string, string> = {
  reweight: '缺失指标的权重由同维度其余指标分担',
  mean: '以比较集均值插补（标注为插补）',
  zero: '缺失记0分',
};

/** The method in words and formulas (the edition page shows the same text). */
export function methodLines(e: MethodEdition): string[] {
  const fw = e.body.framework;
  return [
    `${fw.name}（第 ${e.version} 版，${e.title}）`,
    fw.description,
    `标准化：${NORM_ZH[fw.normalisation]}。target: s = clamp((x − 基数值)/(目标值 − 基数值)·100, 0, 100)；minmax: s = (x − min)/(max − min)·100；zscore: s = 50 + 10·(x − 均值)/标准差。`,
    `汇总：${AGG_ZH[fw.aggregation]}（指标→维度→指数）。算术: I = Σ wᵢ·sᵢ；几何: I = Π max(1, sᵢ)^wᵢ。`,
    `缺失数据：${MISSING_ZH[fw.missing]}。`,
    `不确定性：蒙特卡洛 ${fw.uncertainty.runs} 次（种子 ${fw.uncertainty.seed}），维度权重 ×U(1±${fw.uncertainty.weightSpread})，标准化 ∈ {${fw.uncertainty.normalisations.join(', ')}}，汇总 ∈ {${fw.uncertainty.aggregations.join(', ')}}；给出排名中位数与5–95%区间。`,
    `小单元保护：企业数少于 ${fw.minFirms} 家的单元不对外公开数值。`,
  ];
}
