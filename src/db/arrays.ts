// One bind parameter for a whole list: a PostgreSQL array literal, so `= any(...)` and `unnest(...)`
// never grow a statement with the number of rows (a drizzle array in sql`` becomes one parameter per
// element, which breaks past 65,535).
import { sql } from 'drizzle-orm';

export const idArray = (ids: readonly number[]) => sql`${`{${ids.join(',')}}`}::bigint[]`;

/** A literal text[] parameter, each element quoted. */
export const textArray = (values: readonly string[]) =>
  sql`${`{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`}::text[]`;
