// clusterscope import <kind> <file> [--dry-run] [--report FILE.xlsx]
// Exit codes: 0 imported (or a clean dry run, or the file was imported before), 1 refused for
// problems (a summary is printed and the problem report written), 2 usage errors.
import fs from 'node:fs';
import path from 'node:path';
import { CommanderError, type Command } from 'commander';
import { IMPORT_KINDS, isImportKind, type ImportKind } from '../../domain/imports/columns.ts';
import { describeProblem } from '../../domain/imports/problems.ts';
import type { Database } from '../../db/client.ts';
import { commitLocalFile } from '../../modules/imports/index.ts';
import type { PassResult } from '../../modules/imports/index.ts';
import { analyseFile, sha256OfFile, type Importer } from '../../modules/imports/index.ts';
import { committedImportOf, problemReport } from '../../modules/imports/index.ts';
import { CLI_ACTOR, withMigratedDatabase } from '../context.ts';

const CLI_IMPORTER: Importer = { id: null, username: 'cli', regionCode: null };

export function progressPrinter(total: number) {
  let last = 0;
  return {
    progress(p: { rows: number; bytesRead: number }) {
      const now = Date.now();
      if (now - last < 250) return;
      last = now;
      const fraction = total > 0 ? Math.min(1, p.bytesRead / total) : 0;
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${p.rows.toLocaleString('en')} rows`,
      );
    },
    done() {
      if (last > 0) process.stderr.write('\n');
    },
  };
}

export function summary(r: PassResult): string {
  const c = r.counts;
  return `${c.rows} rows read, ${c.good} good, ${c.badRows} with errors, ${c.skipped} skipped; ${c.error} errors, ${c.warning} warnings, ${c.notice} notices`;
}

export async function writeReport(
  file: string,
  kind: ImportKind,
  fileName: string,
  r: PassResult,
  reportPath: string,
) {
  const buffer = await problemReport({
    fileName,
    kind,
    problems: r.problems.map((p) => ({
      ...p,
      cells: p.row !== null ? (r.problemCells.get(`${p.sheet ?? ''}\u0000${p.row}`) ?? null) : null,
    })),
    headers: r.headers,
    counts: { ...r.counts },
  });
  fs.writeFileSync(reportPath, buffer);
  void file;
}

export function printProblems(r: PassResult) {
  const errors = r.problems.filter((p) => p.severity === 'error');
  for (const p of errors.slice(0, 10)) console.log(`  ${describeProblem(p, 'zh')}\n    ${p.en}`);
  if (r.counts.error > 10) console.log(`  … and ${r.counts.error - 10} more errors (see the report)`);
}

async function run(
  d: Database,
  kind: ImportKind,
  file: string,
  opts: { dryRun?: boolean; report?: string },
  hashing: Promise<string> | null,
): Promise<number> {
  const fileName = path.basename(file);
  const size = fs.statSync(file).size;
  const reportPath =
    opts.report ?? path.join(path.dirname(file), `${fileName.replace(/\.[^.]+$/, '')}.problems.xlsx`);
  const bar = progressPrinter(size);
  if (opts.dryRun) {
    const r = await analyseFile(d, { kind, path: file, fileName }, CLI_IMPORTER, bar);
    bar.done();
    console.log(`dry run of ${fileName} (${kind}): ${summary(r)}`);
    if (r.counts.error > 0) {
      printProblems(r);
      await writeReport(file, kind, fileName, r, reportPath);
      console.log(`refused; problem report: ${reportPath}`);
      return 1;
    }
    if (opts.report) await writeReport(file, kind, fileName, r, reportPath);
    console.log('clean: the file can be imported');
    return 0;
  }
  const sha256 = await (hashing ?? sha256OfFile(file));
  const dup = await committedImportOf(d.db, kind, sha256);
  if (dup != null) {
    console.log(`${fileName} was imported before (import ${dup}); nothing changed`);
    return 0;
  }
  // recorded and committed as a job with a heartbeat, so a server's recovery leaves it alone
  const { id, outcome } = await commitLocalFile(
    d,
    { kind, path: file, fileName, sha256, size },
    CLI_IMPORTER,
    CLI_ACTOR,
    bar,
  ).finally(() => bar.done());
  if (outcome.status === 'duplicate') {
    console.log(`${fileName} was imported before (import ${outcome.duplicateOf}); nothing changed`);
    return 0;
  }
  if (outcome.status === 'refused') {
    console.log(`import ${id} of ${fileName} (${kind}) refused: ${summary(outcome.pass)}`);
    printProblems(outcome.pass);
    await writeReport(file, kind, fileName, outcome.pass, reportPath);
    console.log(`nothing was written; problem report: ${reportPath}`);
    return 1;
  }
  const w = outcome.write;
  console.log(
    `import ${id} of ${fileName} (${kind}) committed: ${summary(outcome.pass)}; ${w.inserted} new, ${w.replaced} replaced, ${w.unchanged} unchanged`,
  );
  if (opts.report) await writeReport(file, kind, fileName, outcome.pass, reportPath);
  return 0;
}

export function register(program: Command): void {
  program
    .command('import <kind> <file>')
    .description(`import a spreadsheet (xlsx or csv) of one kind: ${IMPORT_KINDS.join('|')}`)
    .option('--dry-run', 'read and check the file, write nothing')
    .option(
      '--report <file>',
      'write the problem report (xlsx) here; default: next to the input when refused',
    )
    .action(async (kind: string, file: string, opts: { dryRun?: boolean; report?: string }) => {
      if (!isImportKind(kind))
        throw new CommanderError(2, 'usage', `unknown kind "${kind}"; use one of ${IMPORT_KINDS.join(', ')}`);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile())
        throw new CommanderError(2, 'usage', `no such file: ${file}`);
      if (opts.report !== undefined && !/\.xlsx$/i.test(opts.report))
        throw new CommanderError(2, 'usage', '--report must name an .xlsx file');
      const resolved = path.resolve(file);
      // the file's hash (a read of the whole file) runs while the database is opened and its
      // migrations checked, not after; a dry run needs none
      const hashing = opts.dryRun ? null : sha256OfFile(resolved);
      void hashing?.catch(() => undefined); // (awaited in run; a failure to open the database comes first)
      const code = await withMigratedDatabase((d) => run(d, kind, resolved, opts, hashing));
      process.exitCode = code;
    });
}
