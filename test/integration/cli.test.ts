// The CLI as a user runs it: a real process on a PGlite data folder, checking exit codes and effects.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client.ts';
import { auditLog, enterprises, importBatches, monthlyStats, users } from '../../src/db/schema.ts';
import { fixtureUscc } from '../helpers/fixtures.ts';
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
          .where(and(eq(auditLog.entity, 'user'), eq(auditLog.entityId, String(u!.id))));
        expect(audit.map((a) => a.action).sort()).toEqual(['password.set', 'user.create']);
      } finally {
        await d.close();
      }
    },
    SLOW,
  );

  it(
    'import-batch: a registry and the monthly file that needs it in one transaction; exit codes 0, 1 and 2',
    async () => {
      const dir = fs.mkdtempSync(path.join(dataDir, 'batch-'));
      const write = (name: string, rows: (string | number)[][]) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, rows.map((r) => r.join(',')).join('\r\n') + '\r\n');
        return file;
      };
      const A = fixtureUscc(7001);
      const B = fixtureUscc(7002, '330483');
      const registry = write('firms.csv', [
        ['统一社会信用代码', '企业名称', '区县代码', '行业代码', '规模'],
        [A, '嘉兴命令行示例纺织有限公司', '330402', '1711', '规上'],
        [B, '桐乡命令行示例科技有限公司', '330483', '3825', '规下'],
      ]);
      const monthly = write('2024-03.csv', [
        ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
        [A, '2024-03', 100],
        [B, '2024-03', 200],
      ]);
      const bad = write('2024-04.csv', [
        ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
        [A, '2024-04', 100],
        [B, '2024-04', 'abc'],
      ]);
      const reports = path.join(dir, 'reports');

      // usage errors: 2, and the single-file command is unchanged: the monthly file alone is refused (1)
      expect(run('import-batch').status).toBe(2);
      expect(run('import-batch', `weekly=${monthly}`).status).toBe(2);
      expect(run('import-batch', `monthly:${monthly}`).status).toBe(2);
      expect(run('import-batch', `enterprises=${registry}`, `enterprises=${registry}`).status).toBe(2);
      expect(run('import-batch', `monthly=${path.join(dir, 'missing.csv')}`).status).toBe(2);
      expect(run('import', 'monthly', monthly, '--dry-run').status).toBe(1);

      const dry = run('import-batch', `monthly=${monthly}`, `enterprises=${registry}`, '--dry-run');
      expect(dry.status, dry.stdout + dry.stderr).toBe(0);
      expect(dry.stdout).toContain('clean');

      const refused = run(
        'import-batch',
        `enterprises=${registry}`,
        `monthly=${bad}`,
        '--report-dir',
        reports,
      );
      expect(refused.status, refused.stdout + refused.stderr).toBe(1);
      expect(refused.stdout).toContain('nothing of any file was written');
      expect(fs.readdirSync(reports)).toEqual(['2024-04.problems.xlsx']);

      const ok = run('import-batch', `enterprises=${registry}`, `monthly=${monthly}`);
      expect(ok.status, ok.stdout + ok.stderr).toBe(0);
      const again = run('import-batch', `enterprises=${registry}`, `monthly=${monthly}`);
      expect(again.status, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toContain('nothing changed');

      const d = await openDatabase({ url: '', dataDir });
      try {
        const firms = await d.db.select().from(enterprises);
        expect(firms.map((f) => f.uscc).sort()).toEqual([A, B].sort());
        expect(await d.db.select().from(monthlyStats)).toHaveLength(2);
        const batches = await d.db.select().from(importBatches).orderBy(importBatches.id);
        expect(batches.map((b) => b.status)).toEqual(['refused', 'committed']);
        const audit = await d.db.select().from(auditLog).where(eq(auditLog.entity, 'import_batch'));
        expect(audit.map((a) => a.action).sort()).toEqual([
          'import_batch.commit',
          'import_batch.refused',
          'import_batch.upload',
          'import_batch.upload',
        ]);
      } finally {
        await d.close();
      }
    },
    SLOW * 2,
  );
});
