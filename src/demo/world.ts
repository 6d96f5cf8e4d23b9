// The demo generator's view of a city configuration: counties with their towns, zones with their
// profiles, drawable industry classes with their clusters, and cached weighted pickers. Pure: built
// from a CityConfig, no I/O.
import type { CityConfig } from '../config/load.ts';
import { buildClusterMapping, clustersForIndustry, type ClusterMapping } from '../domain/clusters.ts';
import {
  BUCKETS,
  COUNTY_BOOSTS,
  COUNTY_WEIGHTS,
  DEFAULT_ZONE_SHARE,
  ZONE_PROFILES,
  type Bucket,
  type ZoneProfile,
} from './calibration.ts';
import { CLASS_WEIGHTS, OTHER_DIVISION_WEIGHTS, RESTRICTED_DIVISIONS } from './profiles.ts';
import { WeightedPicker } from './random.ts';
import { productNodes, type ProductNode } from './products.ts';

export interface WorldTown {
  code: string;
  name: string;
}

export interface WorldCounty {
  code: string;
  name: string;
  towns: WorldTown[];
  townPicker: WeightedPicker<WorldTown> | null;
}

export interface WorldZone {
  code: string;
  name: string;
  shortName: string;
  hostRegionCode: string;
  towns: string[];
  profile: ZoneProfile;
}

export interface WorldIndustry {
  code: string;
  name: string;
  section: string;
  division: string;
  clusters: string[];
}

/** Sections whose firms count as 工业 (规上工业 covers mining, manufacturing and utilities). */
const INDUSTRIAL_SECTIONS = new Set(['B', 'C', 'D']);

export class DemoWorld {
  readonly cityCode: string;
  readonly cityName: string;
  readonly provinceName: string;
  readonly counties: WorldCounty[];
  readonly countyByCode: Map<string, WorldCounty>;
  readonly zones: WorldZone[];
  readonly zonesByCounty: Map<string, WorldZone[]>;
  readonly zoneByCode: Map<string, WorldZone>;
  readonly industries: Map<string, WorldIndustry>;
  readonly clusterCodes: string[];
  readonly mapping: ClusterMapping;
  /** buckets that have drawable classes in this configuration */
  readonly buckets: Bucket[];
  /** nodes of the clusters' own chains, with the products their firms may list (products.ts) */
  readonly productNodes: ProductNode[];
  private readonly bucketClasses = new Map<Bucket, WorldIndustry[]>();
  private readonly pickerCache = new Map<string, WeightedPicker<WorldIndustry>>();
  private readonly countyPickers = new Map<Bucket, WeightedPicker<WorldCounty>>();

  constructor(config: CityConfig) {
    this.cityCode = config.city.code;
    this.cityName = config.regions.find((r) => r.level === 'city')?.name ?? config.city.name;
    this.provinceName = config.city.province.name;
    this.productNodes = productNodes(config);

    const towns = new Map<string, WorldTown[]>();
    for (const r of config.regions) {
      if (r.level !== 'town' || !r.parentCode) continue;
      const list = towns.get(r.parentCode) ?? [];
      list.push({ code: r.code, name: r.name });
      towns.set(r.parentCode, list);
    }
    this.counties = config.regions
      .filter((r) => r.level === 'county')
      .map((r) => {
        const list = towns.get(r.code) ?? [];
        // Industry sits mostly in towns (镇) rather than urban streets (街道).
        const picker = list.length
          ? new WeightedPicker(list.map((t) => [t, t.name.endsWith('镇') ? 2 : 1] as const))
          : null;
        return { code: r.code, name: r.name, towns: list, townPicker: picker };
      });
    if (this.counties.length === 0) throw new Error('the city configuration has no county-level regions');
    this.countyByCode = new Map(this.counties.map((c) => [c.code, c]));

    // Nested zones first, so that a firm lands in the innermost zone.
    const zones = config.zones.map((z) => ({
      code: z.code,
      name: z.name,
      shortName: z.shortName,
      hostRegionCode: z.hostRegionCode,
      towns: z.towns,
      profile: ZONE_PROFILES[z.code] ?? { share: { default: DEFAULT_ZONE_SHARE } },
      depth: depthOf(z.code, config.zones),
    }));
    zones.sort((a, b) => b.depth - a.depth || a.code.localeCompare(b.code));
    this.zones = zones.map(({ depth: _depth, ...z }) => z);
    this.zoneByCode = new Map(this.zones.map((z) => [z.code, z]));
    this.zonesByCounty = new Map();
    for (const z of this.zones) {
      const list = this.zonesByCounty.get(z.hostRegionCode) ?? [];
      list.push(z);
      this.zonesByCounty.set(z.hostRegionCode, list);
    }

    this.mapping = buildClusterMapping(config.clusterIndustries);
    this.clusterCodes = config.clusters.map((c) => c.code);
    const known = new Set(this.clusterCodes);
    this.industries = new Map();
    for (const ind of config.industries) {
      if (ind.level !== 'class' || !INDUSTRIAL_SECTIONS.has(ind.section)) continue;
      const clusters = clustersForIndustry(ind.code, this.mapping).filter((c) => known.has(c));
      this.industries.set(ind.code, {
        code: ind.code,
        name: ind.name,
        section: ind.section,
        division: ind.code.slice(0, 2),
        clusters,
      });
    }
    for (const b of BUCKETS) {
      const list = [...this.industries.values()].filter((i) =>
        b === 'other' ? i.clusters.length === 0 : i.clusters.includes(b),
      );
      const weighted = list.filter((i) => this.baseWeight(b, i) > 0);
      if (weighted.length) this.bucketClasses.set(b, weighted);
    }
    if (!this.bucketClasses.has('other'))
      throw new Error('no drawable industry classes outside the clusters');
    this.buckets = BUCKETS.filter((b) => this.bucketClasses.has(b));
  }

  hasBucket(b: Bucket): boolean {
    return this.bucketClasses.has(b);
  }

  /** Weight of a class inside a bucket before place boosts. */
  baseWeight(bucket: Bucket, ind: WorldIndustry): number {
    const explicit = CLASS_WEIGHTS[bucket]?.[ind.code];
    if (bucket !== 'other') return explicit ?? 1;
    if (RESTRICTED_DIVISIONS.has(ind.division)) return explicit ?? 0;
    const div = OTHER_DIVISION_WEIGHTS[ind.division] ?? (ind.section === 'C' ? 0.5 : 0);
    return div * (explicit ?? 1);
  }

  countyPicker(bucket: Bucket): WeightedPicker<WorldCounty> {
    let p = this.countyPickers.get(bucket);
    if (!p) {
      const weights = COUNTY_WEIGHTS[bucket];
      const entries = this.counties.map((c) => [c, weights[c.code] ?? 0] as const);
      p = entries.some(([, w]) => w > 0)
        ? new WeightedPicker(entries)
        : new WeightedPicker(this.counties.map((c) => [c, 1] as const));
      this.countyPickers.set(bucket, p);
    }
    return p;
  }

  /** Industry-class picker for a bucket in a county (and zone), with the place boosts applied. */
  classPicker(bucket: Bucket, county: string, zone: string | null): WeightedPicker<WorldIndustry> {
    const key = `${bucket}|${county}|${zone ?? ''}`;
    let p = this.pickerCache.get(key);
    if (p) return p;
    const classes = this.bucketClasses.get(bucket) ?? this.bucketClasses.get('other')!;
    const countyBoost = COUNTY_BOOSTS[county] ?? {};
    const zoneBoost = (zone ? this.zoneByCode.get(zone)?.profile.boost : undefined) ?? {};
    p = new WeightedPicker(
      classes.map((ind) => {
        let w = this.baseWeight(bucket, ind);
        w *= prefixBoost(countyBoost, ind.code) * prefixBoost(zoneBoost, ind.code);
        return [ind, w] as const;
      }),
    );
    this.pickerCache.set(key, p);
    return p;
  }
}

function prefixBoost(boosts: Record<string, number>, code: string): number {
  let f = 1;
  for (let len = 2; len <= code.length; len++) f *= boosts[code.slice(0, len)] ?? 1;
  return f;
}

function depthOf(code: string, zones: CityConfig['zones']): number {
  let depth = 0;
  let current = zones.find((z) => z.code === code);
  while (current?.parentZoneCode && depth < 10) {
    depth++;
    const parent = current.parentZoneCode;
    current = zones.find((z) => z.code === parent);
  }
  return depth;
}

/** Month index 0 = first month of FIRST_YEAR. */
export function monthLabel(firstYear: number, index: number): string {
  const y = firstYear + Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${y}-${String(m).padStart(2, '0')}-01`;
}

export function monthIndex(firstYear: number, yyyyMm: string): number {
  return (Number(yyyyMm.slice(0, 4)) - firstYear) * 12 + Number(yyyyMm.slice(5, 7)) - 1;
}
