// Raw SQL that names another module's table (issue 11): the Drizzle import rule of eslint.config.js cannot see
// sql`… from monthly_stats …`, so this scan reads the SQL text of src/modules. The owner map comes from the
// schema files (tableOwners); the allowed exceptions from FOREIGN_TABLES_ALLOWED, the same list the lint uses.
import fs from 'node:fs';
import path from 'node:path';
import { FOREIGN_TABLES_ALLOWED, tableOwners } from '../../eslint.config.js';

export interface SqlTableUse {
  file: string;
  line: number;
  table: string;
  owner: string;
}

/** Comments become blanks (line numbers kept), so prose such as "read from enterprises" is not SQL. */
function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[\s;{}(),])\/\/[^\n]*/g, (c, lead: string) => lead + ' '.repeat(c.length - lead.length));
}

const SQL_WORDS = String.raw`(?:from|join|into|update|table|using)`;

/**
 * Where `source` (a file of module `module`) names another module's table in SQL: a table name right after
 * from / join / into / update / table / using, not followed by "(" (a function) and not a shared table.
 */
export function foreignSqlTables(module: string, file: string, source: string): SqlTableUse[] {
  const owners = tableOwners();
  const allowed = new Set(
    (FOREIGN_TABLES_ALLOWED[module as keyof typeof FOREIGN_TABLES_ALLOWED]?.tables ?? []) as string[],
  );
  const foreign = new Map(
    owners
      .filter((t) => t.owner && t.owner !== module && !t.shared && !allowed.has(t.table))
      .map((t) => [t.sqlName, t.owner as string]),
  );
  if (!foreign.size) return [];
  const names = [...foreign.keys()].sort((a, b) => b.length - a.length).join('|');
  const re = new RegExp(String.raw`\b${SQL_WORDS}\s+(?:only\s+)?"?(${names})"?\b(?![(.])`, 'gi');
  const text = withoutComments(source);
  const out: SqlTableUse[] = [];
  for (const m of text.matchAll(re)) {
    const table = m[1]!.toLowerCase();
    const line = text.slice(0, m.index).split('\n').length;
    out.push({ file, line, table, owner: foreign.get(table)! });
  }
  return out;
}

/** Every such use in src/modules/<module>/**.ts (tests left out). */
export function scanModules(root: string): SqlTableUse[] {
  const base = path.join(root, 'src/modules');
  const out: SqlTableUse[] = [];
  for (const module of fs.readdirSync(base)) {
    const dir = path.join(base, module);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
      if (!rel.endsWith('.ts') || rel.endsWith('.test.ts')) continue;
      const file = path.join('src/modules', module, rel);
      out.push(...foreignSqlTables(module, file, fs.readFileSync(path.join(root, file), 'utf8')));
    }
  }
  return out;
}
