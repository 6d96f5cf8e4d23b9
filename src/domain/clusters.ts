// Cluster membership by industry code: a code counts toward a cluster when it, or its GB/T 4754 parent
// group (3 digits) or division (2 digits), is in the cluster's mapping.

/** The code and its ancestors, most specific first: '3825' → ['3825', '382', '38']. */
export function industryAncestry(code: string): string[] {
  const out: string[] = [];
  for (let len = code.length; len >= 2; len--) out.push(code.slice(0, len));
  return out;
}

export type ClusterMapping = ReadonlyMap<string, readonly string[]>;

export function buildClusterMapping(
  rows: Iterable<{ clusterCode: string; industryCode: string }>,
): ClusterMapping {
  const map = new Map<string, string[]>();
  for (const r of rows) {
    const list = map.get(r.industryCode) ?? [];
    if (!list.includes(r.clusterCode)) list.push(r.clusterCode);
    map.set(r.industryCode, list);
  }
  return map;
}

/** Clusters an enterprise with this industry code belongs to (sorted, no duplicates). */
export function clustersForIndustry(industryCode: string, mapping: ClusterMapping): string[] {
  const found = new Set<string>();
  for (const code of industryAncestry(industryCode)) for (const c of mapping.get(code) ?? []) found.add(c);
  return [...found].sort();
}
