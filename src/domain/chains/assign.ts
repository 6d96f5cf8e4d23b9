// Which enterprises sit on which node of a chain: by GB/T 4754 industry code and by product words in
// the enterprise's name (docs/methodology.md, "Industry chains — assignment"). Pure.
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

function matchesKeyword(words: readonly string[], name: string): boolean {
  const upper = name.toUpperCase();
  return words.some((w) => upper.includes(w.toUpperCase()));
}

/**
 * The automatic rule, per enterprise and chain:
 *  1. nodes whose codes cover the enterprise's code are its code matches;
 *  2. nodes whose product words occur in its name are its keyword matches;
 *  3. code and keyword both → `code_keyword` (on every such node);
 *  4. else one code match → `code`; several code matches (a code several nodes share) → `shared_code`
 *     on each of them;
 *  5. else keyword matches count only for members of the chain's cluster → `keyword`.
 * The result is sorted by enterprise id, then node order in the chain.
 */
export function assignEnterprises(chain: ChainDef, firms: readonly EnterpriseFacts[]): AutoAssignment[] {
  const words = new Map(chain.nodes.map((n) => [n.code, nodeKeywords(n)]));
  const out: AutoAssignment[] = [];
  const sorted = [...firms].sort((a, b) => a.id - b.id);
  for (const firm of sorted) {
    const byCode = chain.nodes.filter((n) => matchesCode(n, firm.industryCode));
    const byWord = chain.nodes.filter((n) => matchesKeyword(words.get(n.code) ?? [], firm.name));
    const both = byCode.filter((n) => byWord.includes(n));
    let picked: ChainNodeDef[] = [];
    let match: MatchKind = 'code';
    if (both.length > 0) {
      picked = both;
      match = 'code_keyword';
    } else if (byCode.length === 1) {
      picked = byCode;
      match = 'code';
    } else if (byCode.length > 1) {
      picked = byCode;
      match = 'shared_code';
    } else if (byWord.length > 0 && firm.clusterMember) {
      picked = byWord;
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
