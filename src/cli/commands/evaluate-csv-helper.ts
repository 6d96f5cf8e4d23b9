// The worker thread that writes part of a large evaluation export (evaluate-csv-worker.ts). It is started
// with the command, so it has loaded by the time the year is evaluated; the export goes on without it (this
// thread writes every row) should it fail to start or die.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CsvPart } from './evaluate-csv.ts';

/** Below this many rows the main thread writes the export alone: the worker's share would be a few ms. */
export const CSV_WORKER_ROWS = 20_000;

export interface CsvHelper {
  /** rows from which the export is shared with the worker */
  fromRows: number;
  /** the part's CSV lines (csvLines) as UTF-8; answered in the order asked; rejects if the worker fails */
  lines(part: CsvPart): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** tsx's ESM API (`tsx/esm/api`) as a file URL: the worker's eval code has no module of its own to resolve from. */
function tsxApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = require(manifest) as { exports: Record<string, { import: { default: string } }> };
  return new URL(exports['./esm/api']!.import.default, pathToFileURL(manifest)).href;
}

export function startCsvHelper(fromRows = CSV_WORKER_ROWS): CsvHelper | null {
  // Run from the TypeScript (tsx, tests), the worker registers tsx before it loads its .ts (a worker does
  // not inherit the loader, nor take `--import` among its options on Node 20); from the CLI bundle
  // (scripts/build-cli.js) it is its own small bundle beside this one.
  const source = import.meta.url.endsWith('.ts');
  const url = new URL(`./evaluate-csv-worker.${source ? 'ts' : 'js'}`, import.meta.url);
  let worker: Worker;
  try {
    worker = source
      ? new Worker(
          `import(${JSON.stringify(tsxApi())}).then((tsx) => tsx.register())` +
            `.then(() => import(${JSON.stringify(url.href)}))`,
          { eval: true },
        )
      : new Worker(url);
  } catch {
    return null;
  }
  const waiting: { resolve: (b: Uint8Array) => void; reject: (e: unknown) => void }[] = [];
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  worker.on('message', (bytes: Uint8Array) => waiting.shift()?.resolve(bytes));
  worker.once('error', fail);
  worker.once('exit', (code) => fail(new Error(`the export's worker exited (${code})`)));
  return {
    fromRows,
    lines(part) {
      if (failure !== undefined) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage(part);
      });
    },
    close: async () => {
      await worker.terminate();
    },
  };
}
