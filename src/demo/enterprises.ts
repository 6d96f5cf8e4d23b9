// Synthetic enterprises: place, industry, size, founding date, USCC, name, risk profile and the
// firm-level parameters the monthly and annual facts are drawn from. Pure: a seeded plan built from the
// city configuration, no I/O.
import { computeOrgCodeCheckChar, makeUscc, USCC_CHARSET } from '../domain/uscc.ts';
import {
  ABOVE_SIZE,
  ANCHORS,
  BASE_OUTPUT_2018,
  BELOW_SIZE,
  CITY_COUNTS,
  COUNT_SHARES,
  COUNTY_OUTPUT_SHARES,
  FIRST_YEAR,
  LAST_MONTH,
  NEW_ENTRANTS,
  PROVINCE_FACTOR,
  RISK_RATES,
  TRENDS,
  ZONE_TOWN_SHARE,
  type AnchorSpec,
  type Bucket,
} from './calibration.ts';
import { NameBook, randomAddress } from './names.ts';
import { drawProducts } from './products.ts';
import { industryProfile, type IndustryProfile } from './profiles.ts';
import { Rng, WeightedPicker, round, rngFor } from './random.ts';
import { monthIndex, type DemoWorld, type WorldCounty, type WorldIndustry } from './world.ts';

export type DemoScale = 'city' | 'province';
export type EnterpriseScale = 'above' | 'below';
export type EnterpriseStatus = 'operating' | 'suspended' | 'closed';

export const LAST_MONTH_INDEX = monthIndex(FIRST_YEAR, LAST_MONTH);

export interface Failure {
  /** month index where output starts to fall */
  from: number;
  /** months until the floor is reached */
  months: number;
  /** output share left at the floor */
  floor: number;
  /** first month index not reported any more (the firm closed), if it closes */
  closeAt?: number;
}

/** Firm-level parameters behind its facts (rates drawn once around the industry profile). */
export interface FirmParams {
  revenueRatio: number;
  margin: number;
  taxRate: number;
  vaRate: number;
  mainRatio: number;
  rdRate: number;
  exportShare: number; // 0 for non-exporters
  energy: number; // tce per 万元 output
  elecShare: number;
  employees0: number; // 2018-level head count (规上) or productivity-based (规下)
  cod: number | null;
  nh3: number | null;
  so2: number | null;
  nox: number | null;
  rdBlank: boolean;
}

export interface DemoEnterprise {
  /** position in the output order; the database id is index + 1 when the identity starts at 1 */
  index: number;
  uscc: string;
  name: string;
  regionCode: string;
  townCode: string | null;
  zoneCode: string | null;
  industryCode: string;
  section: string;
  scale: EnterpriseScale;
  founded: string; // YYYY-MM-DD
  status: EnterpriseStatus;
  address: string;
  bucket: Bucket;
  clusters: string[];
  /** 规上: 2018-equivalent annual output, 万元; 规下: annual revenue, 万元 */
  size: number;
  anchor: AnchorSpec | null;
  /** 规上: first reported month index */
  reportFrom: number;
  failure: Failure | null;
  /** 规上: month indices that are missing from the statistics */
  gaps: number[];
  /** 规下: closed during this year (no annual rows after it) */
  closedYear: number | null;
  /** land in 亩 (null = not reported) and an optional expansion */
  landMu: number | null;
  landExpansion: { year: number; factor: number } | null;
  params: FirmParams;
  /** 主要产品 drawn from the chain node the firm belongs to (products.ts); null for none */
  mainProducts: string[] | null;
}

export interface PlanOptions {
  seed: number;
  scale: DemoScale;
  /** tests only: total number of enterprises (规上 ≈ 32 %) instead of the scale's count */
  enterpriseCount?: number;
}

export interface EnterprisePlan {
  enterprises: DemoEnterprise[];
  above: number;
  below: number;
  /** 规上 count relative to the city calibration (1 = city scale) */
  factor: number;
  /** land constant found by the 亩均税收 calibration */
  landConstant: number;
}

const ABOVE_SHARE = CITY_COUNTS.above / (CITY_COUNTS.above + CITY_COUNTS.below);
const WAN_PER_YI = 10000;

export function plannedCounts(options: PlanOptions): { above: number; below: number } {
  if (options.enterpriseCount !== undefined) {
    const total = Math.max(2, Math.floor(options.enterpriseCount));
    const above = Math.max(1, Math.round(total * ABOVE_SHARE));
    return { above, below: total - above };
  }
  const f = options.scale === 'province' ? PROVINCE_FACTOR : 1;
  return { above: CITY_COUNTS.above * f, below: CITY_COUNTS.below * f };
}

/** Own-growth multiplier of an anchor in a year (1 for ordinary firms). */
export function anchorOwn(anchor: AnchorSpec | null, year: number): number {
  if (!anchor) return 1;
  if (anchor.ownPath) {
    const years = Object.keys(anchor.ownPath).map(Number);
    const y = Math.min(Math.max(year, Math.min(...years)), Math.max(...years));
    return anchor.ownPath[y] ?? 1;
  }
  return Math.pow(1 + (anchor.ownGrowth ?? 0), year - 2018);
}

export function trendOf(bucket: Bucket, year: number): number {
  const t = TRENDS[bucket];
  return t[Math.min(Math.max(year, 2018), 2026)] ?? 1;
}

// ------------------------------------------------------------------ the plan

interface Draft {
  scale: EnterpriseScale;
  bucket: Bucket;
  county: WorldCounty;
  zone: string | null;
  industry: WorldIndustry;
  size: number;
  founded: string;
  anchor: AnchorSpec | null;
}

export function planEnterprises(world: DemoWorld, options: PlanOptions): EnterprisePlan {
  const seed = options.seed;
  const { above, below } = plannedCounts(options);
  const factor = above / CITY_COUNTS.above;
  const rng = rngFor(seed, 'enterprises');

  const drafts: Draft[] = [];

  // Leading firms: only when the instance is big enough to carry them.
  const anchors: Draft[] = [];
  if (factor >= 0.25) {
    for (const a of ANCHORS) {
      const county = world.countyByCode.get(a.county);
      if (!county || !world.hasBucket(a.bucket)) continue;
      const industry =
        world.industries.get(a.industry) ?? world.classPicker(a.bucket, county.code, null).pick(rng);
      const zone = a.zone && world.zoneByCode.has(a.zone) ? a.zone : null;
      anchors.push({
        scale: 'above',
        bucket: a.bucket,
        county,
        zone,
        industry,
        size: a.base * WAN_PER_YI * Math.min(1, factor),
        founded: a.founded ?? '2000-01-01',
        anchor: a,
      });
    }
  }
  drafts.push(...anchors);

  const bucketPickers = {
    above: new WeightedPicker(world.buckets.map((b) => [b, COUNT_SHARES.above[b]] as const)),
    below: new WeightedPicker(world.buckets.map((b) => [b, COUNT_SHARES.below[b]] as const)),
  };

  const drawPlace = (scale: EnterpriseScale, bucket: Bucket) => {
    const county = world.countyPicker(bucket).pick(rng);
    let zone: string | null = null;
    const u = rng.next();
    let acc = 0;
    for (const z of world.zonesByCounty.get(county.code) ?? []) {
      const share = z.profile.share[bucket] ?? z.profile.share.default ?? 0;
      acc += scale === 'above' ? share : share * 0.6;
      if (u < acc) {
        zone = z.code;
        break;
      }
    }
    return { county, zone };
  };

  for (let i = anchors.length; i < above; i++) {
    const bucket = bucketPickers.above.pick(rng);
    const { county, zone } = drawPlace('above', bucket);
    const industry = world.classPicker(bucket, county.code, zone).pick(rng);
    const profile = industryProfile(industry.code, industry.section);
    const newEntrant = rng.chance(NEW_ENTRANTS.share);
    let size =
      rng.logNormal(ABOVE_SIZE.median * profile.size, ABOVE_SIZE.sigma) *
      (newEntrant ? NEW_ENTRANTS.size : 1);
    if (size < ABOVE_SIZE.floor) size = ABOVE_SIZE.floor * rng.uniform(1, 1.5);
    const founded = newEntrant
      ? randomDate(rng, 2019, 2024)
      : randomDate(rng, foundedYear(rng, 2005, 7, 1980, 2018));
    drafts.push({ scale: 'above', bucket, county, zone, industry, size, founded, anchor: null });
  }

  calibrateSizes(world, drafts, factor);

  for (let i = 0; i < below; i++) {
    const bucket = bucketPickers.below.pick(rng);
    const { county, zone } = drawPlace('below', bucket);
    const industry = world.classPicker(bucket, county.code, zone).pick(rng);
    const size = Math.min(
      BELOW_SIZE.max,
      Math.max(BELOW_SIZE.min, rng.logNormal(BELOW_SIZE.median, BELOW_SIZE.sigma)),
    );
    const founded = randomDate(rng, foundedYear(rng, 2013, 6, 1995, 2025));
    drafts.push({ scale: 'below', bucket, county, zone, industry, size, founded, anchor: null });
  }

  // Output order: shuffled, so an id says nothing about size or kind.
  rng.shuffle(drafts);

  const names = new NameBook();
  const usccs = new Set<string>();
  const enterprises = drafts.map((d, index) => buildEnterprise(world, seed, d, index, names, usccs));

  assignRisks(seed, enterprises);
  // products from their own stream per firm: drawing them shifts no other figure
  const nodes = world.productNodes;
  for (const e of enterprises) {
    e.mainProducts = drawProducts(
      seed,
      {
        index: e.index,
        industryCode: e.industryCode,
        scale: e.scale,
        clusters: e.clusters,
        anchorKey: e.anchor?.key ?? null,
      },
      nodes,
    );
  }
  const landConstant = calibrateLand(seed, enterprises);
  return { enterprises, above, below, factor, landConstant };
}

function foundedYear(rng: Rng, mean: number, sd: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(mean + sd * rng.normal())));
}

function randomDate(rng: Rng, fromYear: number, toYear = fromYear): string {
  const y = rng.int(fromYear, toYear);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Scale 规上 sizes so that 2018-equivalent output matches the bucket totals and the county shares
 * (iterative proportional fitting over county × bucket cells; leading firms are fixed and subtracted).
 */
function calibrateSizes(world: DemoWorld, drafts: Draft[], factor: number): void {
  const counties = world.counties.map((c) => c.code);
  const buckets = world.buckets;
  const bucketTarget = new Map<Bucket, number>();
  let total = 0;
  for (const b of Object.keys(BASE_OUTPUT_2018) as Bucket[]) {
    const v = BASE_OUTPUT_2018[b] * WAN_PER_YI * factor;
    total += v;
    const into = world.hasBucket(b) ? b : 'other';
    bucketTarget.set(into, (bucketTarget.get(into) ?? 0) + v);
  }
  const countyShares = counties.map((c) => COUNTY_OUTPUT_SHARES[c] ?? 0);
  const shareSum = countyShares.reduce((a, b) => a + b, 0);
  const useCounties = Math.abs(shareSum - 1) < 0.01;
  const countyTarget = new Map(counties.map((c, i) => [c, useCounties ? total * (countyShares[i] ?? 0) : 0]));

  const inBase = (d: Draft) => d.scale === 'above' && d.founded < '2019-01-01';
  for (const d of drafts) {
    if (!d.anchor || !inBase(d)) continue;
    bucketTarget.set(d.bucket, (bucketTarget.get(d.bucket) ?? 0) - d.size);
    countyTarget.set(d.county.code, (countyTarget.get(d.county.code) ?? 0) - d.size);
  }

  const key = (c: string, b: Bucket) => `${c}|${b}`;
  const initial = new Map<string, number>();
  for (const d of drafts) {
    if (d.anchor || !inBase(d)) continue;
    const k = key(d.county.code, d.bucket);
    initial.set(k, (initial.get(k) ?? 0) + d.size);
  }
  const cell = new Map(initial);
  const sumWhere = (pred: (c: string, b: Bucket) => boolean) => {
    let s = 0;
    for (const c of counties) for (const b of buckets) if (pred(c, b)) s += cell.get(key(c, b)) ?? 0;
    return s;
  };
  for (let iter = 0; iter < 60; iter++) {
    for (const b of buckets) {
      const current = sumWhere((_c, bb) => bb === b);
      const target = Math.max(bucketTarget.get(b) ?? 0, current * 0.05);
      if (current > 0)
        for (const c of counties) cell.set(key(c, b), (cell.get(key(c, b)) ?? 0) * (target / current));
    }
    if (!useCounties) break;
    for (const c of counties) {
      const current = sumWhere((cc) => cc === c);
      const target = Math.max(countyTarget.get(c) ?? 0, current * 0.05);
      if (current > 0)
        for (const b of buckets) cell.set(key(c, b), (cell.get(key(c, b)) ?? 0) * (target / current));
    }
  }
  for (const d of drafts) {
    if (d.anchor || d.scale !== 'above') continue;
    const k = key(d.county.code, d.bucket);
    const before = initial.get(k);
    const f = before ? (cell.get(k) ?? before) / before : 1;
    d.size = Math.max(d.size * f, ABOVE_SIZE.floor * 1.02);
  }
}

const ORG_FIRST_DIGITS = [...'7776651034289'];
const MA_REGION = ['28', '29', '2B', '2C', '2D', '2J', '2L'];
const CH31_BODY = USCC_CHARSET;

/** 主体标识码 body: an older 8-digit organization code, or an "MA…" code for firms registered after
 * the 2015 reform; the 9th character is its GB 11714 check character. */
function orgCode(rng: Rng, founded: string): string {
  let body: string;
  if (founded >= '2015-10-01') {
    body = 'MA' + rng.pick(MA_REGION);
    while (body.length < 8) body += CH31_BODY.charAt(rng.int(0, CH31_BODY.length - 1));
  } else {
    body = rng.pick(ORG_FIRST_DIGITS);
    while (body.length < 8) body += String(rng.int(0, 9));
  }
  return body + computeOrgCodeCheckChar(body);
}

function sizeClass(d: Draft): number {
  const yi = d.scale === 'above' ? d.size / WAN_PER_YI : 0;
  if (yi >= 50) return 3;
  if (yi >= 5) return 2;
  if (yi >= 1) return 1;
  return 0;
}

function buildEnterprise(
  world: DemoWorld,
  seed: number,
  d: Draft,
  index: number,
  names: NameBook,
  usccs: Set<string>,
): DemoEnterprise {
  const rng = rngFor(seed, 'enterprise', index);
  const zone = d.zone ? world.zoneByCode.get(d.zone) : undefined;
  let town = null as { code: string; name: string } | null;
  const zoneTowns = zone?.towns
    .map((t) => d.county.towns.find((x) => x.code === t))
    .filter((t) => t !== undefined);
  if (zoneTowns && zoneTowns.length && rng.chance(ZONE_TOWN_SHARE)) town = rng.pick(zoneTowns);
  else if (d.county.townPicker) town = d.county.townPicker.pick(rng);

  let uscc: string;
  do uscc = makeUscc(`91${d.county.code}${orgCode(rng, d.founded)}`);
  while (usccs.has(uscc));
  usccs.add(uscc);

  const name = names.next(rng, {
    place: { countyName: d.county.name, cityName: world.cityName, provinceName: world.provinceName },
    industryCode: d.industry.code,
    section: d.industry.section,
    size: d.anchor ? (d.anchor.base >= 100 ? 3 : 2) : sizeClass(d),
  });
  const address = randomAddress(rng, world.provinceName, world.cityName, d.county.name, town?.name ?? null);

  let reportFrom = 0;
  if (d.scale === 'above' && d.founded >= '2019-01-01') {
    const fm = monthIndex(FIRST_YEAR, d.founded.slice(0, 7));
    reportFrom = Math.min(LAST_MONTH_INDEX - 6, fm + rng.int(3, 15));
  }

  const profile = industryProfile(d.industry.code, d.industry.section);
  const params = drawParams(rng, d, profile);

  return {
    index,
    uscc,
    name,
    regionCode: d.county.code,
    townCode: town?.code ?? null,
    zoneCode: d.zone,
    industryCode: d.industry.code,
    section: d.industry.section,
    scale: d.scale,
    founded: d.founded,
    status: 'operating',
    address,
    bucket: d.bucket,
    clusters: d.industry.clusters,
    size: d.size,
    anchor: d.anchor,
    reportFrom,
    failure: null,
    gaps: [],
    closedYear: null,
    landMu: null,
    landExpansion: null,
    params,
    mainProducts: null,
  };
}

function drawParams(rng: Rng, d: Draft, p: IndustryProfile): FirmParams {
  const small = d.scale === 'below';
  const exporter = rng.chance(small ? p.exportProb * 0.5 : p.exportProb);
  const pollutant = (v: number, blankP: number) => (v <= 0 || rng.chance(blankP) ? null : v * rng.noise(0.5));
  const allBlank = rng.chance(small ? 0.5 : 0.03);
  const blankP = small ? 0.2 : 0.07;
  const productivity = p.productivity * (small ? 0.6 : 1);
  return {
    revenueRatio: rng.uniform(0.92, 1.04),
    margin: p.margin + rng.normal() * 0.025,
    taxRate: p.taxRate * rng.uniform(0.72, 1.3) * (small ? 0.8 : 1),
    vaRate: Math.min(0.34, Math.max(0.16, p.vaRate * rng.uniform(0.88, 1.15))),
    mainRatio: rng.uniform(0.9, 0.995),
    rdRate: p.rdRate * rng.noise(0.5) * (small ? 0.4 : 1),
    exportShare: exporter ? Math.min(0.95, p.exportShare * rng.noise(0.5)) : 0,
    energy: p.energy * rng.noise(0.35),
    elecShare: Math.min(0.98, p.elecShare * rng.uniform(0.85, 1.12)),
    employees0: Math.max(small ? 3 : 15, Math.round((d.size / productivity) * rng.noise(0.3))),
    cod: allBlank ? null : pollutant(p.cod, blankP),
    nh3: allBlank ? null : pollutant(p.nh3, blankP),
    so2: allBlank ? null : pollutant(p.so2, blankP),
    nox: allBlank ? null : pollutant(p.nox, blankP),
    rdBlank: rng.chance(small ? 0.45 : 0.04),
  };
}

/** Failing, closed and gap-ridden firms (for later risk warnings and 累计 handling). */
function assignRisks(seed: number, enterprises: DemoEnterprise[]): void {
  const rng = rngFor(seed, 'risks');
  const aboveOrdinary = enterprises.filter((e) => e.scale === 'above' && !e.anchor && e.reportFrom <= 24);
  const nAbove = enterprises.filter((e) => e.scale === 'above').length;
  const nBelow = enterprises.length - nAbove;
  const failing = Math.max(1, Math.round((RISK_RATES.failing * nAbove) / 1000));
  const gaps = Math.max(1, Math.round((RISK_RATES.gaps * nAbove) / 1000));
  rng.shuffle(aboveOrdinary);
  const fromMin = monthIndex(FIRST_YEAR, '2021-06');
  const fromMax = LAST_MONTH_INDEX - 6;
  aboveOrdinary.slice(0, failing).forEach((e) => {
    const from = rng.int(fromMin, fromMax);
    const months = rng.int(4, 12);
    const floor = rng.uniform(0.04, 0.35);
    const f: Failure = { from, months, floor };
    if (rng.chance(RISK_RATES.closedOfFailing)) {
      const closeAt = from + months + rng.int(0, 3);
      if (closeAt <= LAST_MONTH_INDEX) f.closeAt = closeAt;
    }
    e.failure = f;
    if (f.closeAt !== undefined) e.status = 'closed';
    else if (from + months <= LAST_MONTH_INDEX && floor < 0.15) e.status = 'suspended';
  });
  aboveOrdinary.slice(failing, failing + gaps).forEach((e) => {
    const n = rng.int(1, 3);
    const set = new Set<number>();
    while (set.size < n) set.add(rng.int(Math.max(1, e.reportFrom + 1), LAST_MONTH_INDEX - 1));
    e.gaps = [...set].sort((a, b) => a - b);
  });
  for (const e of enterprises) {
    if (e.anchor?.failFrom) {
      e.failure = { from: monthIndex(FIRST_YEAR, e.anchor.failFrom), months: 10, floor: 0.04 };
      e.status = 'suspended';
    }
  }
  const belowList = enterprises.filter((e) => e.scale === 'below');
  const closedBelow = Math.round((RISK_RATES.belowClosed * nBelow) / 1000);
  rng.shuffle(belowList);
  for (const e of belowList.slice(0, closedBelow)) {
    const foundedYear = Number(e.founded.slice(0, 4));
    if (foundedYear >= 2025) continue;
    e.closedYear = rng.int(Math.max(2020, foundedYear + 1), 2025);
    e.status = 'closed';
  }
}

/**
 * Land: 规上 10–2000 亩 growing with size, scaled so that 2025 亩均税收 lands near the calibration target;
 * 规下 mostly 2–30 亩, some below 3 亩, a few 0 or not reported.
 */
function calibrateLand(seed: number, enterprises: DemoEnterprise[]): number {
  const rng = rngFor(seed, 'land');
  const target = 35; // 万元/亩, CALIBRATION_TARGETS taxPerMu2025
  // raw land per firm, and a soft floor (10–16 亩) so small firms do not pile up at exactly 10 亩
  const raw = new Map<DemoEnterprise, { v: number; floor: number }>();
  let expectedTax = 0;
  const y2025 = monthIndex(FIRST_YEAR, '2025-06');
  for (const e of enterprises) {
    if (e.scale === 'below') {
      const r = rng.next();
      e.landMu =
        r < 0.02 ? null : r < 0.04 ? 0 : round(Math.min(60, Math.max(0.5, rng.logNormal(7.5, 0.8))), 1);
      if (rng.chance(0.06)) e.landExpansion = { year: rng.int(2020, 2025), factor: rng.uniform(1.2, 1.8) };
      continue;
    }
    const profile = industryProfile(e.industryCode, e.section);
    raw.set(e, { v: Math.pow(e.size, 0.8) * profile.land * rng.noise(0.45), floor: rng.uniform(10, 16) });
    if (rng.chance(0.15)) e.landExpansion = { year: rng.int(2020, 2024), factor: rng.uniform(1.2, 1.6) };
    const active = !e.failure?.closeAt || e.failure.closeAt > y2025;
    if (!active || e.reportFrom > y2025) continue;
    const failShare = e.failure && e.failure.from <= y2025 ? e.failure.floor + 0.2 : 1;
    expectedTax +=
      e.size *
      trendOf(e.bucket, 2025) *
      anchorOwn(e.anchor, 2025) *
      e.params.revenueRatio *
      e.params.taxRate *
      failShare;
  }
  const landAt = (c: number, r: { v: number; floor: number }, exp: { factor: number } | null) =>
    Math.min(2000, Math.min(2000, Math.max(r.floor, c * r.v)) * (exp?.factor ?? 1));
  const ratio = (c: number) => {
    let land = 0;
    for (const [e, v] of raw) {
      const active = !e.failure?.closeAt || e.failure.closeAt > y2025;
      if (active && e.reportFrom <= y2025) land += landAt(c, v, e.landExpansion);
    }
    return expectedTax / land;
  };
  let lo = 1e-4;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = Math.sqrt(lo * hi);
    if (ratio(mid) > target) lo = mid;
    else hi = mid;
  }
  const c = Math.sqrt(lo * hi);
  for (const [e, r] of raw) e.landMu = round(Math.min(2000, Math.max(r.floor, c * r.v)), 1);
  return c;
}

/** Land in a given year (with a one-off expansion), capped to the 规上 range. */
export function landInYear(e: DemoEnterprise, year: number): number | null {
  if (e.landMu === null) return null;
  if (!e.landExpansion || year < e.landExpansion.year || e.landMu === 0) return e.landMu;
  const cap = e.scale === 'above' ? 2000 : 60;
  return round(Math.min(cap, e.landMu * e.landExpansion.factor), 1);
}
