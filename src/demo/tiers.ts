// Cultivation tiers (雄鹰, 雏鹰, 专精特新, 小巨人, 单项冠军, 隐形冠军, listed, listing reserve) and
// industrial platforms (示范基地, 特色产业园, 小微企业园, 创新服务综合体 …). Pure: drawn from the plan.
import { TECH_DIVISIONS, TIER_QUOTAS, type Bucket } from './calibration.ts';
import type { DemoEnterprise } from './enterprises.ts';
import { rngFor, type Rng } from './random.ts';
import type { DemoWorld } from './world.ts';

export interface TierRow {
  enterpriseIndex: number;
  tier: string;
  year: number;
  level: string | null;
}

/** Weighted sampling without replacement (Efraimidis–Spirakis keys u^(1/w)). */
function sampleWeighted<T>(rng: Rng, items: readonly T[], weight: (t: T) => number, k: number): T[] {
  const keyed: { item: T; key: number }[] = [];
  for (const item of items) {
    const w = weight(item);
    if (!(w > 0)) continue;
    keyed.push({ item, key: Math.log(rng.next() || Number.MIN_VALUE) / w });
  }
  keyed.sort((a, b) => b.key - a.key);
  return keyed.slice(0, k).map((x) => x.item);
}

export function planTiers(seed: number, enterprises: readonly DemoEnterprise[], factor: number): TierRow[] {
  const rng = rngFor(seed, 'tiers');
  const rows: TierRow[] = [];
  const taken = new Map<string, Set<number>>(); // tier → enterprise indexes (one row per firm and tier)
  const yearOf = (e: DemoEnterprise, lo: number, hi: number) => {
    const founded = Number(e.founded.slice(0, 4));
    return rng.int(Math.min(hi, Math.max(lo, founded + 2)), hi);
  };
  for (const q of TIER_QUOTAS) {
    const count = Math.max(q.count >= 10 ? 1 : 0, Math.round(q.count * factor));
    if (count === 0) continue;
    const used = taken.get(q.tier) ?? new Set<number>();
    taken.set(q.tier, used);
    const eligible = enterprises.filter(
      (e) =>
        e.status !== 'closed' &&
        !used.has(e.index) &&
        (e.scale === 'above' ? e.size >= q.minSize && e.size <= q.maxSize : q.includeBelow === true) &&
        (e.scale === 'below' || e.failure === null),
    );
    const picked = sampleWeighted(
      rng,
      eligible,
      (e) => {
        let w = e.scale === 'above' ? Math.pow(e.size / 10000, q.beta) : 0.3;
        if (q.techBias && TECH_DIVISIONS.includes(e.industryCode.slice(0, 2))) w *= 3;
        if (e.clusters.length) w *= 1.5;
        return w;
      },
      count,
    );
    for (const e of picked) {
      used.add(e.index);
      rows.push({
        enterpriseIndex: e.index,
        tier: q.tier,
        year: yearOf(e, q.years[0], q.years[1]),
        level: q.level,
      });
    }
  }
  return rows;
}

// ------------------------------------------------------------------ platforms

export interface PlatformRow {
  name: string;
  kind: string;
  level: string | null;
  regionCode: string | null;
  zoneCode: string | null;
  clusterCode: string | null;
  year: number;
}

/** Platform kinds written by the demo (the schema comment lists them in Chinese). */
export { PLATFORM_KINDS } from '../domain/platforms.ts';
import { PLATFORM_KINDS } from '../domain/platforms.ts';

interface PlatformSpec {
  kind: keyof typeof PLATFORM_KINDS;
  level: 'national' | 'provincial' | 'city';
  cluster: Bucket | null;
  county: string;
  zone?: string;
  /** the name's middle part; "{place}{theme}{kind}" */
  theme: string;
  year: number;
  /** use a town of the county as the place (小微企业园) */
  town?: string;
  /** the place part of the name, when neither the zone's short name nor the county reads well */
  place?: string;
}

// prettier-ignore
const PLATFORM_SPECS: readonly PlatformSpec[] = [
  { kind: 'demonstration_base', level: 'national', cluster: 'chem_materials', county: '330482', zone: 'Z-JXPORT', theme: '化工新材料', year: 2016 },
  { kind: 'demonstration_base', level: 'national', cluster: 'textile', county: '330483', theme: '化纤新材料', year: 2019 },
  { kind: 'demonstration_base', level: 'provincial', cluster: 'new_energy', county: '330411', zone: 'Z-XZHTZ', theme: '光伏新能源', year: 2018 },
  { kind: 'demonstration_base', level: 'provincial', cluster: 'textile', county: '330481', theme: '经编产业', year: 2017 },
  { kind: 'demonstration_base', level: 'provincial', cluster: 'automotive', county: '330402', zone: 'Z-JXETDZ', theme: '汽车零部件', year: 2020 },
  { kind: 'demonstration_base', level: 'provincial', cluster: 'smart_home', county: '330421', theme: '智能家居', year: 2021 },
  { kind: 'feature_park', level: 'provincial', cluster: 'new_energy', county: '330411', zone: 'Z-XZPV', place: '秀洲', theme: '光伏', year: 2017 },
  { kind: 'feature_park', level: 'city', cluster: 'new_energy', county: '330424', zone: 'Z-HYNUC', place: '海盐', theme: '核电关联', year: 2018 },
  { kind: 'feature_park', level: 'city', cluster: 'new_energy', county: '330481', theme: '智能光伏', year: 2020 },
  { kind: 'feature_park', level: 'provincial', cluster: 'chem_materials', county: '330482', zone: 'Z-JXPORT', theme: '有机硅新材料', year: 2019 },
  { kind: 'feature_park', level: 'city', cluster: 'chem_materials', county: '330482', theme: '高端新材料', year: 2021 },
  { kind: 'feature_park', level: 'provincial', cluster: 'automotive', county: '330483', zone: 'Z-TXEDZ', theme: '新能源汽车', year: 2019 },
  { kind: 'feature_park', level: 'city', cluster: 'automotive', county: '330482', zone: 'Z-PHEDZ', theme: '汽车零部件', year: 2020 },
  { kind: 'feature_park', level: 'city', cluster: 'smart_home', county: '330411', zone: 'Z-WDJC', town: '王店镇', theme: '集成吊顶', year: 2018 },
  { kind: 'feature_park', level: 'city', cluster: 'smart_home', county: '330481', zone: 'Z-HNJS', theme: '智能厨电', year: 2021 },
  { kind: 'feature_park', level: 'city', cluster: 'smart_home', county: '330421', theme: '智能家居', year: 2020 },
  { kind: 'feature_park', level: 'city', cluster: 'textile', county: '330483', theme: '时尚毛衫', year: 2019 },
  { kind: 'feature_park', level: 'city', cluster: 'textile', county: '330411', theme: '高端纺织', year: 2020 },
  { kind: 'feature_park', level: 'city', cluster: null, county: '330402', zone: 'Z-JXIP', place: '嘉兴工业园区', theme: '智能装备', year: 2021 },
  { kind: 'micro_park', level: 'city', cluster: 'textile', county: '330411', town: '王江泾镇', theme: '织造', year: 2018 },
  { kind: 'micro_park', level: 'city', cluster: 'textile', county: '330411', town: '洪合镇', theme: '毛衫', year: 2019 },
  { kind: 'micro_park', level: 'city', cluster: 'textile', county: '330481', town: '许村镇', theme: '家纺', year: 2018 },
  { kind: 'micro_park', level: 'city', cluster: 'textile', county: '330481', town: '马桥街道', theme: '经编', year: 2019 },
  { kind: 'micro_park', level: 'city', cluster: 'textile', county: '330483', town: '濮院镇', theme: '毛衫时尚', year: 2018 },
  { kind: 'micro_park', level: 'city', cluster: 'textile', county: '330483', town: '洲泉镇', theme: '化纤', year: 2020 },
  { kind: 'micro_park', level: 'city', cluster: 'smart_home', county: '330421', town: '天凝镇', theme: '家居', year: 2019 },
  { kind: 'micro_park', level: 'city', cluster: 'smart_home', county: '330421', town: '干窑镇', theme: '木业家具', year: 2020 },
  { kind: 'micro_park', level: 'city', cluster: 'smart_home', county: '330411', town: '王店镇', theme: '集成家居', year: 2018 },
  { kind: 'micro_park', level: 'city', cluster: 'automotive', county: '330482', town: '当湖街道', theme: '汽车零部件', year: 2021 },
  { kind: 'micro_park', level: 'city', cluster: 'automotive', county: '330424', town: '百步镇', theme: '紧固件', year: 2020 },
  { kind: 'micro_park', level: 'city', cluster: 'new_energy', county: '330424', town: '秦山街道', theme: '核电装备', year: 2021 },
  { kind: 'micro_park', level: 'city', cluster: null, county: '330402', town: '大桥镇', theme: '智能制造', year: 2019 },
  { kind: 'micro_park', level: 'city', cluster: null, county: '330421', town: '姚庄镇', theme: '电子信息', year: 2022 },
  { kind: 'innovation_complex', level: 'provincial', cluster: 'textile', county: '330483', theme: '现代纺织', year: 2018 },
  { kind: 'innovation_complex', level: 'provincial', cluster: 'new_energy', county: '330411', theme: '光伏新能源', year: 2019 },
  { kind: 'innovation_complex', level: 'provincial', cluster: 'chem_materials', county: '330482', zone: 'Z-JXPORT', theme: '化工新材料', year: 2020 },
  { kind: 'innovation_complex', level: 'provincial', cluster: 'automotive', county: '330402', theme: '汽车零部件', year: 2021 },
  { kind: 'innovation_complex', level: 'provincial', cluster: 'smart_home', county: '330421', theme: '智能家居', year: 2021 },
  { kind: 'innovation_center', level: 'provincial', cluster: 'textile', county: '330483', theme: '高性能纤维', year: 2021 },
  { kind: 'innovation_center', level: 'provincial', cluster: 'new_energy', county: '330481', theme: '高效光伏电池', year: 2022 },
  { kind: 'innovation_center', level: 'provincial', cluster: 'chem_materials', county: '330482', theme: '有机硅材料', year: 2023 },
  { kind: 'industrial_internet', level: 'provincial', cluster: 'textile', county: '330483', theme: '化纤行业', year: 2020 },
  { kind: 'industrial_internet', level: 'provincial', cluster: 'textile', county: '330481', theme: '经编行业', year: 2021 },
  { kind: 'industrial_internet', level: 'city', cluster: 'automotive', county: '330402', theme: '汽配行业', year: 2022 },
  { kind: 'industrial_internet', level: 'city', cluster: 'smart_home', county: '330421', theme: '家居行业', year: 2022 },
  { kind: 'design_base', level: 'provincial', cluster: 'textile', county: '330483', theme: '时尚服饰', year: 2019 },
  { kind: 'design_base', level: 'provincial', cluster: 'smart_home', county: '330411', theme: '集成家居', year: 2020 },
  { kind: 'design_base', level: 'city', cluster: 'textile', county: '330481', theme: '皮革时尚', year: 2021 },
];

/**
 * A few dozen platforms named "{place}{theme}{kind}". Places, zones and clusters missing from the
 * configuration are dropped (zones) or skipped (counties). The demo's names are descriptive, not those
 * of real designated platforms.
 */
export function planPlatforms(world: DemoWorld): PlatformRow[] {
  const rows: PlatformRow[] = [];
  const clusters = new Set(world.clusterCodes);
  const names = new Set<string>();
  for (const s of PLATFORM_SPECS) {
    const county = world.countyByCode.get(s.county);
    if (!county) continue;
    const zone = s.zone ? world.zoneByCode.get(s.zone) : undefined;
    const town = s.town ? county.towns.find((t) => t.name === s.town) : undefined;
    const zonePlace = zone
      ? (zone.shortName.startsWith('港区') || zone.shortName === '经开区' ? '嘉兴' : '') + zone.shortName
      : undefined;
    const place = s.place ?? town?.name ?? zonePlace ?? county.name;
    let name = `${place}${s.theme}${PLATFORM_KINDS[s.kind]}`;
    if (s.kind === 'industrial_internet')
      name = `${county.name.replace(/(市|县|区)$/, '')}${s.theme}${PLATFORM_KINDS[s.kind]}`;
    if (names.has(name)) continue;
    names.add(name);
    rows.push({
      name,
      kind: s.kind,
      level: s.level,
      regionCode: county.code,
      zoneCode: zone?.code ?? null,
      clusterCode: s.cluster && clusters.has(s.cluster) ? s.cluster : null,
      year: s.year,
    });
  }
  return rows;
}
