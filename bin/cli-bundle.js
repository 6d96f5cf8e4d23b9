// Where the precompiled CLI lives (scripts/build-cli.js writes it) and whether it may be used: only while
// every source file it was built from is unchanged. The manifest holds each file's mtime and size at
// build time; a file edited, touched, checked out, restored or removed since then differs in one of them,
// and bin/clusterscope.js then runs the TypeScript through tsx, so nobody editing src runs old code.
// The check is one stat per source file (≈ 400, a few ms), far below the ≈ 1 s tsx costs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The bundle's folder: two below the root, as src/cli is, so paths from import.meta.url resolve alike. */
export const outDir = (root = ROOT) => path.join(root, 'dist', 'cli');
export const manifestFile = (root = ROOT) => path.join(outDir(root), 'manifest.json');

/** What the manifest records of a source file: mtime (ms) and size, or null when it is missing. */
export function inputStamp(file) {
  const s = fs.statSync(file, { throwIfNoEntry: false });
  return s ? [s.mtimeMs, s.size] : null;
}

/**
 * The bundle of a CLI entry (src/cli/<name>.ts → dist/cli/<name>.js) when it is current, else null.
 * CLUSTERSCOPE_CLI=tsx forces the TypeScript (e.g. to compare the two).
 */
export function currentBundle(name, root = ROOT) {
  if (process.env.CLUSTERSCOPE_CLI === 'tsx') return null;
  const entry = path.join(outDir(root), `${name}.js`);
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile(root), 'utf8'));
  } catch {
    return null; // never built, or a build under way or failed (the manifest is written last)
  }
  if (!fs.existsSync(entry) || !manifest.files?.[`src/cli/${name}.ts`]) return null;
  for (const [file, stamp] of Object.entries(manifest.files)) {
    const now = inputStamp(path.join(root, file));
    if (!now || !stamp || now[0] !== stamp[0] || now[1] !== stamp[1]) return null;
  }
  return entry;
}
