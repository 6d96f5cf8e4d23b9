// ExcelJS's streaming reader parks a worksheet in a temporary file when it comes before the workbook's
// relations and shared strings in the zip — which is how every streamed xlsx (our own templates and
// exports included) is laid out. It takes those files from the `tmp` package in the system temp folder,
// shared with every other process on the machine: a sweep of that folder (another instance, a test
// cleaning up, a system timer) removed one mid-read, and the read stream's ENOENT surfaced as an
// uncaught exception that ended the process (issue 13). Here each read gets a folder of its own under
// CLUSTERSCOPE_TMP (default `clusterscope-tmp` in the system temp folder), removed when the read ends;
// the reader's `tmp.file` calls are sent there through the async context of the read.
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { settings } from '../../settings.ts';

type TmpFile = (
  options: Record<string, unknown> | ((...args: unknown[]) => void),
  callback?: (...args: unknown[]) => void,
) => void;

const current = new AsyncLocalStorage<string>();
let patched = false;

/** Sends ExcelJS's temporary files into the folder of the read running in the current async context. */
function patchTmp(): void {
  if (patched) return;
  patched = true;
  // the very module instance ExcelJS's reader holds (resolved from ExcelJS's own folder)
  const requireFromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
  const tmp = requireFromExceljs('tmp') as { file: TmpFile };
  const original = tmp.file.bind(tmp);
  tmp.file = (options, callback) => {
    const dir = current.getStore();
    if (typeof options === 'function') return original(dir ? { tmpdir: dir } : {}, options);
    return original(dir ? { ...options, tmpdir: dir } : options, callback);
  };
}

export function xlsxTempRoot(): string {
  return settings().CLUSTERSCOPE_TMP ?? path.join(os.tmpdir(), 'clusterscope-tmp');
}

/** A temporary folder for one read: `run` steps of the read inside it, `dispose` removes it. */
export function readTempDir(root = xlsxTempRoot()): {
  dir: string;
  run<T>(fn: () => T): T;
  dispose(): void;
} {
  // NOT redirected yet. ExcelJS parks worksheets that precede xl/workbook.xml in tmp files and parses them
  // after the zip ends ("reading 'sheets'" of undefined when the zip ends early). With tmp.file sent into
  // this folder, `dispose` at the end of a read that stopped early (a messy workbook with hidden sheets,
  // imports.test.ts) removed files ExcelJS was still parsing: an uncaught ENOENT. Redirect only once
  // dispose waits for ExcelJS's parse to settle (issue 13 item 6; see patchTmp).
  void patchTmp;
  fs.mkdirSync(root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, 'read-'));
  return {
    dir,
    run: (fn) => current.run(dir, fn),
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
