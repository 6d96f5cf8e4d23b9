// The web imports the capabilities' schemas.ts (shared Zod schemas). Whatever a schemas.ts imports, directly
// or through other files, lands in the web bundle: one schemas.ts importing a module's index.ts once pulled
// the database (PGlite) into the browser and every page failed to load ("Buffer is not defined"). So the
// files a schemas.ts reaches may import only zod and files of src/domain and src/modules (followed in turn),
// never the database, the server, Node built-ins or another package.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../src/db/client.ts';

const PACKAGES_ALLOWED = new Set(['zod']);

/** The relative and package imports of a TypeScript source (static and `export … from`). */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) if (!/^\s*import\s+type\b/.test(m[0])) out.push(m[1]!);
  return out;
}

/** Every problem found walking the imports from `start`: `file → what it imports`. */
export function webUnsafeImports(root: string, starts: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const queue = [...starts];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const rel = path.relative(root, file).split(path.sep).join('/');
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        if (!PACKAGES_ALLOWED.has(spec)) problems.push(`${rel} → ${spec}`);
        continue;
      }
      // followed wherever it goes inside shared code: a sibling file of a schemas.ts is fine as long as
      // everything it reaches is
      const target = path.resolve(path.dirname(file), spec);
      const to = path.relative(root, target).split(path.sep).join('/');
      if (/^src\/(domain|modules)\//.test(to)) queue.push(target);
      else problems.push(`${rel} → ${to}`);
    }
  }
  return problems;
}

describe('the schemas the web shares reach nothing but zod and pure code', () => {
  it('no schemas.ts reaches the database, the server or a package other than zod', () => {
    const modules = path.join(REPO_ROOT, 'src', 'modules');
    const starts = fs
      .readdirSync(modules)
      .map((m) => path.join(modules, m, 'schemas.ts'))
      .filter((f) => fs.existsSync(f));
    expect(starts.length).toBeGreaterThan(10);
    expect(webUnsafeImports(REPO_ROOT, starts)).toEqual([]);
  });

  it('catches a planted import of a module’s index.ts', () => {
    const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'tmp-schemas-'));
    try {
      fs.mkdirSync(path.join(dir, 'src', 'modules', 'a'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'src', 'modules', 'b'), { recursive: true });
      const a = path.join(dir, 'src', 'modules', 'a', 'schemas.ts');
      fs.writeFileSync(a, "import { z } from 'zod';\nimport { x } from '../b/index.ts';\n");
      fs.writeFileSync(path.join(dir, 'src', 'modules', 'b', 'index.ts'), "export * from './store.ts';\n");
      fs.writeFileSync(
        path.join(dir, 'src', 'modules', 'b', 'store.ts'),
        "import { sql } from 'drizzle-orm';\nimport { db } from '../../db/client.ts';\n",
      );
      expect(webUnsafeImports(dir, [a]).sort()).toEqual([
        'src/modules/b/store.ts → drizzle-orm',
        'src/modules/b/store.ts → src/db/client.ts',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
