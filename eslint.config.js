import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import fs from 'node:fs';

// Module boundaries (docs/architecture.md, issue 11), enforced by `npm run lint` and proven by
// test/lint/boundaries.test.ts on planted violations. ESLint's own no-restricted-imports is enough here
// (no extra dependency): the rules are per folder and by path, which its gitignore-style patterns express.
const MODULE_PATTERN = {
  group: ['../[a-z]*/*', '!../[a-z]*/index.ts', '!../[a-z]*/schemas.ts'],
  message:
    'Another capability is used only through its public entry src/modules/<capability>/index.ts (or its schemas.ts).',
};

/**
 * Another capability's tables read in place, kept while the owner offers no set-wise read for them (issue 11,
 * left open): service requests are work items and join the work-item tables in their lists.
 */
const FOREIGN_TABLES_ALLOWED = { service: ['workItems', 'workItemParties', 'unitMembers'] };

/** The tables each capability owns: those declared in its src/db/schema-<capability>.ts. */
export function capabilityTables(root = new URL('.', import.meta.url)) {
  const dir = new URL('src/db/', root);
  const owned = {};
  for (const f of fs.readdirSync(dir)) {
    const m = /^schema-([a-z-]+)\.ts$/.exec(f);
    if (!m) continue;
    const text = fs.readFileSync(new URL(f, dir), 'utf8');
    owned[m[1]] = [...text.matchAll(/^export const (\w+) = pgTable/gm)].map((x) => x[1]);
  }
  return owned;
}

function moduleBlocks() {
  const owned = capabilityTables();
  const modules = fs
    .readdirSync(new URL('src/modules/', import.meta.url), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  return modules.map((cap) => {
    const allowed = new Set(FOREIGN_TABLES_ALLOWED[cap] ?? []);
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
    // entry too: routes plugins, hooks, background jobs, CLI commands and demo steps are exported there
    files: [
      'src/server/**/*.ts',
      'src/cli/**/*.ts',
      'src/demo/**/*.ts',
      'src/composition.ts',
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
