// 断链 risk's sums (chainNodeTotals, facts.ts) taken from the facts the evaluation reads ahead instead of a
// statement of their own (issue 13): at province scale chainNodeTotals scanned the evaluated months' million
// facts again and joined them to the placements — ≈ 0.3 s of backend CPU (more, with its parallel workers)
// after the slices, while the evaluation waited for it. Each firm read ahead brings its placements in force
// (rawFirmSlices); its outputs of the evaluated months are tallied on its nodes as it is evaluated.
import {
  chainNodeSums,
  monthIndex,
  type ChainNodeSums,
  type FirmColumns,
} from '../../domain/alerts/index.ts';
import type { Month } from '../../domain/periods.ts';

/** A node of a cluster's chain as chainNodeTotals lists it. */
export interface ChainNode {
  cluster: string;
  node: string;
}

/** chainNodeTotals' answer, from the firms read ahead (`add`, each once, in any order). */
export class ChainNodeTally {
  /** the evaluated months' indexes (monthIndex) → their position in `months` */
  private readonly position = new Map<number, number>();
  /**
   * cluster → node → the node's position in `nodes` (a placement elsewhere counts nowhere, as there): looked
   * up by the codes themselves, no key string built per placement (≈ 69,000 at province scale, issue 13)
   */
  private readonly place = new Map<string, Map<string, number>>();
  /** per month position × node position: firms with an output, and the positive outputs */
  private readonly firms: Int32Array;
  private readonly positive: number[][];
  /** the placed nodes' positions of the firm being added (reused from firm to firm) */
  private readonly at: number[] = [];

  /** `months` as chainNodeTotals takes them (sorted, unique); `nodes` in its order (chainNodeList). */
  constructor(
    private readonly months: readonly Month[],
    private readonly nodes: readonly ChainNode[],
  ) {
    months.forEach((m, i) => this.position.set(monthIndex(m), i));
    nodes.forEach((n, i) => {
      const byNode = this.place.get(n.cluster) ?? new Map<string, number>();
      this.place.set(n.cluster, byNode);
      byNode.set(n.node, i);
    });
    this.firms = new Int32Array(months.length * nodes.length);
    this.positive = Array.from({ length: this.firms.length }, () => []);
  }

  /** A firm's outputs of the evaluated months on each of its nodes (none without placements). */
  add(f: FirmColumns): void {
    if (!f.nodes?.length) return;
    // written over the last firm's (`length = 0` would let the list's store go, a new one per firm)
    const at = this.at;
    let placed = 0;
    for (const [cluster, node] of f.nodes) {
      const i = this.place.get(cluster)?.get(node);
      if (i !== undefined) at[placed++] = i;
    }
    if (placed === 0) return;
    const { months, output } = f.facts;
    const width = this.nodes.length;
    for (let k = 0; k < months.length; k++) {
      const month = this.position.get(months[k]!);
      // chainNodeTotals counts the facts with an output (`output_value is not null`): a value the database
      // could not print as a JSON number (NaN, ±Infinity) comes as its text and is counted, never positive
      const v = output[k] as number | string | null;
      if (month === undefined || v === null) continue;
      const positive = typeof v === 'number' && v > 0 && v < Infinity;
      for (let p = 0; p < placed; p++) {
        const cell = month * width + at[p]!;
        this.firms[cell] = this.firms[cell]! + 1;
        if (positive) this.positive[cell]!.push(v);
      }
    }
  }

  /**
   * Every node of every month (0 firms when none reported), by month and then in the nodes' order, as
   * chainNodeTotals answers — each node's total summed largest first (chainNodeSums, `exact`): the verdict
   * chainNodeTotals settles for every node, exactly where it could depend on the order.
   */
  result(): ({ month: Month; cluster: string } & ChainNodeSums)[] {
    const width = this.nodes.length;
    return this.months.flatMap((month, m) =>
      this.nodes.map(({ cluster, node }, i) => {
        const sums = chainNodeSums(node, this.positive[m * width + i]!);
        return {
          month,
          cluster,
          node,
          firms: this.firms[m * width + i]!,
          top: sums.top,
          total: sums.total,
          exact: true,
        };
      }),
    );
  }
}
