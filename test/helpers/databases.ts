// The databases every integration suite runs on: embedded PGlite always, and a fresh database on the
// PostgreSQL server named by DATABASE_URL when it is set. No mocks of our own database.
import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, runMigrations, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadReferenceData } from '../../src/modules/reference/service.ts';
import { seedDefinitions } from '../../src/composition.ts';

export interface TestDatabase {
  kind: 'pglite' | 'postgres';
  open(): Promise<Database>;
  /** closes the connection and, on PostgreSQL, drops the scratch database */
  dispose(d: Database): Promise<void>;
}

async function createScratchDatabase(baseUrl: string): Promise<string> {
  const name = `cs_test_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropScratchDatabase(baseUrl: string, scratchUrl: string) {
  const name = new URL(scratchUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [
    {
      kind: 'pglite',
      open: () => openDatabase({ url: '', dataDir: 'memory://' }),
      dispose: (d) => d.close(),
    },
  ];
  const base = process.env.DATABASE_URL;
  if (base) {
    let scratch = '';
    list.push({
      kind: 'postgres',
      async open() {
        scratch = await createScratchDatabase(base);
        return openDatabase({ url: scratch });
      },
      async dispose(d) {
        await d.close();
        await dropScratchDatabase(base, scratch);
      },
    });
  }
  return list;
}

/** A migrated database with the city's reference data and the seeded definitions (rule-set presets). */
export async function openReadyDatabase(t: TestDatabase): Promise<Database> {
  const d = await t.open();
  await runMigrations(d);
  await loadReferenceData(d.db, await loadCityConfig(resolveCityDir()));
  await seedDefinitions(d);
  return d;
}
