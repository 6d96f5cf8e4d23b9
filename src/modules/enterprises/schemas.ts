// Shared with the web app: enterprise list filters, list rows, profile, create/edit bodies.
import { z } from 'zod';
import { dateText, queryInt } from '../../domain/query-params.ts';
import { MAX_PRODUCT_LENGTH, MAX_PRODUCTS } from '../../domain/products.ts';

export const SCALES = ['above', 'below'] as const; // 规上 / 规下
export const STATUSES = ['operating', 'suspended', 'closed'] as const;
export const TIERS = [
  'xiongying', // 雄鹰
  'chuying', // 雏鹰
  'zhuanjingtexin', // 专精特新
  'little_giant', // 专精特新"小巨人"
  'single_champion', // 单项冠军
  'hidden_champion', // 隐形冠军
  'listed', // 上市
  'listing_reserve', // 上市后备
] as const;
export type Tier = (typeof TIERS)[number];

export const SORT_FIELDS = ['name', 'uscc', 'regionCode', 'industryCode', 'founded', 'outputValue'] as const;

export const enterpriseListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  county: z.string().optional(),
  zone: z.string().optional(),
  cluster: z.string().optional(),
  industry: z.string().optional(),
  scale: z.enum(SCALES).optional(),
  tier: z.enum(TIERS).optional(),
  status: z.enum(STATUSES).optional(),
  /** a word of the main products (主要产品), e.g. 电池片 */
  product: z.string().trim().max(MAX_PRODUCT_LENGTH).optional(),
  sort: z.enum(SORT_FIELDS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: queryInt({ min: 1 }).default(1),
  pageSize: queryInt({ min: 1, max: 200 }).default(20),
});
export type EnterpriseListQuery = z.infer<typeof enterpriseListQuery>;

export const enterpriseRowSchema = z.object({
  id: z.number(),
  uscc: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  zoneCode: z.string().nullable(),
  zoneName: z.string().nullable(),
  industryCode: z.string(),
  industryName: z.string().nullable(),
  scale: z.enum(SCALES),
  status: z.enum(STATUSES),
  founded: z.string().nullable(),
  clusters: z.array(z.string()),
  tiers: z.array(z.string()),
  /** 主要产品 as registered, in order; empty when none are recorded */
  mainProducts: z.array(z.string()),
  /** latest full year's 工业总产值, 万元 (sum of monthly figures), null when none */
  outputValue: z.number().nullable(),
});
export type EnterpriseRow = z.infer<typeof enterpriseRowSchema>;

export const enterpriseListSchema = z.object({
  items: z.array(enterpriseRowSchema),
  /** the year of every row's outputValue (the latest year with December figures), null when none */
  outputYear: z.number().nullable(),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type EnterpriseList = z.infer<typeof enterpriseListSchema>;

export const monthlyFactSchema = z.object({
  month: z.string(),
  outputValue: z.number().nullable(),
  revenue: z.number().nullable(),
  profit: z.number().nullable(),
  tax: z.number().nullable(),
  energyTce: z.number().nullable(),
  electricity: z.number().nullable(),
  employees: z.number().nullable(),
  exportValue: z.number().nullable(),
});

export const annualFactSchema = z.object({
  year: z.number(),
  landMu: z.number().nullable(),
  taxPaid: z.number().nullable(),
  valueAdded: z.number().nullable(),
  revenue: z.number().nullable(),
  mainRevenue: z.number().nullable(),
  energyTce: z.number().nullable(),
  electricity: z.number().nullable(),
  cod: z.number().nullable(),
  ammoniaNitrogen: z.number().nullable(),
  so2: z.number().nullable(),
  nox: z.number().nullable(),
  rdExpense: z.number().nullable(),
  avgEmployees: z.number().nullable(),
});

export const enterpriseProfileSchema = enterpriseRowSchema.extend({
  townCode: z.string().nullable(),
  townName: z.string().nullable(),
  address: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  tierDetails: z.array(
    z.object({
      tier: z.string(),
      year: z.number(),
      level: z.string().nullable(),
      source: z.string().nullable(),
    }),
  ),
  clusterDetails: z.array(z.object({ code: z.string(), name: z.string(), basis: z.string() })),
  /** the last 13 months on record, oldest first */
  recentMonths: z.array(monthlyFactSchema),
  latestAnnual: annualFactSchema.nullable(),
});
export type EnterpriseProfile = z.infer<typeof enterpriseProfileSchema>;

const registryFields = {
  name: z.string().trim().min(2).max(200),
  regionCode: z.string(),
  townCode: z.string().nullable().optional(),
  zoneCode: z.string().nullable().optional(),
  industryCode: z.string(),
  scale: z.enum(SCALES),
  founded: dateText().nullable().optional(),
  status: z.enum(STATUSES),
  address: z.string().max(300).nullable().optional(),
  /** 主要产品; each item may itself hold several separated by 、，,;；/ (split on save); null or [] clears */
  mainProducts: z.array(z.string().max(300)).max(MAX_PRODUCTS).nullable().optional(),
};

export const enterpriseCreateBody = z.object({
  uscc: z.string().trim().min(1),
  ...registryFields,
  status: registryFields.status.default('operating'),
});
export type EnterpriseCreate = z.infer<typeof enterpriseCreateBody>;

/** Only the fields sent are changed; no defaults, so an edit never touches what it did not name. */
export const enterpriseUpdateBody = z.object(registryFields).partial().strict();
export type EnterpriseUpdate = z.infer<typeof enterpriseUpdateBody>;
