// A file committed before: the same kind and the same bytes (sha256). One question asked by the single and
// batch commit paths, the upload answer and the CLI alike, so they agree on what "imported before" means.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { imports } from '../../db/schema.ts';

/** The id of the committed import of these bytes as this kind, or null. */
export async function committedImportOf(db: Db, kind: string, sha256: string): Promise<number | null> {
  const [dup] = await db
    .select({ id: imports.id })
    .from(imports)
    .where(and(eq(imports.kind, kind), eq(imports.sha256, sha256), eq(imports.status, 'committed')));
  return dup?.id ?? null;
}
