// What `clusterscope chains sync` would change: the difference between a chain as stored and as the city's
// configuration describes it — chain fields, nodes added, removed and changed (field by field), edges added
// and removed. Pure; values are compared by content (object key order does not matter).
import type { ChainEdgeDef, Stage } from './types.ts';

/** The chain's own fields that follow the configuration. */
export interface ChainFields {
  clusterCode: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  proposed: boolean;
  sources: readonly string[];
  landmark: boolean;
  policyNote: string | null;
}

export interface NodeSpec {
  code: string;
  name: string;
  stage: Stage;
  industryCodes: readonly string[];
  keyProducts: readonly string[];
  knownEnterprises: readonly unknown[];
}

export interface ChainSpec {
  fields: ChainFields;
  /** in the configuration's order */
  nodes: readonly NodeSpec[];
  edges: readonly ChainEdgeDef[];
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ChainDiff {
  fields: FieldChange[];
  nodesAdded: NodeSpec[];
  nodesRemoved: NodeSpec[];
  nodesChanged: { code: string; changes: FieldChange[] }[];
  edgesAdded: ChainEdgeDef[];
  edgesRemoved: ChainEdgeDef[];
}

/** JSON with object keys sorted, so that two equal values print alike whatever their key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

function fieldChanges<T extends object>(before: T, after: T, keys: readonly (keyof T)[]): FieldChange[] {
  return keys
    .filter((k) => !same(before[k], after[k]))
    .map((k) => ({ field: String(k), before: before[k], after: after[k] }));
}

const CHAIN_FIELDS = [
  'clusterCode',
  'name',
  'nameEn',
  'description',
  'proposed',
  'sources',
  'landmark',
  'policyNote',
] as const satisfies readonly (keyof ChainFields)[];
const NODE_FIELDS = [
  'name',
  'stage',
  'industryCodes',
  'keyProducts',
  'knownEnterprises',
] as const satisfies readonly (keyof NodeSpec)[];

const edgeKey = (e: ChainEdgeDef) => `${e.from}\u0000${e.to}`;

/** How `current` (the database) must change to become `wanted` (the configuration). */
export function diffChain(current: ChainSpec, wanted: ChainSpec): ChainDiff {
  const have = new Map(current.nodes.map((n) => [n.code, n]));
  const want = new Map(wanted.nodes.map((n) => [n.code, n]));
  const haveEdges = new Set(current.edges.map(edgeKey));
  const wantEdges = new Set(wanted.edges.map(edgeKey));
  return {
    fields: fieldChanges(current.fields, wanted.fields, CHAIN_FIELDS),
    nodesAdded: wanted.nodes.filter((n) => !have.has(n.code)),
    nodesRemoved: current.nodes.filter((n) => !want.has(n.code)),
    nodesChanged: wanted.nodes
      .filter((n) => have.has(n.code))
      .map((n) => ({ code: n.code, changes: fieldChanges(have.get(n.code)!, n, NODE_FIELDS) }))
      .filter((c) => c.changes.length > 0),
    edgesAdded: wanted.edges.filter((e) => !haveEdges.has(edgeKey(e))),
    edgesRemoved: current.edges.filter((e) => !wantEdges.has(edgeKey(e))),
  };
}

export function isEmptyDiff(d: ChainDiff): boolean {
  return (
    d.fields.length +
      d.nodesAdded.length +
      d.nodesRemoved.length +
      d.nodesChanged.length +
      d.edgesAdded.length +
      d.edgesRemoved.length ===
    0
  );
}

const shown = (v: unknown) => {
  const s = typeof v === 'string' ? v : canonical(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
};

/** A change of a list as the items added and removed (`+a -b`); a change of anything else as before → after. */
function change(before: unknown, after: unknown): string {
  if (Array.isArray(before) && Array.isArray(after)) {
    const had = new Set(before.map(canonical));
    const has = new Set(after.map(canonical));
    const parts = [
      ...after.filter((x) => !had.has(canonical(x))).map((x) => `+${shown(x)}`),
      ...before.filter((x) => !has.has(canonical(x))).map((x) => `-${shown(x)}`),
    ];
    if (parts.length) return parts.join(' ');
  }
  return `${shown(before)} → ${shown(after)}`;
}

/** The difference as lines for a terminal, one change a line. */
export function describeDiff(d: ChainDiff): string[] {
  return [
    ...d.fields.map((c) => `~ ${c.field}: ${change(c.before, c.after)}`),
    ...d.nodesAdded.map((n) => `+ node ${n.code} ${n.name} (${n.stage})`),
    ...d.nodesRemoved.map((n) => `- node ${n.code} ${n.name}`),
    ...d.nodesChanged.flatMap((n) =>
      n.changes.map((c) => `~ node ${n.code} ${c.field}: ${change(c.before, c.after)}`),
    ),
    ...d.edgesAdded.map((e) => `+ edge ${e.from} → ${e.to}`),
    ...d.edgesRemoved.map((e) => `- edge ${e.from} → ${e.to}`),
  ];
}
