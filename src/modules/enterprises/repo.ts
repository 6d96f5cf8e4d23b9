// Queries over enterprises. Every read takes the caller's Scope; there is no unscoped read here.
import { and, eq, ilike, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import {
  enterpriseClusters,
  enterpriseTiers,
  enterprises,
  industries,
  regions,
  zones,
} from '../../db/schema.ts';
import { enterpriseScopeCondition, type Scope } from '../../server/scope.ts';
import { productsOf } from '../../domain/products.ts';
import { factsReferenceYear, factsReferenceYearSql, monthlyFactRows } from '../imports/relations.ts';
import type { EnterpriseListQuery, EnterpriseRow } from './schemas.ts';

/** The latest calendar year with December figures on record (the facts' owner decides it). */
export const referenceYear = (db: Db): Promise<number | null> => factsReferenceYear(db);

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

/** Current clusters and tiers of the firm `id` (decorations of a list row, asked for the page's rows only). */
export const clustersOf = (id: SQLWrapper) =>
  sql`coalesce((select array_agg(ec.cluster_code order by ec.cluster_code) from ${enterpriseClusters} ec
    where ec.enterprise_id = ${id} and ec.valid_to is null), '{}')`;
export const tiersOf = (id: SQLWrapper) =>
  sql`coalesce((select array_agg(distinct et.tier) from ${enterpriseTiers} et where et.enterprise_id = ${id}), '{}')`;

/**
 * The reference year as the statement's first CTE `yr`, asked once: materialized, because PostgreSQL would
 * otherwise copy the expression into every place that names it (planned and run as often).
 */
export const withReferenceYear = () => sql`with yr as materialized (select ${factsReferenceYearSql()} as y)`;
const year = sql`(select y from yr)`;

/** The firm's 工业总产值 of the reference year (CTE `yr`; null without facts). */
export const yearOutputOf = (id: SQLWrapper) =>
  sql`(select sum(ms.output_value) from ${monthlyFactRows()} ms where ms.enterprise_id = ${id}
    and ms.month >= make_date(${year}, 1, 1) and ms.month < make_date(${year} + 1, 1, 1))`;

/** Names of the reference codes (shared tables), asked per decorated row: cheaper to plan than joins. */
export const nameOf = {
  region: (code: SQLWrapper) => sql`(select r.name from ${regions} r where r.code = ${code})`,
  zone: (code: SQLWrapper) => sql`(select z.short_name from ${zones} z where z.code = ${code})`,
  industry: (code: SQLWrapper) => sql`(select i.name from ${industries} i where i.code = ${code})`,
};

type ListRow = Omit<EnterpriseRow, 'id' | 'mainProducts'> & {
  id: number | null;
  mainProducts: unknown;
  total: number;
  outputYear: number | null;
};

/**
 * One page of the registry within the scope, with the count of every matching firm, in ONE statement (one
 * round trip; the reference year is asked inside it): the page is sorted and cut first — by an index when
 * the sort is a column — and only its rows are decorated with names, clusters, tiers and output. The page
 * is a left join, so a page past the end still answers the count.
 */
export async function listEnterprises(db: Db, scope: Scope, q: EnterpriseListQuery) {
  const where = and(...filterConditions(scope, q)) ?? sql`true`;
  const dir = sql.raw(q.order === 'desc' ? 'desc' : 'asc');
  const byOutput = q.sort === 'outputValue';
  // Each sort as the page orders it, and as the outer select puts the decorated page back in that order.
  const column = {
    name: ['name', enterprises.name],
    uscc: ['uscc', enterprises.uscc],
    regionCode: ['region_code', enterprises.regionCode],
    industryCode: ['industry_code', enterprises.industryCode],
    founded: ['founded', enterprises.founded],
    outputValue: ['output', null],
  } as const;
  const [outerKey, innerColumn] = column[q.sort];
  const innerOrder = byOutput
    ? sql`output ${dir} nulls last, ${enterprises.id} asc`
    : sql`${innerColumn} ${dir}, ${enterprises.id} asc`;
  const outerOrder = byOutput
    ? sql`p.output ${dir} nulls last, p.id asc`
    : sql`${sql.identifier('p')}.${sql.identifier(outerKey)} ${dir}, p.id asc`;
  const rows = await queryRows<ListRow>(
    db,
    sql`${withReferenceYear()}
        select t.total, ${year} as "outputYear", p.id::int as id, p.uscc, p.name, p.region_code as "regionCode",
          ${nameOf.region(sql`p.region_code`)} as "regionName", p.zone_code as "zoneCode",
          ${nameOf.zone(sql`p.zone_code`)} as "zoneName", p.industry_code as "industryCode",
          ${nameOf.industry(sql`p.industry_code`)} as "industryName", p.scale, p.status,
          p.founded::text as founded, ${clustersOf(sql`p.id`)} as clusters, ${tiersOf(sql`p.id`)} as tiers,
          p.main_products as "mainProducts",
          ${byOutput ? sql`p.output` : yearOutputOf(sql`p.id`)} as "outputValue"
        from (select count(*)::int as total from ${enterprises} where ${where}) t
        left join lateral (
          select ${enterprises.id}, ${enterprises.uscc}, ${enterprises.name}, ${enterprises.regionCode},
                 ${enterprises.zoneCode}, ${enterprises.industryCode}, ${enterprises.scale}, ${enterprises.status},
                 ${enterprises.founded}, ${enterprises.mainProducts}
                 ${byOutput ? sql`, ${yearOutputOf(enterprises.id)} as output` : sql``}
            from ${enterprises} where ${where}
           order by ${innerOrder}
           limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}) p on true
        order by ${outerOrder}`,
  );
  const first = rows[0];
  return {
    items: rows
      .filter((r) => r.id != null)
      .map(
        ({ total: _total, outputYear: _year, ...r }) =>
          ({
            ...r,
            mainProducts: productsOf(r.mainProducts),
            outputValue: r.outputValue == null ? null : Number(r.outputValue),
          }) as EnterpriseRow,
      ),
    outputYear: first?.outputYear ?? null,
    total: first?.total ?? 0,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Whether the firm lies in the scope (callers answer 404 otherwise, revealing nothing). */
export async function enterpriseVisible(db: Db, scope: Scope, id: number): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    db,
    sql`select 1 as one from ${enterprises} where ${and(eq(enterprises.id, id), enterpriseScopeCondition(scope))}`,
  );
  return rows.length > 0;
}
