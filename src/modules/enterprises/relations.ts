// The registry as relations other modules join in their own SQL (issue 11): the enterprises module owns
// `enterprises` and `enterprise_clusters` (docs/architecture.md, "Tables and their owners"); a reader joins
// one of these subqueries instead of naming the table. Each is a plain select that PostgreSQL pulls up into
// the caller's query (same plan, same indexes), and cannot be written through. Alias the registry
// `enterprises` when the scope SQL (src/server/scope.ts, which names enterprises.id / region_code) applies.
import { sql, type SQL } from 'drizzle-orm';
import { enterpriseClusters, enterpriseTiers, enterprises } from '../../db/schema.ts';

/** Every registered firm (closed ones too): id, uscc, name, region/town/zone, industry, scale, status … */
export const registryRows = (): SQL =>
  sql`(select id, uscc, name, region_code, town_code, zone_code, industry_code, scale, founded, status,
              address, main_products, updated_at from ${enterprises})`;

/** Current cluster memberships (valid_to is null): enterprise_id, cluster_code, basis, valid_from. */
export const currentMemberships = (): SQL =>
  sql`(select enterprise_id, cluster_code, basis, valid_from from ${enterpriseClusters} where valid_to is null)`;

/**
 * Every cluster membership, ended ones too (valid_to set): enterprise_id, cluster_code, basis, valid_from,
 * valid_to. For figures of past periods, which count the firms that were members then.
 */
export const membershipHistory = (): SQL =>
  sql`(select enterprise_id, cluster_code, basis, valid_from, valid_to from ${enterpriseClusters})`;

/** The tiers recorded per firm and year (专精特新, 小巨人 …): enterprise_id, tier, year, level, source. */
export const tierRows = (): SQL =>
  sql`(select enterprise_id, tier, year, level, source from ${enterpriseTiers})`;

/**
 * Text values that change whenever a firm is added, changed or removed, a membership begins or ends, or a
 * tier is recorded or removed (rows are only inserted and deleted, ids never reused): a cheap gate for
 * derived data (chain placements, kept answers) before looking at firms one by one.
 */
export const registryChangeStamps = (): { enterprises: SQL; memberships: SQL; tiers: SQL } => ({
  enterprises: sql`(select count(*)::text || '/' || coalesce(max(id), 0)::text || '/' || coalesce(max(updated_at)::text, '') from ${enterprises})`,
  memberships: sql`(select count(*)::text || '/' || count(*) filter (where valid_to is null)::text || '/' || coalesce(max(valid_from)::text, '') from ${enterpriseClusters})`,
  tiers: sql`(select count(*)::text || '/' || coalesce(max(id), 0)::text from ${enterpriseTiers})`,
});

// The stamps read once for every kept-answer cache of the process (stamps.ts): a cache that needs nothing
// else of the registry (the evaluation answers, and so `clusterscope evaluate`) reads them from here without
// loading the registry's service and the import pipeline behind it (issue 13).
export { readRegistryStamps, type RegistryStamps } from './stamps.ts';
