// Structure of a regional economy: location quotient, concentration (HHI, top-N share) and the
// shift-share decomposition of growth. Pure functions; formulas and sources in docs/methodology.md.

/**
 * Location quotient LQ_ij = (e_ij / e_j) / (E_i / E): the share of industry i in region j over its
 * share in the reference economy (the city, or the province/country when reference totals exist).
 * Null when a share cannot be formed (zero or missing totals) — never Infinity or NaN.
 */
export function locationQuotient(
  regionIndustry: number,
  regionTotal: number,
  referenceIndustry: number,
  referenceTotal: number,
): number | null {
  const values = [regionIndustry, regionTotal, referenceIndustry, referenceTotal];
  if (values.some((v) => !Number.isFinite(v) || v < 0)) return null;
  if (regionTotal <= 0 || referenceTotal <= 0 || referenceIndustry <= 0) return null;
  return regionIndustry / regionTotal / (referenceIndustry / referenceTotal);
}

export interface Concentration {
  /** Herfindahl–Hirschman index Σ s_k² on shares 0–1; ranges 1/n … 1 */
  hhi: number;
  /** standardised (HHI − 1/n) / (1 − 1/n), 0 … 1; 0 when n = 1 is undefined → null */
  hhiNormalised: number | null;
  /** 1 / HHI: how many equal firms would give this concentration */
  equivalentNumber: number;
  /** share of the largest `topN` firms in the total, 0–1 */
  topShare: number;
  topN: number;
  /** firms with a positive value */
  n: number;
  total: number;
}

/**
 * Concentration of a value (output) over firms. Non-positive and non-finite values are left out: a
 * firm with no output has no share. Null when nothing positive remains.
 */
export function concentration(values: readonly number[], topN = 5): Concentration | null {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => b - a);
  const total = positive.reduce((s, v) => s + v, 0);
  if (positive.length === 0 || total <= 0) return null;
  let hhi = 0;
  for (const v of positive) hhi += (v / total) ** 2;
  const n = positive.length;
  const top = positive.slice(0, topN).reduce((s, v) => s + v, 0);
  return {
    hhi,
    hhiNormalised: n > 1 ? Math.min(1, Math.max(0, (hhi - 1 / n) / (1 - 1 / n))) : null,
    equivalentNumber: 1 / hhi,
    topShare: top / total,
    topN,
    n,
    total,
  };
}

/** Sums over the firms with a positive value: what a rollup can keep instead of every value. */
export interface ConcentrationSums {
  /** firms with a positive value */
  n: number;
  /** Σ v */
  total: number;
  /** Σ v² */
  sumSquares: number;
  /** the largest values, largest first (at least topN of them when n ≥ topN) */
  top: readonly number[];
}

/**
 * The same concentration as `concentration`, from sums: HHI = Σ (v/T)² = Σ v² / T², so n, T, Σ v² and
 * the top-N values are enough (cluster_enterprise_ytd keeps those, not every firm's value per request).
 */
export function concentrationFromSums(s: ConcentrationSums, topN = 5): Concentration | null {
  const { n, total, sumSquares } = s;
  if (!(n > 0) || !Number.isFinite(total) || !Number.isFinite(sumSquares) || total <= 0) return null;
  const hhi = Math.min(1, Math.max(1 / n, sumSquares / (total * total)));
  const top = s.top.slice(0, topN).reduce((sum, v) => sum + v, 0);
  return {
    hhi,
    hhiNormalised: n > 1 ? Math.min(1, Math.max(0, (hhi - 1 / n) / (1 - 1 / n))) : null,
    equivalentNumber: 1 / hhi,
    topShare: Math.min(1, top / total),
    topN,
    n,
    total,
  };
}

export interface ShiftShareInput {
  /** industry (cluster) key */
  key: string;
  /** region's value of the industry in the base and the current period */
  regionBase: number;
  regionCurrent: number;
  /** reference economy's value of the industry in the base and the current period */
  referenceBase: number;
  referenceCurrent: number;
}

export interface ShiftShareComponent {
  key: string;
  /** actual change regionCurrent − regionBase */
  change: number;
  /** national (reference) share NS = e_ij · G */
  referenceGrowth: number;
  /** industry mix IM = e_ij · (g_i − G) */
  industryMix: number;
  /** regional (competitive) share RS = e_ij · (r_ij − g_i) */
  regionalShare: number;
}

export interface ShiftShare {
  /** reference total growth G used for every industry */
  referenceTotalGrowth: number | null;
  components: ShiftShareComponent[];
  total: Omit<ShiftShareComponent, 'key'>;
}

/**
 * Classic (Dunn 1960) shift-share: for each industry i with regional base e_ij, reference total
 * growth G = ΣE_i(t)/ΣE_i(0) − 1, reference industry growth g_i and regional industry growth r_ij:
 * NS = e_ij·G, IM = e_ij·(g_i − G), RS = e_ij·(r_ij − g_i); NS + IM + RS equals the actual change.
 * `referenceTotal` gives the reference economy's totals (all industry) when the industries listed do
 * not make up the whole; by default G is taken over the listed industries.
 * An industry with no reference base has no growth rate; its whole change is counted as regional share.
 */
export function shiftShare(
  rows: readonly ShiftShareInput[],
  referenceTotal?: { base: number; current: number },
): ShiftShare {
  const refBase = referenceTotal?.base ?? rows.reduce((s, r) => s + r.referenceBase, 0);
  const refCurrent = referenceTotal?.current ?? rows.reduce((s, r) => s + r.referenceCurrent, 0);
  const ratio = refBase > 0 ? refCurrent / refBase - 1 : null;
  // A denormal base can overflow the ratio; no finite growth rate means none at all.
  const G = ratio !== null && Number.isFinite(ratio) ? ratio : null;
  const components = rows.map((r): ShiftShareComponent => {
    const change = r.regionCurrent - r.regionBase;
    const e = r.regionBase;
    const g = r.referenceBase > 0 ? r.referenceCurrent / r.referenceBase - 1 : Number.NaN;
    if (G === null || !Number.isFinite(g)) {
      return { key: r.key, change, referenceGrowth: 0, industryMix: 0, regionalShare: change };
    }
    const referenceGrowth = e * G;
    const industryMix = e * (g - G);
    // Rates from a vanishing base can overflow the products; such a rate says nothing.
    if (!Number.isFinite(referenceGrowth) || !Number.isFinite(industryMix)) {
      return { key: r.key, change, referenceGrowth: 0, industryMix: 0, regionalShare: change };
    }
    // The residual form keeps NS + IM + RS = change exactly, also when e = 0 (a new industry).
    const regionalShare = change - referenceGrowth - industryMix;
    return { key: r.key, change, referenceGrowth, industryMix, regionalShare };
  });
  const total = components.reduce(
    (acc, c) => ({
      change: acc.change + c.change,
      referenceGrowth: acc.referenceGrowth + c.referenceGrowth,
      industryMix: acc.industryMix + c.industryMix,
      regionalShare: acc.regionalShare + c.regionalShare,
    }),
    { change: 0, referenceGrowth: 0, industryMix: 0, regionalShare: 0 },
  );
  return { referenceTotalGrowth: G, components, total };
}
