// Enterprise registry: scoped reads, validated and audited writes.
import { assertAllowed } from '../../server/policy.ts';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { enterpriseClusters, enterprises, industries, regions, zones } from '../../db/schema.ts';
import { validateUscc } from '../../domain/uscc.ts';
import { MAX_PRODUCT_LENGTH, MAX_PRODUCTS, normaliseProducts } from '../../domain/products.ts';
import { clustersForIndustry } from '../../domain/clusters.ts';
import { AppError, badRequest, conflict, forbidden, notFound, type FieldError } from '../../server/errors.ts';
import { scopeAllowsRegistry, type Scope } from '../../server/scope.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { loadClusterMapping } from '../reference/index.ts';
import { runFactsChanged } from '../imports/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { enterpriseVisible } from './repo.ts';
import { enterpriseList, forgetEnterpriseAnswers, keptProfile } from './answers.ts';
import type {
  EnterpriseCreate,
  EnterpriseListQuery,
  EnterpriseProfile,
  EnterpriseUpdate,
} from './schemas.ts';

export { enterpriseList };

/** A firm's profile within the scope (kept, answers.ts), 404 outside it. */
export async function getEnterpriseProfile(db: Db, scope: Scope, id: number): Promise<EnterpriseProfile> {
  const profile = await keptProfile(db, scope, id);
  if (!profile) throw notFound('enterprise');
  return profile;
}

export type ListQuery = EnterpriseListQuery;

/** Checks codes against the reference tables; collects every problem so the form can show them all. */
async function validateRegistry(
  db: Db,
  e: { regionCode: string; townCode?: string | null; zoneCode?: string | null; industryCode: string },
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const [region] = await db.select().from(regions).where(eq(regions.code, e.regionCode));
  if (!region || region.level !== 'county') {
    errors.push({
      field: 'regionCode',
      message: `Unknown county code ${e.regionCode}`,
      messageZh: `区县代码 ${e.regionCode} 不存在`,
    });
  }
  if (e.townCode) {
    const [town] = await db.select().from(regions).where(eq(regions.code, e.townCode));
    if (!town || town.parentCode !== e.regionCode) {
      errors.push({
        field: 'townCode',
        message: `Town ${e.townCode} is not in county ${e.regionCode}`,
        messageZh: `乡镇街道 ${e.townCode} 不属于区县 ${e.regionCode}`,
      });
    }
  }
  if (e.zoneCode) {
    const [zone] = await db.select().from(zones).where(eq(zones.code, e.zoneCode));
    if (!zone)
      errors.push({
        field: 'zoneCode',
        message: `Unknown zone ${e.zoneCode}`,
        messageZh: `园区代码 ${e.zoneCode} 不存在`,
      });
    else if (zone.hostRegionCode !== e.regionCode) {
      errors.push({
        field: 'zoneCode',
        message: `Zone ${zone.name} lies in county ${zone.hostRegionCode}, not ${e.regionCode}`,
        messageZh: `${zone.name} 位于区县 ${zone.hostRegionCode}，不在 ${e.regionCode}`,
      });
    }
  }
  const [industry] = await db.select().from(industries).where(eq(industries.code, e.industryCode));
  if (!industry || industry.level === 'section') {
    errors.push({
      field: 'industryCode',
      message: `Unknown GB/T 4754-2017 industry code ${e.industryCode} (give a 2–4 digit code)`,
      messageZh: `国民经济行业代码 ${e.industryCode} 不存在（应为 GB/T 4754-2017 的 2–4 位代码）`,
    });
  }
  return errors;
}

async function syncClusterMembership(db: Db, enterpriseId: number, industryCode: string, today: string) {
  const mapping = await loadClusterMapping(db);
  const wanted = new Set(clustersForIndustry(industryCode, mapping));
  const current = await db
    .select()
    .from(enterpriseClusters)
    .where(and(eq(enterpriseClusters.enterpriseId, enterpriseId), isNull(enterpriseClusters.validTo)));
  for (const m of current) {
    // Overrides set by an administrator stay; mapping-based rows follow the industry code.
    if (m.basis === 'industry_code' && !wanted.has(m.clusterCode)) {
      await db
        .update(enterpriseClusters)
        .set({ validTo: today })
        .where(
          and(
            eq(enterpriseClusters.enterpriseId, enterpriseId),
            eq(enterpriseClusters.clusterCode, m.clusterCode),
            eq(enterpriseClusters.validFrom, m.validFrom),
          ),
        );
    }
    wanted.delete(m.clusterCode);
  }
  for (const clusterCode of wanted) {
    await db
      .insert(enterpriseClusters)
      .values({ enterpriseId, clusterCode, basis: 'industry_code', validFrom: today })
      .onConflictDoUpdate({
        target: [
          enterpriseClusters.enterpriseId,
          enterpriseClusters.clusterCode,
          enterpriseClusters.validFrom,
        ],
        set: { validTo: null },
      });
  }
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * 主要产品 as stored: split at the separators, trimmed, distinct; null when none (so an empty list and a
 * blank import cell read the same). Too many or too long products are refused with the field named.
 */
function storedProducts(list: readonly string[] | null | undefined): string[] | null {
  const products = normaliseProducts(list ?? []);
  const long = products.filter((p) => p.length > MAX_PRODUCT_LENGTH);
  if (products.length > MAX_PRODUCTS || long.length) {
    const message = long.length
      ? `A product is longer than ${MAX_PRODUCT_LENGTH} characters: ${long[0]}`
      : `At most ${MAX_PRODUCTS} products`;
    const messageZh = long.length
      ? `产品名称超过 ${MAX_PRODUCT_LENGTH} 字：${long[0]}`
      : `主要产品最多 ${MAX_PRODUCTS} 项`;
    throw badRequest(message, messageZh, [{ field: 'mainProducts', message, messageZh }]);
  }
  return products.length ? products : null;
}

export async function createEnterprise(
  db: Db,
  user: AuthedUser,
  body: EnterpriseCreate,
  actor: Actor,
): Promise<EnterpriseProfile> {
  assertAllowed(user, 'enterprises.enterprise', 'create');
  const uscc = validateUscc(body.uscc);
  const errors: FieldError[] = [];
  if (!uscc.ok) errors.push({ field: 'uscc', message: uscc.message.en, messageZh: uscc.message.zh });
  errors.push(...(await validateRegistry(db, body)));
  if (errors.length)
    throw badRequest(
      errors.map((e) => e.message).join('; '),
      errors.map((e) => e.messageZh).join('；'),
      errors,
    );
  if (!scopeAllowsRegistry(user.scope, { regionCode: body.regionCode })) {
    throw forbidden('You can only register enterprises in your own county.', '您只能登记本区县的企业。');
  }
  const code = uscc.code;
  const existing = await db
    .select({ id: enterprises.id })
    .from(enterprises)
    .where(eq(enterprises.uscc, code));
  if (existing.length) {
    throw conflict(
      `An enterprise with USCC ${code} is registered already.`,
      `统一社会信用代码 ${code} 的企业已登记。`,
      [{ field: 'uscc', message: 'already registered', messageZh: '该代码已登记' }],
    );
  }
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(enterprises)
      .values({
        ...body,
        uscc: code,
        townCode: body.townCode ?? null,
        zoneCode: body.zoneCode ?? null,
        founded: body.founded ?? null,
        address: body.address ?? null,
        mainProducts: storedProducts(body.mainProducts),
      })
      .returning();
    await syncClusterMembership(tx, row!.id, row!.industryCode, today());
    // A registry change is a facts change like a registry import: derived tables (rollups) follow it.
    await runFactsChanged(tx, { kind: 'enterprises', enterpriseIds: [row!.id] });
    await writeAudit(tx, actor, {
      action: 'enterprise.create',
      entity: 'enterprise',
      entityId: row!.id,
      after: row,
    });
    return row!.id;
  });
  // the kept lists go once the firm is committed (a list read meanwhile would keep the one before)
  forgetEnterpriseAnswers();
  return getEnterpriseProfile(db, user.scope, id);
}

/** Fields the monitoring rollups group by, and the ones chain placement reads (name, main products). */
const FACT_FIELDS: readonly (keyof EnterpriseUpdate)[] = [
  'regionCode',
  'zoneCode',
  'industryCode',
  'scale',
  'status',
  'name',
  'mainProducts',
];

/** What each role may change on an enterprise it can see. */
const EDITABLE: Record<string, readonly (keyof EnterpriseUpdate)[]> = {
  admin: [
    'name',
    'regionCode',
    'townCode',
    'zoneCode',
    'industryCode',
    'scale',
    'founded',
    'status',
    'address',
    'mainProducts',
  ],
  county: [
    'name',
    'townCode',
    'zoneCode',
    'industryCode',
    'scale',
    'founded',
    'status',
    'address',
    'mainProducts',
  ],
  enterprise: ['address', 'mainProducts'],
};

export async function updateEnterprise(
  db: Db,
  user: AuthedUser,
  id: number,
  body: EnterpriseUpdate,
  actor: Actor,
): Promise<EnterpriseProfile> {
  const changes =
    'mainProducts' in body ? { ...body, mainProducts: storedProducts(body.mainProducts) } : body;
  await db.transaction(async (tx) => {
    // The row as it stands, locked until the edit commits: a concurrent edit waits, so this one is checked
    // against the record it changes — the scope on the county the firm is in now, the zone against the
    // county — and the audit's "before" is what it replaced, not what it read before someone else's edit
    // landed. (Out of scope is a 404 before any field is judged: a refusal would reveal the firm.)
    const [before] = await tx.select().from(enterprises).where(eq(enterprises.id, id)).for('update');
    if (!before || !(await enterpriseVisible(tx, user.scope, id))) throw notFound('enterprise');
    const allowed = EDITABLE[user.role] ?? [];
    const refused = (Object.keys(body) as (keyof EnterpriseUpdate)[]).filter((f) => !allowed.includes(f));
    if (refused.length)
      throw new AppError(
        403,
        'forbidden',
        `You may not change: ${refused.join(', ')}.`,
        `您无权修改：${refused.join('、')}。`,
      );
    const errors = await validateRegistry(tx, { ...before, ...body });
    if (errors.length)
      throw badRequest(
        errors.map((e) => e.message).join('; '),
        errors.map((e) => e.messageZh).join('；'),
        errors,
      );
    const [after] = await tx
      .update(enterprises)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(enterprises.id, id))
      .returning();
    if (body.industryCode && body.industryCode !== before.industryCode)
      await syncClusterMembership(tx, id, body.industryCode, today());
    // Fields the rollups group by or placement reads: a registry change like a registry import, so
    // derived tables (rollups, chain placements) follow it.
    if (FACT_FIELDS.some((f) => f in body))
      await runFactsChanged(tx, { kind: 'enterprises', enterpriseIds: [id] });
    await writeAudit(tx, actor, {
      action: 'enterprise.update',
      entity: 'enterprise',
      entityId: id,
      before,
      after,
    });
  });
  forgetEnterpriseAnswers();
  return getEnterpriseProfile(db, user.scope, id);
}
