// The CLI as a user runs it: a real process on a PGlite data folder, checking exit codes and effects.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client.ts';
import { auditLog, users } from '../../src/db/schema.ts';
import { REPO_ROOT } from '../../src/db/client.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-cli-'));
const run = (...args: string[]) => {
  const { DATABASE_URL: _omit, ...env } = process.env;
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'clusterscope.js'), ...args], {
    env: { ...env, CLUSTERSCOPE_DATA: dataDir, CLUSTERSCOPE_PASSWORD: 'CliPassword2026' },
    encoding: 'utf8',
    timeout: 120_000,
  });
};

// Each CLI call starts a process (tsx + PGlite), several seconds on a busy two-core machine.
const SLOW = 240_000;

describe('clusterscope CLI', () => {
  beforeAll(() => {
    const res = run('migrate'); // hookTimeout (vitest.config.ts) allows for a slow first start
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain('嘉兴市');
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it(
    'prints help with exit 0 and refuses unknown commands or options with exit 2',
    () => {
      expect(run('--help').status).toBe(0);
      expect(run('frobnicate').status).toBe(2);
      expect(run('demo', '--scale', 'galaxy').status).toBe(2);
      expect(run('user', 'add', 'someone').status).toBe(2); // --role is required
    },
    SLOW,
  );

  it(
    'migrate is harmless to repeat',
    () => {
      expect(run('migrate').status).toBe(0);
    },
    SLOW,
  );

  it(
    'adds users (audited), refuses bad scopes with exit 1, and sets passwords',
    async () => {
      const ok = run(
        'user',
        'add',
        'xiuzhou_officer',
        '--role',
        'county',
        '--region',
        '330411',
        '--name',
        '秀洲专员',
      );
      expect(ok.status, ok.stderr).toBe(0);
      const noRegion = run('user', 'add', 'lost_officer', '--role', 'county');
      expect(noRegion.status).toBe(1);
      expect(noRegion.stderr).toContain('--region');
      const badRegion = run('user', 'add', 'far_officer', '--role', 'county', '--region', '110101');
      expect(badRegion.status).toBe(1);
      expect(badRegion.stderr).toContain('110101');
      expect(run('user', 'add', 'xiuzhou_officer', '--role', 'analyst').status).toBe(1); // exists
      expect(run('user', 'passwd', 'xiuzhou_officer').status).toBe(0);
      expect(run('user', 'passwd', 'nobody').status).toBe(1);

      const d = await openDatabase({ url: '', dataDir });
      try {
        const [u] = await d.db.select().from(users).where(eq(users.username, 'xiuzhou_officer'));
        expect(u).toMatchObject({ role: 'county', regionCode: '330411', displayName: '秀洲专员' });
        expect(u?.passwordHash).toMatch(/^\$argon2id\$/);
        const audit = await d.db
          .select()
          .from(auditLog)
          .where(eq(auditLog.entityId, String(u!.id)));
        expect(audit.map((a) => a.action).sort()).toEqual(['password.set', 'user.create']);
      } finally {
        await d.close();
      }
    },
    SLOW,
  );
});
