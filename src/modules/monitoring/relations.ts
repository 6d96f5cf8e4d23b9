// The monitoring rollup as a relation other modules join in their own SQL (issue 11: monitoring owns
// cluster_region_month and rebuilds it from the facts; a reader joins this subquery instead of naming the
// table, and PostgreSQL pulls it up into the reader's query, so its indexes serve as before).
import { sql, type SQL } from 'drizzle-orm';
import { clusterRegionMonth } from '../../db/schema.ts';

/**
 * Monthly sums per cluster (and the reserved codes `_clusters`, `_industry`) × county × zone × scale:
 * cluster_code, region_code, zone_code, scale, month, output_value, revenue, profit, tax, energy_tce,
 * electricity, employees, export_value, enterprises (firms reporting). Units as in schema-monitoring.ts.
 */
export const clusterMonthRows = (): SQL =>
  sql`(select cluster_code, region_code, zone_code, scale, month, output_value, revenue, profit, tax, energy_tce,
              electricity, employees, export_value, enterprises from ${clusterRegionMonth})`;

// The rollups' version stamp and its refresh listeners, for other capabilities' answer caches that need
// nothing else of monitoring (the evaluate command: issue 13).
export { onRollupsRefreshed, rollupVersion } from './version.ts';
