import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 180_000, // CLI and browser tests start processes; CI shares two cores
    hookTimeout: 180_000,
    pool: 'forks',
    // two cores: more workers only make the PGlite and browser suites fight for CPU
    maxWorkers: 2,
    // the automatic bulletin after a monthly import would start Chromium in every import test; a test
    // of the automatic run turns it on for itself; the warm-up at start would add reads to every test's app
    env: { CLUSTERSCOPE_BULLETIN_AUTO: '0', CLUSTERSCOPE_BULLETIN_WARMUP: '0' },
    // Three projects, run together by `vitest run` (npm test) or one at a time (`--project <name>`, the
    // npm scripts test:unit, test:integration, test:browser): the pure functions and the lint checks need
    // neither a database nor a browser; the integration suites open the test databases (PGlite, and
    // PostgreSQL when DATABASE_URL is set) and run the CLI in-process; the browser suites drive Chromium.
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'test/lint/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts', 'test/cli/**/*.test.ts'] },
      },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'] } },
    ],
  },
});
