// Shared with the web app: chains, nodes with figures, gaps, quadrants, node enterprises, roadmap,
// and the bodies of administrators' edits, assignment decisions, targets and chain projects.
import { z } from 'zod';
import { queryId, queryInt, queryNumber } from '../../domain/query-params.ts';

export const STAGES = ['upstream', 'midstream', 'downstream'] as const;
export const CHAIN_ACTIONS = ['build', 'strengthen', 'fill', 'extend', 'grow'] as const;
export const NODE_STATUSES = ['missing', 'weak', 'ok'] as const;
export const QUADRANTS = ['strength', 'opportunity', 'weakness', 'outlier', 'absent'] as const;
export const GAP_REASONS = [
  'missing',
  'small_output',
  'no_above_scale',
  'concentrated',
  'declining',
  'unverified',
] as const;
export const CONTACT_STATUSES = [
  'none',
  'contacted',
  'visited',
  'negotiating',
  'signed',
  'declined',
] as const;
export const SIZE_CLASSES = ['large', 'medium', 'small'] as const;
export const PROJECT_STAGES = [
  'idea',
  'planning',
  'negotiating',
  'signed',
  'construction',
  'operating',
  'cancelled',
] as const;
export const ASSIGNMENT_BASES = ['auto', 'confirmed', 'override'] as const;
export const MATCH_KINDS = ['code', 'code_keyword', 'keyword', 'shared_code', 'manual'] as const;
export const DECISIONS = ['confirm', 'include', 'exclude', 'reset'] as const;

const slug = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case');
const industryCode = z.string().regex(/^\d{2,4}$/, 'a GB/T 4754 code of 2–4 digits');
const num = z.number().nullable();

export const chainParams = z.object({ code: slug });
export const nodeParams = z.object({ code: slug, node: slug });
export const nodeEnterpriseParams = z.object({
  code: slug,
  node: slug,
  id: queryId(),
});
export const edgeParams = z.object({ code: slug, from: slug, to: slug });
export const idParams = z.object({ id: queryId() });

/** The method's parameters, all optional in a query (defaults in src/domain/chains). */
export const methodQuery = z.object({
  minFirms: queryInt({ min: 1, max: 1000 }).optional(),
  weakShare: queryNumber({ min: 0, max: 1 }).optional(),
  minAboveScale: queryInt({ min: 0, max: 1000 }).optional(),
  maxHhi: queryNumber({ min: 0, max: 1 }).optional(),
  decliningGrowth: queryNumber({ min: -1, max: 10 }).optional(),
  strengthCut: queryNumber({ min: 0, max: 100 }).optional(),
  densityCut: queryNumber({ min: 0, max: 100 }).optional(),
});
export type MethodQuery = z.infer<typeof methodQuery>;

export const methodSchema = z.object({
  minFirms: z.number(),
  weakShare: z.number(),
  minAboveScale: z.number(),
  maxHhi: z.number(),
  decliningGrowth: z.number(),
  strengthCut: z.number(),
  densityCut: z.number(),
});

export const CHAIN_ORIGINS = ['config', 'admin'] as const;

export const chainSummarySchema = z.object({
  code: z.string(),
  clusterCode: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  proposed: z.boolean(),
  /** 标志性产业链: one of the policy's landmark chains */
  landmark: z.boolean(),
  policyNote: z.string().nullable(),
  /** config: from config/<city>/chains.json; admin: created by an administrator (may be deleted) */
  origin: z.enum(CHAIN_ORIGINS),
  nodes: z.number(),
  edges: z.number(),
});
export type ChainSummary = z.infer<typeof chainSummarySchema>;

export const knownEnterpriseSchema = z.object({
  name: z.string(),
  kind: z.string().optional(),
  location: z.string().optional(),
  note: z.string().optional(),
  source: z.string().optional(),
});

export const gapReasonSchema = z.object({ code: z.enum(GAP_REASONS), figures: z.record(z.string(), num) });
export type GapReasonView = z.infer<typeof gapReasonSchema>;

export const nodeViewSchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  stage: z.enum(STAGES),
  industryCodes: z.array(z.string()),
  keyProducts: z.array(z.string()),
  description: z.string().nullable(),
  knownEnterprises: z.array(knownEnterpriseSchema),
  // figures of the firms assigned to the node (reference year)
  firms: z.number(),
  aboveScale: z.number(),
  /** 万元; null when suppressed (fewer than 3 firms outside your scope) */
  output: num,
  reporting: z.number(),
  /** firms placed only through an industry code other nodes share, unconfirmed */
  sharedCodeOnly: z.number(),
  growth: num,
  shareOfCluster: num,
  hhi: num,
  topFirmShare: num,
  lq: num,
  upstreamCoverage: num,
  downstreamCoverage: num,
  /** output figures hidden so that no single firm outside your scope can be read off */
  suppressed: z.boolean(),
  /** the largest firms you may see, largest first */
  leadingFirms: z.array(z.object({ id: z.number(), name: z.string(), output: num })),
  status: z.enum(NODE_STATUSES),
  reasons: z.array(gapReasonSchema),
  degree: z.number(),
  position: z.enum(['inner', 'source', 'sink', 'isolated']),
  strength: num,
  density: num,
  quadrant: z.enum(QUADRANTS),
  action: z.enum(CHAIN_ACTIONS).nullable(),
});
export type NodeView = z.infer<typeof nodeViewSchema>;

export const chainDetailSchema = z.object({
  code: z.string(),
  clusterCode: z.string(),
  clusterName: z.string().nullable(),
  name: z.string(),
  nameEn: z.string().nullable(),
  description: z.string().nullable(),
  proposed: z.boolean(),
  landmark: z.boolean(),
  policyNote: z.string().nullable(),
  origin: z.enum(CHAIN_ORIGINS),
  sources: z.array(z.string()),
  referenceYear: z.number().nullable(),
  /** Σ output of the cluster's member firms in the reference year, 万元 */
  clusterOutput: num,
  method: methodSchema,
  nodes: z.array(nodeViewSchema),
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
});
export type ChainDetail = z.infer<typeof chainDetailSchema>;

export const gapViewSchema = nodeViewSchema.pick({
  code: true,
  name: true,
  stage: true,
  status: true,
  reasons: true,
  density: true,
  strength: true,
  degree: true,
  position: true,
  action: true,
  firms: true,
  output: true,
  suppressed: true,
});
export type GapView = z.infer<typeof gapViewSchema>;
export const gapListSchema = z.object({
  referenceYear: z.number().nullable(),
  method: methodSchema,
  gaps: z.array(gapViewSchema),
});

export const quadrantListSchema = z.object({
  method: methodSchema,
  points: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      stage: z.enum(STAGES),
      strength: num,
      density: num,
      quadrant: z.enum(QUADRANTS),
      status: z.enum(NODE_STATUSES),
    }),
  ),
});

export const nodeEnterpriseSchema = z.object({
  id: z.number(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  industryCode: z.string(),
  scale: z.string(),
  basis: z.enum(ASSIGNMENT_BASES),
  assigned: z.boolean(),
  match: z.enum(MATCH_KINDS),
  output: num,
  outputPrev: num,
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type NodeEnterprise = z.infer<typeof nodeEnterpriseSchema>;

/**
 * A page of a node's firms: the same paging parameters as the registry list (GET /api/enterprises). A node
 * can hold thousands of firms at province scale (a megabyte as one answer); the totals below are the whole
 * node's whatever the page.
 */
export const nodeEnterprisesQuery = z.object({
  page: queryInt({ min: 1 }).default(1),
  pageSize: queryInt({ min: 1, max: 200 }).default(20),
});
export type NodeEnterprisesQuery = z.infer<typeof nodeEnterprisesQuery>;

export const nodeEnterprisesSchema = z.object({
  chainCode: z.string(),
  node: z.object({ code: z.string(), name: z.string(), stage: z.enum(STAGES) }),
  referenceYear: z.number().nullable(),
  /**
   * one page of the firms on the node you may see (excluded ones too, marked assigned = false), largest
   * reference-year output first, firms without a figure last
   */
  items: z.array(nodeEnterpriseSchema),
  /** how many firms on the node you may see (every page's items together) */
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** the node's firms outside your scope, as totals only (output null when fewer than 3) */
  others: z.object({ firms: z.number(), output: num }),
  /** per county: firms, output and location quotient against the city (null output when suppressed) */
  counties: z.array(
    z.object({
      regionCode: z.string(),
      regionName: z.string().nullable(),
      firms: z.number(),
      output: num,
      lq: num,
    }),
  ),
});
export type NodeEnterprises = z.infer<typeof nodeEnterprisesSchema>;

export const decisionBody = z.object({
  decision: z.enum(DECISIONS),
  note: z.string().trim().max(500).optional(),
});
export type DecisionBody = z.infer<typeof decisionBody>;

export const chainUpdateBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().max(100).nullable(),
    description: z.string().trim().max(2000).nullable(),
    proposed: z.boolean(),
    landmark: z.boolean(),
    policyNote: z.string().trim().max(2000).nullable(),
  })
  .partial()
  .strict();

/** A new chain (administrators): empty, or with nodes (all or some) and their edges copied from a chain. */
export const chainCreateBody = z
  .object({
    code: slug.max(40),
    clusterCode: slug,
    name: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().max(100).optional(),
    description: z.string().trim().max(2000).optional(),
    landmark: z.boolean().default(false),
    policyNote: z.string().trim().max(2000).optional(),
    copyFrom: z
      .object({
        chainCode: slug,
        /** the nodes to copy; default every node */
        nodeCodes: z.array(slug).min(1).max(200).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ChainCreate = z.infer<typeof chainCreateBody>;

const nodeFields = {
  name: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().max(100).nullable(),
  stage: z.enum(STAGES),
  industryCodes: z.array(industryCode).max(20),
  keyProducts: z.array(z.string().trim().min(1).max(50)).max(30),
  description: z.string().trim().max(2000).nullable(),
};
export const nodeCreateBody = z
  .object({
    code: slug,
    ...nodeFields,
    nameEn: nodeFields.nameEn.optional(),
    description: nodeFields.description.optional(),
    keyProducts: nodeFields.keyProducts.default([]),
  })
  .strict();
export type NodeCreate = z.infer<typeof nodeCreateBody>;
export const nodeUpdateBody = z.object(nodeFields).partial().strict();
export type NodeUpdate = z.infer<typeof nodeUpdateBody>;
export const edgeBody = z.object({ from: slug, to: slug }).strict();

export const historySchema = z.array(
  z.object({
    id: z.number(),
    at: z.string(),
    username: z.string().nullable(),
    action: z.string(),
    entityKey: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
  }),
);

export const targetSchema = z.object({
  id: z.number(),
  name: z.string(),
  headquarters: z.string().nullable(),
  chainCode: z.string(),
  nodeCode: z.string(),
  sizeClass: z.string().nullable(),
  revenue: num,
  contactStatus: z.enum(CONTACT_STATUSES),
  expanding: z.boolean(),
  source: z.string().nullable(),
  note: z.string().nullable(),
  updatedAt: z.string(),
});
export type Target = z.infer<typeof targetSchema>;
const targetFields = {
  name: z.string().trim().min(2).max(200),
  headquarters: z.string().trim().max(100).nullable(),
  nodeCode: slug,
  sizeClass: z.enum(SIZE_CLASSES).nullable(),
  revenue: z.number().min(0).nullable(),
  contactStatus: z.enum(CONTACT_STATUSES),
  expanding: z.boolean(),
  source: z.string().trim().max(500).nullable(),
  note: z.string().trim().max(2000).nullable(),
};
export const targetCreateBody = z
  .object({
    ...targetFields,
    headquarters: targetFields.headquarters.optional(),
    sizeClass: targetFields.sizeClass.optional(),
    revenue: targetFields.revenue.optional(),
    contactStatus: targetFields.contactStatus.default('none'),
    expanding: targetFields.expanding.default(false),
    source: targetFields.source.optional(),
    note: targetFields.note.optional(),
  })
  .strict();
export type TargetCreate = z.infer<typeof targetCreateBody>;
export const targetUpdateBody = z.object(targetFields).partial().strict();
export type TargetUpdate = z.infer<typeof targetUpdateBody>;

export const projectSchema = z.object({
  id: z.number(),
  chainCode: z.string(),
  nodeCode: z.string().nullable(),
  kind: z.enum(CHAIN_ACTIONS),
  name: z.string(),
  owner: z.string().nullable(),
  stage: z.enum(PROJECT_STAGES),
  investmentProjectId: z.number().nullable(),
  targetEnterpriseId: z.number().nullable(),
  note: z.string().nullable(),
  updatedAt: z.string(),
});
export type ChainProject = z.infer<typeof projectSchema>;
const projectFields = {
  nodeCode: slug.nullable(),
  kind: z.enum(CHAIN_ACTIONS),
  name: z.string().trim().min(2).max(200),
  owner: z.string().trim().max(100).nullable(),
  stage: z.enum(PROJECT_STAGES),
  investmentProjectId: z.number().int().positive().nullable(),
  targetEnterpriseId: z.number().int().positive().nullable(),
  note: z.string().trim().max(2000).nullable(),
};
export const projectCreateBody = z
  .object({
    ...projectFields,
    nodeCode: projectFields.nodeCode.optional(),
    owner: projectFields.owner.optional(),
    stage: projectFields.stage.default('idea'),
    investmentProjectId: projectFields.investmentProjectId.optional(),
    targetEnterpriseId: projectFields.targetEnterpriseId.optional(),
    note: projectFields.note.optional(),
  })
  .strict();
export type ProjectCreate = z.infer<typeof projectCreateBody>;
export const projectUpdateBody = z.object(projectFields).partial().strict();
export type ProjectUpdate = z.infer<typeof projectUpdateBody>;

export const roadmapSchema = z.object({
  chain: z.object({ code: z.string(), name: z.string(), clusterCode: z.string(), proposed: z.boolean() }),
  referenceYear: z.number().nullable(),
  method: methodSchema,
  gaps: z.array(
    gapViewSchema.extend({
      targets: z.array(targetSchema.extend({ score: z.number() })),
      projects: z.array(projectSchema),
    }),
  ),
  /** every chain project, gaps or not */
  projects: z.array(projectSchema),
  generatedAt: z.string(),
});
export type Roadmap = z.infer<typeof roadmapSchema>;

export const okSchema = z.object({ ok: z.literal(true) });
