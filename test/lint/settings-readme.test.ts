// README's environment table names exactly the variables of the typed settings module, and no source
// file reads process.env around it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/db/client.ts';
import { settings, SETTING_NAMES } from '../../src/settings.ts';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('settings', () => {
  it('README lists every variable of src/settings.ts and no other', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.split('## Environment')[1]!.split('\n## ')[0]!;
    const listed = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect([...listed].sort()).toEqual([...SETTING_NAMES].sort());
  });

  it('only src/settings.ts reads the environment', () => {
    const readers = sourceFiles(path.join(REPO_ROOT, 'src'))
      .filter((f) => !f.endsWith(`${path.sep}settings.ts`))
      .filter((f) => /process\.env\b/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(REPO_ROOT, f));
    expect(readers).toEqual([]);
  });

  it('applies defaults and refuses a malformed value by name', () => {
    expect(settings({})).toMatchObject({
      PORT: 3000,
      CLUSTERSCOPE_CITY: 'jiaxing',
      CLUSTERSCOPE_SESSION_HOURS: 12,
    });
    expect(settings({ CLUSTERSCOPE_COOKIE_SECURE: '1' }).CLUSTERSCOPE_COOKIE_SECURE).toBe(true);
    expect(() => settings({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => settings({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
