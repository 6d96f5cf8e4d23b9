// Calibration of the synthetic demo data: every number the generator aims at, with where it comes
// from. Public figures come from the project's reference statistics (stats.csv in the shared reference
// pack, cited by URL below); everything else is an ESTIMATE chosen to look believable and is labelled
// so. The demo data are synthetic: they imitate the shape of Jiaxing's industry, never its real firms.
//
// Monetary amounts here are in 亿元 unless a name says otherwise (the database stores 万元).

export type Bucket = 'textile' | 'new_energy' | 'chem_materials' | 'automotive' | 'smart_home' | 'other';
export const BUCKETS: readonly Bucket[] = [
  'textile',
  'new_energy',
  'chem_materials',
  'automotive',
  'smart_home',
  'other',
] as const;
export const CLUSTER_BUCKETS: readonly Bucket[] = BUCKETS.filter((b) => b !== 'other');

// ------------------------------------------------------------------ public figures we calibrate to

export interface CalibrationTarget {
  key: string;
  label: string;
  value: number;
  /** acceptable band for the generated value (inclusive) */
  band: [number, number];
  unit: string;
  basis: string;
  source: string;
}

const ZJOL_2018 = 'https://zjnews.zjol.com.cn/zjnews/jxnews/201810/t20181029_8603812.shtml';
const XIUZHOU_2022 = 'http://www.360elib.com:2027/detail.aspx?NewsCode=NC194&NewsId=65439810&OrgId=001';
const PLAN_135N = 'https://jxj.jiaxing.gov.cn/art/2023/4/6/art_1229399353_5090351.html';
const POLICY_2020 = 'https://www.jiaxing.gov.cn/art/2020/9/29/art_1228922755_58838294.html';

export const CALIBRATION_TARGETS: readonly CalibrationTarget[] = [
  {
    key: 'base2018',
    label: '规上工业总产值, 2018-equivalent annual level (firms existing by end-2018)',
    value: 9337,
    band: [9000, 9700],
    unit: '亿元',
    basis: 'stats.csv 规上工业总产值 嘉兴市 2018-01..09 = 7002.8 亿元, × 12/9',
    source: ZJOL_2018,
  },
  {
    key: 'output2025',
    label: '规上工业总产值 2025',
    value: 14000,
    band: [13000, 15000],
    unit: '亿元',
    basis: 'ESTIMATE (no official 2019–2025 totals found): growth path of roughly 5–6 %/yr with 2020 dip',
    source: 'brief / ESTIMATE',
  },
  {
    key: 'clusterShare2025',
    label: 'five-cluster share of 规上 output 2025 (each firm counted once)',
    value: 0.65,
    band: [0.6, 0.7],
    unit: 'share',
    basis:
      'ESTIMATE; the old "四大千亿产业" were 69.8 % of 规上 output in 2018-01..09 (stats.csv), the five clusters are a comparable core',
    source: ZJOL_2018,
  },
  {
    key: 'outsideShare',
    label: 'share of 规上 firms outside the five clusters',
    value: 0.4,
    band: [0.35, 0.45],
    unit: 'share',
    basis: 'ESTIMATE (brief): about 40 % of 规上 firms are other manufacturing, mining or utilities',
    source: 'brief / ESTIMATE',
  },
  {
    key: 'xiuzhou2022',
    label: '秀洲区 规上工业总产值 2022',
    value: 1070,
    band: [1000, 1140],
    unit: '亿元',
    basis: 'stats.csv 规上工业总产值 秀洲区 2022 = 1070 亿元 (+11.2 %, first time >1000 亿)',
    source: XIUZHOU_2022,
  },
  {
    key: 'taxPerMu2025',
    label: '规上 亩均税收 2025',
    value: 35,
    band: [30, 40],
    unit: '万元/亩',
    basis: 'TARGET 规上工业亩均税收 37 万元/亩 by 2025 (135N plan); demo aims a little below the target',
    source: PLAN_135N,
  },
  {
    key: 'xiuzhouHtzFirms',
    label: '秀洲高新区 规上工业企业数',
    value: 170,
    band: [120, 230],
    unit: '家',
    basis: 'stats.csv: 169 (end-2020), 171 (2021)',
    source: 'http://m.hbzqbyyxgs.com/zhaoshang/517914.html',
  },
  {
    key: 'textileLeader2025',
    label: 'largest textile firm output 2025',
    value: 950,
    band: [800, 1050],
    unit: '亿元',
    basis: 'policy ladder: textile 1 firm ≥ 1000 亿 by 2025 (a target, so the demo leader approaches it)',
    source: POLICY_2020,
  },
];

// ------------------------------------------------------------------ sizes and counts

/** Enterprise counts at city scale (ESTIMATE; the city's count of 规上 firms was not found). */
export const CITY_COUNTS = { above: 7000, below: 15000 } as const;
/** Province scale multiplies the counts (a benchmark size, not a calibrated province). */
export const PROVINCE_FACTOR = 10;

/** Share of 规上 / 规下 firms by bucket (by count). ~40 % of 规上 firms outside the five clusters. */
// prettier-ignore
export const COUNT_SHARES: Record<'above' | 'below', Record<Bucket, number>> = {
  above: { textile: 0.27, new_energy: 0.05, chem_materials: 0.06, automotive: 0.1, smart_home: 0.11, other: 0.41 },
  below: { textile: 0.3, new_energy: 0.03, chem_materials: 0.04, automotive: 0.08, smart_home: 0.12, other: 0.43 },
};

/**
 * 2018-equivalent annual output (亿元) of 规上 firms by bucket. Sums to 9,300 ≈ 7002.8 × 12/9. The split
 * is an ESTIMATE informed by the 2025 cluster targets (textile and chemicals 3,000 each, the other three
 * 1,000 each) and by the four "千亿" industries being 69.8 % of output in 2018.
 */
// prettier-ignore
export const BASE_OUTPUT_2018: Record<Bucket, number> = {
  textile: 2350,
  new_energy: 650,
  chem_materials: 1750,
  automotive: 520,
  smart_home: 480,
  other: 3550,
};

/**
 * Share of 2018-equivalent 规上 output by county (ESTIMATE). 秀洲 is set so that its 2022 output lands
 * near the published 1,070 亿元 after its photovoltaic firms' growth.
 */
export const COUNTY_OUTPUT_SHARES: Record<string, number> = {
  '330402': 0.135, // 南湖区 (hosts 经开区, 工业园区)
  '330411': 0.068, // 秀洲区
  '330421': 0.105, // 嘉善县
  '330424': 0.08, // 海盐县
  '330481': 0.172, // 海宁市
  '330482': 0.205, // 平湖市 (hosts 港区)
  '330483': 0.235, // 桐乡市
};

/** Where firms of each bucket sit (by count; ESTIMATE following the bases named in the 2020 policy). */
// prettier-ignore
export const COUNTY_WEIGHTS: Record<Bucket, Record<string, number>> = {
  textile: { '330483': 0.3, '330481': 0.25, '330411': 0.16, '330421': 0.08, '330482': 0.09, '330402': 0.07, '330424': 0.05 },
  new_energy: { '330411': 0.26, '330481': 0.24, '330424': 0.2, '330421': 0.08, '330482': 0.08, '330402': 0.07, '330483': 0.07 },
  chem_materials: { '330482': 0.42, '330424': 0.1, '330483': 0.1, '330481': 0.1, '330421': 0.08, '330402': 0.08, '330411': 0.12 },
  automotive: { '330402': 0.22, '330482': 0.22, '330483': 0.18, '330421': 0.12, '330424': 0.1, '330481': 0.08, '330411': 0.08 },
  smart_home: { '330411': 0.2, '330421': 0.25, '330424': 0.15, '330481': 0.15, '330402': 0.08, '330482': 0.08, '330483': 0.09 },
  other: { '330402': 0.18, '330421': 0.16, '330482': 0.16, '330481': 0.14, '330483': 0.12, '330424': 0.12, '330411': 0.12 },
};

/** Size distribution of 规上 firms: log-normal 2018-equivalent annual output, 万元, floored at the
 * 规上 threshold (营业收入 2000 万元). Leading firms are added explicitly (ANCHORS). */
export const ABOVE_SIZE = { median: 4500, sigma: 1.15, floor: 2000 } as const;
/** Firms that become 规上 after 2018: their share of new 规上 draws and their relative size. */
export const NEW_ENTRANTS = { share: 0.07, size: 0.45 } as const;
/** 规下 firms: annual revenue, 万元, below the 2000 万元 threshold. */
export const BELOW_SIZE = { median: 480, sigma: 0.85, min: 30, max: 1990 } as const;

// ------------------------------------------------------------------ growth paths

export const FIRST_YEAR = 2019;
/** Monthly statistics run to this month (inclusive). */
export const LAST_MONTH = '2026-10';
/** Annual evaluation inputs cover these years. */
export const ANNUAL_YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025] as const;

/**
 * Output index by bucket and year, 2018 = 1 (ESTIMATE). Textile slow; new energy fast 2020–2023 then
 * the 2024 photovoltaic price slump; chemicals cyclical; automotive lifted by NEVs; 2020 COVID dip.
 */
// prettier-ignore
export const TRENDS: Record<Bucket, Record<number, number>> = {
  textile: { 2018: 1, 2019: 1.03, 2020: 0.97, 2021: 1.14, 2022: 1.17, 2023: 1.2, 2024: 1.27, 2025: 1.32, 2026: 1.36 },
  new_energy: { 2018: 1, 2019: 1.15, 2020: 1.35, 2021: 1.75, 2022: 2.4, 2023: 2.85, 2024: 2.25, 2025: 2.3, 2026: 2.4 },
  chem_materials: { 2018: 1, 2019: 1.02, 2020: 0.92, 2021: 1.28, 2022: 1.38, 2023: 1.25, 2024: 1.34, 2025: 1.44, 2026: 1.41 },
  automotive: { 2018: 1, 2019: 0.95, 2020: 0.98, 2021: 1.18, 2022: 1.45, 2023: 1.65, 2024: 1.78, 2025: 1.9, 2026: 2.0 },
  smart_home: { 2018: 1, 2019: 1.04, 2020: 1.02, 2021: 1.18, 2022: 1.16, 2023: 1.22, 2024: 1.29, 2025: 1.35, 2026: 1.39 },
  other: { 2018: 1, 2019: 1.04, 2020: 1.03, 2021: 1.19, 2022: 1.21, 2023: 1.24, 2024: 1.29, 2025: 1.33, 2026: 1.37 },
};

/** Profit-margin swing by bucket and year (added to a firm's margin; ESTIMATE). */
// prettier-ignore
export const MARGIN_CYCLE: Partial<Record<Bucket, Record<number, number>>> = {
  chem_materials: { 2020: -0.02, 2021: 0.03, 2022: 0.01, 2023: -0.025 },
  new_energy: { 2022: 0.01, 2023: -0.005, 2024: -0.07, 2025: -0.03 },
  textile: { 2020: -0.01, 2022: -0.015 },
  automotive: { 2024: -0.01 },
};

// ------------------------------------------------------------------ seasonality

/**
 * 春节 (lunar new year's day), 2019–2026, from the Chinese calendar. The month that holds it is the
 * seasonal trough of the year; the neighbouring January/February is dented less the further away the
 * holiday falls.
 */
// prettier-ignore
export const LUNAR_NEW_YEAR: Record<number, string> = {
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
};

/** Month factors March–December before normalisation (index 0 = March; ESTIMATE: quarter-end and
 * year-end pushes, the October national-day holiday). */
export const SEASON_MAR_DEC = [1.0, 1.01, 1.03, 1.07, 0.99, 0.98, 1.05, 0.97, 1.05, 1.12] as const;
export const SPRING_FESTIVAL_FACTOR = 0.66;

// ------------------------------------------------------------------ shocks

export interface Shock {
  from: string; // YYYY-MM
  to: string; // YYYY-MM, inclusive
  factor: number;
  county?: string;
  zone?: string;
  buckets?: Bucket[];
  /** 2-digit divisions or 4-digit classes */
  industries?: string[];
  note: string;
  synthetic: boolean;
}

// prettier-ignore
export const SHOCKS: readonly Shock[] = [
  { from: '2020-02', to: '2020-02', factor: 0.45, note: 'COVID-19 shutdown', synthetic: false },
  { from: '2020-03', to: '2020-03', factor: 0.85, note: 'COVID-19 restart', synthetic: false },
  { from: '2020-04', to: '2020-04', factor: 0.96, note: 'COVID-19 restart', synthetic: false },
  { from: '2021-09', to: '2021-10', factor: 0.86, industries: ['17', '22', '26', '28', '30', '31'], note: '能耗双控 power rationing in energy-intensive industries (Zhejiang, autumn 2021)', synthetic: false },
  { from: '2022-04', to: '2022-04', factor: 0.75, buckets: ['automotive'], note: 'Shanghai lockdown cuts auto supply chains', synthetic: false },
  { from: '2022-05', to: '2022-05', factor: 0.9, buckets: ['automotive'], note: 'Shanghai lockdown, recovery', synthetic: false },
  { from: '2022-03', to: '2022-07', factor: 0.9, county: '330481', note: '海宁 county-wide drop (stats.csv: 海宁 规上增加值 −3.0 % in 2022-01..07); size and months ESTIMATE', synthetic: true },
  { from: '2022-05', to: '2022-08', factor: 0.94, county: '330424', note: '海盐 slowdown (stats.csv: +0.2 % in 2022-01..07); size and months ESTIMATE', synthetic: true },
  { from: '2022-01', to: '2022-07', factor: 0.95, zone: 'Z-JXPORT', note: '港区 slowdown (stats.csv: −1.1 % in 2022-01..07); size and months ESTIMATE', synthetic: true },
  { from: '2024-07', to: '2024-09', factor: 0.85, county: '330421', note: 'SYNTHETIC county-wide drop in 嘉善 (no real event): a test case for county early warnings', synthetic: true },
];

// ------------------------------------------------------------------ leading firms

export interface AnchorSpec {
  key: string;
  bucket: Bucket;
  county: string;
  zone?: string;
  industry: string;
  /** 2018-equivalent annual output, 亿元 */
  base: number;
  /** extra yearly growth on top of the bucket trend (e.g. 0.04 = +4 %/yr) */
  ownGrowth?: number;
  /** explicit own-path multipliers by year (overrides ownGrowth) */
  ownPath?: Record<number, number>;
  founded?: string;
  /** the firm fails: output collapses from this month and it is suspended */
  failFrom?: string;
}

/**
 * Leading firms, one or two per cluster plus some outside (ESTIMATE; shaped after the policy's
 * 100/500/1000 亿 ladders and the public 2018 note that two firms passed 100 亿). Names are generated, never
 * those of real enterprises.
 */
// prettier-ignore
export const ANCHORS: readonly AnchorSpec[] = [
  { key: 'tex-polyester-1', bucket: 'textile', county: '330483', zone: 'Z-TXEDZ', industry: '2822', base: 520, ownGrowth: 0.05, founded: '1995-06-18' },
  { key: 'tex-polyester-2', bucket: 'textile', county: '330483', industry: '2822', base: 330, ownGrowth: 0.03, founded: '2000-03-09' },
  { key: 'tex-nylon', bucket: 'textile', county: '330483', industry: '2821', base: 85, ownGrowth: 0.01, founded: '2004-09-21' },
  { key: 'tex-warp-knit', bucket: 'textile', county: '330481', industry: '1761', base: 75, founded: '1998-11-02' },
  { key: 'tex-spandex', bucket: 'textile', county: '330481', industry: '2826', base: 60, founded: '2006-05-15' },
  { key: 'tex-dyeing', bucket: 'textile', county: '330411', industry: '1752', base: 45, ownGrowth: -0.02, founded: '2002-07-30' },
  { key: 'ne-pv-modules', bucket: 'new_energy', county: '330481', industry: '3825', base: 150, ownGrowth: 0.05, founded: '2006-08-08' },
  { key: 'ne-pv-cells', bucket: 'new_energy', county: '330411', zone: 'Z-XZPV', industry: '3825', base: 55, founded: '2009-04-26' },
  { key: 'ne-pv-glass', bucket: 'new_energy', county: '330411', zone: 'Z-XZHTZ', industry: '3042', base: 30, founded: '2011-10-12' },
  { key: 'ne-pv-new-plant', bucket: 'new_energy', county: '330411', zone: 'Z-XZHTZ', industry: '3825', base: 40, founded: '2019-03-20' },
  { key: 'ne-pv-cells-2', bucket: 'new_energy', county: '330481', zone: 'Z-HNJS', industry: '3825', base: 35, founded: '2010-01-15' },
  { key: 'ne-nuclear-equipment', bucket: 'new_energy', county: '330424', zone: 'Z-HYNUC', industry: '3411', base: 12, founded: '2003-12-01' },
  { key: 'ne-battery-materials', bucket: 'new_energy', county: '330483', zone: 'Z-TXEDZ', industry: '3985', base: 20, ownGrowth: 0.12, founded: '2018-02-06' },
  { key: 'chem-c3', bucket: 'chem_materials', county: '330482', industry: '2614', base: 170, ownGrowth: 0.06, founded: '2005-10-10' },
  { key: 'chem-pta', bucket: 'chem_materials', county: '330482', zone: 'Z-JXPORT', industry: '2614', base: 160, founded: '2006-02-14' },
  { key: 'chem-silicone', bucket: 'chem_materials', county: '330482', zone: 'Z-JXPORT', industry: '2659', base: 90, ownGrowth: 0.03, founded: '2007-05-22' },
  { key: 'chem-glass-fibre', bucket: 'chem_materials', county: '330483', industry: '3061', base: 110, founded: '1999-09-09' },
  { key: 'chem-polycarbonate', bucket: 'chem_materials', county: '330482', zone: 'Z-JXPORT', industry: '2651', base: 55, founded: '2004-04-04' },
  { key: 'chem-surfactants', bucket: 'chem_materials', county: '330482', zone: 'Z-JXPORT', industry: '2661', base: 45, founded: '2008-08-18' },
  { key: 'chem-rubber', bucket: 'chem_materials', county: '330482', zone: 'Z-JXPORT', industry: '2652', base: 25, founded: '2010-06-30' },
  { key: 'auto-gearbox', bucket: 'automotive', county: '330483', zone: 'Z-TXEDZ', industry: '3670', base: 55, ownGrowth: 0.02, founded: '2009-11-11' },
  { key: 'auto-parts', bucket: 'automotive', county: '330402', zone: 'Z-JXETDZ', industry: '3670', base: 45, founded: '1996-05-05' },
  { key: 'auto-tyres', bucket: 'automotive', county: '330402', industry: '2911', base: 30, founded: '2001-03-03' },
  { key: 'auto-motors', bucket: 'automotive', county: '330482', zone: 'Z-PHEDZ', industry: '3812', base: 25, founded: '2003-07-07' },
  { key: 'auto-nev-startup', bucket: 'automotive', county: '330483', zone: 'Z-TXEDZ', industry: '3612', base: 8, ownPath: { 2018: 1, 2019: 2.6, 2020: 3.2, 2021: 6.5, 2022: 9.5, 2023: 7.5, 2024: 3, 2025: 1, 2026: 1 }, founded: '2014-10-18', failFrom: '2024-04' },
  { key: 'home-furniture', bucket: 'smart_home', county: '330421', zone: 'Z-JSEDZ', industry: '2110', base: 28, founded: '1997-02-20' },
  { key: 'home-kitchen', bucket: 'smart_home', county: '330481', zone: 'Z-HNJS', industry: '3854', base: 15, ownGrowth: 0.03, founded: '2010-12-12' },
  { key: 'home-ceiling', bucket: 'smart_home', county: '330411', zone: 'Z-WDJC', industry: '3399', base: 8, founded: '2004-06-06' },
  { key: 'home-lighting', bucket: 'smart_home', county: '330424', industry: '3874', base: 12, founded: '2008-03-15' },
  { key: 'home-appliances', bucket: 'smart_home', county: '330421', industry: '3855', base: 18, founded: '2005-09-25' },
  { key: 'other-electronics', bucket: 'other', county: '330402', zone: 'Z-JXETDZ', industry: '3922', base: 150, founded: '2006-01-10' },
  { key: 'other-optics', bucket: 'other', county: '330421', zone: 'Z-JSEDZ', industry: '3976', base: 40, founded: '2007-07-17' },
  { key: 'other-paper', bucket: 'other', county: '330482', industry: '2221', base: 50, founded: '1996-08-16' },
];

// ------------------------------------------------------------------ places

export interface ZoneProfile {
  /** probability that a firm of the host county (by bucket) sits in the zone */
  share: Partial<Record<Bucket | 'default', number>>;
  /** class-weight multipliers for firms in the zone, keyed by code prefix */
  boost?: Record<string, number>;
}

/**
 * How strongly each zone attracts its host county's firms (ESTIMATE). Checked in this order, so a
 * nested zone (光伏小镇 inside 秀洲高新区) comes before its parent. Zones not listed get a small default.
 */
// prettier-ignore
export const ZONE_PROFILES: Record<string, ZoneProfile> = {
  'Z-JXPORT': { share: { chem_materials: 0.62, new_energy: 0.1, default: 0.07 }, boost: { '26': 3, '2614': 4, '2651': 3 } },
  'Z-PHEDZ': { share: { automotive: 0.35, other: 0.3, smart_home: 0.15, default: 0.1 }, boost: { '34': 2, '35': 2, '3812': 3 } },
  'Z-XZPV': { share: { new_energy: 0.3, default: 0.01 }, boost: { '3825': 4 } },
  'Z-XZHTZ': { share: { new_energy: 0.4, other: 0.15, automotive: 0.15, smart_home: 0.08, default: 0.07 }, boost: { '3825': 3, '39': 2 } },
  'Z-WDJC': { share: { smart_home: 0.3, default: 0.02 }, boost: { '3399': 30, '2922': 4 } },
  'Z-JXETDZ': { share: { automotive: 0.45, other: 0.3, smart_home: 0.15, new_energy: 0.2, default: 0.12 }, boost: { '36': 2, '39': 2 } },
  'Z-JXIP': { share: { default: 0.1 } },
  'Z-JSEDZ': { share: { other: 0.25, smart_home: 0.25, automotive: 0.25, default: 0.15 }, boost: { '39': 2, '21': 2 } },
  'Z-TXEDZ': { share: { automotive: 0.55, new_energy: 0.35, other: 0.15, default: 0.08 }, boost: { '3612': 4, '3670': 2 } },
  'Z-HNJS': { share: { smart_home: 0.3, new_energy: 0.2, default: 0.05 }, boost: { '3854': 6, '3825': 2 } },
  'Z-HYNUC': { share: { new_energy: 0.45, default: 0.03 }, boost: { '3411': 6, '3831': 3, '34': 1.5 } },
};
export const DEFAULT_ZONE_SHARE = 0.06;

/** Class-weight multipliers by county (keyed by code prefix; ESTIMATE from the reference chain notes:
 * 桐乡 polyester, 濮院 sweaters, 洲泉/大麻 home textiles; 海宁 warp knitting and leather; 秀洲 王江泾
 * weaving, 洪合 sweaters; 海盐 nuclear-related equipment; 嘉善 furniture and wood). */
// prettier-ignore
export const COUNTY_BOOSTS: Record<string, Record<string, number>> = {
  '330483': { '282': 3, '1829': 3, '177': 2.5, '1763': 2, '3612': 2 },
  '330481': { '1761': 4, '19': 4, '1781': 2, '177': 2, '3854': 3 },
  '330411': { '1751': 4, '1752': 3, '1829': 2, '3825': 2 },
  '330424': { '3411': 6, '3831': 3, '3311': 2 },
  '330421': { '21': 3, '20': 3, '2032': 3 },
  '330482': { '26': 2, '1819': 2, '36': 1.5 },
  '330402': { '36': 1.5, '39': 1.5 },
};

/** Towns of each zone, used for town_code when the configuration lists none (ESTIMATE). */
export const ZONE_TOWN_SHARE = 0.85;

// ------------------------------------------------------------------ risks

/** Per 1,000 规上 firms (ESTIMATE). */
export const RISK_RATES = {
  failing: 6, // output collapses (≈ 42 firms at city scale)
  closedOfFailing: 0.55, // of the failing, the share that closes and stops reporting
  gaps: 15, // firms with 1–3 missing months
  belowClosed: 30, // 规下 firms closed during 2020–2025 (per 1,000 规下)
} as const;

// ------------------------------------------------------------------ tiers

export interface TierQuota {
  tier: string;
  level: 'national' | 'provincial' | 'city' | null;
  /** count at city scale */
  count: number;
  years: [number, number];
  /** eligible 2018-equivalent size range, 万元 */
  minSize: number;
  maxSize: number;
  /** selection weight ∝ size^beta */
  beta: number;
  /** also draw from 规下 firms */
  includeBelow?: boolean;
  techBias?: boolean;
}

/** Cultivation tiers (ESTIMATE; the city's own counts were NOT FOUND — see jiaxing-facts.md §3). */
// prettier-ignore
export const TIER_QUOTAS: readonly TierQuota[] = [
  { tier: 'xiongying', level: 'provincial', count: 18, years: [2021, 2023], minSize: 300000, maxSize: Infinity, beta: 1 },
  { tier: 'chuying', level: 'provincial', count: 220, years: [2021, 2024], minSize: 0, maxSize: 20000, beta: 0, includeBelow: true, techBias: true },
  { tier: 'zhuanjingtexin', level: 'provincial', count: 620, years: [2019, 2025], minSize: 2000, maxSize: 100000, beta: 0.2, techBias: true },
  { tier: 'zhuanjingtexin', level: 'city', count: 260, years: [2019, 2025], minSize: 0, maxSize: 30000, beta: 0, includeBelow: true, techBias: true },
  { tier: 'little_giant', level: 'national', count: 95, years: [2019, 2024], minSize: 5000, maxSize: 200000, beta: 0.3, techBias: true },
  { tier: 'single_champion', level: 'national', count: 14, years: [2016, 2024], minSize: 30000, maxSize: 1000000, beta: 0.6, techBias: true },
  { tier: 'single_champion', level: 'provincial', count: 30, years: [2018, 2024], minSize: 10000, maxSize: 500000, beta: 0.5 },
  { tier: 'hidden_champion', level: 'provincial', count: 40, years: [2019, 2024], minSize: 10000, maxSize: 300000, beta: 0.4, techBias: true },
  { tier: 'listed', level: null, count: 62, years: [1995, 2025], minSize: 50000, maxSize: Infinity, beta: 0.8 },
  { tier: 'listing_reserve', level: 'provincial', count: 60, years: [2020, 2025], minSize: 20000, maxSize: 500000, beta: 0.5 },
  { tier: 'listing_reserve', level: 'city', count: 100, years: [2020, 2025], minSize: 10000, maxSize: 200000, beta: 0.4 },
];

/** Divisions that count as "technology" for the tier bias. */
export const TECH_DIVISIONS = ['26', '27', '28', '34', '35', '36', '38', '39', '40'];
