// Synthetic 主要产品 (main products) for demo firms: drawn from the industry-chain node a firm belongs to
// (docs/demo-data.md, "Main products"). Pure and seeded: its own random stream per firm, so adding
// products changed no other demo figure.
import type { CityConfig } from '../config/load.ts';
import { codeCovers, nodeKeywords } from '../domain/chains/assign.ts';
import { rngFor } from './random.ts';

/** Share of the firms on some chain node that have products on record (the rest have none). */
export const PRODUCT_SHARE = { above: 0.85, below: 0.6 } as const;

/**
 * Products as a registry writes them, per node id, where the node's own words are too bare; every entry
 * holds one of its node's product words (and no more specific word of a sibling), so the placement rule
 * can find the node. Other nodes draw from their key products and name words.
 */
export const NODE_PRODUCTS: Readonly<Record<string, readonly string[]>> = {
  // new_energy: 3825 is shared by 电池片, 光伏组件 and 逆变器; 3985 by 多晶硅 and 硅片
  pv_cell: ['PERC电池片', 'TOPCon电池片', 'HJT电池片', '太阳能电池片'],
  pv_module: ['光伏组件', '单晶光伏组件', '双玻光伏组件', 'N型光伏组件'],
  pv_inverter: ['光伏逆变器', '组串式逆变器', '储能逆变器'],
  pv_si: ['多晶硅', '高纯度多晶硅', '多晶硅料'],
  pv_wafer: ['单晶硅片', 'N型硅片', '单晶硅棒'],
  pv_glass: ['光伏玻璃', '光伏压延玻璃'],
  pv_eva: ['EVA封装胶膜', 'POE封装胶膜', '光伏背板'],
  pv_mount: ['光伏支架', '跟踪支架'],
  nuc_equip: ['核电冷却设备', 'AP1000核级泵阀设备', '核电设备'],
  // chem_materials: 2614 is shared by eight nodes
  c2: ['乙烯', '聚合级乙烯'],
  eo_eg: ['环氧乙烷', '乙二醇', '聚酯级乙二醇'],
  c3: ['丙烯', '聚合级丙烯'],
  acrylic: ['丙烯酸', '丙烯酸丁酯', '聚丙烯'],
  c4: ['丁二烯', '异丁烯', '碳四'],
  si_monomer: ['有机硅单体'],
  si_products: ['硅橡胶', '硅油', '硅树脂'],
  aromatics: ['混合芳烃', '双酚A', '对二甲苯(PX)'],
  pta_c: ['PTA'],
  // textile: 2653 (PTA, 己内酰胺, 聚酯) and 2651 (聚酯, 锦纶6切片) are shared
  pta: ['精对苯二甲酸(PTA)'],
  cpl: ['己内酰胺'],
  pet: ['聚酯切片', '聚酯熔体', '瓶级聚酯切片'],
  pa6: ['锦纶6切片'],
  meg: ['乙二醇', '聚酯级乙二醇'],
  polyester: ['涤纶长丝', '涤纶短纤', '差别化纤维'],
  // automotive: 3670 is shared by five nodes
  transmission: ['自动变速器', '变速器', '减速齿轮'],
  lighting: ['LED车灯', '汽车照明灯具'],
  audio: ['车载音响', '汽车音响'],
  brake_clutch: ['盘式制动器', '离合器'],
  parts_other: ['汽车标准件'],
  vehicle_nev: ['新能源整车'],
  vehicle_special: ['冷藏物流车', '改装车'],
  // smart_home: 3853 (吊顶, 家电) and 2922 (材料, 门窗) are shared
  ceiling: ['集成吊顶', '顶墙集成'],
  appliance: ['集成灶', '浴霸', '智能化家电'],
  doors_windows: ['系统门窗', '铝合金门窗'],
  hh_materials: ['塑料板材', '电子元件'],
};

/** Leading firms (calibration ANCHORS) and the node they stand for, with their products. */
export const ANCHOR_PRODUCTS: Readonly<Record<string, { node: string; products: readonly string[] }>> = {
  'ne-pv-modules': { node: 'pv_module', products: ['光伏组件', '双玻光伏组件'] },
  'ne-pv-cells': { node: 'pv_cell', products: ['PERC电池片', 'TOPCon电池片'] },
  'ne-pv-new-plant': { node: 'pv_cell', products: ['TOPCon电池片'] },
  'ne-pv-cells-2': { node: 'pv_cell', products: ['HJT电池片', 'PERC电池片'] },
  'ne-pv-glass': { node: 'pv_glass', products: ['光伏玻璃'] },
  'chem-c3': { node: 'c3', products: ['丙烯', '聚丙烯'] },
  'chem-pta': { node: 'aromatics', products: ['对二甲苯(PX)', '混合芳烃'] },
  'chem-silicone': { node: 'si_monomer', products: ['有机硅单体', '硅橡胶'] },
  'auto-gearbox': { node: 'transmission', products: ['自动变速器', '减速齿轮'] },
  'auto-parts': { node: 'parts_other', products: ['汽车标准件'] },
};

export interface ProductNode {
  chain: string;
  id: string;
  industryCodes: readonly string[];
  /** what a firm of this node may list */
  pool: readonly string[];
}

/** The nodes of the clusters' own chains (the chain keyed by the cluster's code), in config order. */
export function productNodes(config: Pick<CityConfig, 'chains' | 'clusters'>): ProductNode[] {
  const out: ProductNode[] = [];
  for (const cluster of config.clusters) {
    const chain = config.chains[cluster.code];
    if (!chain) continue;
    for (const n of chain.nodes) {
      const pool = NODE_PRODUCTS[n.id] ?? nodeKeywords({ name: n.name, keyProducts: n.keyProducts ?? [] });
      if (pool.length) out.push({ chain: cluster.code, id: n.id, industryCodes: n.industryCodes, pool });
    }
  }
  return out;
}

export interface ProductFirm {
  index: number;
  industryCode: string;
  scale: 'above' | 'below';
  clusters: readonly string[];
  anchorKey: string | null;
}

/**
 * A firm's products, or null: the nodes whose codes cover its industry code (of its clusters' chains, else
 * of any cluster chain) are its candidates; a leading firm takes its listed products; others, with
 * probability PRODUCT_SHARE, one candidate node and one to three of that node's products. A firm on no
 * node has none (the generator has no product vocabulary outside the chains).
 */
export function drawProducts(
  seed: number,
  firm: ProductFirm,
  nodes: readonly ProductNode[],
): string[] | null {
  const anchor = firm.anchorKey ? ANCHOR_PRODUCTS[firm.anchorKey] : undefined;
  if (anchor) return [...anchor.products];
  const covering = nodes.filter((n) => n.industryCodes.some((c) => codeCovers(c, firm.industryCode)));
  const own = covering.filter((n) => firm.clusters.includes(n.chain));
  const candidates = own.length ? own : covering;
  if (candidates.length === 0) return null;
  const rng = rngFor(seed, 'products', firm.index);
  if (!rng.chance(PRODUCT_SHARE[firm.scale])) return null;
  const node = rng.pick(candidates);
  const pool = [...node.pool];
  rng.shuffle(pool);
  const k = Math.min(pool.length, 1 + (rng.chance(0.45) ? 1 : 0) + (rng.chance(0.15) ? 1 : 0));
  return pool.slice(0, k);
}
