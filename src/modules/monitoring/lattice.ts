// One suppression pattern per reader and month across every monitoring page (docs/methodology.md
// "Disclosure control", "Across pages"). Each page judging its own table let one page show a cell
// another hid as its secondary, and a total on one page minus cells on another gave a hidden cell
// away. So every cell any page shows — each cluster, the five together, all industry and the "other
// industry" remainder, in the city, each county, each zone, a zone with the zones inside it, and a
// county's firms outside any zone — is judged once, with every additive relation between them, and
// every page reads its cells' verdicts from that one pattern.
//
// Relations (each a group of suppressTable: no group may hold exactly one hidden cell the reader
// cannot see):
//   - per cluster key: the city is the sum of its counties; a county the sum of its zones and its
//     firms outside any zone; a zone with inner zones the sum of them and itself;
//   - per area: all industry = the five clusters + other industry;
//   - per area: the five together against each cluster (dual members make it no exact sum, but close
//     enough to estimate a lone hidden cluster, so treated as one).
import { suppressTable, type SuppressionReason, type TableCell } from '../../domain/disclosure/index.ts';
import type { Scope } from '../../server/scope.ts';
import { figureReason, mergeTops } from './disclosure.ts';
import type { RollupRow } from './repo.ts';
import { ALL_INDUSTRY, ANY_CLUSTER, OTHER_INDUSTRY } from './rollup.ts';
import { MEASURES } from './schemas.ts';

export type Series = Map<string, RollupRow>;

export interface LatticePlaces {
  clusters: readonly { code: string }[];
  counties: readonly { code: string }[];
  zones: readonly { code: string; hostRegionCode: string; parentZoneCode: string | null }[];
}

export const CITY = 'city';
export const countyArea = (region: string) => `county:${region}`;
/** one zone code alone (the figures table by zone) */
export const zoneArea = (zone: string) => `zone:${zone}`;
/** a county's firms outside any zone (the figures table's rows without a zone) */
export const restArea = (region: string) => `rest:${region}`;
const treeArea = (zone: string) => `tree:${zone}`;
const key = (cluster: string, area: string) => `${cluster}@${area}`;

/** The area a page means by a zone: the zone with the zones inside it. */
export function pageZoneArea(p: LatticePlaces, zone: string): string {
  return p.zones.some((z) => z.parentZoneCode === zone) ? treeArea(zone) : zoneArea(zone);
}

function descendants(p: LatticePlaces, zone: string): string[] {
  const out: string[] = [];
  for (let i = -1; i < out.length; i++) {
    const parent = i < 0 ? zone : out[i];
    for (const z of p.zones) if (z.parentZoneCode === parent) out.push(z.code);
  }
  return out;
}

/** Adds a rollup row into a series (sums, counts, the two largest of both). */
function addInto(series: Series, r: RollupRow, sign: 1 | -1 = 1): void {
  const acc = series.get(r.month);
  if (!acc) {
    series.set(r.month, {
      ...r,
      enterprises: sign * r.enterprises,
      values: Object.fromEntries(
        MEASURES.map((m) => [m, r.values[m] == null ? null : sign * r.values[m]!]),
      ) as RollupRow['values'],
      magnitude: Object.fromEntries(
        MEASURES.map((m) => [m, r.magnitude[m] == null ? null : sign * r.magnitude[m]!]),
      ),
      top: { ...r.top },
    });
    return;
  }
  acc.enterprises += sign * r.enterprises;
  if (sign > 0) acc.top = mergeTops(acc.top, r.top);
  for (const m of MEASURES) {
    const v = r.values[m];
    if (v != null) acc.values[m] = (acc.values[m] ?? 0) + sign * v;
    const g = r.magnitude[m];
    if (g != null) acc.magnitude[m] = (acc.magnitude[m] ?? 0) + sign * g;
  }
}

export interface Cells {
  places: LatticePlaces;
  /** cluster keys: each cluster, the five together, all industry, other industry */
  keys: string[];
  areas: string[];
  series: Map<string, Series>;
}

/** Every cell's monthly series from rollup rows by cluster, county and zone, with top firms (scope-free). */
export function buildCells(rows: readonly RollupRow[], p: LatticePlaces): Cells {
  const series = new Map<string, Series>();
  const add = (k: string, r: RollupRow) => {
    let s = series.get(k);
    if (!s) series.set(k, (s = new Map()));
    addInto(s, r);
  };
  const trees = new Map<string, string[]>(); // raw zone → tree areas holding it
  for (const z of p.zones) {
    const inner = descendants(p, z.code);
    if (!inner.length) continue;
    for (const c of [z.code, ...inner]) trees.set(c, [...(trees.get(c) ?? []), treeArea(z.code)]);
  }
  for (const r of rows) {
    add(key(r.cluster, CITY), r);
    add(key(r.cluster, countyArea(r.region)), r);
    add(key(r.cluster, r.zone ? zoneArea(r.zone) : restArea(r.region)), r);
    for (const t of trees.get(r.zone) ?? []) add(key(r.cluster, t), r);
  }
  const areas = [
    CITY,
    ...p.counties.flatMap((c) => [countyArea(c.code), restArea(c.code)]),
    ...p.zones.map((z) => zoneArea(z.code)),
    ...[...new Set([...trees.values()].flat())],
  ];
  const keys = [...p.clusters.map((c) => c.code), ANY_CLUSTER, ALL_INDUSTRY, OTHER_INDUSTRY];
  return { places: p, keys, areas, series };
}

/** The county an area lies in (null for the city). */
function countyOf(p: LatticePlaces, area: string): string | null {
  const [kind, code] = area.split(':') as [string, string | undefined];
  if (kind === 'county' || kind === 'rest') return code!;
  if (kind === 'zone' || kind === 'tree') return p.zones.find((z) => z.code === code)?.hostRegionCode ?? null;
  return null;
}

/** The verdicts of one reader at one month: the reason a cell is hidden, or null (shown). */
export interface Pattern {
  reason(cluster: string, area: string): SuppressionReason | null;
}

const SHOW_ALL: Pattern = { reason: () => null };

/** Whether the series holds anything the figures at `month` are built of (this year and last). */
function hasFigures(s: Series | undefined, month: string): boolean {
  if (!s) return false;
  const from = `${Number(month.slice(0, 4)) - 1}-01`;
  for (const m of s.keys()) if (m >= from && m <= month) return true;
  return false;
}

/**
 * The pattern for `scope` at `month`. Cells wholly inside the scope are the reader's (never hidden,
 * never counted in a relation: the reader subtracts them anyway); the others are judged on the firms
 * outside the scope where the rollups allow it exactly — the city's cell for a county officer is the
 * union of the other counties; the five clusters together for a cluster agency lose the agency's
 * cluster (a subset: counts and sums subtract exactly, the largest firms stay an upper bound) — and
 * on the whole cell otherwise.
 */
export function readerPattern(cells: Cells, scope: Scope, month: string): Pattern {
  if (scope.kind === 'all') return SHOW_ALL;
  const p = cells.places;
  const cellList: (TableCell & { key: string })[] = [];
  const index = new Map<string, number>();
  const groups = new Map<string, string[]>(); // cell key → its groups
  const join = (cellKey: string, group: string) =>
    groups.set(cellKey, [...(groups.get(cellKey) ?? []), group]);
  for (const k of cells.keys) {
    for (const c of p.counties) {
      join(key(k, CITY), `sum|${k}|city`);
      join(key(k, countyArea(c.code)), `sum|${k}|city`);
      join(key(k, countyArea(c.code)), `sum|${k}|${c.code}`);
      join(key(k, restArea(c.code)), `sum|${k}|${c.code}`);
    }
    for (const z of p.zones) {
      join(key(k, zoneArea(z.code)), `sum|${k}|${z.hostRegionCode}`);
      const inner = descendants(p, z.code);
      if (!inner.length) continue;
      for (const a of [treeArea(z.code), zoneArea(z.code), ...inner.map(zoneArea)])
        join(key(k, a), `tree|${k}|${z.code}`);
    }
  }
  for (const a of cells.areas) {
    for (const k of [ALL_INDUSTRY, ANY_CLUSTER, OTHER_INDUSTRY]) join(key(k, a), `industry|${a}`);
    for (const k of [ANY_CLUSTER, ...p.clusters.map((c) => c.code)]) join(key(k, a), `clusters|${a}`);
  }
  for (const k of cells.keys) {
    for (const a of cells.areas) {
      const cellKey = key(k, a);
      const s = cells.series.get(cellKey);
      const county = countyOf(p, a);
      const own =
        (scope.kind === 'region' && county === scope.regionCode) ||
        (scope.kind === 'cluster' && k === scope.clusterCode);
      const outside = own || !hasFigures(s, month) ? null : outsideOf(cells, scope, k, a);
      // a cell with no firm outside the scope protects nothing and needs no protection: the reader knows it
      const known = !outside || !hasFigures(outside, month);
      index.set(cellKey, cellList.length);
      cellList.push({
        key: cellKey,
        primary: known ? null : figureReason(outside, month),
        value: s?.get(month)?.values.outputValue ?? 0,
        known,
        groups: groups.get(cellKey) ?? [],
      });
    }
  }
  const reasons = suppressTable(cellList);
  return {
    reason(cluster, area) {
      const i = index.get(key(cluster, area));
      return i === undefined ? null : (reasons[i] ?? null);
    },
  };
}

/**
 * The part of a cell outside the reader's scope, as exactly as the rollups allow: the city's cell for a
 * county officer is the union of the other counties; the five clusters together for a cluster agency
 * lose the agency's own cluster (its firms are among them: counts and sums subtract exactly, the
 * largest firms stay an upper bound, which only errs towards hiding); any other cell is judged whole.
 */
function outsideOf(cells: Cells, scope: Scope, k: string, area: string): Series | undefined {
  const s = cells.series.get(key(k, area));
  if (scope.kind === 'region' && area === CITY) {
    const rest: Series = new Map();
    for (const c of cells.places.counties) {
      if (c.code === scope.regionCode) continue;
      for (const r of cells.series.get(key(k, countyArea(c.code)))?.values() ?? []) addInto(rest, r);
    }
    return rest;
  }
  if (scope.kind === 'cluster' && k === ANY_CLUSTER) {
    const rest: Series = new Map();
    for (const r of s?.values() ?? []) addInto(rest, r);
    for (const r of cells.series.get(key(scope.clusterCode, area))?.values() ?? []) addInto(rest, r, -1);
    for (const [m, r] of rest) if (r.enterprises <= 0) rest.delete(m);
    return rest;
  }
  return s;
}
