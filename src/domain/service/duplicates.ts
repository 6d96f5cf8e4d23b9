// Possible duplicates before a request is saved: the same firm, an open request, a similar text. Chinese
// text has no spaces, so similarity is the Dice coefficient of character bigrams (punctuation and spaces
// dropped). Pure.

function bigrams(text: string): Map<string, number> {
  const s = text.replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase();
  const m = new Map<string, number>();
  for (let i = 0; i + 1 < s.length; i++) {
    const g = s.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  if (s.length === 1) m.set(s, 1);
  return m;
}

/** 0 (nothing shared) … 1 (same bigrams). */
export function textSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  let nx = 0;
  let ny = 0;
  let both = 0;
  for (const v of x.values()) nx += v;
  for (const v of y.values()) ny += v;
  if (nx + ny === 0) return 0;
  for (const [g, v] of x) both += Math.min(v, y.get(g) ?? 0);
  return (2 * both) / (nx + ny);
}

export const DUPLICATE_THRESHOLD = 0.45;

export interface DuplicateCandidate {
  id: number;
  title: string;
  description: string;
}

export function likelyDuplicates<T extends DuplicateCandidate>(
  text: { title: string; description: string },
  open: readonly T[],
  threshold = DUPLICATE_THRESHOLD,
): (T & { similarity: number })[] {
  const probe = `${text.title} ${text.description}`;
  return open
    .map((c) => ({ ...c, similarity: textSimilarity(probe, `${c.title} ${c.description}`) }))
    .filter((c) => c.similarity >= threshold)
    .sort((a, b) => b.similarity - a.similarity);
}
