// The platforms register as a relation other modules join in their own SQL (issue 11: platforms owns the
// table; a reader joins this subquery instead of naming it).
import { sql, type SQL } from 'drizzle-orm';
import { platforms } from '../../db/schema.ts';

/** Every platform: id, name, kind, level, region_code, zone_code, cluster_code, year (recognised in). */
export const platformRows = (): SQL =>
  sql`(select id, name, kind, level, region_code, zone_code, cluster_code, year from ${platforms})`;
