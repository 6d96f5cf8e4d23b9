// Canonical units, conversions, tolerant spreadsheet number parsing and display formatting.
//
// Everything is stored in one canonical unit per kind, so indicators such as 亩均税收 (万元/亩)
// can be computed without unit bookkeeping downstream:
//   money 万元 · land 亩 · energy 吨标准煤 (tce) · electricity 万千瓦时 · people 人.
//
// Conversion factors are kept as exact rationals (num/den) and applied as `value * num / den`,
// so that, e.g., 12345 元 → 1.2345 万元 is the correctly rounded double rather than 12345 × 1e-4
// (1e-4 has no exact binary form). A conversion and its inverse round-trip within 1e-9 relative
// (in practice within a few ulps); callers should not expect bit-exact equality after a round trip.

/** A message shown to a clerk, in both UI languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * Converts full-width ASCII forms (U+FF01–FF5E, e.g. `１２３．４`, `（万元）`, `－`) and the
 * ideographic space U+3000 to their half-width equivalents. Chinese input methods produce these
 * routinely. Deliberately narrower than NFKC, which would also turn ① into 1 or ㎡ into m2.
 */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

// ---------------------------------------------------------------------------------------------
// Unit tables
// ---------------------------------------------------------------------------------------------

export type UnitKind = 'money' | 'land' | 'energy' | 'electricity' | 'count';

/** One unit: how many canonical units one of it is (as num/den), and the spellings seen in headers. */
export interface UnitDefinition {
  readonly toCanonical: readonly [num: number, den: number];
  readonly aliases: readonly string[];
}

export const MONEY_UNITS = {
  元: { toCanonical: [1, 10_000], aliases: ['元', 'yuan', 'CNY', 'RMB', '人民币元'] },
  千元: { toCanonical: [1, 10], aliases: ['千元', 'thousand yuan'] },
  万元: { toCanonical: [1, 1], aliases: ['万元', '10k yuan', '10,000 yuan'] },
  亿元: { toCanonical: [10_000, 1], aliases: ['亿元', '100m yuan', '100 million yuan'] },
} as const satisfies Record<string, UnitDefinition>;

/** 1 亩 = 10000/15 m² exactly (the 市亩 fixed in 1959); 1 公顷 = 15 亩; 1 km² = 1500 亩. */
export const LAND_UNITS = {
  亩: { toCanonical: [1, 1], aliases: ['亩', 'mu'] },
  平方米: { toCanonical: [3, 2_000], aliases: ['平方米', '平米', 'm²', 'm2', '㎡', 'sqm', 'square metres'] },
  公顷: { toCanonical: [15, 1], aliases: ['公顷', 'ha', 'hectare', 'hectares'] },
  平方公里: { toCanonical: [1_500, 1], aliases: ['平方公里', '平方千米', 'km²', 'km2'] },
} as const satisfies Record<string, UnitDefinition>;

export const ENERGY_UNITS = {
  吨标准煤: { toCanonical: [1, 1], aliases: ['吨标准煤', '吨标煤', 'tce'] },
  万吨标准煤: { toCanonical: [10_000, 1], aliases: ['万吨标准煤', '万吨标煤', '10k tce'] },
} as const satisfies Record<string, UnitDefinition>;

/** 度 is the everyday word for 千瓦时 on electricity bills. */
export const ELECTRICITY_UNITS = {
  千瓦时: { toCanonical: [1, 10_000], aliases: ['千瓦时', 'kWh', '度'] },
  万千瓦时: { toCanonical: [1, 1], aliases: ['万千瓦时', '万kWh', '万度', '10k kWh'] },
  亿千瓦时: { toCanonical: [10_000, 1], aliases: ['亿千瓦时', '亿kWh', '亿度', '100m kWh'] },
} as const satisfies Record<string, UnitDefinition>;

/** Head counts and enterprise counts; 万人 appears in city-level employment tables. */
export const COUNT_UNITS = {
  人: { toCanonical: [1, 1], aliases: ['人', 'persons', 'people'] },
  万人: { toCanonical: [10_000, 1], aliases: ['万人', '10k persons'] },
  家: { toCanonical: [1, 1], aliases: ['家', 'enterprises', 'firms'] },
  个: { toCanonical: [1, 1], aliases: ['个'] },
  项: { toCanonical: [1, 1], aliases: ['项', 'projects'] },
} as const satisfies Record<string, UnitDefinition>;

export type MoneyUnit = keyof typeof MONEY_UNITS;
export type LandUnit = keyof typeof LAND_UNITS;
export type EnergyUnit = keyof typeof ENERGY_UNITS;
export type ElectricityUnit = keyof typeof ELECTRICITY_UNITS;
export type CountUnit = keyof typeof COUNT_UNITS;

type AliasOf<T extends Record<string, UnitDefinition>> = T[keyof T]['aliases'][number];
export type MoneyUnitAlias = AliasOf<typeof MONEY_UNITS>;
export type LandUnitAlias = AliasOf<typeof LAND_UNITS>;
export type EnergyUnitAlias = AliasOf<typeof ENERGY_UNITS>;
export type ElectricityUnitAlias = AliasOf<typeof ELECTRICITY_UNITS>;

const UNIT_TABLES = {
  money: MONEY_UNITS,
  land: LAND_UNITS,
  energy: ENERGY_UNITS,
  electricity: ELECTRICITY_UNITS,
  count: COUNT_UNITS,
} as const satisfies Record<UnitKind, Record<string, UnitDefinition>>;

/** The unit each kind is stored in. Counts of enterprises (家) are stored as-is, like 人. */
export const CANONICAL_UNITS = {
  money: '万元',
  land: '亩',
  energy: '吨标准煤',
  electricity: '万千瓦时',
  count: '人',
} as const satisfies Record<UnitKind, string>;

/** A recognised unit: its kind and the table's own name for it (e.g. 'm²' → '平方米'). */
export type ParsedUnit =
  | { kind: 'money'; unit: MoneyUnit }
  | { kind: 'land'; unit: LandUnit }
  | { kind: 'energy'; unit: EnergyUnit }
  | { kind: 'electricity'; unit: ElectricityUnit }
  | { kind: 'count'; unit: CountUnit };

/** Lower-cases and drops spaces, so 'KWH', 'kwh' and '10k  yuan' all match their alias. */
function aliasKey(text: string): string {
  return toHalfWidth(text).toLowerCase().replace(/\s+/g, '');
}

const ALIAS_INDEX: ReadonlyMap<string, ParsedUnit> = (() => {
  const index = new Map<string, ParsedUnit>();
  for (const [kind, table] of Object.entries(UNIT_TABLES) as [UnitKind, Record<string, UnitDefinition>][]) {
    for (const [unit, def] of Object.entries(table)) {
      for (const alias of def.aliases) {
        const key = aliasKey(alias);
        if (index.has(key)) throw new Error(`unit alias '${alias}' is defined twice`);
        index.set(key, { kind, unit } as ParsedUnit);
      }
    }
  }
  return index;
})();

function lookupUnit(kind: UnitKind, unit: string): UnitDefinition {
  const parsed = ALIAS_INDEX.get(aliasKey(unit));
  if (!parsed || parsed.kind !== kind) throw new RangeError(`'${unit}' is not a ${kind} unit`);
  return (UNIT_TABLES[kind] as Record<string, UnitDefinition>)[parsed.unit] as UnitDefinition;
}

function toCanonicalUnit(kind: UnitKind, value: number, unit: string): number {
  const [num, den] = lookupUnit(kind, unit).toCanonical;
  return (value * num) / den;
}

function fromCanonicalUnit(kind: UnitKind, value: number, unit: string): number {
  const [num, den] = lookupUnit(kind, unit).toCanonical;
  return (value * den) / num;
}

// Typed entry points. Unknown units throw: after `parseUnit` a bad unit is a programming error.

export const toWanYuan = (value: number, unit: MoneyUnitAlias): number =>
  toCanonicalUnit('money', value, unit);
export const fromWanYuan = (value: number, unit: MoneyUnitAlias): number =>
  fromCanonicalUnit('money', value, unit);
export const toMu = (value: number, unit: LandUnitAlias): number => toCanonicalUnit('land', value, unit);
export const fromMu = (value: number, unit: LandUnitAlias): number => fromCanonicalUnit('land', value, unit);
export const toTce = (value: number, unit: EnergyUnitAlias): number => toCanonicalUnit('energy', value, unit);
export const fromTce = (value: number, unit: EnergyUnitAlias): number =>
  fromCanonicalUnit('energy', value, unit);
export const toWanKwh = (value: number, unit: ElectricityUnitAlias): number =>
  toCanonicalUnit('electricity', value, unit);
export const fromWanKwh = (value: number, unit: ElectricityUnitAlias): number =>
  fromCanonicalUnit('electricity', value, unit);

/** Converts a value in a unit recognised by `parseUnit` to its kind's canonical unit. */
export function toCanonical(value: number, unit: ParsedUnit): number {
  return toCanonicalUnit(unit.kind, value, unit.unit);
}

// ---------------------------------------------------------------------------------------------
// Unit recognition in column headers
// ---------------------------------------------------------------------------------------------

/**
 * Recognises the unit of a column header such as "工业总产值(万元)", "工业总产值（千元）",
 * "用地面积(平方米)", "Output (10k yuan)", "单位：万元" or a bare "万元".
 * Returns null when there is no unit, or when it is a compound unit like "万元/亩": those are
 * derived indicators, not raw quantities, and must not be converted as if they were money.
 */
export function parseUnit(text: string): ParsedUnit | null {
  const t = toHalfWidth(text).trim();
  // Last bracketed group first: "产值(万元)(2024年)" still finds 万元.
  const groups = [...t.matchAll(/[([【]([^()[\]【】]+)[)\]】]/g)].map((m) => m[1] ?? '').reverse();
  const labelled = /单位\s*[:：]\s*(.+)$/.exec(t)?.[1];
  for (const candidate of [...groups, ...(labelled === undefined ? [] : [labelled]), t]) {
    const unit = ALIAS_INDEX.get(aliasKey(candidate));
    if (unit) return unit;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Tolerant number parsing for spreadsheet cells
// ---------------------------------------------------------------------------------------------

export type ParseNumberProblem = 'notANumber' | 'percentNotAllowed' | 'notFinite' | 'underflow';

/** `value: null` means the cell is deliberately empty (—, /, null …), which is not an error. */
export type ParsedNumber =
  { ok: true; value: number | null } | { ok: false; reason: ParseNumberProblem; message: Bilingual };

export interface ParseNumberOptions {
  /** Accept a trailing % ('12.5%' → 12.5, the percentage figure, not 0.125). Default false. */
  percent?: boolean;
}

// The placeholders Chinese statistical tables use for "no data".
const MISSING = /^(?:[-—–]+|\/|null)$/i;
// Either plain digits or correctly grouped thousands; a misgrouped "1,23" is refused, not guessed.
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;

/**
 * Parses a spreadsheet cell as a number: thousands separators (1,234.5 and full-width ，),
 * full-width digits, minus and point (１２３．４, －5), surrounding spaces including U+3000.
 * Placeholders '—', '–', '-', '－', '', 'null', '/' mean "missing" and give `value: null`.
 * Anything else is refused with a reason: a wrong number in a statistics table is worse than none.
 */
export function parseNumber(
  input: string | number | null | undefined,
  options: ParseNumberOptions = {},
): ParsedNumber {
  if (input === null || input === undefined) return { ok: true, value: null };
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return fail('notFinite', String(input));
    return { ok: true, value: input === 0 ? 0 : input };
  }
  let t = toHalfWidth(input)
    .replace(/\u2212/g, '-') // U+2212 MINUS SIGN, pasted from Word
    .trim();
  if (t === '' || MISSING.test(t)) return { ok: true, value: null };
  if (t.endsWith('%')) {
    if (!options.percent) return fail('percentNotAllowed', input);
    t = t.slice(0, -1).trimEnd();
  }
  if (!PLAIN_NUMBER.test(t) && !GROUPED_NUMBER.test(t)) return fail('notANumber', input);
  const value = Number(t.replace(/,/g, ''));
  if (!Number.isFinite(value)) return fail('notFinite', input);
  // '1e-400' is not zero, but no double is nearer to it than 0: refused, never silently read as 0
  if (value === 0 && nonZeroLiteral(t)) return fail('underflow', input);
  return { ok: true, value: value === 0 ? 0 : value }; // normalise -0
}

/**
 * The reason a figure is refused when its unit's conversion takes it past a double's range (1e305 亿元 in
 * 万元 is Infinity, 1e-320 元 in 万元 is 0): the cell as written, never the Infinity or 0 it became.
 */
export function convertedOutOfRange(cell: string | number): Bilingual {
  const shown = String(cell).trim();
  return {
    zh: `“${shown}”换算单位后超出数值范围`,
    en: `"${shown}" is out of numeric range once its unit is converted`,
  };
}

/** Whether a number's text (as PLAIN_NUMBER or GROUPED_NUMBER takes it) names a value other than zero. */
export function nonZeroLiteral(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 101 || c === 69) return false; // e E: the exponent does not make a zero mantissa non-zero
    if (c >= 49 && c <= 57) return true; // 1-9
  }
  return false;
}

function fail(reason: ParseNumberProblem, input: string): ParsedNumber {
  const shown = input.trim();
  const messages: Record<ParseNumberProblem, Bilingual> = {
    notANumber: { zh: `“${shown}”不是有效数字`, en: `"${shown}" is not a valid number` },
    percentNotAllowed: {
      zh: `“${shown}”带有百分号，本列不应填写百分比`,
      en: `"${shown}" has a percent sign; this column does not take percentages`,
    },
    notFinite: { zh: `“${shown}”超出数值范围`, en: `"${shown}" is out of numeric range` },
    underflow: {
      zh: `“${shown}”超出数值范围（不为零，但小到只能读作 0）`,
      en: `"${shown}" is out of numeric range (not zero, but too small to be read as anything but 0)`,
    },
  };
  return { ok: false, reason, message: messages[reason] };
}

// ---------------------------------------------------------------------------------------------
// Display formatting (web)
// ---------------------------------------------------------------------------------------------

/** Shown for missing values in tables, as in published statistics. */
export const MISSING_DISPLAY = '—';

const fixedFormats = new Map<number, Intl.NumberFormat>();

function formatFixed(value: number, digits: number): string {
  let format = fixedFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    fixedFormats.set(digits, format);
  }
  return format.format(value);
}

/** 1234.5 → '1,234.5 万元'. */
export function formatWanYuan(wanYuan: number | null, digits = 1): string {
  return wanYuan === null || !Number.isFinite(wanYuan)
    ? MISSING_DISPLAY
    : `${formatFixed(wanYuan, digits)} 万元`;
}

/** Takes 万元 (the stored unit) and shows 亿元: 123456 → '12.3 亿元'. */
export function formatYiYuan(wanYuan: number | null, digits = 1): string {
  return wanYuan === null || !Number.isFinite(wanYuan)
    ? MISSING_DISPLAY
    : `${formatFixed(wanYuan / 10_000, digits)} 亿元`;
}

/** 1234.5 → '1,234.5 亩'. */
export function formatMu(mu: number | null, digits = 1): string {
  return mu === null || !Number.isFinite(mu) ? MISSING_DISPLAY : `${formatFixed(mu, digits)} 亩`;
}

/**
 * Takes a growth *ratio* (0.123 means +12.3%) and shows it signed: '+12.3%', '-4.0%', '0.0%'.
 * Values that round to zero show no sign, so a table never reads '-0.0%'.
 */
export function formatGrowthPct(ratio: number | null, digits = 1): string {
  if (ratio === null || !Number.isFinite(ratio)) return MISSING_DISPLAY;
  return new Intl.NumberFormat('zh-CN', {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: 'exceptZero',
  }).format(ratio);
}
