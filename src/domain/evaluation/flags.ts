// Adjustment flags (调整标记) per enterprise and year: the facts a rule set's bonus, penalty, veto,
// protection and exemption rules read (issue 15 item 4). Imported (kind `flags`) or set by an officer
// with evidence; a run stores the attributes it evaluated with, so explanations of published runs never
// drift when a flag changes later.
import type { EvaluationInput } from './types.ts';

export const FLAG_KEYS = [
  'newFirm',
  'upgradedToAbove',
  'majorProject',
  'safetyIncident',
  'environmentIncident',
  'missedEnergyTarget',
  'highTech',
  'specialized',
] as const;
export type FlagKey = (typeof FLAG_KEYS)[number];

export interface FlagDef {
  key: FlagKey;
  zh: string;
  en: string;
  /** spellings an import accepts besides zh and key */
  aliases: readonly string[];
  /** what the default rule set (version 2) does with it */
  effectZh: string;
}

export const FLAGS: Readonly<Record<FlagKey, FlagDef>> = {
  newFirm: {
    key: 'newFirm',
    zh: '新设立企业',
    en: 'Newly established',
    aliases: ['新设企业', '新成立企业', 'new firm'],
    effectZh: '除一票否决外不列入D类',
  },
  upgradedToAbove: {
    key: 'upgradedToAbove',
    zh: '上年度小升规',
    en: 'Became 规上 last year',
    aliases: ['小升规', '上年度小升规企业', 'upgraded'],
    effectZh: '除一票否决外不列入D类',
  },
  majorProject: {
    key: 'majorProject',
    zh: '重大项目建设期',
    en: 'Major project under construction',
    aliases: ['重大项目建设期企业', '重大项目', 'major project'],
    effectZh: '除一票否决外不列入D类',
  },
  safetyIncident: {
    key: 'safetyIncident',
    zh: '安全生产事故',
    en: 'Work-safety accident',
    aliases: ['发生安全生产事故', '安全事故', 'safety incident'],
    effectZh: '一票否决：不得列入A、B类',
  },
  environmentIncident: {
    key: 'environmentIncident',
    zh: '环境事故',
    en: 'Environmental accident',
    aliases: ['环境责任事故', '重大环境责任事故', '环保事故', 'environment incident'],
    effectZh: '一票否决：不得列入A、B类',
  },
  missedEnergyTarget: {
    key: 'missedEnergyTarget',
    zh: '未完成节能减排任务',
    en: 'Missed the energy-saving task',
    aliases: ['未完成年度节能减排任务', '未完成节能减排', 'missed energy target'],
    effectZh: '一票否决：不得列入A、B类',
  },
  highTech: {
    key: 'highTech',
    zh: '高新技术企业',
    en: 'High-tech enterprise',
    aliases: ['高新企业', '国家高新技术企业', 'high tech'],
    effectZh: '规则设有加分时加分（默认规则不加分）',
  },
  specialized: {
    key: 'specialized',
    zh: '专精特新',
    en: 'Specialised SME (专精特新)',
    aliases: ['专精特新企业', '专精特新中小企业', 'specialized'],
    effectZh: '规则设有加分时加分（默认规则不加分）',
  },
};

export function isFlagKey(v: unknown): v is FlagKey {
  return (FLAG_KEYS as readonly unknown[]).includes(v);
}

/**
 * The attributes an evaluation reads from an enterprise's flags of the year: 1 per flag, plus `incident`
 * (either accident) which the Changle preset's veto reads.
 */
export function attributesOf(flags: readonly string[]): Record<string, number> | undefined {
  if (!flags.length) return undefined;
  const out: Record<string, number> = {};
  for (const f of flags) out[f] = 1;
  if (out.safetyIncident || out.environmentIncident) out.incident = 1;
  return out;
}

/** The flags behind an input's attributes (the derived `incident` left out). */
export function flagsOf(input: Pick<EvaluationInput, 'attributes'>): FlagKey[] {
  const a = input.attributes;
  return a ? FLAG_KEYS.filter((k) => (a[k] ?? 0) > 0) : [];
}
