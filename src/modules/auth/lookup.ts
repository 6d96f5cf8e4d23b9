// Accounts for other modules (issue 11: `users` belongs to auth; others read it through here): by user name
// for demo steps that act on behalf of the demo users, and as a relation for their SQL joins (who acts for
// a unit, who filed what). Never the password hash.
import { inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { users } from '../../db/schema.ts';

export interface UserRef {
  id: number;
  username: string;
  displayName: string;
  /** the account's role (a demo step acting as this user is checked by the policy like the user) */
  role: string;
}

/** The accounts of these user names that exist (one query, one array parameter), by user name. */
export async function usersByName(db: Db, usernames: readonly string[]): Promise<Map<string, UserRef>> {
  if (usernames.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName, role: users.role })
    .from(users)
    .where(inArray(users.username, [...usernames]));
  return new Map(rows.map((u) => [u.username, u]));
}

/**
 * Every account as a relation a caller joins set-based (PostgreSQL pulls the subquery up into its query):
 * id, username, display_name, role and the scope fields, active. The password hash stays out of it.
 */
export const accountRows = (): SQL =>
  sql`(select id, username, display_name, role, region_code, cluster_code, enterprise_id, active from ${users})`;
