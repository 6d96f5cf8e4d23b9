// Kinds of industrial platforms and carriers in the platforms register (示范基地, 特色产业园, 小微企业园 …):
// stored code → the name policy documents and targets use.
export const PLATFORM_KINDS = {
  demonstration_base: '新型工业化产业示范基地',
  feature_park: '特色产业园',
  micro_park: '小微企业园',
  innovation_complex: '产业创新服务综合体',
  innovation_center: '制造业创新中心',
  industrial_internet: '工业互联网平台',
  design_base: '工业设计基地',
  rd_institute: '企业研发机构',
  public_service: '公共服务平台',
} as const;
export type PlatformKind = keyof typeof PLATFORM_KINDS;

/** The stored kind of a platform type as a target names it ('特色产业园' or 'feature_park'), or null. */
export function platformKindOf(label: string): PlatformKind | null {
  const l = label.trim();
  for (const [code, zh] of Object.entries(PLATFORM_KINDS))
    if (code === l || zh === l) return code as PlatformKind;
  return null;
}

/** Recognition levels: 国家级, 省级, 市级. */
export const PLATFORM_LEVELS = ['national', 'provincial', 'city'] as const;
export type PlatformLevel = (typeof PLATFORM_LEVELS)[number];
export const PLATFORM_LEVEL_ZH: Record<PlatformLevel, string> = {
  national: '国家级',
  provincial: '省级',
  city: '市级',
};

/** A level written as a clerk writes it ('省级', 'provincial'), or null. */
export function platformLevelOf(label: string): PlatformLevel | null {
  const l = label.trim();
  for (const [code, zh] of Object.entries(PLATFORM_LEVEL_ZH))
    if (code === l || zh === l || zh.replace(/级$/, '') === l) return code as PlatformLevel;
  return null;
}
