// clusterscope evaluate --year Y [--rule-set ID] [--region CODE] [--out FILE.csv|.xlsx]
// One row per enterprise with annual inputs for Y: identity, group, each indicator's value and score,
// 总分, 等级 and 未参评原因. Nothing is stored (runs are made through the API or web). Exit 0 ok, 1
// failure, 2 usage.
import { once } from 'node:events';
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { CommanderError, Option, type Command } from 'commander';
import {
  CLASSES,
  exclusionLabel,
  indicatorShortZh,
  NO_CLASS,
  type Evaluation,
} from '../../domain/evaluation/index.ts';
import { evaluateYear } from '../../modules/evaluation/index.ts';
import type { InputRow } from '../../modules/evaluation/index.ts';
import { CLI_ACTOR, withMigratedDatabase } from '../context.ts';
import { csvCell } from '../../csv.ts';
import { CSV_CHUNK, csvLines, exportNumbers, slicePart, type CsvPart } from './evaluate-csv.ts';
import { startCsvHelper, type CsvHelper } from './evaluate-csv-helper.ts';

const GROUP_ZH = { above: '规上', below: '规下' } as const;

/** The export's header: identity, group, each indicator's value and score, totals, class, reason. */
export function exportHeader(ev: Evaluation): string[] {
  return [
    '统一社会信用代码',
    '企业名称',
    '区县代码',
    '组别',
    ...ev.indicatorKeys.flatMap((k) => [indicatorShortZh(k), `${indicatorShortZh(k)}得分`]),
    '调整分',
    '总分',
    '组内排名',
    '组内企业数',
    '等级',
    '未参评原因',
  ];
}

/** The export's rows as plain arrays (evaluate-csv.ts): the evaluation's own arrays, not copies. */
export function csvPartOf(ev: Evaluation, inputs: readonly InputRow[]): CsvPart {
  const reasonCells: string[] = [];
  const reasonIndex = new Map<string, number>();
  const reasonOf = new Int16Array(ev.n).fill(-1);
  // the class cell of each row: CLASSES by index, then A+, then none (NO_CLASS)
  const classCells = [...CLASSES, 'A+', ''];
  const classOf = new Uint8Array(ev.n);
  const groupOfScale = new Uint8Array(ev.n);
  const uscc = new Array<string>(ev.n);
  const name = new Array<string>(ev.n);
  const region = new Array<string>(ev.n);
  for (let i = 0; i < ev.n; i++) {
    const input = inputs[i]!;
    uscc[i] = input.uscc;
    name[i] = input.name;
    region[i] = input.regionCode;
    groupOfScale[i] = input.scale === 'above' ? 0 : 1;
    classOf[i] =
      ev.classes[i] === NO_CLASS ? CLASSES.length + 1 : ev.aPlus[i] ? CLASSES.length : ev.classes[i]!;
    if (ev.groupOf[i]! < 0) {
      const code = ev.exclusion[i]!;
      let r = reasonIndex.get(code);
      if (r === undefined) {
        r = reasonCells.push(exclusionLabel(code, ev.ruleSet).zh) - 1;
        reasonIndex.set(code, r);
      }
      reasonOf[i] = r;
    }
  }
  return {
    K: ev.indicatorKeys.length,
    values: ev.values,
    scores: ev.scores,
    groupOf: ev.groupOf,
    adjustment: ev.adjustment,
    totals: ev.totals,
    higher: ev.higher,
    groupSizes: Int32Array.from(ev.groups, (g) => g.members.length),
    classOf,
    classCells,
    reasonOf,
    reasonCells,
    uscc,
    name,
    region,
    groupOfScale,
    groupCells: [GROUP_ZH.above, GROUP_ZH.below],
  };
}

/** Row i of the export (numbers stay numbers; blanks are null), for the workbook. */
function exportRow(p: CsvPart, i: number): (string | number | null)[] {
  const numbers = exportNumbers(p, i, new Array<number | null>(2 * p.K + 4));
  const r = p.reasonOf[i]!;
  return [
    p.uscc[i]!,
    p.name[i]!,
    p.region[i]!,
    p.groupCells[p.groupOfScale[i]!]!,
    ...numbers,
    p.classCells[p.classOf[i]!] || null,
    r < 0 ? null : p.reasonCells[r]!,
  ];
}

async function write(out: NodeJS.WritableStream, text: string | Uint8Array): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function writeOut(
  file: string | undefined,
  ev: Evaluation,
  inputs: readonly InputRow[],
  helper: CsvHelper | null,
) {
  const part = csvPartOf(ev, inputs);
  if (file && file.toLowerCase().endsWith('.xlsx')) {
    // the streaming writer commits each row to the zip as it goes, instead of a workbook of the year
    // loaded only for .xlsx: most exports are CSV, and ExcelJS is a large part of the command's start
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true });
    const ws = wb.addWorksheet('亩均效益评价');
    const header = ws.addRow(exportHeader(ev));
    header.font = { bold: true };
    header.commit();
    for (let i = 0; i < ev.n; i++) ws.addRow(exportRow(part, i)).commit();
    ws.commit();
    await wb.commit();
    return;
  }
  // CSV with a BOM so Excel opens the Chinese headers correctly
  const out = file ? fs.createWriteStream(file) : process.stdout;
  const done = file ? finished(out) : Promise.resolve();
  try {
    await writeCsv(out, ev, part, helper);
  } finally {
    if (file) out.end();
  }
  await done;
}

/**
 * The export as CSV, in pieces of CSV_CHUNK rows written in order. A large year's odd pieces are the
 * worker's, each sent a few pieces ahead, so that it writes one while this thread writes the one before.
 * Each piece's bytes are the same whoever writes it; should the worker fail, this thread writes its pieces.
 */
export async function writeCsv(
  out: NodeJS.WritableStream,
  ev: Evaluation,
  part: CsvPart,
  helper: CsvHelper | null,
): Promise<void> {
  await write(out, '\ufeff' + exportHeader(ev).map(csvCell).join(',') + '\r\n');
  const pieces = Math.ceil(ev.n / CSV_CHUNK);
  const rows = (c: number) => [c * CSV_CHUNK, Math.min(ev.n, (c + 1) * CSV_CHUNK)] as const;
  const shared = helper && ev.n >= helper.fromRows ? helper : null;
  const theirs = new Map<number, Promise<Uint8Array | null>>();
  let sent = 1; // the worker's next piece to send
  for (let c = 0; c < pieces; c++) {
    for (; shared && sent < pieces && sent <= c + 3; sent += 2)
      theirs.set(
        sent,
        shared.lines(slicePart(part, ...rows(sent))).catch(() => null),
      );
    const bytes = (await theirs.get(c)) ?? null;
    theirs.delete(c);
    await write(out, bytes ?? csvLines(part, ...rows(c)));
  }
}

export function register(program: Command): void {
  program
    .command('evaluate')
    .description(
      '亩均效益 evaluation of a year: one row per enterprise (CSV to stdout, or --out FILE.csv|.xlsx)',
    )
    .addOption(
      new Option('--year <year>', 'evaluation year').makeOptionMandatory().argParser((v) => {
        if (!/^\d{4}$/.test(v))
          throw new CommanderError(2, 'usage', `--year must be a four-digit year, got ${v}`);
        return Number(v);
      }),
    )
    .addOption(
      new Option(
        '--rule-set <id>',
        'rule-set version id (default: the latest version of the default rule set)',
      ).argParser((v) => {
        if (!/^\d+$/.test(v))
          throw new CommanderError(2, 'usage', `--rule-set must be a rule-set id, got ${v}`);
        return Number(v);
      }),
    )
    .option('--region <code>', 'a county code (default: the whole city)')
    .option('--out <file>', 'write to FILE.csv or FILE.xlsx instead of stdout')
    .action(async (opts: { year: number; ruleSet?: number; region?: string; out?: string }) => {
      if (opts.out && !/\.(csv|xlsx)$/i.test(opts.out))
        throw new CommanderError(2, 'usage', `--out must end in .csv or .xlsx, got ${opts.out}`);
      // a CSV export's worker, started now so that it has loaded by the time the year is evaluated
      const helper = opts.out?.toLowerCase().endsWith('.xlsx') ? null : startCsvHelper();
      try {
        await withMigratedDatabase(async (d) => {
          const { ev, inputs } = await evaluateYear(d.db, CLI_ACTOR, {
            year: opts.year,
            regionCode: opts.region ?? null,
            ruleSetId: opts.ruleSet,
          });
          if (ev.n === 0)
            throw new Error(
              `no enterprise has annual inputs for ${opts.year}${opts.region ? ` in ${opts.region}` : ''}`,
            );
          if (opts.out) fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
          await writeOut(opts.out, ev, inputs, helper);
          const evaluated = ev.groupOf.reduce((s, g) => s + (g >= 0 ? 1 : 0), 0);
          if (opts.out)
            console.error(`${opts.year}: ${ev.n} enterprises, ${evaluated} evaluated → ${opts.out}`);
        });
      } finally {
        await helper?.close();
      }
    });
}
