// The database schema: one canonical unit per column (see docs/glossary.md). Money in 万元, land in 亩,
// energy in 吨标准煤 (tce), electricity in 万千瓦时, people in 人. Facts are keyed by enterprise so the
// same schema can be distributed by enterprise_id on Citus.
//
// Every table has an owner module (docs/architecture.md, "Tables and their owners"): the `// owner:` line
// above a table here names it (tables of schema-<capability>.ts belong to that capability). Only the owner
// writes its tables, and other modules read them through its index.ts; `shared` tables (the city's reference
// data, meta) every module may read. eslint.config.js and test/lint/sql-tables.test.ts derive the map from it.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Key/value facts about this installation: city, demo-data flag, reference-data version. */
// owner: reference, shared: each module reads and writes only its own keys
export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});

// ---------- reference ----------

/** GB/T 2260 divisions (city, county) and 统计用区划代码 towns. */
// owner: reference, shared: configuration, read by every module
export const regions = pgTable(
  'regions',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    level: text('level').notNull(), // city | county | town
    parentCode: text('parent_code'),
    source: text('source'),
  },
  (t) => [index('regions_parent_idx').on(t.parentCode)],
);

/** Functional zones (开发区, 港区, 园区): no GB/T 2260 code, always inside a host county. */
// owner: reference, shared: configuration, read by every module
export const zones = pgTable('zones', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  shortName: text('short_name'),
  nameEn: text('name_en'),
  hostRegionCode: text('host_region_code').notNull(),
  level: text('level'),
  reportingUnit: boolean('reporting_unit').notNull().default(false),
  details: jsonb('details'),
});

/** GB/T 4754-2017 国民经济行业分类: section (门类) → division (大类) → group (中类) → class (小类). */
// owner: reference, shared: configuration, read by every module
export const industries = pgTable(
  'industries',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    level: text('level').notNull(),
    parentCode: text('parent_code'),
    section: text('section').notNull(),
    remark: text('remark'),
  },
  (t) => [index('industries_parent_idx').on(t.parentCode)],
);

// owner: reference, shared: configuration, read by every module
export const clusters = pgTable('clusters', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  sortOrder: integer('sort_order').notNull().default(0),
  /** targets, sub-directions, bases, leading-enterprise ladders as configured for the city */
  details: jsonb('details').notNull(),
});

/** Which industry codes count toward a cluster (a proposed mapping, editable by an administrator). */
// owner: reference, shared: configuration, read by every module
export const clusterIndustries = pgTable(
  'cluster_industries',
  {
    clusterCode: text('cluster_code').notNull(),
    industryCode: text('industry_code').notNull(),
    confidence: text('confidence').notNull().default('proposed'),
    note: text('note'),
    source: text('source'),
  },
  (t) => [primaryKey({ columns: [t.clusterCode, t.industryCode] })],
);

// ---------- enterprises ----------

// owner: enterprises
export const enterprises = pgTable(
  'enterprises',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    uscc: text('uscc').notNull(),
    name: text('name').notNull(),
    /** county-level region (GB/T 2260) */
    regionCode: text('region_code').notNull(),
    townCode: text('town_code'),
    zoneCode: text('zone_code'),
    industryCode: text('industry_code').notNull(),
    /** above = 规上 (designated size), below = 规下 */
    scale: text('scale').notNull(),
    founded: date('founded'),
    status: text('status').notNull().default('operating'),
    address: text('address'),
    /** 主要产品: product words as registered (a JSON array of strings), null when none are recorded */
    mainProducts: jsonb('main_products').$type<string[]>(),
    importId: bigint('import_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('enterprises_uscc_idx').on(t.uscc),
    index('enterprises_region_idx').on(t.regionCode),
    index('enterprises_zone_idx').on(t.zoneCode),
    index('enterprises_industry_idx').on(t.industryCode),
    index('enterprises_name_idx').on(t.name),
  ],
);

/** Cluster membership with its basis; validTo null = current. History is kept, never rewritten. */
// owner: enterprises
export const enterpriseClusters = pgTable(
  'enterprise_clusters',
  {
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    clusterCode: text('cluster_code').notNull(),
    basis: text('basis').notNull(), // industry_code | override
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
  },
  (t) => [
    primaryKey({ columns: [t.enterpriseId, t.clusterCode, t.validFrom] }),
    index('enterprise_clusters_cluster_idx').on(t.clusterCode),
    // a cluster agency's scope (current members of its cluster), read by index alone and in firm order:
    // the registry list counts it with a merge join instead of hashing every current membership
    index('enterprise_clusters_current_idx')
      .on(t.clusterCode, t.enterpriseId)
      .where(sql`${t.validTo} is null`),
  ],
);

/** Cultivation tiers and honours: 雄鹰, 雏鹰, 专精特新, 小巨人, 单项冠军, 隐形冠军, listed, listing reserve. */
// owner: enterprises
export const enterpriseTiers = pgTable(
  'enterprise_tiers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    tier: text('tier').notNull(),
    year: integer('year').notNull(),
    level: text('level'), // national | provincial | city
    source: text('source'),
    importId: bigint('import_id', { mode: 'number' }),
  },
  (t) => [
    uniqueIndex('enterprise_tiers_key_idx').on(t.enterpriseId, t.tier, t.year),
    index('enterprise_tiers_tier_idx').on(t.tier),
  ],
);

/** Industrial platforms and parks: 示范基地, 特色产业园, 小微企业园, 创新服务综合体, 创新中心, 工业互联网平台 … */
// owner: platforms
export const platforms = pgTable('platforms', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  level: text('level'),
  regionCode: text('region_code'),
  zoneCode: text('zone_code'),
  clusterCode: text('cluster_code'),
  year: integer('year'),
  source: text('source'),
});

// ---------- facts ----------

/** Monthly statistics of an enterprise; month is the first day of the month. */
// owner: imports
export const monthlyStats = pgTable(
  'monthly_stats',
  {
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    month: date('month').notNull(),
    outputValue: doublePrecision('output_value'), // 工业总产值, 万元
    revenue: doublePrecision('revenue'), // 营业收入, 万元
    profit: doublePrecision('profit'), // 利润总额, 万元
    tax: doublePrecision('tax'), // 税金, 万元
    energyTce: doublePrecision('energy_tce'), // 综合能耗, 吨标准煤
    electricity: doublePrecision('electricity'), // 用电量, 万千瓦时
    employees: integer('employees'), // 从业人员, 人
    exportValue: doublePrecision('export_value'), // 出口交货值, 万元
    importId: bigint('import_id', { mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.enterpriseId, t.month] }),
    index('monthly_stats_month_idx').on(t.month),
    // the few months with no positive output: the rankings find the firms whose 累计 is 0 or less
    // (cluster_enterprise_ytd keeps positive sums only) without reading every month of the year
    index('monthly_stats_nonpositive_output_idx')
      .on(t.month)
      .where(sql`${t.outputValue} <= 0`),
  ],
);

/** Annual inputs of the 亩均效益 evaluation. */
// owner: imports
export const annualInputs = pgTable(
  'annual_inputs',
  {
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    year: integer('year').notNull(),
    landMu: doublePrecision('land_mu'), // 用地面积, 亩
    taxPaid: doublePrecision('tax_paid'), // 实缴税金, 万元
    valueAdded: doublePrecision('value_added'), // 工业增加值, 万元
    revenue: doublePrecision('revenue'), // 营业收入, 万元
    mainRevenue: doublePrecision('main_revenue'), // 主营业务收入, 万元
    energyTce: doublePrecision('energy_tce'), // 综合能耗, 吨标准煤
    electricity: doublePrecision('electricity'), // 用电量, 万千瓦时
    cod: doublePrecision('cod'), // 化学需氧量, 吨
    ammoniaNitrogen: doublePrecision('ammonia_nitrogen'), // 氨氮, 吨
    so2: doublePrecision('so2'), // 二氧化硫, 吨
    nox: doublePrecision('nox'), // 氮氧化物, 吨
    rdExpense: doublePrecision('rd_expense'), // R&D经费支出, 万元
    avgEmployees: integer('avg_employees'), // 年平均职工人数, 人
    importId: bigint('import_id', { mode: 'number' }),
  },
  (t) => [primaryKey({ columns: [t.enterpriseId, t.year] }), index('annual_inputs_year_idx').on(t.year)],
);

// ---------- imports ----------

// owner: imports
export const imports = pgTable(
  'imports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    fileSize: bigint('file_size', { mode: 'number' }),
    /** the uploaded file's name in the uploads folder (kept for the commit and for lineage) */
    storedAs: text('stored_as'),
    userId: bigint('user_id', { mode: 'number' }),
    username: text('username'),
    /** the importer's county when a county officer imported: they see their own imports */
    regionCode: text('region_code'),
    /** previewing | previewed | refused | committing | committed | failed | rolled_back */
    status: text('status').notNull(),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    committedAt: timestamp('committed_at', { withTimezone: true }),
    rolledBackAt: timestamp('rolled_back_at', { withTimezone: true }),
    rolledBackBy: text('rolled_back_by'),
    error: text('error'),
    counts: jsonb('counts')
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** the import batch (import_batches) this file was uploaded in, if any */
    batchId: bigint('batch_id', { mode: 'number' }),
  },
  (t) => [
    index('imports_sha_idx').on(t.sha256),
    index('imports_batch_idx').on(t.batchId),
    // the same file is committed once: importing it again changes nothing
    uniqueIndex('imports_committed_sha_idx')
      .on(t.kind, t.sha256)
      .where(sql`status = 'committed'`),
    index('imports_created_idx').on(t.createdAt),
  ],
);

// owner: imports
export const importIssues = pgTable(
  'import_issues',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    importId: bigint('import_id', { mode: 'number' }).notNull(),
    /** error | warning | notice */
    severity: text('severity').notNull().default('error'),
    file: text('file'),
    sheet: text('sheet'),
    row: integer('row'),
    column: text('column'),
    /** 0-based index of the column in the row as read (the report marks the cell by it), null when none */
    columnIndex: integer('column_index'),
    /** 1-based row number of the (last) header row of the problem's sheet, null for file-level problems */
    headerRow: integer('header_row'),
    value: text('value'),
    code: text('code').notNull(),
    messageZh: text('message_zh').notNull(),
    messageEn: text('message_en').notNull(),
    /** the offending row as read, for the problem report */
    cells: jsonb('cells'),
  },
  (t) => [index('import_issues_import_idx').on(t.importId)],
);

// ---------- access ----------

// owner: auth
export const users = pgTable(
  'users',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** admin | analyst | county | cluster_agency | enterprise | auditor | department */
    role: text('role').notNull(),
    regionCode: text('region_code'),
    clusterCode: text('cluster_code'),
    enterpriseId: bigint('enterprise_id', { mode: 'number' }),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('users_username_idx').on(t.username)],
);

/** Server-side sessions; the cookie holds a random token, the table holds only its sha256. */
// owner: auth
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Failed login attempts, for rate limiting that survives restarts and works across processes. */
// owner: auth
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    username: text('username').notNull(),
    ip: text('ip'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_attempts_user_idx').on(t.username, t.at)],
);

// owner: audit
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: bigint('user_id', { mode: 'number' }),
    username: text('username'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    ip: text('ip'),
  },
  (t) => [index('audit_log_entity_idx').on(t.entity, t.entityId), index('audit_log_at_idx').on(t.at)],
);
export * from './schema-monitoring.ts';
export * from './schema-evaluation.ts';
export * from './schema-imports.ts';
export * from './schema-projects.ts';
export * from './schema-chains.ts';
export * from './schema-workitems.ts';
export * from './schema-service.ts';
export * from './schema-alerts.ts';
export * from './schema-cultivation.ts';
export * from './schema-editions.ts';
export * from './schema-cluster-index.ts';
export * from './schema-targets.ts';
export * from './schema-bulletin.ts';
export * from './schema-documents.ts';
