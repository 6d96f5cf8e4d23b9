// Industry parameters of the demo data, keyed by GB/T 4754 code prefix (the most specific prefix wins:
// class 4 digits, group 3, division 2, then the section letter). All values are ESTIMATES chosen for
// believable ratios, not statistics: output per employee, energy intensity, electricity's share of
// energy, margins, tax, value-added and R&D rates, export behaviour and pollutant intensities.

export interface IndustryProfile {
  /** 万元 output per employee per year (2018 level) */
  productivity: number;
  /** 吨标准煤 per 万元 output */
  energy: number;
  /** share of energy taken as electricity (1 万千瓦时 = 1.229 tce, 当量值) */
  elecShare: number;
  /** profit / revenue */
  margin: number;
  /** taxes paid / revenue */
  taxRate: number;
  /** value added / output */
  vaRate: number;
  /** R&D expense / revenue */
  rdRate: number;
  /** probability that a firm exports, and the mean export share of those that do */
  exportProb: number;
  exportShare: number;
  /** pollutants, tonnes per 万元 output */
  cod: number;
  nh3: number;
  so2: number;
  nox: number;
  /** median size relative to the all-industry median */
  size: number;
  /** land per size relative to the average */
  land: number;
}

const BASE: IndustryProfile = {
  productivity: 90,
  energy: 0.05,
  elecShare: 0.7,
  margin: 0.06,
  taxRate: 0.042,
  vaRate: 0.24,
  rdRate: 0.022,
  exportProb: 0.4,
  exportShare: 0.25,
  cod: 0.00003,
  nh3: 0.000003,
  so2: 0.00001,
  nox: 0.00003,
  size: 1,
  land: 1,
};

const P = (p: Partial<IndustryProfile>): Partial<IndustryProfile> => p;

/** Overrides by code prefix or section letter. */
// prettier-ignore
export const PROFILE_OVERRIDES: Record<string, Partial<IndustryProfile>> = {
  B: P({ productivity: 150, energy: 0.12, elecShare: 0.7, exportProb: 0, rdRate: 0.003, land: 3, size: 0.8 }),
  D: P({ productivity: 600, energy: 0.1, elecShare: 0.9, margin: 0.08, taxRate: 0.05, vaRate: 0.35, rdRate: 0.003, exportProb: 0, size: 2, land: 1.6 }),
  '44': P({ energy: 2.0, elecShare: 0.05, so2: 0.0012, nox: 0.0018, cod: 0.00005 }),
  '4416': P({ energy: 0.02, elecShare: 0.9, so2: 0, nox: 0, productivity: 900, size: 0.6 }),
  '45': P({ energy: 0.02, elecShare: 0.6, productivity: 700 }),
  '46': P({ energy: 0.15, elecShare: 0.95, productivity: 120, cod: 0.002, nh3: 0.0003, size: 0.7 }),
  '13': P({ productivity: 140, energy: 0.06, elecShare: 0.55, margin: 0.05, vaRate: 0.2, rdRate: 0.01, exportProb: 0.25, exportShare: 0.2, cod: 0.0006, nh3: 0.00005 }),
  '14': P({ productivity: 100, energy: 0.07, elecShare: 0.55, margin: 0.07, vaRate: 0.26, rdRate: 0.012, exportProb: 0.2, cod: 0.0006, nh3: 0.00005 }),
  '15': P({ productivity: 120, energy: 0.06, elecShare: 0.55, margin: 0.09, taxRate: 0.06, vaRate: 0.3, rdRate: 0.01, exportProb: 0.1, cod: 0.0005 }),
  '17': P({ productivity: 90, energy: 0.1, elecShare: 0.6, margin: 0.045, vaRate: 0.22, rdRate: 0.018, exportProb: 0.55, exportShare: 0.3, cod: 0.00008 }),
  '1713': P({ energy: 0.32, elecShare: 0.35, cod: 0.0012, nh3: 0.0001, so2: 0.0001, nox: 0.0001 }),
  '1723': P({ energy: 0.32, elecShare: 0.35, cod: 0.0012, nh3: 0.0001, so2: 0.0001, nox: 0.0001 }),
  '1733': P({ energy: 0.32, elecShare: 0.35, cod: 0.0012, nh3: 0.0001, so2: 0.0001, nox: 0.0001 }),
  '1743': P({ energy: 0.32, elecShare: 0.35, cod: 0.0012, nh3: 0.0001, so2: 0.0001, nox: 0.0001 }),
  '1752': P({ energy: 0.32, elecShare: 0.35, cod: 0.0012, nh3: 0.0001, so2: 0.0001, nox: 0.0001 }),
  '1762': P({ energy: 0.32, elecShare: 0.35, cod: 0.0012, nh3: 0.0001, so2: 0.0001, nox: 0.0001 }),
  '18': P({ productivity: 35, energy: 0.02, elecShare: 0.75, margin: 0.05, taxRate: 0.035, vaRate: 0.28, rdRate: 0.012, exportProb: 0.7, exportShare: 0.5, size: 0.6, land: 0.7 }),
  '19': P({ productivity: 50, energy: 0.04, elecShare: 0.8, margin: 0.05, taxRate: 0.036, vaRate: 0.27, rdRate: 0.012, exportProb: 0.6, exportShare: 0.45, size: 0.7 }),
  '1910': P({ energy: 0.15, elecShare: 0.4, cod: 0.0012, nh3: 0.00018 }),
  '1931': P({ energy: 0.12, elecShare: 0.4, cod: 0.001, nh3: 0.00015 }),
  '20': P({ productivity: 80, energy: 0.06, vaRate: 0.24, exportProb: 0.3, size: 0.8, land: 1.3 }),
  '21': P({ productivity: 60, energy: 0.03, elecShare: 0.75, vaRate: 0.26, rdRate: 0.02, exportProb: 0.6, exportShare: 0.45, size: 0.8, land: 1.2 }),
  '22': P({ productivity: 200, energy: 0.35, elecShare: 0.35, margin: 0.05, vaRate: 0.22, rdRate: 0.015, exportProb: 0.2, cod: 0.0009, nh3: 0.00006, so2: 0.0002, nox: 0.0002, size: 1.5, land: 1.3 }),
  '223': P({ energy: 0.06, elecShare: 0.8, cod: 0.0001, size: 0.9 }),
  '23': P({ productivity: 60, energy: 0.03, exportProb: 0.15, size: 0.7 }),
  '24': P({ productivity: 55, energy: 0.03, exportProb: 0.65, exportShare: 0.55, size: 0.7 }),
  '25': P({ productivity: 1500, energy: 0.4, elecShare: 0.15, margin: 0.04, taxRate: 0.08, vaRate: 0.15, rdRate: 0.005, exportProb: 0.1, so2: 0.0003, nox: 0.0004, cod: 0.0002, size: 5, land: 2 }),
  '26': P({ productivity: 450, energy: 0.3, elecShare: 0.25, margin: 0.07, taxRate: 0.05, vaRate: 0.2, rdRate: 0.025, exportProb: 0.35, exportShare: 0.12, cod: 0.0004, nh3: 0.00004, so2: 0.00015, nox: 0.0002, size: 2.2, land: 1.6 }),
  '2614': P({ productivity: 1200, energy: 0.35, size: 3 }),
  '27': P({ productivity: 150, energy: 0.08, elecShare: 0.6, margin: 0.12, vaRate: 0.35, rdRate: 0.06, exportProb: 0.4, exportShare: 0.3, cod: 0.0005, nh3: 0.00005, size: 1.3 }),
  '28': P({ productivity: 500, energy: 0.18, elecShare: 0.4, margin: 0.04, vaRate: 0.18, rdRate: 0.02, exportProb: 0.5, exportShare: 0.12, cod: 0.0002, nh3: 0.00002, so2: 0.00005, nox: 0.00008, size: 3, land: 1.4 }),
  '29': P({ productivity: 90, energy: 0.08, elecShare: 0.7, vaRate: 0.22, exportProb: 0.4, exportShare: 0.25 }),
  '2911': P({ productivity: 200, energy: 0.12, elecShare: 0.6, size: 2.5, so2: 0.00008, nox: 0.0001 }),
  '30': P({ productivity: 150, energy: 0.45, elecShare: 0.3, vaRate: 0.26, rdRate: 0.018, exportProb: 0.2, so2: 0.0004, nox: 0.0008, size: 1.3, land: 1.6 }),
  '304': P({ energy: 0.6, elecShare: 0.25, so2: 0.0005, nox: 0.0012, size: 2 }),
  '306': P({ energy: 0.35, elecShare: 0.4, so2: 0.0002, nox: 0.0006, size: 2 }),
  '31': P({ productivity: 400, energy: 0.5, elecShare: 0.6, margin: 0.03, vaRate: 0.18, rdRate: 0.015, so2: 0.0003, nox: 0.0005, size: 2, land: 1.5 }),
  '32': P({ productivity: 300, energy: 0.15, elecShare: 0.7, margin: 0.03, vaRate: 0.15, rdRate: 0.015, size: 1.6 }),
  '3218': P({ energy: 2.0, elecShare: 0.95, productivity: 250, size: 2 }),
  '33': P({ productivity: 80, energy: 0.05, vaRate: 0.25, rdRate: 0.025, exportProb: 0.4, exportShare: 0.3, cod: 0.00005, land: 1.1 }),
  '34': P({ productivity: 90, energy: 0.03, elecShare: 0.8, margin: 0.07, vaRate: 0.28, rdRate: 0.035, exportProb: 0.45, exportShare: 0.22 }),
  '35': P({ productivity: 90, energy: 0.03, elecShare: 0.8, margin: 0.07, vaRate: 0.28, rdRate: 0.035, exportProb: 0.4, exportShare: 0.2 }),
  '36': P({ productivity: 120, energy: 0.025, elecShare: 0.75, margin: 0.06, vaRate: 0.22, rdRate: 0.035, exportProb: 0.4, exportShare: 0.15, size: 1.2 }),
  '3612': P({ productivity: 250, margin: -0.05, rdRate: 0.08, exportProb: 0.2, size: 3 }),
  '37': P({ productivity: 100, energy: 0.03, vaRate: 0.25, rdRate: 0.03, exportProb: 0.4 }),
  '38': P({ productivity: 130, energy: 0.03, elecShare: 0.8, margin: 0.065, vaRate: 0.22, rdRate: 0.035, exportProb: 0.5, exportShare: 0.3 }),
  '3825': P({ productivity: 250, energy: 0.06, elecShare: 0.75, margin: 0.05, vaRate: 0.2, rdRate: 0.04, exportProb: 0.8, exportShare: 0.45, size: 1.8 }),
  '3841': P({ productivity: 200, energy: 0.04, rdRate: 0.045, size: 1.5 }),
  '385': P({ productivity: 110, exportProb: 0.6, exportShare: 0.4, rdRate: 0.03 }),
  '39': P({ productivity: 140, energy: 0.02, elecShare: 0.85, margin: 0.04, vaRate: 0.2, rdRate: 0.045, exportProb: 0.6, exportShare: 0.45, land: 0.6 }),
  '3985': P({ productivity: 300, energy: 0.08, rdRate: 0.04, size: 1.5, cod: 0.0002 }),
  '40': P({ productivity: 80, energy: 0.02, margin: 0.09, vaRate: 0.32, rdRate: 0.05, exportProb: 0.35 }),
  '41': P({ productivity: 60, energy: 0.03, exportProb: 0.5, exportShare: 0.4, size: 0.7 }),
  '42': P({ productivity: 200, energy: 0.08, margin: 0.03, vaRate: 0.15, rdRate: 0.008, exportProb: 0, cod: 0.0002 }),
  '43': P({ productivity: 70, energy: 0.02, rdRate: 0.01, exportProb: 0.1, size: 0.6 }),
};

const cache = new Map<string, IndustryProfile>();

/** The profile of an industry class (4-digit code, or a letter-prefixed section fallback). */
export function industryProfile(code: string, section: string): IndustryProfile {
  const key = `${section}:${code}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // Apply from general to specific: section, division, group, class.
  let p: IndustryProfile = { ...BASE, ...(PROFILE_OVERRIDES[section] ?? {}) };
  for (let len = 2; len <= code.length; len++) {
    const o = PROFILE_OVERRIDES[code.slice(0, len)];
    if (o) p = { ...p, ...o };
  }
  cache.set(key, p);
  return p;
}

// ------------------------------------------------------------------ industry weights

/**
 * Relative weight (by count of firms) of each class inside its bucket, keyed by class code; classes not
 * listed weigh 1 (cluster buckets) or their division weight spread over the division's classes
 * ('other'). ESTIMATE shaped by Jiaxing's known specialities (polyester, warp knitting, sweaters,
 * leather, PV, silicone, gearboxes, integrated stoves and ceilings, furniture). A class mapped to two
 * clusters has a weight in each.
 */
export const CLASS_WEIGHTS: Record<string, Record<string, number>> = {
  textile: {
    '2822': 6,
    '2821': 2,
    '2826': 1.5,
    '1751': 8,
    '1752': 5,
    '1761': 7,
    '1762': 2,
    '1763': 4,
    '1829': 7,
    '1819': 6,
    '1821': 3,
    '1830': 2,
    '1771': 4,
    '1773': 3,
    '1781': 3,
    '1712': 2,
    '1713': 1.5,
    '1742': 2,
    '1921': 3,
    '1922': 2,
    '1932': 1.5,
    '1952': 1.5,
    '1941': 0.5,
    '2811': 0.2,
    '2824': 0.2,
    '2831': 0.5,
    '2653': 0.3,
    '2614': 0.3,
    '3551': 2,
  },
  new_energy: {
    '3825': 8,
    '3311': 5,
    '3831': 4,
    '3824': 2,
    '3841': 2,
    '3985': 1.5,
    '3411': 2,
    '3042': 1,
    '3041': 0.3,
    '3218': 0.2,
    '4416': 1,
    '4414': 0,
    '2530': 0,
  },
  chem_materials: {
    '2511': 0.1,
    '2641': 4,
    '2661': 5,
    '2662': 3,
    '2651': 4,
    '2652': 1,
    '2659': 2,
    '2669': 3,
    '2645': 1,
    '2614': 2,
    '2613': 1,
    '2619': 1,
    '2653': 0.5,
    '1332': 0.5,
    '3061': 1,
    '3062': 2,
    '3985': 0.5,
    '2664': 0.3,
    '2665': 0.2,
    '2667': 0.1,
    '2644': 0.3,
  },
  automotive: {
    '3670': 14,
    '3611': 0.2,
    '3612': 0.3,
    '3620': 0.4,
    '3630': 0.5,
    '3640': 0.1,
    '3650': 0.1,
    '3660': 1,
    '2911': 0.5,
    '3451': 2,
    '3453': 2,
    '3812': 1.5,
    '3962': 1,
    '3972': 0.5,
    '3952': 0.5,
    '3872': 1,
    '3841': 1,
    '3824': 1,
  },
  smart_home: {
    '2110': 5,
    '2130': 2,
    '2190': 1.5,
    '3854': 4,
    '3855': 2,
    '3856': 1.5,
    '3857': 2,
    '3853': 1.5,
    '3861': 1.5,
    '3874': 2,
    '3879': 1,
    '3312': 3,
    '2032': 1.5,
    '2922': 2,
    '3399': 4,
    '3969': 1,
    '1771': 1,
    '1773': 1,
    '3872': 1,
    '5012': 0,
  },
  other: {
    // utilities and mining: only the classes listed here are drawn in RESTRICTED_DIVISIONS
    '4411': 0.5,
    '4412': 3,
    '4415': 0.5,
    '4417': 1,
    '4420': 0.3,
    '4430': 2,
    '4511': 2,
    '4512': 0.5,
    '4610': 1.5,
    '4620': 2,
    '1012': 0.5,
    '1019': 1,
  },
};

/** Divisions where only classes with an explicit CLASS_WEIGHTS entry are drawn. */
export const RESTRICTED_DIVISIONS = new Set(['10', '44', '45', '46']);

/** Division weights for the 'other' bucket (manufacturing outside the clusters, mining, utilities). */
// prettier-ignore
export const OTHER_DIVISION_WEIGHTS: Record<string, number> = {
  '13': 1.5,
  '14': 2,
  '15': 1,
  '16': 0,
  '20': 1.5,
  '22': 4,
  '23': 1.5,
  '24': 2.5,
  '25': 0.3,
  '26': 1.5,
  '27': 3,
  '29': 10,
  '30': 5,
  '31': 1,
  '32': 2,
  '33': 12,
  '34': 14,
  '35': 10,
  '37': 1,
  '38': 8,
  '39': 7,
  '40': 3,
  '41': 1,
  '42': 1,
  '43': 0.5,
  // mining: very little in Jiaxing
  '10': 0.3,
  // utilities: the 亩均 evaluation excludes 44/45/46
  '44': 1.2,
  '45': 0.6,
  '46': 0.8,
};
