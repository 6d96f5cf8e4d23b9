// Shapes shared by the chain functions. Pure data; no I/O.

export const STAGES = ['upstream', 'midstream', 'downstream'] as const;
export type Stage = (typeof STAGES)[number];

export interface ChainNodeDef {
  code: string;
  name: string;
  stage: Stage;
  /** GB/T 4754-2017 codes, 2–4 digits; a code covers its descendants ('18' covers '1810') */
  industryCodes: readonly string[];
  /** product words (关键产品) matched against enterprise names */
  keyProducts: readonly string[];
}

export interface ChainEdgeDef {
  from: string;
  to: string;
}

export interface ChainDef {
  code: string;
  nodes: readonly ChainNodeDef[];
  edges: readonly ChainEdgeDef[];
}

/** What the assignment rule needs to know about an enterprise. */
export interface EnterpriseFacts {
  id: number;
  name: string;
  industryCode: string;
  /** member of the chain's cluster (keyword-only matches are accepted only for members) */
  clusterMember: boolean;
  /** 主要产品 as registered; none means the name is the only product evidence */
  mainProducts?: readonly string[] | null;
}

/** code: a node-specific industry code; code_keyword: code and a product word (in the main products
 * or the name); keyword: a product word alone (cluster members only); shared_code: an industry code
 * several nodes of the chain share, with no product word to tell them apart (the enterprise is put on
 * each of them). */
export type MatchKind = 'code' | 'code_keyword' | 'keyword' | 'shared_code';

export interface AutoAssignment {
  enterpriseId: number;
  nodeCode: string;
  match: MatchKind;
}

/** A node's firm, with the figures node strength is computed from. */
export interface NodeFirm {
  id: number;
  regionCode: string;
  scale: 'above' | 'below' | string;
  /** output (工业总产值, 万元) of the reference year; null when not reported */
  output: number | null;
  /** output of the year before, null when not reported */
  outputPrev: number | null;
  /** placed by the rule only through an industry code several nodes share (not confirmed by a person) */
  sharedCodeOnly?: boolean;
  /** the firm's town (乡镇/街道) and zone, for relatedness from co-location (colocation.ts) */
  townCode?: string | null;
  zoneCode?: string | null;
}
