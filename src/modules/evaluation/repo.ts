// Queries of the evaluation capability. Enterprise-level reads take the caller's Scope.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../../db/client.ts';
import { copyOutRows, type CopiedRow, type CopiedType } from '../../db/copy-out.ts';
import { enterpriseScopeCondition, type Scope } from '../../server/scope.ts';
import type { EvaluationInput, ScaleGroup } from '../../domain/evaluation/types.ts';
import { attributesOf } from '../../domain/evaluation/flags.ts';
import { registryRows } from '../enterprises/relations.ts';
import { annualInputRows } from '../imports/relations.ts';

/** The order of the stored `inputs` array of a result. */
export const INPUT_FIELDS = [
  'landMu',
  'taxPaid',
  'valueAdded',
  'revenue',
  'mainRevenue',
  'energyTce',
  'electricity',
  'cod',
  'ammoniaNitrogen',
  'so2',
  'nox',
  'rdExpense',
  'avgEmployees',
] as const;

export interface InputRow extends EvaluationInput {
  uscc: string;
  name: string;
}

// The city's code per database, once found: regions are written only by `migrate` from the city's
// configuration, before the server answers, and a city never changes its code under a running process.
// Every evaluation read asked it (one statement per request of eight routes, issue 13); a database without
// its regions yet is asked again.
const cities = new WeakMap<Db, string>();

export async function cityCode(db: Db): Promise<string> {
  const known = cities.get(db);
  if (known !== undefined) return known;
  const rows = await queryRows<{ code: string }>(
    db,
    sql`select code from regions where level = 'city' order by code limit 1`,
  );
  if (rows[0]) cities.set(db, rows[0].code);
  return rows[0]?.code ?? '330400';
}

const num = (v: unknown): number | null => (v == null ? null : Number(v));

/**
 * Firms read per statement: the driver's row objects exist for one slice at a time, not the year. At
 * province scale 20,000 peaked at ~390 MiB (each slice's JSON text and arrays outlived young-generation
 * collections), 10,000 at ~340 MiB, 5,000 at ~320 MiB but with four times the round trips.
 */
const SLICE = 10_000;

/**
 * The COPY's columns: id, uscc, name, the region, scale and industry codes, the inputs (avg_employees an
 * integer), and the year's flags (yearRows, attributesByFlags).
 */
const COPIED_TYPES: CopiedType[] = [
  'int8',
  'text',
  'text',
  'code',
  'code',
  'code',
  ...Array<CopiedType>(12).fill('float8'),
  'int4',
  'code',
];

/** One firm of a slice, as the JSON array the statement builds (the order of its select list). */
type SliceRow = [
  id: number,
  uscc: string,
  name: string,
  regionCode: string,
  scale: ScaleGroup,
  industryCode: string,
  ...inputs: (number | string | null)[],
];

/**
 * The year's firms with their inputs and flags, in the region or the whole city: one statement, so a firm's
 * flags are of the same snapshot as its inputs. The flags come as one text per flagged firm (a few per cent
 * of firms): its flags in order, comma-separated (flag keys are identifiers: schemas-flags.ts).
 */
function yearRows(year: number, regionCode: string | null): SQL {
  const where = regionCode ? sql`and e.region_code = ${regionCode}` : sql``;
  return sql`select e.id, e.uscc, e.name, e.region_code, e.scale, e.industry_code, a.land_mu, a.tax_paid,
      a.value_added, a.revenue, a.main_revenue, a.energy_tce, a.electricity, a.cod, a.ammonia_nitrogen,
      a.so2, a.nox, a.rd_expense, a.avg_employees, fl.flags
    from ${annualInputRows()} a join ${registryRows()} e on e.id = a.enterprise_id
    left join (select f.enterprise_id, string_agg(f.flag, ',' order by f.flag) as flags
               from evaluation_flags f where f.year = ${year} group by f.enterprise_id) fl
      on fl.enterprise_id = e.id
    where a.year = ${year} ${where}`;
}

/**
 * A firm's attributes from its flags' text, one object per distinct set of flags (a handful in a year), shared
 * by the firms that have it and frozen: nothing changes a firm's attributes once read.
 */
function attributesByFlags() {
  const known = new Map<string, Record<string, number> | undefined>();
  return (flags: string | null): Record<string, number> | undefined => {
    if (flags === null) return undefined;
    if (known.has(flags)) return known.get(flags);
    const made = attributesOf(flags.split(','));
    if (made) Object.freeze(made);
    known.set(flags, made);
    return made;
  };
}

/** Enterprises with annual inputs for the year, in the region (a county, or all for the city code). */
export async function loadInputs(db: Db, year: number, regionCode: string | null): Promise<InputRow[]> {
  // region, scale and industry codes repeat across firms: one string each, not one per firm
  const codes = new Map<string, string>();
  const code = <T extends string>(v: T): T => {
    const known = codes.get(v);
    if (known !== undefined) return known as T;
    codes.set(v, v);
    return v;
  };
  const attributes = attributesByFlags();
  // the COPY's code columns come shared already (copyOutRows' `code`); the JSON slices' are interned here
  const inputOf = (r: SliceRow | CopiedRow, intern: typeof code | null): InputRow => ({
    attributes: attributes(r[19] as string | null),
    enterpriseId: Number(r[0]),
    uscc: r[1] as string,
    name: r[2] as string,
    regionCode: intern ? intern(r[3] as string) : (r[3] as string),
    scale: (intern ? intern(r[4] as string) : r[4]) as ScaleGroup,
    industryCode: intern ? intern(r[5] as string) : (r[5] as string),
    landMu: num(r[6]),
    taxPaid: num(r[7]),
    valueAdded: num(r[8]),
    revenue: num(r[9]),
    mainRevenue: num(r[10]),
    energyTce: num(r[11]),
    electricity: num(r[12]),
    cod: num(r[13]),
    ammoniaNitrogen: num(r[14]),
    so2: num(r[15]),
    nox: num(r[16]),
    rdExpense: num(r[17]),
    avgEmployees: num(r[18]),
  });
  // On PostgreSQL the year streams by COPY (src/db/copy-out.ts): the server reads while this process
  // takes each row, every float8 the exact double the JSON below also gives. Unsorted: with `order by`
  // the server joined and sorted the whole year (spilling to disk at province scale) before its first
  // row came, and this process waited idle for it; now the rows come as the join makes them, while
  // this process takes them, and are put in id order here (they mostly come in it already).
  // the join's hash of the registry (220,000 firms at province scale) fits in 64 MB: not spilled in batches
  const copied = copyOutRows(db, yearRows(year, regionCode), COPIED_TYPES, (r) => inputOf(r, null), {
    workMem: '64MB',
  });
  const out: InputRow[] = [];
  if (copied) {
    for await (const rows of copied) for (const r of rows) out.push(r);
    return inIdOrder(out);
  }
  // PGlite (or a transaction): read in id slices (keyset): at province scale the raw rows of the whole year
  // beside the inputs made from them were a second copy of every firm (issue 13). The bound is on both sides
  // of the join: on the registry's id alone PostgreSQL walked the year's inputs from the first firm for every
  // slice. A slice comes as one JSON value (an array per firm): the driver's work per field of 20 columns ×
  // 220,000 rows was most of the load; JSON carries float8 in the same shortest exact text.
  let after = 0;
  for (;;) {
    const [slice] = await queryRows<{ rows: SliceRow[] | null }>(
      db,
      sql`select json_agg(json_build_array(id, uscc, name, region_code, scale, industry_code, land_mu, tax_paid,
                 value_added, revenue, main_revenue, energy_tce, electricity, cod, ammonia_nitrogen, so2, nox,
                 rd_expense, avg_employees, flags) order by id) as rows
          from (${yearRows(year, regionCode)} and a.enterprise_id > ${after} and e.id > ${after}
                order by e.id limit ${SLICE}) s`,
    );
    const rows = slice?.rows ?? [];
    for (const r of rows) out.push(inputOf(r, code));
    if (rows.length < SLICE) break;
    after = out[out.length - 1]!.enterpriseId;
  }
  return out;
}

/**
 * The rows in enterprise id order, as the evaluation, its export and withFlags take them (ids are unique:
 * one annual row per firm and year). Rows already in order, as a heap written in id order gives them,
 * cost one pass; the sort (stable, so nothing else moves) only when they are not.
 */
function inIdOrder(rows: InputRow[]): InputRow[] {
  for (let i = 1; i < rows.length; i++)
    if (rows[i - 1]!.enterpriseId > rows[i]!.enterpriseId)
      return rows.sort((a, b) => a.enterpriseId - b.enterpriseId);
  return rows;
}

export function inputsArray(i: EvaluationInput): (number | null)[] {
  return INPUT_FIELDS.map((f) => i[f]);
}

export function inputFromStored(
  base: { enterpriseId: number; regionCode: string; scale: ScaleGroup; industryCode: string },
  stored: (number | null)[],
  attributes?: Record<string, number> | null,
): EvaluationInput {
  const out = { ...base } as EvaluationInput;
  if (attributes) out.attributes = attributes;
  INPUT_FIELDS.forEach((f, k) => {
    const v = stored[k];
    (out as unknown as Record<string, number | null>)[f] = v == null ? null : Number(v);
  });
  return out;
}

/** A PostgreSQL array literal for COPY: {1.5,NULL,…}. */
export function pgArray(values: ArrayLike<number | null>): string {
  const parts: string[] = [];
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    parts.push(v == null || Number.isNaN(v) ? 'NULL' : String(v));
  }
  return `{${parts.join(',')}}`;
}

/**
 * Runs fn in one Drizzle transaction on either database; COPY (copyRows) goes through the same tx, so
 * on PGlite other requests wait for it instead of running inside it.
 */
export async function withTransaction<T>(
  database: Database,
  fn: (db: Db, tx: Db | undefined) => Promise<T>,
): Promise<T> {
  return database.db.transaction(async (tx) => fn(tx as unknown as Db, tx as unknown as Db));
}

export function scopeSql(scope: Scope): SQL {
  return enterpriseScopeCondition(scope) ?? sql`true`;
}
