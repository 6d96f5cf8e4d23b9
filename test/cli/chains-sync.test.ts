// `clusterscope chains sync` as a user runs it, on a PGlite folder: a chain an administrator edited is
// skipped with exit 1 (also on a dry run, which writes nothing), replaced with --force (exit 0, history
// written); a usage error exits 2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { openDatabase, REPO_ROOT, runMigrations, type Database } from '../../src/db/client.ts';
import { chainHistory, chainNodes } from '../../src/db/schema.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadReferenceData } from '../../src/modules/reference/service.ts';
import { loadChains, updateNode } from '../../src/modules/chains/service.ts';
import type { AuthedUser } from '../../src/server/auth-context.ts';

let dir: string;

function cli(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, CLUSTERSCOPE_DATA: path.join(dir, 'data') };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'clusterscope.js'), 'chains', ...args], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

async function withDb<T>(fn: (d: Database) => Promise<T>): Promise<T> {
  const d = await openDatabase({ url: '', dataDir: path.join(dir, 'data') });
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

const pvCellName = () =>
  withDb(async (d) => {
    const [n] = await d.db
      .select({ name: chainNodes.name })
      .from(chainNodes)
      .where(and(eq(chainNodes.chainCode, 'pv'), eq(chainNodes.code, 'pv_cell')));
    return n?.name;
  });

// Each CLI call starts a process (tsx + PGlite), several seconds on a busy two-core machine.
const SLOW = 240_000;

describe('clusterscope chains sync', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-chains-sync-'));
    await withDb(async (d) => {
      await runMigrations(d);
      const config = await loadCityConfig(resolveCityDir());
      await loadReferenceData(d.db, config);
      await loadChains(d.db, config);
      // an administrator renames a node of the 光伏 landmark chain (history + audit, as through the API)
      const admin = { id: 1, username: 'admin_li', role: 'admin' } as unknown as AuthedUser;
      await updateNode(
        d.db,
        admin,
        'pv',
        'pv_cell',
        { name: '电池片（TOPCon）' },
        { id: 1, username: 'admin_li' },
      );
    });
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    'skips the edited chain with exit 1 on a dry run, and writes nothing',
    async () => {
      const res = cli('sync', '--dry-run');
      expect(res.status, res.stderr).toBe(1);
      expect(res.stdout).toContain('dry run: nothing is written');
      expect(res.stdout).toContain('pv: SKIPPED: edited by an administrator');
      expect(res.stdout).toContain('~ node pv_cell name: 电池片（TOPCon） → 电池片');
      expect(res.stdout).toContain('new_energy: unchanged');
      expect(await pvCellName()).toBe('电池片（TOPCon）');
    },
    SLOW,
  );

  it(
    'replaces the edits with --force (exit 0, config.sync in the history), then finds nothing to do',
    async () => {
      const forced = cli('sync', '--force');
      expect(forced.status, forced.stderr).toBe(0);
      expect(forced.stdout).toContain('pv: updated (1 edit(s) by administrators)');
      expect(forced.stdout).toMatch(/automatic placements rebuilt: \d+ row\(s\)/);
      expect(await pvCellName()).toBe('电池片');
      const history = await withDb((d) =>
        d.db.select().from(chainHistory).where(eq(chainHistory.chainCode, 'pv')).orderBy(chainHistory.id),
      );
      expect(history.map((h) => [h.action, h.username])).toEqual([
        ['node.update', 'admin_li'],
        ['config.sync', 'cli'],
      ]);
      const again = cli('sync');
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toContain('pv: unchanged');
      expect(again.stdout).not.toContain('rebuilt');
    },
    SLOW,
  );

  it(
    'refuses unknown options with exit 2',
    () => {
      expect(cli('sync', '--frobnicate').status).toBe(2);
    },
    SLOW,
  );
});
