// Shared by CLI commands: open the configured database (migrated) and close it afterwards.
import { openDatabase, runMigrations, type Database } from '../db/client.ts';

export const CLI_ACTOR = { id: null, username: 'cli' };

export async function withMigratedDatabase<T>(fn: (d: Database) => Promise<T>): Promise<T> {
  const d = await openDatabase();
  try {
    await runMigrations(d);
    return await fn(d);
  } finally {
    await d.close();
  }
}
