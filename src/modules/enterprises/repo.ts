// Queries over enterprises. Every read takes the caller's Scope; there is no unscoped read here.
import { and, asc, desc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import {
  clusters,
  enterpriseClusters,
  enterpriseTiers,
  enterprises,
  industries,
  regions,
  zones,
} from '../../db/schema.ts';
import { enterpriseScopeCondition, type Scope } from '../../server/scope.ts';
import { productsOf } from '../../domain/products.ts';
import { annualInputRows, factsReferenceYear, monthlyFactRows } from '../imports/relations.ts';
import type { EnterpriseListQuery, EnterpriseProfile, EnterpriseRow } from './schemas.ts';

/** The latest calendar year with December figures on record (the facts' owner decides it). */
export const referenceYear = (db: Db): Promise<number | null> => factsReferenceYear(db);

function annualOutputExpr(year: number | null): SQL<number | null> {
  if (year == null) return sql<null>`null::float8`;
  return sql<
    number | null
  >`(select sum(ms.output_value) from ${monthlyFactRows()} ms where ms.enterprise_id = ${enterprises.id}
    and ms.month >= ${`${year}-01-01`}::date and ms.month < ${`${year + 1}-01-01`}::date)`;
}

function filterConditions(scope: Scope, q: EnterpriseListQuery): SQL[] {
  const conds: SQL[] = [];
  const scoped = enterpriseScopeCondition(scope);
  if (scoped) conds.push(scoped);
  if (q.q) {
    const term = q.q.replace(/[%_\\]/g, (c) => '\\' + c);
    conds.push(or(ilike(enterprises.name, `%${term}%`), ilike(enterprises.uscc, `${term.toUpperCase()}%`))!);
  }
  if (q.county) conds.push(eq(enterprises.regionCode, q.county));
  if (q.zone) conds.push(eq(enterprises.zoneCode, q.zone));
  if (q.industry) conds.push(ilike(enterprises.industryCode, `${q.industry.replace(/[%_\\]/g, '')}%`));
  if (q.scale) conds.push(eq(enterprises.scale, q.scale));
  if (q.status) conds.push(eq(enterprises.status, q.status));
  if (q.product) {
    const term = q.product.replace(/[%_\\]/g, (c) => '\\' + c);
    conds.push(ilike(sql`${enterprises.mainProducts}::text`, `%${term}%`));
  }
  if (q.cluster) {
    conds.push(
      sql`exists (select 1 from ${enterpriseClusters} ec where ec.enterprise_id = ${enterprises.id} and ec.cluster_code = ${q.cluster} and ec.valid_to is null)`,
    );
  }
  if (q.tier) {
    conds.push(
      sql`exists (select 1 from ${enterpriseTiers} et where et.enterprise_id = ${enterprises.id} and et.tier = ${q.tier})`,
    );
  }
  return conds;
}

const clusterList = sql<
  string[]
>`coalesce((select array_agg(ec.cluster_code order by ec.cluster_code) from ${enterpriseClusters} ec
  where ec.enterprise_id = ${enterprises.id} and ec.valid_to is null), '{}')`;
const tierList = sql<string[]>`coalesce((select array_agg(distinct et.tier) from ${enterpriseTiers} et
  where et.enterprise_id = ${enterprises.id}), '{}')`;

export async function listEnterprises(db: Db, scope: Scope, q: EnterpriseListQuery) {
  const year = await referenceYear(db);
  const where = and(...filterConditions(scope, q));
  const output = annualOutputExpr(year);
  const dir = q.order === 'desc' ? desc : asc;
  const sortColumn = {
    name: enterprises.name,
    uscc: enterprises.uscc,
    regionCode: enterprises.regionCode,
    industryCode: enterprises.industryCode,
    founded: enterprises.founded,
    outputValue: output,
  }[q.sort];
  const orderBy = q.sort === 'outputValue' ? sql`${output} ${sql.raw(q.order)} nulls last` : dir(sortColumn);
  const [rows, totals] = await Promise.all([
    db
      .select({
        id: enterprises.id,
        uscc: enterprises.uscc,
        name: enterprises.name,
        regionCode: enterprises.regionCode,
        regionName: regions.name,
        zoneCode: enterprises.zoneCode,
        zoneName: zones.shortName,
        industryCode: enterprises.industryCode,
        industryName: industries.name,
        scale: enterprises.scale,
        status: enterprises.status,
        founded: enterprises.founded,
        clusters: clusterList,
        tiers: tierList,
        mainProducts: enterprises.mainProducts,
        outputValue: output,
      })
      .from(enterprises)
      .leftJoin(regions, eq(regions.code, enterprises.regionCode))
      .leftJoin(zones, eq(zones.code, enterprises.zoneCode))
      .leftJoin(industries, eq(industries.code, enterprises.industryCode))
      .where(where)
      .orderBy(orderBy, asc(enterprises.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(enterprises)
      .where(where),
  ]);
  return {
    items: rows.map(
      (r) =>
        ({
          ...r,
          mainProducts: productsOf(r.mainProducts),
          outputValue: r.outputValue == null ? null : Number(r.outputValue),
        }) as EnterpriseRow,
    ),
    outputYear: year,
    total: totals[0]?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** One enterprise if the scope allows it, else undefined (callers answer 404, revealing nothing). */
export async function findEnterprise(db: Db, scope: Scope, id: number) {
  const scoped = enterpriseScopeCondition(scope);
  const output = annualOutputExpr(await referenceYear(db));
  const [row] = await db
    .select({
      id: enterprises.id,
      uscc: enterprises.uscc,
      name: enterprises.name,
      regionCode: enterprises.regionCode,
      regionName: regions.name,
      townCode: enterprises.townCode,
      zoneCode: enterprises.zoneCode,
      zoneName: zones.shortName,
      industryCode: enterprises.industryCode,
      industryName: industries.name,
      scale: enterprises.scale,
      status: enterprises.status,
      founded: enterprises.founded,
      address: enterprises.address,
      createdAt: enterprises.createdAt,
      updatedAt: enterprises.updatedAt,
      clusters: clusterList,
      tiers: tierList,
      mainProducts: enterprises.mainProducts,
      outputValue: output,
    })
    .from(enterprises)
    .leftJoin(regions, eq(regions.code, enterprises.regionCode))
    .leftJoin(zones, eq(zones.code, enterprises.zoneCode))
    .leftJoin(industries, eq(industries.code, enterprises.industryCode))
    .where(and(eq(enterprises.id, id), scoped));
  return (
    row && {
      ...row,
      mainProducts: productsOf(row.mainProducts),
      outputValue: row.outputValue == null ? null : Number(row.outputValue),
    }
  );
}

/** A month of facts and the latest annual inputs as the profile shows them (units of src/db/schema.ts). */
type MonthRow = EnterpriseProfile['recentMonths'][number];
type AnnualRow = NonNullable<EnterpriseProfile['latestAnnual']>;

export async function enterpriseDetails(db: Db, id: number) {
  const [tiers, clusterRows, months, annual, town] = await Promise.all([
    db
      .select({
        tier: enterpriseTiers.tier,
        year: enterpriseTiers.year,
        level: enterpriseTiers.level,
        source: enterpriseTiers.source,
      })
      .from(enterpriseTiers)
      .where(eq(enterpriseTiers.enterpriseId, id))
      .orderBy(desc(enterpriseTiers.year)),
    db
      .select({ code: enterpriseClusters.clusterCode, name: clusters.name, basis: enterpriseClusters.basis })
      .from(enterpriseClusters)
      .innerJoin(clusters, eq(clusters.code, enterpriseClusters.clusterCode))
      .where(and(eq(enterpriseClusters.enterpriseId, id), isNull(enterpriseClusters.validTo)))
      .orderBy(asc(clusters.sortOrder)),
    queryRows<MonthRow>(
      db,
      sql`select ms.month::text as "month", ms.output_value as "outputValue", ms.revenue, ms.profit, ms.tax,
            ms.energy_tce as "energyTce", ms.electricity, ms.employees, ms.export_value as "exportValue"
          from ${monthlyFactRows()} ms where ms.enterprise_id = ${id} order by ms.month desc limit 13`,
    ),
    queryRows<AnnualRow>(
      db,
      sql`select a.year, a.land_mu as "landMu", a.tax_paid as "taxPaid", a.value_added as "valueAdded",
            a.revenue, a.main_revenue as "mainRevenue", a.energy_tce as "energyTce", a.electricity, a.cod,
            a.ammonia_nitrogen as "ammoniaNitrogen", a.so2, a.nox, a.rd_expense as "rdExpense",
            a.avg_employees as "avgEmployees"
          from ${annualInputRows()} a where a.enterprise_id = ${id} order by a.year desc limit 1`,
    ),
    db
      .select({ name: regions.name })
      .from(regions)
      .innerJoin(enterprises, eq(enterprises.townCode, regions.code))
      .where(eq(enterprises.id, id)),
  ]);
  const latest = annual[0];
  return {
    tierDetails: tiers,
    clusterDetails: clusterRows,
    townName: town[0]?.name ?? null,
    recentMonths: months.reverse().map(({ month, ...m }) => ({ month: month.slice(0, 7), ...m })),
    latestAnnual: latest ?? null,
  };
}
