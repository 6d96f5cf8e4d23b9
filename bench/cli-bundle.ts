// The benches time `clusterscope` as users run it: from its precompiled bundle (bin/clusterscope.js).
// A bundle older than src/ makes the CLI run the TypeScript through tsx (≈ 1 s and ≈ 100 MiB more a start),
// which a bench would then measure unawares — as happened once after a merge (issue 13): built first.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
// @ts-expect-error plain JavaScript without types (bin/)
import { currentBundle } from '../bin/cli-bundle.js';

/** Builds the CLI bundle of `tree` when its `entry` (src/cli/<entry>.ts) is not current; says so. */
export function ensureCliBundle(entry: string, tree = '.'): void {
  if (process.env.CLUSTERSCOPE_CLI === 'tsx') return; // asked for on purpose
  const root = path.resolve(tree);
  if ((currentBundle as (n: string, r: string) => string | null)(entry, root)) return;
  console.log(`   the CLI bundle of ${tree} is older than its src/: building it first (npm run build:cli)`);
  const r = spawnSync(process.execPath, ['scripts/build-cli.js'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building the CLI bundle of ${tree} failed (${r.status})`);
}
