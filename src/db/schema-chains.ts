// Industry chains (产业链图谱): chains per cluster, their nodes and directed edges, enterprises placed on
// nodes (automatically by industry code and product keywords, or by a person), the history of
// administrators' edits, the library of target enterprises outside the city (招商 targets) and the
// chain projects (建链/强链/补链/延链/壮链). Seeded once per chain from config/<city>/chains.json.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const stamp = (name: string) => timestamp(name, { withTimezone: true }).notNull().defaultNow();

/** One chain; its code is the config key (a cluster's own chain has the cluster's code) or an administrator's choice. */
export const chains = pgTable(
  'chains',
  {
    code: text('code').primaryKey(),
    clusterCode: text('cluster_code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    description: text('description'),
    /** true while the structure is a proposal (standard industry knowledge), not an adopted map */
    proposed: boolean('proposed').notNull().default(true),
    sources: jsonb('sources')
      .notNull()
      .default(sql`'[]'::jsonb`),
    sortOrder: integer('sort_order').notNull().default(0),
    /** 标志性产业链: one of the policy's landmark chains */
    landmark: boolean('landmark').notNull().default(false),
    /** why the chain is a landmark chain (the policy's words) */
    policyNote: text('policy_note'),
    /** config: seeded from config/<city>/chains.json (kept in step by `chains sync`) | admin: created through the API */
    origin: text('origin').notNull().default('config'),
    createdAt: stamp('created_at'),
    updatedAt: stamp('updated_at'),
  },
  (t) => [index('chains_cluster_idx').on(t.clusterCode)],
);

/** A link of a chain: stage, GB/T 4754 codes and key products decide which enterprises sit on it. */
export const chainNodes = pgTable(
  'chain_nodes',
  {
    chainCode: text('chain_code').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    /** upstream | midstream | downstream */
    stage: text('stage').notNull(),
    /** GB/T 4754-2017 codes (2–4 digits; a code covers its descendants) */
    industryCodes: jsonb('industry_codes')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** product words matched against enterprise names */
    keyProducts: jsonb('key_products')
      .notNull()
      .default(sql`'[]'::jsonb`),
    description: text('description'),
    /** enterprises that public sources place on the node (name, kind, location, source) */
    knownEnterprises: jsonb('known_enterprises')
      .notNull()
      .default(sql`'[]'::jsonb`),
    sortOrder: integer('sort_order').notNull().default(0),
    updatedAt: stamp('updated_at'),
  },
  (t) => [primaryKey({ columns: [t.chainCode, t.code] })],
);

/** Directed supply relation from → to (upstream supplies downstream). */
export const chainEdges = pgTable(
  'chain_edges',
  {
    chainCode: text('chain_code').notNull(),
    fromCode: text('from_code').notNull(),
    toCode: text('to_code').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainCode, t.fromCode, t.toCode] })],
);

/**
 * Enterprise ↔ node. basis: auto (derived by the matching rule, rebuilt whenever enterprises or nodes
 * change), confirmed (a person agreed with the rule), override (a person decided against or beyond the
 * rule; `assigned` false = kept off the node). One enterprise may sit on several nodes.
 */
export const enterpriseChainNodes = pgTable(
  'enterprise_chain_nodes',
  {
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    chainCode: text('chain_code').notNull(),
    nodeCode: text('node_code').notNull(),
    basis: text('basis').notNull(),
    assigned: boolean('assigned').notNull().default(true),
    /** how the rule matched: code | code_keyword | keyword | shared_code | manual */
    match: text('match').notNull(),
    note: text('note'),
    decidedBy: bigint('decided_by', { mode: 'number' }),
    decidedByName: text('decided_by_name'),
    decidedAt: stamp('decided_at'),
  },
  (t) => [
    primaryKey({ columns: [t.enterpriseId, t.chainCode, t.nodeCode] }),
    index('enterprise_chain_nodes_node_idx').on(t.chainCode, t.nodeCode),
  ],
);

/**
 * What the automatic placement of each enterprise was last computed from: a digest of its name, industry
 * code, status, main products and current clusters. A changed digest means that enterprise's automatic
 * rows are stale; the others are kept (incremental refresh, src/modules/chains/service.ts).
 */
export const chainAssignmentInputs = pgTable('chain_assignment_inputs', {
  enterpriseId: bigint('enterprise_id', { mode: 'number' }).primaryKey(),
  digest: text('digest').notNull(),
});

/** Edits of a chain, newest last (the audit log holds the same, city-wide): administrators' structure edits,
 * config syncs, and changes of its 招商 target enterprises and chain projects. */
export const chainHistory = pgTable(
  'chain_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    chainCode: text('chain_code').notNull(),
    at: stamp('at'),
    userId: bigint('user_id', { mode: 'number' }),
    username: text('username'),
    /** create | update | delete | node.create | node.update | node.delete | edge.create | edge.delete | config.sync
     * | target.create | target.update | target.delete | project.create | project.update | project.delete
     * (entity key: the target's or project's id) */
    action: text('action').notNull(),
    entityKey: text('entity_key'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [index('chain_history_chain_idx').on(t.chainCode, t.at)],
);

/** 招商 target library: enterprises outside the city that could fill or strengthen a node. */
export const targetEnterprises = pgTable(
  'target_enterprises',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    headquarters: text('headquarters'),
    chainCode: text('chain_code').notNull(),
    nodeCode: text('node_code').notNull(),
    /** large | medium | small (size class as the source gives it) */
    sizeClass: text('size_class'),
    /** annual revenue, 万元, when known */
    revenue: doublePrecision('revenue'),
    /** none | contacted | visited | negotiating | signed | declined */
    contactStatus: text('contact_status').notNull().default('none'),
    /** expanding (recent outbound investment) — a ranking signal */
    expanding: boolean('expanding').notNull().default(false),
    source: text('source'),
    note: text('note'),
    createdAt: stamp('created_at'),
    updatedAt: stamp('updated_at'),
  },
  (t) => [index('target_enterprises_node_idx').on(t.chainCode, t.nodeCode)],
);

/** Chain projects 建链/强链/补链/延链/壮链, optionally linked to an investment project (no FK yet). */
export const chainProjects = pgTable(
  'chain_projects',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    chainCode: text('chain_code').notNull(),
    nodeCode: text('node_code'),
    /** build 建链 | strengthen 强链 | fill 补链 | extend 延链 | grow 壮链 */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    owner: text('owner'),
    /** idea | planning | negotiating | signed | construction | operating | cancelled */
    stage: text('stage').notNull().default('idea'),
    /** id of an investment project (src/modules/projects); no foreign key for now */
    investmentProjectId: bigint('investment_project_id', { mode: 'number' }),
    targetEnterpriseId: bigint('target_enterprise_id', { mode: 'number' }),
    note: text('note'),
    createdAt: stamp('created_at'),
    updatedAt: stamp('updated_at'),
  },
  (t) => [index('chain_projects_chain_idx').on(t.chainCode)],
);
