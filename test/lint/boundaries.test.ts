// The module boundaries of docs/architecture.md are enforced by `npm run lint` (eslint.config.js,
// BOUNDARIES): planted violations are caught, and the allowed forms pass.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../../src/db/client.ts';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function refusals(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = [x];\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('module boundaries in lint', () => {
  it('src/domain imports nothing outside itself', async () => {
    const file = 'src/domain/planted.ts';
    expect(await refusals(file, "import { x } from '../db/client.ts';")).toHaveLength(1);
    expect(await refusals(file, "import { x } from '../server/policy.ts';")).toHaveLength(1);
    expect(await refusals(file, "import { x } from '../modules/audit/index.ts';")).toHaveLength(1);
    expect(await refusals(file, "import { sql as x } from 'drizzle-orm';")).toHaveLength(1);
    expect(await refusals(file, "import x from 'node:fs';")).toHaveLength(1);
    expect(await refusals(file, "import { x } from './uscc.ts';")).toEqual([]);
    expect(await refusals('src/domain/policy/planted.ts', "import { x } from '../uscc.ts';")).toEqual([]);
  });

  it('a module uses another only through its index.ts (or schemas.ts)', async () => {
    const file = 'src/modules/chains/planted.ts';
    const [message] = await refusals(file, "import { writeAudit as x } from '../audit/service.ts';");
    expect(message).toContain('index.ts');
    expect(await refusals(file, "import { x } from '../enterprises/repo.ts';")).toHaveLength(1);
    expect(await refusals(file, "import { writeAudit as x } from '../audit/index.ts';")).toEqual([]);
    expect(await refusals(file, "import { x } from '../enterprises/schemas.ts';")).toEqual([]);
    expect(await refusals(file, "import { x } from './repo.ts';")).toEqual([]);
    expect(await refusals(file, "import { x } from '../../server/policy.ts';")).toEqual([]);
  });

  it("a module never imports another capability's tables", async () => {
    const file = 'src/modules/chains/planted.ts';
    const [message] = await refusals(file, "import { evaluationRuns as x } from '../../db/schema.ts';");
    expect(message).toContain('tables are its own');
    expect(await refusals(file, "import { workItems as x } from '../../db/schema.ts';")).toHaveLength(1);
    expect(await refusals(file, "import { x } from '../../db/schema-evaluation.ts';")).toHaveLength(1);
    // the core tables of src/db/schema.ts have owners too (`// owner:` lines): the registry, the facts
    expect(await refusals(file, "import { enterprises as x } from '../../db/schema.ts';")).toHaveLength(1);
    expect(await refusals(file, "import { monthlyStats as x } from '../../db/schema.ts';")).toHaveLength(1);
    expect(
      await refusals(
        'src/modules/imports/planted.ts',
        "import { monthlyStats as x } from '../../db/schema.ts';",
      ),
    ).toEqual([]);
    // its own tables, and the shared reference tables, stay allowed
    expect(await refusals(file, "import { chainNodes as x } from '../../db/schema.ts';")).toEqual([]);
    expect(await refusals(file, "import { regions as x } from '../../db/schema.ts';")).toEqual([]);
    // and the module rule still holds in the per-capability block
    expect(await refusals(file, "import { x } from '../enterprises/repo.ts';")).toHaveLength(1);
  });

  it('the server, composition root, CLI and demo use a capability only through its index.ts', async () => {
    for (const [file, up] of [
      ['src/server/planted.ts', '../'],
      ['src/composition.ts', './'],
      ['src/cli/commands/planted.ts', '../../'],
      ['src/demo/planted.ts', '../'],
    ] as const) {
      const [message] = await refusals(file, `import { x } from '${up}modules/monitoring/rollup.ts';`);
      expect(message, file).toContain('index.ts');
      expect(await refusals(file, `import { x } from '${up}modules/chains/routes.ts';`)).toHaveLength(1);
      expect(await refusals(file, `import { x } from '${up}modules/monitoring/index.ts';`)).toEqual([]);
      expect(await refusals(file, `import { x } from '${up}modules/auth/schemas.ts';`)).toEqual([]);
    }
  });

  it("only the route registry imports a capability's routes.ts, and index.ts exports no routes", async () => {
    const registry = 'src/server/modules.ts';
    expect(await refusals(registry, "import { x } from '../modules/chains/routes.ts';")).toEqual([]);
    const [message] = await refusals(registry, "import { x } from '../modules/chains/service.ts';");
    expect(message).toContain('routes.ts');
    expect(await refusals(registry, "import { x } from '../modules/chains/index.ts';")).toHaveLength(1);
    // a module reaches another's functions without its routes: no routes plugin from its index.ts
    expect(
      await refusals('src/modules/chains/planted.ts', "import { x } from '../evaluation/routes.ts';"),
    ).toHaveLength(1);
    for (const cap of fs.readdirSync(path.join(REPO_ROOT, 'src/modules'))) {
      const entry = path.join('src/modules', cap, 'index.ts');
      if (!fs.existsSync(path.join(REPO_ROOT, entry))) continue;
      const text = fs.readFileSync(path.join(REPO_ROOT, entry), 'utf8');
      expect(text, entry).not.toMatch(/from '\.\/routes\.ts'/);
    }
  });

  it('a relations.ts entry loads only the schema, the database client and drizzle', () => {
    // the light entry other capabilities read relations through: importing it must not load the
    // capability's services, readers or ExcelJS (test: what each one imports, followed through its own files)
    const allowed = /^(drizzle-orm|\.\.\/\.\.\/db\/(schema|client)\.ts)$/;
    const seen = new Set<string>();
    const visit = (file: string): string[] => {
      if (seen.has(file)) return [];
      seen.add(file);
      const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
      return [...text.matchAll(/^(?:import|export)\s[^;]*?from '([^']+)'/gm)].flatMap(([, spec]) => {
        if (spec!.startsWith('./')) return visit(path.join(path.dirname(file), spec!));
        return allowed.test(spec!) ? [] : [`${file}: ${spec}`];
      });
    };
    const entries = fs
      .readdirSync(path.join(REPO_ROOT, 'src/modules'))
      .map((cap) => path.join('src/modules', cap, 'relations.ts'))
      .filter((f) => fs.existsSync(path.join(REPO_ROOT, f)));
    expect(entries).toContain('src/modules/imports/relations.ts');
    expect(entries.flatMap(visit)).toEqual([]);
  });

  it('the evaluate command loads no import pipeline, file readers or password hashing', () => {
    // its entry follows the evaluation module through light entries (relations.ts) only: reaching a stamp
    // through monitoring's or the registry's index.ts loaded the import pipeline, its readers and argon2
    // (issue 13: 128 source files for 67, ≈ 0.15 CPU s at every start). Type-only imports are erased.
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
      for (const [, spec] of text.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?from '([^']+)'/gm)) {
        if (spec!.startsWith('.')) visit(path.join(path.dirname(file), spec!));
        else packages.add(spec!);
      }
    };
    visit('src/cli/evaluate-main.ts');
    expect(
      [...seen].filter((f) =>
        /modules\/(imports|monitoring|enterprises|auth)\/(?!relations\.ts|fact-rows\.ts|lookup\.ts|version\.ts|stamps\.ts)/.test(
          f,
        ),
      ),
    ).toEqual([]);
    expect([...packages].filter((p) => /argon2|csv-parse|iconv-lite|exceljs|fastify/.test(p))).toEqual([]);
  });

  it('the web imports only shared schemas and the pure domain', async () => {
    const file = 'web/src/pages/chains/planted.ts';
    expect(
      await refusals(file, "import { x } from '../../../../src/modules/chains/service.ts';"),
    ).toHaveLength(1);
    expect(await refusals(file, "import { x } from '../../../../src/server/policy.ts';")).toHaveLength(1);
    expect(await refusals(file, "import { x } from '../../../../src/db/schema.ts';")).toHaveLength(1);
    expect(await refusals(file, "import { x } from '../../../../src/modules/chains/schemas.ts';")).toEqual(
      [],
    );
    expect(
      await refusals(file, "import { can as x } from '../../../../src/domain/policy/index.ts';"),
    ).toEqual([]);
  });

  it('the repository as it stands keeps the boundaries', async () => {
    const results = await eslint.lintFiles(['src', 'web/src']);
    const broken = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === 'no-restricted-imports')
        .map((m) => `${r.filePath.slice(REPO_ROOT.length + 1)}:${m.line} ${m.message}`),
    );
    expect(broken).toEqual([]);
  }, 240_000);
});
