// Precompiles the CLI's TypeScript entries to plain JavaScript in dist/cli (part of `npm run build`), so a
// command loads one bundle instead of compiling ~400 modules through tsx at every start (issue 13: at
// province scale that start was ≈ 1.2 s and ≈ 300 MiB before any work). bin/clusterscope.js uses the
// bundle only while it is current (bin/cli-bundle.js): the manifest written here records every source
// file the bundle was built from with its mtime and size, and any change falls back to tsx.
//
// dist/cli sits two folders below the repository root, as src/<folder> does, so the paths the code
// derives from import.meta.url (REPO_ROOT: drizzle/, config/, web/dist, package.json) resolve the same.
// Dependencies stay external: they are loaded from node_modules as before (their own files, wasm, fonts).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, inputStamp, manifestFile, outDir } from '../bin/cli-bundle.js';

export const ENTRIES = ['src/cli/main.ts', 'src/cli/import-main.ts'];
/**
 * Entries bundled whole, their dependencies too (not split, nothing shared): `evaluate` and the worker
 * writing half its export. Loading the ≈ 200 files of drizzle-orm, zod, pg and commander one by one from
 * node_modules (resolving, reading and compiling each) was ≈ 0.1 s of the command's ≈ 1.5 s at province
 * scale (issue 13). What is loaded only when asked for stays outside: PGlite (its wasm beside its code),
 * ExcelJS (only for .xlsx). Their CommonJS needs a `require`: the banner makes one.
 */
export const WHOLE = [
  { in: 'src/cli/evaluate-main.ts', out: 'evaluate-main' },
  { in: 'src/cli/commands/evaluate-csv-worker.ts', out: 'evaluate-csv-worker' },
];
const LOADED_WHEN_ASKED = ['@electric-sql/pglite', 'exceljs', 'pg-native'];

/**
 * Builds the entries under `root` (the repository; a test passes a folder of its own, and its entries: then
 * nothing is bundled whole unless asked).
 */
export async function buildCli(root = ROOT, entries = ENTRIES, whole = entries === ENTRIES ? WHOLE : []) {
  const started = performance.now();
  // a stale manifest must never survive a failed build: remove it first, write it last
  fs.rmSync(outDir(root), { recursive: true, force: true });
  // stamped before esbuild reads them: a file saved during the build then differs from its stamp
  const before = new Map(
    fs
      .readdirSync(path.join(root, 'src'), { recursive: true })
      .map((f) => path.join('src', String(f)).split(path.sep).join('/'))
      .map((f) => [f, inputStamp(path.join(root, f))]),
  );
  const common = {
    absWorkingDir: root,
    outdir: path.relative(root, outDir(root)),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  };
  const results = [
    await build({
      ...common,
      entryPoints: entries,
      // the demo generator, exceljs readers and the deferred demo steps are loaded by import() only when a
      // command needs them: splitting keeps them out of the entry's chunk, as they were with tsx
      splitting: true,
      packages: 'external',
    }),
  ];
  if (whole.length > 0)
    results.push(
      await build({
        ...common,
        entryPoints: whole,
        external: LOADED_WHEN_ASKED,
        banner: {
          js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
        },
      }),
    );
  const inputs = [...new Set(results.flatMap((r) => Object.keys(r.metafile.inputs)))].sort();
  // a dependency bundled in is stamped too: `npm ci` or an upgrade makes the bundle stale as an edit does
  const files = Object.fromEntries(
    inputs.map((f) => [
      f,
      before.get(f) ?? (f.startsWith('node_modules/') ? inputStamp(path.join(root, f)) : null),
    ]),
  );
  fs.writeFileSync(
    manifestFile(root),
    JSON.stringify({ builtAt: new Date().toISOString(), files }, null, 1) + '\n',
  );
  return { seconds: (performance.now() - started) / 1000, inputs: inputs.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { seconds, inputs } = await buildCli();
  console.log(
    `CLI bundle: ${inputs} source files → ${path.relative(ROOT, outDir())} in ${seconds.toFixed(1)} s`,
  );
}
