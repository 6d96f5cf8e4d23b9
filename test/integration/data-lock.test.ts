// One process per embedded data folder: PGlite has no locking of its own, so a second process (a CLI
// import while the server runs) would corrupt the folder. The lock file refuses it with a clear
// message; a lock left behind by a process that died is taken over.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_LOCK_FILE, DataDirInUse, openDatabase, REPO_ROOT } from '../../src/db/client.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-lock-'));
const dataDir = path.join(dir, 'data');
const lockFile = path.join(dataDir, DATA_LOCK_FILE);

function cli(...args: string[]) {
  const { DATABASE_URL: _omit, ...env } = process.env;
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'clusterscope.js'), ...args], {
    env: { ...env, CLUSTERSCOPE_DATA: dataDir },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the embedded data folder takes one process at a time', () => {
  it('refuses a second process while one has it open, and lets it in afterwards', async () => {
    const d = await openDatabase({ url: '', dataDir });
    try {
      expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
      const refused = cli('migrate');
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`in use by process ${process.pid}`);
      expect(refused.stderr).toContain('内置数据库同一时间只能由一个进程打开');
    } finally {
      await d.close();
    }
    expect(fs.existsSync(lockFile)).toBe(false);
    const ok = cli('migrate');
    expect(ok.status, ok.stderr).toBe(0);
    expect(fs.existsSync(lockFile)).toBe(false); // the CLI let go when it ended
  });

  it('takes over a lock left by a process that is gone, and names the holder otherwise', async () => {
    // a pid that cannot be alive: above the kernel's pid limit
    fs.writeFileSync(lockFile, JSON.stringify({ pid: 2 ** 22 + 1, command: 'clusterscope serve' }));
    const d = await openDatabase({ url: '', dataDir });
    await d.close();
    expect(fs.existsSync(lockFile)).toBe(false);

    // a live holder (this test's own parent process stands in for a running server)
    fs.writeFileSync(lockFile, JSON.stringify({ pid: process.ppid, command: 'clusterscope serve' }));
    try {
      const error = await openDatabase({ url: '', dataDir }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DataDirInUse);
      expect((error as DataDirInUse).holder.pid).toBe(process.ppid);
      expect((error as Error).message).toContain('clusterscope serve');
    } finally {
      fs.rmSync(lockFile, { force: true });
    }
  });
});
