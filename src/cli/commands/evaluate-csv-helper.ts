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

export function startCsvHelper(fromRows = CSV_WORKER_ROWS): CsvHelper | null {
  // run from the TypeScript (tsx, tests) the worker loads its .ts through tsx as well; from the CLI bundle
  // (scripts/build-cli.js) its own small bundle beside this one
  const source = import.meta.url.endsWith('.ts');
  const url = new URL(`./evaluate-csv-worker.${source ? 'ts' : 'js'}`, import.meta.url);
  let worker: Worker;
  try {
    const tsx = source ? pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href : null;
    worker = new Worker(url, tsx ? { execArgv: ['--import', tsx] } : {});
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
