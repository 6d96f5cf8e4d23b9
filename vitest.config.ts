import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 180_000, // CLI and browser tests start processes; CI shares two cores
    hookTimeout: 180_000,
    pool: 'forks',
    // two cores: more workers only make the PGlite and browser suites fight for CPU
    maxWorkers: 2,
    // the automatic bulletin after a monthly import would start Chromium in every import test; a test
    // of the automatic run turns it on for itself; the warm-up at start would add reads to every test's app
    env: { CLUSTERSCOPE_BULLETIN_AUTO: '0', CLUSTERSCOPE_BULLETIN_WARMUP: '0' },
  },
});
