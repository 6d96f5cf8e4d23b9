// Where each node of a chain map goes: connected parts of the chain are stacked top to bottom; inside a
// part, a node's column is its longest supply path from a source (upstream left, downstream right), and
// a node without edges takes the column of its stage.
export interface LayoutNode {
  code: string;
  stage: 'upstream' | 'midstream' | 'downstream';
}

export interface Placed {
  code: string;
  column: number;
  row: number;
}

const STAGE_COLUMN = { upstream: 0, midstream: 1, downstream: 2 } as const;

export function layoutChain(
  nodes: readonly LayoutNode[],
  edges: readonly { from: string; to: string }[],
): Placed[] {
  const codes = new Set(nodes.map((n) => n.code));
  const links = edges.filter((e) => codes.has(e.from) && codes.has(e.to) && e.from !== e.to);
  // connected parts (undirected), in node order
  const part = new Map<string, number>();
  const neighbours = new Map(nodes.map((n) => [n.code, [] as string[]]));
  for (const e of links) {
    neighbours.get(e.from)!.push(e.to);
    neighbours.get(e.to)!.push(e.from);
  }
  let parts = 0;
  for (const n of nodes) {
    if (part.has(n.code)) continue;
    const stack = [n.code];
    part.set(n.code, parts);
    while (stack.length) {
      for (const m of neighbours.get(stack.pop()!)!) {
        if (!part.has(m)) {
          part.set(m, parts);
          stack.push(m);
        }
      }
    }
    parts++;
  }
  // longest path from a source; cycles are cut by bounding the number of passes
  const column = new Map<string, number>();
  for (const n of nodes) column.set(n.code, neighbours.get(n.code)!.length ? 0 : STAGE_COLUMN[n.stage]);
  for (let pass = 0; pass < nodes.length; pass++) {
    let changed = false;
    for (const e of links) {
      const next = column.get(e.from)! + 1;
      if (next > column.get(e.to)! && next < nodes.length) {
        column.set(e.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  // a pure supplier sits just left of its nearest customer rather than at the far left
  for (const n of nodes) {
    if (links.some((e) => e.to === n.code)) continue;
    const customers = links.filter((e) => e.from === n.code).map((e) => column.get(e.to)!);
    if (customers.length) column.set(n.code, Math.max(0, Math.min(...customers) - 1));
  }
  const placed: Placed[] = [];
  let offset = 0;
  for (let p = 0; p < parts; p++) {
    const members = nodes.filter((n) => part.get(n.code) === p);
    const rows = new Map<number, number>();
    let height = 0;
    for (const n of members) {
      const c = column.get(n.code)!;
      const r = rows.get(c) ?? 0;
      rows.set(c, r + 1);
      height = Math.max(height, r + 1);
      placed.push({ code: n.code, column: c, row: offset + r });
    }
    offset += height;
  }
  return placed;
}
