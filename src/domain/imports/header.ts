// Finding the header in what clerks actually send: a title row or two above it, a two-row header
// with merged cells (a group label over unit labels, or a label merged down over two rows), the unit
// in brackets, full-width characters, English names.
import { parseUnit, toHalfWidth, type ParsedUnit } from '../units.ts';
import { cellText, type Cell } from './cells.ts';
import { KINDS, templateHeader, type ColumnDef, type ImportKind, type KindDef } from './columns.ts';
import { problem, type ImportProblem } from './problems.ts';

/** The unit a quantity column is read in; null when it needs no conversion (persons, tonnes). */
export type ColumnUnit = ParsedUnit | { kind: 'tonnes'; unit: '吨' } | null;

export interface MappedColumn {
  /** 0-based column index in the row */
  index: number;
  def: ColumnDef;
  /** the header as written, for problem reports */
  header: string;
  unit: ColumnUnit;
}

export interface HeaderResult {
  ok: boolean;
  /** 1-based row number of the last header row; data starts below it */
  headerRow: number;
  columns: MappedColumn[];
  problems: ImportProblem[];
}

/** Lower-cased, full-width folded, units in brackets, spaces, required-markers and colons dropped. */
export function labelKey(text: string): string {
  return toHalfWidth(text)
    .toLowerCase()
    .replace(/[([【][^()[\]【】]*[)\]】]/g, '')
    .replace(/单位\s*[:：].*$/, '')
    .replace(/[\s*＊:："“”'‘’·_]/g, '');
}

const aliasIndexes = new Map<ImportKind, Map<string, ColumnDef>>();

function aliasIndex(def: KindDef): Map<string, ColumnDef> {
  let index = aliasIndexes.get(def.kind);
  if (!index) {
    index = new Map();
    for (const c of def.columns) {
      for (const alias of [c.zh, c.en, c.key, templateHeader(c), ...c.aliases]) {
        const key = labelKey(alias);
        const existing = index.get(key);
        if (existing && existing !== c) throw new Error(`alias '${alias}' of ${def.kind} names two columns`);
        index.set(key, c);
      }
    }
    aliasIndexes.set(def.kind, index);
  }
  return index;
}

/** The column a header names, or undefined. */
export function matchColumn(kind: ImportKind, header: string): ColumnDef | undefined {
  const key = labelKey(header);
  return key === '' ? undefined : aliasIndex(KINDS[kind]).get(key);
}

interface Candidate {
  headerRow: number;
  labels: { index: number; text: string }[];
}

function rowTexts(row: readonly Cell[]): string[] {
  return row.map((c) => cellText(c));
}

/** Labels of a two-row header: the lower label, or upper + lower (a label over its unit), or the upper alone (merged down). */
function combinedLabels(
  kind: ImportKind,
  upper: string[],
  lower: string[],
): { index: number; text: string }[] {
  const width = Math.max(upper.length, lower.length);
  const labels: { index: number; text: string }[] = [];
  let group = '';
  for (let i = 0; i < width; i++) {
    const u = upper[i] ?? '';
    const l = lower[i] ?? '';
    if (u) group = u;
    if (!l) {
      if (u) labels.push({ index: i, text: u });
      continue;
    }
    // "工业总产值" over "(千元)", or a group label over its columns: try the lower label first.
    if (matchColumn(kind, l)) labels.push({ index: i, text: l });
    else if (group && matchColumn(kind, `${group}${l}`)) labels.push({ index: i, text: `${group}${l}` });
    else if (group && /^[([（【]/.test(l.trim()) && matchColumn(kind, group))
      labels.push({ index: i, text: `${group}${l}` });
    else labels.push({ index: i, text: l });
  }
  return labels;
}

/** Columns named (most weight), then columns whose unit can be read: a label over its unit beats the label alone. */
function score(kind: ImportKind, c: Candidate): number {
  const seen = new Set<ColumnDef>();
  let unitsRead = 0;
  for (const l of c.labels) {
    const d = matchColumn(kind, l.text);
    if (d && !seen.has(d)) {
      seen.add(d);
      if (!unitOf(d, l.text).error) unitsRead++;
    }
  }
  return seen.size * 1000 + unitsRead;
}

function requiredSatisfied(def: KindDef, c: Candidate): boolean {
  const keys = new Set(c.labels.map((l) => matchColumn(def.kind, l.text)?.key).filter(Boolean));
  if (!def.columns.every((col) => !col.required || keys.has(col.key))) return false;
  return (def.oneOf ?? []).every((group) => group.some((k) => keys.has(k)));
}

const TONNE_UNITS = new Set(['吨', 't', 'tonne', 'tonnes', 'ton', 'tons']);

function unitOf(def: ColumnDef, header: string): { unit: ColumnUnit; error?: { zh: string; en: string } } {
  if (def.spec.type !== 'quantity') return { unit: null };
  const spec = def.spec;
  if (spec.unit === 'tonnes') {
    const groups = [...toHalfWidth(header).matchAll(/[([【]([^()[\]【】]+)[)\]】]/g)].map((m) =>
      (m[1] ?? '').trim().toLowerCase(),
    );
    if (groups.length === 0 || groups.some((g) => TONNE_UNITS.has(g)))
      return { unit: { kind: 'tonnes', unit: '吨' } };
    return {
      unit: null,
      error: {
        zh: `“${header}”的单位无法识别：本列以“吨”为单位`,
        en: `Cannot read the unit of "${header}": this column is in tonnes`,
      },
    };
  }
  const parsed = parseUnit(header);
  if (!parsed) {
    if (!spec.unitRequired) return { unit: null };
    return {
      unit: null,
      error: {
        zh: `列“${header}”未注明单位，请写成“${templateHeader(def)}”（单位可为 ${unitChoices(spec.unit)}）`,
        en: `Column "${header}" names no unit; write it as "${templateHeader(def)}" (units: ${unitChoices(spec.unit)})`,
      },
    };
  }
  if (parsed.kind !== spec.unit) {
    return {
      unit: null,
      error: {
        zh: `列“${header}”的单位“${parsed.unit}”不适用于${def.zh}（应为 ${unitChoices(spec.unit)}）`,
        en: `Column "${header}": the unit ${parsed.unit} does not fit ${def.en} (use ${unitChoices(spec.unit)})`,
      },
    };
  }
  return { unit: parsed };
}

function unitChoices(kind: string): string {
  switch (kind) {
    case 'money':
      return '元/千元/万元/亿元';
    case 'land':
      return '亩/平方米/公顷';
    case 'energy':
      return '吨标准煤/万吨标准煤';
    case 'electricity':
      return '千瓦时/万千瓦时';
    default:
      return '人';
  }
}

/**
 * Looks for the header among the first rows of a sheet (`rows[i]` is row `firstRow + i`), as one row
 * or as two rows with merged cells, and picks the reading that names the most columns and has every
 * required one. Without such a reading the sheet is not a sheet of this kind.
 */
export function detectHeader(
  kind: ImportKind,
  rows: readonly (readonly Cell[])[],
  at: { file: string; sheet: string | null; firstRow?: number },
): HeaderResult {
  const def = KINDS[kind];
  const firstRow = at.firstRow ?? 1;
  const texts = rows.map(rowTexts);
  let best: Candidate | null = null;
  let bestScore = 0;
  for (let r = 0; r < texts.length; r++) {
    const single: Candidate = {
      headerRow: firstRow + r,
      labels: (texts[r] ?? []).map((text, index) => ({ index, text })).filter((l) => l.text !== ''),
    };
    const candidates = [single];
    if (r + 1 < texts.length) {
      candidates.push({
        headerRow: firstRow + r + 1,
        labels: combinedLabels(kind, texts[r] ?? [], texts[r + 1] ?? []),
      });
    }
    for (const c of candidates) {
      if (!requiredSatisfied(def, c)) continue;
      const s = score(kind, c);
      if (s > bestScore) {
        best = c;
        bestScore = s;
      }
    }
  }
  const where = { file: at.file, sheet: at.sheet };
  if (!best) {
    const missing = def.columns.filter((c) => c.required).map((c) => templateHeader(c));
    return {
      ok: false,
      headerRow: 0,
      columns: [],
      problems: [
        problem(
          'error',
          'header.notFound',
          { ...where, row: null },
          {
            zh: `未找到${def.zh}的表头：前 ${rows.length} 行中没有同时包含 ${missing.join('、')} 的行`,
            en: `No ${def.en.toLowerCase()} header found: none of the first ${rows.length} rows names all of ${missing.join(', ')}`,
          },
        ),
      ],
    };
  }
  const problems: ImportProblem[] = [];
  const columns: MappedColumn[] = [];
  const taken = new Map<string, string>();
  for (const l of best.labels) {
    const d = matchColumn(kind, l.text);
    const loc = { ...where, row: best.headerRow, column: l.text, columnIndex: l.index };
    if (!d) {
      problems.push(
        problem('notice', 'header.ignored', loc, {
          zh: `列“${l.text}”不属于${def.zh}模板，已忽略`,
          en: `Column "${l.text}" is not part of the ${def.en.toLowerCase()} template and was ignored`,
        }),
      );
      continue;
    }
    const earlier = taken.get(d.key);
    if (earlier !== undefined) {
      problems.push(
        problem('error', 'header.duplicate', loc, {
          zh: `列“${l.text}”与列“${earlier}”都表示${d.zh}，请只保留一列`,
          en: `Columns "${l.text}" and "${earlier}" both give ${d.en}; keep one`,
        }),
      );
      continue;
    }
    taken.set(d.key, l.text);
    const u = unitOf(d, l.text);
    if (u.error) {
      problems.push(problem('error', 'header.unit', loc, u.error));
      continue;
    }
    columns.push({ index: l.index, def: d, header: l.text, unit: u.unit });
  }
  return { ok: !problems.some((p) => p.severity === 'error'), headerRow: best.headerRow, columns, problems };
}
