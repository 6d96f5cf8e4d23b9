// Every table has an owner module, and raw SQL in src/modules names no other module's table (issue 11): the
// owner map is derived from the schema files (tableOwners in eslint.config.js), the scan is test/lint/sql-tables.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FOREIGN_TABLES_ALLOWED, tableOwners } from '../../eslint.config.js';
import { REPO_ROOT } from '../../src/db/client.ts';
import { foreignSqlTables, scanModules } from './sql-tables.ts';

const modules = new Set(
  fs
    .readdirSync(path.join(REPO_ROOT, 'src/modules'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name),
);

describe('table owners', () => {
  it('every table has an owner module, and the core tables the owners of issue 11', () => {
    const owners = tableOwners();
    expect(owners.length).toBeGreaterThan(40);
    expect(owners.filter((t) => !t.owner).map((t) => t.table)).toEqual([]);
    expect(owners.filter((t) => !modules.has(t.owner!)).map((t) => `${t.table}: ${t.owner}`)).toEqual([]);
    const of = (name: string) => owners.find((t) => t.sqlName === name);
    expect(of('enterprises')).toMatchObject({ owner: 'enterprises', shared: false });
    expect(of('enterprise_clusters')).toMatchObject({ owner: 'enterprises', shared: false });
    expect(of('enterprise_tiers')).toMatchObject({ owner: 'enterprises', shared: false });
    expect(of('monthly_stats')).toMatchObject({ owner: 'imports', shared: false });
    expect(of('annual_inputs')).toMatchObject({ owner: 'imports', shared: false });
    expect(of('regions')).toMatchObject({ owner: 'reference', shared: true });
    expect(of('chain_nodes')).toMatchObject({ owner: 'chains', shared: false });
  });

  it('the allow-list names real modules and tables, each with a reason', () => {
    const tables = new Set(tableOwners().map((t) => t.table));
    for (const [module, entry] of Object.entries(FOREIGN_TABLES_ALLOWED)) {
      expect(modules.has(module), module).toBe(true);
      expect(entry.why.length, module).toBeGreaterThan(10);
      expect(
        entry.tables.filter((t) => !tables.has(t)),
        module,
      ).toEqual([]);
    }
    // the modules issue 11 moved onto the owners' relations have no entry
    const moved = [
      'chains',
      'evaluation',
      'service',
      'targets',
      'assessment',
      'auth',
      'bulletin',
      'workitems',
      'cluster-index',
      'cultivation',
      'enterprises',
      'projects',
      'alerts',
      'monitoring',
    ];
    expect(moved.filter((m) => m in FOREIGN_TABLES_ALLOWED)).toEqual([]);
  });
});

describe("raw SQL naming another module's table", () => {
  it('is caught, with its line', () => {
    const source = [
      "import { sql } from 'drizzle-orm';",
      'const a = sql`select sum(ms.output_value) from monthly_stats ms`;',
      'const b = sql`select 1 from evaluation_results r join enterprises e on e.id = r.enterprise_id`;',
      'const c = sql`insert into enterprise_clusters (enterprise_id) values (1)`;',
      'const d = sql.raw(`update "enterprises" set name = 1`);',
    ].join('\n');
    expect(foreignSqlTables('chains', 'x.ts', source).map((u) => `${u.line} ${u.table} ${u.owner}`)).toEqual([
      '2 monthly_stats imports',
      '3 evaluation_results evaluation',
      '3 enterprises enterprises',
      '4 enterprise_clusters enterprises',
      '5 enterprises enterprises',
    ]);
  });

  it('passes its own tables, shared tables, comments, prose and function calls', () => {
    const source = [
      '// read from monthly_stats in one pass',
      '/* join enterprises e */',
      'const a = sql`select 1 from chain_nodes n join regions g on g.code = n.x join clusters c on true`;',
      "const b = list.join(', ') + 'from enterprises(';",
      'const c = sql`select 1 from ${registryRows()} enterprises`;',
      "const d = 'monthly_stats';",
    ].join('\n');
    expect(foreignSqlTables('chains', 'x.ts', source)).toEqual([]);
    // the owner itself, and an allowed module, pass
    expect(foreignSqlTables('imports', 'x.ts', 'sql`select 1 from monthly_stats`')).toEqual([]);
    expect(foreignSqlTables('imports', 'x.ts', 'sql`select 1 from enterprises`')).toEqual([]);
  });

  it('a planted file in a module is found by the scan, as file:line', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sql-tables-'));
    try {
      fs.mkdirSync(path.join(root, 'src/modules/evaluation'), { recursive: true });
      fs.writeFileSync(
        path.join(root, 'src/modules/evaluation/planted.ts'),
        "import { sql } from 'drizzle-orm';\nexport const q = sql`select max(year) from annual_inputs`;\n",
      );
      expect(scanModules(root).map((u) => `${u.file}:${u.line} ${u.table}`)).toEqual([
        'src/modules/evaluation/planted.ts:2 annual_inputs',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('the repository as it stands names no other module’s table in its SQL', () => {
    const found = scanModules(REPO_ROOT).map((u) => `${u.file}:${u.line} ${u.table} (owner: ${u.owner})`);
    expect(found).toEqual([]);
  });
});
