import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import fs from 'node:fs';

// Module boundaries (docs/architecture.md, issue 11), enforced by `npm run lint` and proven by
// test/lint/boundaries.test.ts on planted violations. ESLint's own no-restricted-imports is enough here
// (no extra dependency): the rules are per folder and by path, which its gitignore-style patterns express.
// relations.ts is a capability's light public entry: the relations it publishes for joins (a Drizzle `sql`
// subquery each, loading the schema and drizzle only; test/lint/boundaries.test.ts checks it stays so), for a
// reader that must not load the capability's pipeline, readers or ExcelJS with its index.ts
const MODULE_PATTERN = {
  group: ['../[a-z]*/*', '!../[a-z]*/index.ts', '!../[a-z]*/schemas.ts', '!../[a-z]*/relations.ts'],
  message:
    'Another capability is used only through its public entry src/modules/<capability>/index.ts (or its schemas.ts, or the relations of its relations.ts).',
};

/**
 * The tables each module owns, derived from the schema files: a table of src/db/schema-<capability>.ts
 * belongs to that capability; a table of src/db/schema.ts to the module named by the `// owner: <module>`
 * line above it (`shared` after it: every module may read it). A table of schema.ts without that line is
 * reported by test/lint/sql-tables.test.ts. Each entry: { table (TypeScript name), sqlName, owner, shared }.
 */
export function tableOwners(root = new URL('.', import.meta.url)) {
  const dir = new URL('src/db/', root);
  const out = [];
  for (const f of fs.readdirSync(dir).sort()) {
    const m = /^schema(?:-([a-z-]+))?\.ts$/.exec(f);
    if (!m) continue;
    const text = fs.readFileSync(new URL(f, dir), 'utf8');
    const re = /(?:^\/\/ owner: ([a-z-]+)(, shared)?[^\n]*\n)?^export const (\w+) = pgTable\(\s*'(\w+)'/gm;
    for (const x of text.matchAll(re)) {
      out.push({ table: x[3], sqlName: x[4], owner: x[1] ?? m[1] ?? null, shared: Boolean(x[2]) });
    }
  }
  return out;
}

/** The tables each capability owns and others may not import: capability → TypeScript names. */
export function capabilityTables(root = new URL('.', import.meta.url)) {
  const owned = {};
  for (const t of tableOwners(root)) {
    if (!t.owner || t.shared) continue;
    (owned[t.owner] ??= []).push(t.table);
  }
  return owned;
}

/**
 * Another module's tables used in place (Drizzle imports here; raw SQL in test/lint/sql-tables.test.ts, which
 * reads this list too), each with why. Chains, evaluation, service, targets, assessment, auth, bulletin,
 * workitems, cluster-index, cultivation, enterprises, projects, alerts and monitoring read other modules' tables
 * only through their owners' index.ts (relations such as registryRows(), workItemRows(), accountRows(),
 * publishedRuns(); writes through the owner's functions, e.g. addUnitMembers, backdateWorkItems); the entries
 * left are writes kept in place for a reason given beside each.
 */
export const FOREIGN_TABLES_ALLOWED = {
  imports: {
    tables: ['enterprises', 'enterpriseClusters', 'enterpriseTiers', 'evaluationFlags'],
    why: 'a registry or tiers file is written set-based inside the commit transaction (all or nothing with its facts); a commit clears the flags its facts replace',
  },
};

function moduleBlocks() {
  const owned = capabilityTables();
  const modules = fs
    .readdirSync(new URL('src/modules/', import.meta.url), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  return modules.map((cap) => {
    const allowed = new Set(FOREIGN_TABLES_ALLOWED[cap]?.tables ?? []);
    const foreign = Object.entries(owned)
      .filter(([owner]) => owner !== cap)
      .flatMap(([, tables]) => tables)
      .filter((t) => !allowed.has(t));
    const message = `A capability's tables are its own: read another capability's data through its src/modules/<capability>/index.ts.`;
    const paths = foreign.length
      ? [
          { name: '../../db/schema.ts', importNames: foreign, message },
          ...Object.entries(owned)
            .filter(([owner]) => owner !== cap)
            .map(([owner]) => ({ name: `../../db/schema-${owner}.ts`, message })),
        ]
      : [];
    return {
      files: [`src/modules/${cap}/*.ts`],
      rules: { 'no-restricted-imports': ['error', { paths, patterns: [MODULE_PATTERN] }] },
    };
  });
}

export const BOUNDARIES = [
  {
    // pure domain: no I/O, no framework, nothing of the layers above it
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/server/*',
                '**/db/*',
                '**/modules/*',
                '**/config/*',
                '**/cli/*',
                '**/demo/*',
                '**/web/*',
                '**/test/*',
                'node:*',
                'fs',
                'path',
                'pg',
                'drizzle-orm',
                'drizzle-orm/*',
                'fastify',
                '@fastify/*',
                '@electric-sql/*',
                'exceljs',
              ],
              message: 'src/domain is pure: it imports nothing outside src/domain (no I/O, no framework).',
            },
          ],
        },
      ],
    },
  },
  // a capability uses another only through its public entry (index.ts) or its shared schemas, and never
  // touches another capability's own tables (those of src/db/schema-<capability>.ts): one block per
  // capability, since ESLint replaces (does not merge) a rule's options between blocks
  ...moduleBlocks(),
  {
    // the server, the composition root, the CLI and the demo use a capability only through its public
    // entry too: hooks, background jobs, CLI commands and demo steps are exported there. Route plugins
    // are not (loading a capability's functions would load its routes, readers and ExcelJS): the route
    // registry src/server/modules.ts alone imports each module's routes.ts (the block after this one)
    files: [
      'src/server/**/*.ts',
      'src/cli/**/*.ts',
      'src/demo/**/*.ts',
      'src/composition.ts',
      'src/facts-hooks.ts',
      'src/db/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/modules/*/*', '!**/modules/*/index.ts', '!**/modules/*/schemas.ts'],
              message:
                'Outside src/modules, a capability is used only through its public entry src/modules/<capability>/index.ts (or its schemas.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // the route registry: each capability's routes plugin, from its routes.ts (nothing else of the module)
    files: ['src/server/modules.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/modules/*/*', '!**/modules/*/routes.ts'],
              message:
                "The route registry imports only each capability's routes plugin (src/modules/<capability>/routes.ts).",
            },
          ],
        },
      ],
    },
  },
  {
    // the web app shares the server's Zod schemas and the pure domain (the access policy among it), nothing else
    files: ['web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/src/modules/*/*',
                '!**/src/modules/*/schemas.ts',
                '**/src/server/*',
                '**/src/db/*',
                '**/src/cli/*',
                '**/src/demo/*',
                '**/src/config/*',
              ],
              message:
                'The web imports only the shared schemas (src/modules/*/schemas.ts) and the pure domain (src/domain, e.g. the policy).',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'drizzle', 'coverage', 'web/dist', 'tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['web/src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error' },
  },
  ...BOUNDARIES,
);
