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

/**
 * The numbers of row i, into `out` (2K + 4 long, reused): each indicator's value and score, 调整分, 总分,
 * 组内排名, 组内企业数; null where blank.
 */
function exportNumbers(ev: Evaluation, i: number, out: (number | null)[]): (number | null)[] {
  const K = ev.indicatorKeys.length;
  const g = ev.groupOf[i]!;
  for (let c = 0; c < K; c++) {
    const v = ev.values[i * K + c]!;
    const s = ev.scores[i * K + c]!;
    out[2 * c] = Number.isNaN(v) ? null : v;
    out[2 * c + 1] = g < 0 || Number.isNaN(s) ? null : s;
  }
  out[2 * K] = g < 0 ? null : ev.adjustment[i]!;
  out[2 * K + 1] = g < 0 ? null : ev.totals[i]!;
  out[2 * K + 2] = g < 0 ? null : ev.higher[i]! + 1;
  out[2 * K + 3] = g < 0 ? null : ev.groups[g]!.members.length;
  return out;
}

const classCell = (ev: Evaluation, i: number): string | null =>
  ev.classes[i] === NO_CLASS ? null : ev.aPlus[i] ? 'A+' : CLASSES[ev.classes[i]!]!;
const reasonCell = (ev: Evaluation, i: number): string | null =>
  ev.groupOf[i]! < 0 ? exclusionLabel(ev.exclusion[i]!, ev.ruleSet).zh : null;

/** Row i of the export (numbers stay numbers; blanks are null). */
export function exportRow(ev: Evaluation, input: InputRow, i: number): (string | number | null)[] {
  const numbers = exportNumbers(ev, i, new Array<number | null>(2 * ev.indicatorKeys.length + 4));
  return [
    input.uscc,
    input.name,
    input.regionCode,
    GROUP_ZH[input.scale],
    ...numbers,
    classCell(ev, i),
    reasonCell(ev, i),
  ];
}

function csvCell(v: string | number | null): string {
  if (v == null) return '';
  // numbers never need quoting: only text goes through the test
  if (typeof v === 'number') return String(v);
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Rows per write: a province's export as one string was several copies of every firm (issue 13). */
const CSV_CHUNK = 1_000;

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function writeOut(file: string | undefined, ev: Evaluation, inputs: readonly InputRow[]) {
  if (file && file.toLowerCase().endsWith('.xlsx')) {
    // the streaming writer commits each row to the zip as it goes, instead of a workbook of the year
    // loaded only for .xlsx: most exports are CSV, and ExcelJS is a large part of the command's start
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true });
    const ws = wb.addWorksheet('亩均效益评价');
    const header = ws.addRow(exportHeader(ev));
    header.font = { bold: true };
    header.commit();
    for (let i = 0; i < ev.n; i++) ws.addRow(exportRow(ev, inputs[i]!, i)).commit();
    ws.commit();
    await wb.commit();
    return;
  }
  // CSV with a BOM so Excel opens the Chinese headers correctly
  const out = file ? fs.createWriteStream(file) : process.stdout;
  const done = file ? finished(out) : Promise.resolve();
  try {
    await write(out, '\ufeff' + exportHeader(ev).map(csvCell).join(',') + '\r\n');
    const width = 2 * ev.indicatorKeys.length + 4;
    for (let start = 0; start < ev.n; start += CSV_CHUNK) {
      const end = Math.min(ev.n, start + CSV_CHUNK);
      // the chunk's numbers as ONE JSON text, cut into rows after (a blank's null left empty): JSON writes
      // a number exactly as String() does, without a string per cell — at province scale those strings
      // were most of the export's garbage (V8 keeps recent ones in its number-string cache, so they
      // outlive the row) — and one call per 1,000 rows instead of a call, a slice and a replace per row
      // (≈ 0.1–0.2 CPU s of 1.0 at province scale)
      const numbers = new Array<(number | null)[]>(end - start);
      for (let i = start; i < end; i++) numbers[i - start] = exportNumbers(ev, i, new Array(width));
      const middles = JSON.stringify(numbers).slice(2, -2).replaceAll('null', '').split('],[');
      let text = '';
      for (let i = start; i < end; i++) {
        const input = inputs[i]!;
        text += `${csvCell(input.uscc)},${csvCell(input.name)},${csvCell(input.regionCode)},${GROUP_ZH[input.scale]},${middles[i - start]},${csvCell(classCell(ev, i))},${csvCell(reasonCell(ev, i))}\r\n`;
      }
      await write(out, text);
    }
  } finally {
    if (file) out.end();
  }
  await done;
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
        await writeOut(opts.out, ev, inputs);
        const evaluated = ev.groupOf.reduce((s, g) => s + (g >= 0 ? 1 : 0), 0);
        if (opts.out)
          console.error(`${opts.year}: ${ev.n} enterprises, ${evaluated} evaluated → ${opts.out}`);
      });
    });
}
