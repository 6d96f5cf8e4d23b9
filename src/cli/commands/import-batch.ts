// clusterscope import-batch <kind=file...> [--dry-run] [--report-dir DIR]
// Several files imported together in ONE transaction: at most one enterprise registry file (read and
// written first; the enterprises it creates count for the other files) and any monthly, annual or
// tiers files. Exit codes as `import`: 0 imported (or a clean dry run, or every file was imported
// before), 1 refused for problems (a summary is printed and one problem report written per refused
// file), 2 usage errors.
import fs from 'node:fs';
import path from 'node:path';
import { CommanderError, type Command } from 'commander';
import { IMPORT_KINDS, type ImportKind } from '../../domain/imports/columns.ts';
import type { Database } from '../../db/client.ts';
import type { JobControl } from '../../modules/imports/index.ts';
import type { PassResult } from '../../modules/imports/index.ts';
import {
  analyseBatch,
  batchKindsProblem,
  batchOrder,
  committedDuplicates,
} from '../../modules/imports/index.ts';
import { commitLocalBatch } from '../../modules/imports/index.ts';
import { sha256OfFile, type Importer } from '../../modules/imports/index.ts';
import { CLI_ACTOR, withMigratedDatabase } from '../context.ts';
import { printProblems, progressPrinter, summary, writeReport } from './import.ts';

const CLI_IMPORTER: Importer = { id: null, username: 'cli', regionCode: null };

interface Spec {
  kind: ImportKind;
  file: string;
  fileName: string;
  size: number;
}

/** `kind=file` arguments, checked: exit 2 (usage) for anything wrong. */
export function parseSpecs(args: readonly string[]): Spec[] {
  const specs = args.map((arg) => {
    const m = /^([a-z]+)=(.+)$/.exec(arg);
    if (!m)
      throw new CommanderError(2, 'usage', `"${arg}" is not kind=file (kinds: ${IMPORT_KINDS.join(', ')})`);
    return { kind: m[1]!, file: path.resolve(m[2]!) };
  });
  const problem = batchKindsProblem(specs.map((s) => s.kind));
  if (problem) throw new CommanderError(2, 'usage', problem.en);
  const seen = new Set<string>();
  return specs.map((s) => {
    if (!fs.existsSync(s.file) || !fs.statSync(s.file).isFile())
      throw new CommanderError(2, 'usage', `no such file: ${s.file}`);
    if (seen.has(`${s.kind}:${s.file}`))
      throw new CommanderError(2, 'usage', `${s.file} is named twice as ${s.kind}`);
    seen.add(`${s.kind}:${s.file}`);
    return {
      kind: s.kind as ImportKind,
      file: s.file,
      fileName: path.basename(s.file),
      size: fs.statSync(s.file).size,
    };
  });
}

function reportPathOf(s: Spec, reportDir: string | undefined): string {
  const name = `${s.fileName.replace(/\.[^.]+$/, '')}.problems.xlsx`;
  return path.join(reportDir ?? path.dirname(s.file), name);
}

/** One progress bar over the batch: each file's bytes after those of the files before it. */
function batchProgress(specs: readonly Spec[]) {
  const bar = progressPrinter(specs.reduce((n, s) => n + s.size, 0));
  let offset = 0;
  const controls: JobControl[] = specs.map((s) => {
    const start = offset;
    offset += s.size;
    return { progress: (p) => bar.progress({ rows: p.rows, bytesRead: start + p.bytesRead }) };
  });
  return { controls, done: () => bar.done() };
}

async function report(s: Spec, r: PassResult, reportDir: string | undefined): Promise<string> {
  const to = reportPathOf(s, reportDir);
  await writeReport(s.file, s.kind, s.fileName, r, to);
  return to;
}

async function run(
  d: Database,
  given: Spec[],
  opts: { dryRun?: boolean; reportDir?: string },
): Promise<number> {
  const specs = batchOrder(given);
  if (opts.reportDir) fs.mkdirSync(opts.reportDir, { recursive: true });
  if (opts.dryRun) {
    const bar = batchProgress(specs);
    const results = await analyseBatch(
      d,
      specs.map((s) => ({ kind: s.kind, path: s.file, fileName: s.fileName })),
      CLI_IMPORTER,
      bar.controls,
    );
    bar.done();
    let refused = 0;
    for (const [i, s] of specs.entries()) {
      const r = results[i]!;
      console.log(`dry run of ${s.fileName} (${s.kind}): ${summary(r)}`);
      if (r.counts.error > 0) {
        refused++;
        printProblems(r);
        console.log(`  refused; problem report: ${await report(s, r, opts.reportDir)}`);
      } else if (opts.reportDir) await report(s, r, opts.reportDir);
    }
    if (refused > 0) {
      console.log(`refused: ${refused} of ${specs.length} files have errors; the batch cannot be imported`);
      return 1;
    }
    console.log('clean: the batch can be imported');
    return 0;
  }

  const hashes = await Promise.all(specs.map((s) => sha256OfFile(s.file)));
  const dups = await committedDuplicates(
    d.db,
    specs.map((s, i) => ({ kind: s.kind, sha256: hashes[i]! })),
  );
  for (const [i, s] of specs.entries())
    if (dups[i] !== null) console.log(`${s.fileName} was imported before (import ${dups[i]}); skipped`);
  const todo = specs.map((s, i) => ({ ...s, sha256: hashes[i]! })).filter((_, i) => dups[i] === null);
  if (todo.length === 0) {
    console.log('every file was imported before; nothing changed');
    return 0;
  }
  // recorded and committed as one job with a heartbeat, so a server's recovery leaves it alone
  const bar = batchProgress(todo);
  const { batchId, importIds, outcome } = await commitLocalBatch(
    d,
    todo.map((s) => ({ kind: s.kind, path: s.file, fileName: s.fileName, sha256: s.sha256, size: s.size })),
    CLI_IMPORTER,
    CLI_ACTOR,
    bar.controls,
  ).finally(() => bar.done());
  for (const [i, s] of todo.entries()) {
    const o = outcome.files[i]!;
    const id = importIds[i]!;
    if (o.status === 'duplicate') {
      console.log(`${s.fileName} was imported before (import ${o.duplicateOf}); skipped`);
    } else if (o.status === 'committed') {
      const w = o.write;
      console.log(
        `import ${id} of ${s.fileName} (${s.kind}) committed: ${summary(o.pass)}; ${w.inserted} new, ${w.replaced} replaced, ${w.unchanged} unchanged`,
      );
      if (opts.reportDir) await report(s, o.pass, opts.reportDir);
    } else if (o.status === 'refused') {
      console.log(`import ${id} of ${s.fileName} (${s.kind}) refused: ${summary(o.pass)}`);
      printProblems(o.pass);
      console.log(`  problem report: ${await report(s, o.pass, opts.reportDir)}`);
    } else {
      const by = todo[importIds.indexOf(o.because)]?.fileName ?? `import ${o.because}`;
      console.log(
        `import ${id} of ${s.fileName} (${s.kind}) not imported: no errors of its own, but ${by} of the batch has errors`,
      );
    }
  }
  if (outcome.status === 'refused') {
    console.log(`batch ${batchId} refused: nothing of any file was written`);
    return 1;
  }
  console.log(`batch ${batchId} committed (${todo.length} files, one transaction)`);
  return 0;
}

export function register(program: Command): void {
  program
    .command('import-batch <files...>')
    .description(
      'import several files together in one transaction, each as kind=file: at most one enterprises file ' +
        '(firms it creates count for the others) and any monthly, annual or tiers files, ' +
        'e.g. import-batch enterprises=new.xlsx monthly=2025-03.csv',
    )
    .option('--dry-run', 'read and check the files, write nothing')
    .option('--report-dir <dir>', 'write the problem reports (xlsx) here; default: next to each refused file')
    .action(async (args: string[], opts: { dryRun?: boolean; reportDir?: string }) => {
      const specs = parseSpecs(args);
      if (
        opts.reportDir !== undefined &&
        fs.existsSync(opts.reportDir) &&
        !fs.statSync(opts.reportDir).isDirectory()
      )
        throw new CommanderError(2, 'usage', `--report-dir ${opts.reportDir} is not a directory`);
      const code = await withMigratedDatabase((d) => run(d, specs, opts));
      process.exitCode = code;
    });
}
