// The evaluation export shared with a worker thread (issue 13): the bytes are those this thread writes
// alone, whoever writes each piece, also when the worker cannot start or dies half-way.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SET_V3, evaluate } from '../../src/domain/evaluation/index.ts';
import type { InputRow } from '../../src/modules/evaluation/index.ts';
import { csvPartOf, writeCsv } from '../../src/cli/commands/evaluate.ts';
import { CSV_CHUNK } from '../../src/cli/commands/evaluate-csv.ts';
import { startCsvHelper, type CsvHelper } from '../../src/cli/commands/evaluate-csv-helper.ts';

/** A year of firms, every kind of row: both groups, blanks, zeros, negatives, excluded, names to quote. */
function year(n: number): InputRow[] {
  let seed = 13;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const amount = (blank = 0.08) => {
    const r = rand();
    return r < blank ? null : r < blank + 0.03 ? 0 : r > 0.99 ? -rand() * 50 : rand() * 5000;
  };
  const names = [
    '嘉兴某纺织有限公司',
    'Quote "Ltd", Jiaxing',
    'Line\nbreak 新材料',
    '海宁,皮革',
    '=HYPERLINK("http://example.invalid","x")',
  ];
  return Array.from({ length: n }, (_, i) => ({
    enterpriseId: i + 1,
    uscc: `91330400MA${String(i).padStart(8, '0')}`,
    name: `${names[i % names.length]}${i}`,
    regionCode: ['330402', '330411', '330421', '330424', '330481', '330482', '330483'][i % 7]!,
    scale: rand() < 0.6 ? 'above' : 'below',
    industryCode: rand() < 0.02 ? '4411' : ['1711', '2614', '3670', '3857'][i % 4]!,
    landMu: rand() < 0.03 ? null : rand() * 120 + 1,
    taxPaid: amount(),
    valueAdded: amount(),
    revenue: amount(),
    mainRevenue: amount(),
    energyTce: amount(0.2),
    electricity: amount(0.1),
    cod: amount(0.5),
    ammoniaNitrogen: amount(0.6),
    so2: amount(0.5),
    nox: amount(0.5),
    rdExpense: amount(0.3),
    avgEmployees: rand() < 0.05 ? null : Math.round(rand() * 900),
    attributes: rand() < 0.03 ? { safetyIncident: 1 } : undefined,
  }));
}

async function csvOf(rows: InputRow[], helper: CsvHelper | null): Promise<Buffer> {
  const ev = evaluate(DEFAULT_RULE_SET_V3, rows);
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  await writeCsv(out, ev, csvPartOf(ev, rows), helper);
  return Buffer.concat(chunks);
}

describe('the evaluation export shared with a worker', () => {
  const rows = year(CSV_CHUNK * 5 + 321);

  it('writes the bytes this thread writes alone, the worker writing every other piece', async () => {
    const alone = await csvOf(rows, null);
    expect(alone.toString('utf8').split('\r\n').filter(Boolean).length).toBeGreaterThan(rows.length);
    const helper = startCsvHelper(0)!;
    expect(helper).not.toBeNull();
    let asked = 0;
    let answered = 0;
    const counted: CsvHelper = {
      ...helper,
      lines: (part) => {
        asked++;
        return helper.lines(part).then((bytes) => (answered++, bytes));
      },
    };
    try {
      expect((await csvOf(rows, counted)).equals(alone)).toBe(true);
    } finally {
      await helper.close();
    }
    expect(asked).toBe(3); // pieces 1, 3 and 5 of 0…5, each answered by the worker (below)
    expect(answered).toBe(3);
  });

  it('writes the same when the worker fails at once, or dies half-way', async () => {
    const alone = await csvOf(rows, null);
    const refusing: CsvHelper = {
      fromRows: 0,
      lines: () => Promise.reject(new Error('no worker')),
      close: async () => {},
    };
    expect((await csvOf(rows, refusing)).equals(alone)).toBe(true);
    const helper = startCsvHelper(0)!;
    let asked = 0;
    const dying: CsvHelper = {
      ...helper,
      lines: async (part) => {
        if (++asked === 2) await helper.close();
        return helper.lines(part);
      },
    };
    expect((await csvOf(rows, dying)).equals(alone)).toBe(true);
  });

  it('writes a name a spreadsheet would run as a formula as text, and every other cell as before', async () => {
    const names = [
      '=1+2',
      '@SUM(A1)',
      '+86 573',
      '-x',
      '\tcmd',
      '-12.5',
      'Quote "Ltd", Jiaxing',
      '嘉兴某纺织',
    ];
    const some = rows.slice(0, names.length).map((r, i) => ({ ...r, name: names[i]! }));
    const lines = (await csvOf(some, null)).toString('utf8').split('\r\n');
    // (the first six have no comma or quote: the name is the second field)
    const nameCells = lines.slice(1, 7).map((l) => l.split(',')[1]);
    expect(nameCells).toEqual(["'=1+2", "'@SUM(A1)", "'+86 573", "'-x", "'\tcmd", '-12.5']);
    // a quoted name and a plain one exactly as before: uscc, name, region, then the numbers
    expect(lines[7]).toMatch(/^91330400MA00000006,"Quote ""Ltd"", Jiaxing",330483,/);
    expect(lines[8]).toMatch(/^91330400MA00000007,嘉兴某纺织,330402,/);
  });

  it('keeps a small year on this thread', async () => {
    const small = rows.slice(0, 50);
    let asked = 0;
    const helper: CsvHelper = {
      fromRows: 20_000,
      lines: () => {
        asked++;
        return Promise.reject(new Error('not asked'));
      },
      close: async () => {},
    };
    expect((await csvOf(small, helper)).equals(await csvOf(small, null))).toBe(true);
    expect(asked).toBe(0);
  });
});
