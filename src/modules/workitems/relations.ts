// Work items and the register of units as relations other modules join in their own SQL (issue 11): this
// module owns work_items, work_item_parties, units and unit_members (docs/architecture.md, "Tables and their
// owners"); a capability that keeps its own rows beside its items (service requests' statistics, the demo)
// joins one of these subqueries instead of naming the table. Each is a plain select that PostgreSQL pulls up
// into the caller's query (same plan, same indexes) and cannot be written through. Writes go through the
// functions of ./index.ts (createWorkItem, transitionWorkItem, addUnitMembers …).
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { unitMembers, units, workItemParties, workItems } from '../../db/schema.ts';

/** Every work item: its subject, state, owner, scope facts (firm, county, cluster), clock and closing. */
export const workItemRows = (): SQL =>
  sql`(select id, kind, subject_type, subject_id, title, state, owner_unit_id, owner_user_id, enterprise_id,
              region_code, cluster_code, timed, level, deadline_at, ever_overdue, closed_at, close_reason,
              created_by, created_at, updated_at from ${workItems})`;

/** Co-handling units (协办) of items: work_item_id, unit_id, role, assigned/due/done instants. */
export const workItemPartyRows = (): SQL =>
  sql`(select work_item_id, unit_id, role, assigned_at, due_at, done_at from ${workItemParties})`;

/** The register of units: id, code, name, kind, level, county, cluster, active. */
export const unitRows = (): SQL =>
  sql`(select id, code, name, name_en, kind, level, region_code, cluster_code, active, sort_order from ${units})`;

/** Who acts for which unit: unit_id, user_id, duty. */
export const unitMemberRows = (): SQL => sql`(select unit_id, user_id, duty from ${unitMembers})`;

/**
 * Makes users act for units, set-based: `pairs` is a select of (unit_id, user_id) — e.g. the demo logins
 * matched to their units by one join — inserted in one statement; pairs already there are kept as they are.
 */
export async function addUnitMembers(
  tx: Db,
  pairs: SQL,
  duty: 'handler' | 'head' = 'handler',
): Promise<void> {
  await tx.execute(sql`insert into ${unitMembers} (unit_id, user_id, duty)
                       select p.unit_id, p.user_id, ${duty} from (${pairs}) p
                       on conflict do nothing`);
}
