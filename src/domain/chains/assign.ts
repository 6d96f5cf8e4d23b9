// Which enterprises sit on which node of a chain: by GB/T 4754 industry code, and by product words
// found in the enterprise's main products (主要产品) or its name (docs/methodology.md, "Industry chains —
// assignment"). Pure.
import type { AutoAssignment, ChainDef, ChainNodeDef, EnterpriseFacts, MatchKind } from './types.ts';

/** Shortest product word considered: one Chinese character or one letter matches far too much. */
export const MIN_KEYWORD_LENGTH = 2;

/**
 * Product words of a node: its key products plus the parts of its name split at brackets and
 * slashes ('工业硅/多晶硅' → 工业硅, 多晶硅; '对二甲苯(PX)' → 对二甲苯, PX). Distinct, in order.
 */
export function nodeKeywords(node: Pick<ChainNodeDef, 'name' | 'keyProducts'>): string[] {
  const parts = [...node.keyProducts, ...node.name.split(/[()（）/、，,;；\s]+/)];
  const out: string[] = [];
  for (const raw of parts) {
    const word = raw.trim();
    if (word.length >= MIN_KEYWORD_LENGTH && !out.includes(word)) out.push(word);
  }
  return out;
}

/** Whether an enterprise's industry code falls under a node code ('1810' under '18', '181', '1810'). */
export function codeCovers(nodeCode: string, industryCode: string): boolean {
  return nodeCode.length > 0 && industryCode.startsWith(nodeCode);
}

const matchesCode = (node: ChainNodeDef, industryCode: string) =>
  node.industryCodes.some((c) => codeCovers(c, industryCode));

/** A chain's product words, upper-cased once, indexed by their first character: [node code, word]. */
export type ChainWords = ReadonlyMap<string, readonly (readonly [nodeCode: string, word: string])[]>;

export function chainWords(chain: ChainDef): ChainWords {
  const out = new Map<string, (readonly [string, string])[]>();
  for (const n of chain.nodes)
    for (const w of nodeKeywords(n)) {
      const word = w.toUpperCase();
      const list = out.get(word[0]!) ?? [];
      if (!list.some(([c, x]) => c === n.code && x === word)) list.push([n.code, word]);
      out.set(word[0]!, list);
    }
  return out;
}

/**
 * Nodes whose product words occur in any of the texts (a product each, or the name). Within one text
 * the most specific word wins: a word found inside a longer word that also occurs there, of another
 * node, does not count ('聚丙烯' holds 丙烯 and 聚丙烯: only the 聚丙烯 node matches). Case-insensitive.
 */
export function nodesMatching(texts: readonly string[], words: ChainWords): Set<string> {
  const out = new Set<string>();
  for (const text of texts) {
    const upper = text.toUpperCase();
    let hits: (readonly [string, string])[] | null = null;
    for (let i = 0; i < upper.length; i++) {
      const starting = words.get(upper[i]!);
      if (!starting) continue;
      for (const pair of starting)
        if (upper.startsWith(pair[1], i) && !hits?.includes(pair)) (hits ??= []).push(pair);
    }
    if (!hits) continue;
    for (const [node, word] of hits) {
      const shadowed = hits.some(([n2, w2]) => n2 !== node && w2.length > word.length && w2.includes(word));
      if (!shadowed) out.add(node);
    }
  }
  return out;
}

/**
 * Evidence across chains (docs/methodology.md, "Evidence across chains"). Each chain is placed on its own,
 * but a firm's products may settle a question one chain cannot: a 2614 firm listing 丙烯 matches none of
 * the textile chain's 2614 nodes (对二甲苯, 乙二醇), which would put it on both as `shared_code`, while the
 * chemical chain's 丙烯 node carries the same code and is named by its products.
 */
export interface CrossChainParams {
  /**
   * What becomes of a firm that this chain would place as `shared_code` while its evidence names a node of
   * another chain carrying its industry code: 'withdraw' — not placed on this chain by the rule (a person
   * may still include it); 'keep' — placed as `shared_code` all the same (each chain on its own).
   */
  sharedCodeWithEvidenceElsewhere: 'withdraw' | 'keep';
  /** Whether the firm's name counts as evidence elsewhere; by default only its main products do. */
  nameIsEvidence: boolean;
}

export const DEFAULT_CROSS_CHAIN: CrossChainParams = {
  sharedCodeWithEvidenceElsewhere: 'withdraw',
  nameIsEvidence: false,
};

export interface AssignOptions {
  /** every chain of the city (this one may be among them): where evidence elsewhere is looked for;
   * none given, the chain is placed on its own */
  chains?: readonly ChainDef[];
  crossChain?: CrossChainParams;
}

const wordsCache = new WeakMap<ChainDef, ChainWords>();
/** chainWords, computed once per chain object. */
function wordsOf(chain: ChainDef): ChainWords {
  let w = wordsCache.get(chain);
  if (!w) wordsCache.set(chain, (w = chainWords(chain)));
  return w;
}

/**
 * Nodes of chains other than `chain` that carry the firm's industry code and that its main products (and,
 * when `nameIsEvidence`, its name) name, by the same matching as on the chain itself — where the firm's
 * products say it belongs. Sorted by chain, then node order.
 */
export function evidenceElsewhere(
  chain: Pick<ChainDef, 'code'>,
  firm: Pick<EnterpriseFacts, 'industryCode' | 'mainProducts' | 'name'>,
  chains: readonly ChainDef[],
  params: CrossChainParams = DEFAULT_CROSS_CHAIN,
): { chainCode: string; nodeCode: string }[] {
  const texts = [...(firm.mainProducts ?? []), ...(params.nameIsEvidence ? [firm.name] : [])];
  if (texts.length === 0) return [];
  const out: { chainCode: string; nodeCode: string }[] = [];
  for (const other of [...chains].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))) {
    if (other.code === chain.code) continue;
    const byCode = other.nodes.filter((n) => matchesCode(n, firm.industryCode));
    if (byCode.length === 0) continue;
    const named = nodesMatching(texts, wordsOf(other));
    for (const n of byCode) if (named.has(n.code)) out.push({ chainCode: other.code, nodeCode: n.code });
  }
  return out;
}

/**
 * The automatic rule, per enterprise and chain:
 *  1. nodes whose codes cover the enterprise's code are its code matches;
 *  2. nodes whose product words occur in its main products are its product matches, and those whose
 *     words occur in its name its name matches (the most specific word wins, see nodesMatching);
 *  3. code matches that its products match → `code_keyword` on those; else code matches that its name
 *     matches → `code_keyword` on those (products speak first: they say what the firm makes);
 *  4. else one code match → `code`; several code matches (a code several nodes share) and nothing to
 *     tell them apart → `shared_code` on each of them (unverified until a person confirms) — unless its
 *     products name a node of another chain that carries its code (evidenceElsewhere, with `options.chains`):
 *     then, by default, it is not placed on this chain at all (CrossChainParams);
 *  5. else, for members of the chain's cluster only, product matches (or, without any, name matches)
 *     → `keyword`: the weaker match of a product word on a node whose code the firm does not have.
 * The result is sorted by enterprise id, then node order in the chain.
 */
export function assignEnterprises(
  chain: ChainDef,
  firms: readonly EnterpriseFacts[],
  options: AssignOptions = {},
): AutoAssignment[] {
  const words = wordsOf(chain);
  const cross = options.crossChain ?? DEFAULT_CROSS_CHAIN;
  const others = cross.sharedCodeWithEvidenceElsewhere === 'withdraw' ? (options.chains ?? []) : [];
  const out: AutoAssignment[] = [];
  const sorted = [...firms].sort((a, b) => a.id - b.id);
  for (const firm of sorted) {
    const byCode = chain.nodes.filter((n) => matchesCode(n, firm.industryCode));
    // every rule below needs a code match or cluster membership: without either the word scans (most of
    // a province's firms on most chains) cannot place the firm
    if (byCode.length === 0 && !firm.clusterMember) continue;
    const products = firm.mainProducts ?? [];
    const byProduct = products.length ? nodesMatching(products, words) : new Set<string>();
    let named: Set<string> | null = null;
    const byName = () => (named ??= nodesMatching([firm.name], words));
    let picked: ChainNodeDef[] = [];
    let match: MatchKind = 'code';
    const withProduct = byCode.filter((n) => byProduct.has(n.code));
    // the name speaks only when the products do not
    const withName = withProduct.length > 0 ? [] : byCode.filter((n) => byName().has(n.code));
    if (withProduct.length > 0 || withName.length > 0) {
      picked = withProduct.length > 0 ? withProduct : withName;
      match = 'code_keyword';
    } else if (byCode.length === 1) {
      picked = byCode;
    } else if (byCode.length > 1) {
      const elsewhere = others.length > 0 && evidenceElsewhere(chain, firm, others, cross).length > 0;
      picked = elsewhere ? [] : byCode;
      match = 'shared_code';
    } else if (firm.clusterMember && (byProduct.size > 0 || byName().size > 0)) {
      const words = byProduct.size > 0 ? byProduct : byName();
      picked = chain.nodes.filter((n) => words.has(n.code));
      match = 'keyword';
    }
    for (const n of picked) out.push({ enterpriseId: firm.id, nodeCode: n.code, match });
  }
  return out;
}

export interface ManualDecision {
  enterpriseId: number;
  nodeCode: string;
  basis: 'confirmed' | 'override';
  /** override only: false keeps the enterprise off the node whatever the rule says */
  assigned: boolean;
}

export interface EffectiveAssignment {
  enterpriseId: number;
  nodeCode: string;
  basis: 'auto' | 'confirmed' | 'override';
  match: MatchKind | 'manual';
}

/**
 * The assignment in force: a person's decision wins over the rule for the same enterprise and node;
 * an override with assigned = false removes the pair. Sorted by node code, then enterprise id.
 */
export function effectiveAssignments(
  auto: readonly AutoAssignment[],
  manual: readonly ManualDecision[],
): EffectiveAssignment[] {
  const key = (e: number, n: string) => `${n}\u0000${e}`;
  const out = new Map<string, EffectiveAssignment>();
  for (const a of auto) out.set(key(a.enterpriseId, a.nodeCode), { ...a, basis: 'auto' });
  for (const m of manual) {
    const k = key(m.enterpriseId, m.nodeCode);
    const prior = out.get(k);
    if (m.basis === 'override' && !m.assigned) out.delete(k);
    else
      out.set(k, {
        enterpriseId: m.enterpriseId,
        nodeCode: m.nodeCode,
        basis: m.basis,
        match: prior?.match ?? 'manual',
      });
  }
  return [...out.values()].sort((a, b) =>
    a.nodeCode < b.nodeCode ? -1 : a.nodeCode > b.nodeCode ? 1 : a.enterpriseId - b.enterpriseId,
  );
}
