// The alert writer's staging (write.ts merges what is staged here): the firings of an evaluation, placed in
// their runs (firing-runs.ts), each with what the plan decides for it where no open alert meets its run
// (stagedPlan), encoded as lines of COPY's text format and copied into `alert_firings`, a temporary table of
// the transaction, with their counts per month in `alert_firing_counts`.
//
// The lines are written by a writer specialised to the staged columns (stagedLine) instead of a generic CSV
// field per value: numbers and the writer's own words need no quoting, and a firing's evidence is turned
// into its JSON text once however many rows carry it (the firms evaluated by their reporting alone share
// their firings: at province scale ≈ 511,000 staged rows held 10 distinct evidences). The encoding needs no
// connection: an import encodes its firings while the database computes the monitoring rollups
// (encodeFirings, evaluateMonthsBeside) and only copies the lines once the connection is free (issue 13).
//
// The firms evaluated by their reporting alone share their firings (one map per reporting pattern), so their
// rows differ only in the firm and where their seqs start: the import stages each as one row of its pattern
// (alert_firm_patterns) and each pattern's rows once (alert_pattern_rows), which the merge expands. At
// province scale that is ≈ 170,000 short rows instead of ≈ 510,000 firings encoded, copied and parsed (their
// evidence as jsonb) one by one: ≈ 1.2 s of the database's CPU and ≈ 1.2 s of Node's.
import { sql } from 'drizzle-orm';
import { copyTextInTx, type Db } from '../../db/client.ts';
import { setLocal } from '../../db/set-local.ts';
import { LEVEL_RANK } from '../../domain/alerts/index.ts';
import type { FiringPattern, PatternSubject, StagedFiring } from './firing-runs.ts';

/**
 * Rows per COPY where the rows are staged as they come (stageFirings): bounds the lines held at once, and
 * lets the caller's reads run between two COPYs on the one connection.
 */
const STAGE_CHUNK = 10_000;

/** Bytes per piece of an encoded COPY (PGlite takes each piece as a COPY of its own). */
const PIECE_SIZE = 1 << 20;

/** Rows encoded between two turns of the event loop, beside another hook's statements (encodeFirings). */
const TURN_ROWS = 2_000;

/**
 * The staging table's columns, in the order stagedLine gives them: a row's place in its run as far as the
 * writer reads it (the row before and the highest level before it are what stagedPlan decides from; a run
 * that meets an open alert is placed again in SQL).
 */
const STAGE_COLUMNS = [
  'seq',
  'subject_kind',
  'subject_key',
  'enterprise_id',
  'cluster_code',
  'region_code',
  'signal',
  'rule_id',
  'level',
  'month',
  'evidence',
  'n',
  'last',
  'first_month',
  'first_level',
  'first_seq',
  'action',
  'event',
  'place',
];

export type Action = 'create' | 'escalate' | 'refresh';
export type EventKind = 'raised' | 'escalated' | 'deescalated' | 'refreshed';

/**
 * What the plan decides for a staged row of a run without an open alert (write.ts' openPlan decides it in SQL
 * for rows of runs that meet one): `action`, what reconcile does (its level only rises: the highest of the
 * run's earlier firings'), and `event`, what the history logs against the state the alert has just before
 * (the previous firing's). Everything it needs is the row's place in its run, known as it is staged: at
 * province scale the plan's expressions over ≈ 511,000 staged rows, evaluated in SQL, took ≈ 0.4 s of the
 * merge.
 */
export function stagedPlan(r: StagedFiring): { action: Action; event: EventKind | null } {
  const rank = LEVEL_RANK[r.level];
  if (r.n === 1) return { action: 'create', event: 'raised' };
  if (rank > r.prev_max) return { action: 'escalate', event: 'escalated' };
  const before = r.prev_level ? LEVEL_RANK[r.prev_level] : 0;
  if (rank > before) return { action: 'refresh', event: 'escalated' };
  if (rank < before) return { action: 'refresh', event: 'deescalated' };
  return { action: 'refresh', event: r.rule_id !== r.prev_rule ? 'refreshed' : null };
}

/** A text as a field of COPY's text format: backslash, tab, newline and carriage return escaped. */
export function copyText(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : s;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** COPY's text-format null */
const NULL = '\\N';

/**
 * Evidence as its field: JSON text, whose only character COPY's text format escapes is the backslash (JSON
 * writes tab, newline and carriage return as escapes of their own). Kept per evidence object: a firing's
 * evidence is one object however many rows (and firms) carry it.
 */
const evidenceFields = new WeakMap<object, string>();
function evidenceField(evidence: StagedFiring['evidence']): string {
  let field = evidenceFields.get(evidence);
  if (field === undefined) {
    const json = JSON.stringify(evidence);
    field = json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
    evidenceFields.set(evidence, field);
  }
  return field;
}

/**
 * A staged firing with its plan as one line of COPY's text format, the fields in STAGE_COLUMNS' order (null
 * and undefined both stage as null). The subject's kind, the signal, levels, months, the plan's words and the
 * numbers are the writer's own and never hold a character to escape; texts from the registry or the rule set
 * (keys, codes, rule ids) are escaped.
 */
export function stagedLine(
  r: StagedFiring,
  plan: { action: Action; event: EventKind | null },
  place: number | null = null,
): string {
  return (
    `${r.seq}\t${r.subject_kind}\t${copyText(r.subject_key)}\t${r.enterprise_id ?? NULL}\t` +
    `${r.cluster_code == null ? NULL : copyText(r.cluster_code)}\t` +
    `${r.region_code == null ? NULL : copyText(r.region_code)}\t${r.signal}\t${copyText(r.rule_id)}\t` +
    `${r.level}\t${r.month}\t${evidenceField(r.evidence)}\t${r.n}\t${r.last ? 't' : 'f'}\t${r.first_month}\t` +
    `${r.first_level}\t${r.first_seq}\t${plan.action}\t${plan.event ?? NULL}\t${place ?? NULL}\n`
  );
}

/** Per month ('YYYY-MM-01'): staged firings that raise, escalate, and log an event, as staged (stagedPlan). */
export type StagedCounts = Map<string, { created: number; escalated: number; events: number }>;

/**
 * Firings encoded for the staging table (encodeFirings): COPY text (UTF-8) in pieces of whole lines, and
 * counts.
 */
export interface EncodedFirings {
  pieces: Buffer[];
  /** the subjects staged as a pattern's (alert_firm_patterns), and the patterns (alert_pattern_rows) */
  patternPieces: Buffer[];
  patterns: FiringPattern[];
  counts: StagedCounts;
  /** the rows encoded (a pattern's subject counts its pattern's rows) */
  rows: number;
  /** whether the runs' places are their order (RunPlaces) */
  ranked: boolean;
}

/**
 * Lines written into pieces of `size` bytes at most (a longer line has a piece of its own). Each line is
 * written into the piece as it is made: held as bytes outside the JavaScript heap, the lines of the firings an
 * import encodes beside the rollups took ≈ 100 MB at province scale, where held as strings (each line, then
 * each piece joined) the process grew by ≈ 250 MB and its peak passed 512 MiB.
 */
class LinePieces {
  readonly pieces: Buffer[] = [];
  private piece: Buffer | undefined;
  private used = 0;
  constructor(private readonly size: number) {}
  add(line: string): void {
    this.piece ??= Buffer.allocUnsafe(this.size);
    // at most 3 bytes a UTF-16 unit: a line that may not fit is measured first
    if (line.length * 3 > this.size - this.used && Buffer.byteLength(line) > this.size - this.used) {
      this.cut();
      if (Buffer.byteLength(line) > this.size) {
        this.pieces.push(Buffer.from(line));
        return;
      }
    }
    this.used += this.piece.write(line, this.used);
  }
  /** the lines so far as one piece (a copy of the bytes used: the rest of the piece is let go) */
  cut(): void {
    if (!this.used) return;
    this.pieces.push(Buffer.from(this.piece!.subarray(0, this.used)));
    this.used = 0;
  }
}

/**
 * Each staged run's place among the runs starting in its first month, counted as the rows come (write.ts
 * gives the new alerts their ids from it where no run meets an open alert: the alerts of earlier months, then
 * the run's place, is the order of (first_month, first_seq) the ids are taken in, without sorting the runs in
 * SQL). Counted in emission order: `ranked` stays true while every run starts after the one before it (a
 * first_seq above the last), as an evaluation stages them; rows staged in another order (or a run whose first
 * row was not seen) make it false, and the merge takes its general path.
 */
export class RunPlaces {
  ranked = true;
  private readonly perMonth = new Map<string, number>();
  /** the places of the runs begun and not yet ended, by their first row's seq */
  private readonly open = new Map<number, number>();
  private lastStart = -1;
  /** the next place in `month` of a run whose first row has seq `firstSeq` */
  private start(month: string, firstSeq: number): number {
    if (firstSeq <= this.lastStart) this.ranked = false;
    this.lastStart = firstSeq;
    const place = (this.perMonth.get(month) ?? 0) + 1;
    this.perMonth.set(month, place);
    return place;
  }
  /** the place of a plain row's run (null where its first row was not seen) */
  of(r: StagedFiring): number | null {
    let place: number | null | undefined;
    if (r.n === 1) place = this.start(r.month, r.seq);
    else place = this.open.get(r.first_seq);
    if (place === undefined) {
      this.ranked = false;
      return null;
    }
    if (r.last) this.open.delete(r.first_seq);
    else if (r.n === 1) this.open.set(r.seq, place);
    return place;
  }
  /** the places of a pattern subject's runs (rows from `seq`), in the order of their first rows */
  ofPattern(seq: number, pattern: FiringPattern): number[] {
    return pattern.rows.filter((r) => r.n === 1).map((r) => this.start(r.month, seq + r.seq));
  }
}

/** Each row of a pattern: the number (from 1) of its run among the pattern's runs, in order of their first rows. */
export function patternRuns(pattern: FiringPattern): number[] {
  const runs = new Map<number, number>();
  for (const r of pattern.rows) if (r.n === 1) runs.set(r.seq, runs.size + 1);
  return pattern.rows.map((r) => runs.get(r.first_seq)!);
}

/**
 * Encodes rows one by one (the firings' lines, and a line per subject of a pattern with its pattern once),
 * counting them as staged.
 */
class FiringEncoder {
  readonly encoded: EncodedFirings = {
    pieces: [],
    patternPieces: [],
    patterns: [],
    counts: new Map(),
    rows: 0,
    ranked: true,
  };
  private readonly lines: LinePieces;
  private readonly patternLines: LinePieces;
  /** per pattern (by id): its rows' counts per month, what each of its subjects adds */
  private readonly patternCounts: StagedCounts[] = [];
  constructor(
    size: number,
    private readonly places: RunPlaces,
  ) {
    this.lines = new LinePieces(size);
    this.patternLines = new LinePieces(size);
    this.encoded.pieces = this.lines.pieces;
    this.encoded.patternPieces = this.patternLines.pieces;
  }
  add(row: StagedFiring | PatternSubject): void {
    if ('pattern' in row) return this.addPattern(row);
    const plan = stagedPlan(row);
    count(this.encoded.counts, row.month, plan, 1);
    this.encoded.rows++;
    this.lines.add(stagedLine(row, plan, this.places.of(row)));
  }
  private addPattern({ subject: s, seq, pattern }: PatternSubject): void {
    let counts = this.patternCounts[pattern.id];
    if (!counts) {
      this.patternCounts[pattern.id] = counts = new Map();
      for (const r of pattern.rows) count(counts, r.month, stagedPlan(r), 1);
      this.encoded.patterns.push(pattern);
    }
    for (const [month, c] of counts) {
      const into = this.encoded.counts.get(month) ?? { created: 0, escalated: 0, events: 0 };
      into.created += c.created;
      into.escalated += c.escalated;
      into.events += c.events;
      this.encoded.counts.set(month, into);
    }
    this.encoded.rows += pattern.rows.length;
    this.patternLines.add(
      `${seq}\t${s.kind}\t${copyText(s.key)}\t${s.enterpriseId ?? NULL}\t` +
        `${s.clusterCode == null ? NULL : copyText(s.clusterCode)}\t` +
        `${s.regionCode == null ? NULL : copyText(s.regionCode)}\t${pattern.id}\t` +
        `{${this.places.ofPattern(seq, pattern).join(',')}}\n`,
    );
  }
  cut(): void {
    this.lines.cut();
    this.patternLines.cut();
    this.encoded.ranked = this.places.ranked;
  }
}

/** Counts a staged row of `month` with its plan, `times` over. */
function count(
  counts: StagedCounts,
  month: string,
  plan: { action: Action; event: EventKind | null },
  times: number,
): void {
  let c = counts.get(month);
  if (!c) counts.set(month, (c = { created: 0, escalated: 0, events: 0 }));
  if (plan.action === 'create') c.created += times;
  else if (plan.action === 'escalate') c.escalated += times;
  if (plan.event) c.events += times;
}

/**
 * The rows encoded for the staging table without the connection, in turns of the event loop (TURN_ROWS rows
 * each): beside another hook's statements, the next one goes out as soon as the one before it ends. Holds
 * every line (at province scale ≈ 170,000 subjects of a pattern and a few thousand firings) until
 * stageEncoded copies them.
 */
export async function encodeFirings(
  rows: Iterable<StagedFiring | PatternSubject> | AsyncIterable<StagedFiring | PatternSubject>,
): Promise<EncodedFirings> {
  const encoder = new FiringEncoder(PIECE_SIZE, new RunPlaces());
  let turn = 0;
  for await (const row of rows) {
    encoder.add(row);
    if (++turn === TURN_ROWS) {
      turn = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  encoder.cut();
  return encoder.encoded;
}

/**
 * Creates the (empty) staging tables of the transaction: the firings, and the subjects staged as a pattern's
 * (alert_firm_patterns: where their seqs start) with the patterns' rows (alert_pattern_rows: seq and first_seq
 * counted from the subject's first row), which the merge reads as firings (write.ts `stagedFirings`).
 */
async function createStaging(tx: Db): Promise<void> {
  await tx.execute(sql`drop table if exists alert_firings`);
  await tx.execute(sql`drop table if exists alert_firm_patterns`);
  await tx.execute(sql`drop table if exists alert_pattern_rows`);
  await tx.execute(sql`drop table if exists alert_firing_counts`);
  await tx.execute(
    sql`create temp table alert_firm_patterns (seq int not null, subject_kind text not null,
          subject_key text not null, enterprise_id bigint, cluster_code text, region_code text, pattern int not null,
          places int[]) on commit drop`,
  );
  await tx.execute(
    sql`create temp table alert_pattern_rows (pattern int not null, seq int not null, signal text not null,
          rule_id text not null, level text not null, month date not null, evidence jsonb not null, n int not null,
          last boolean not null, first_month date not null, first_level text not null, first_seq int not null,
          action text not null, event text, run int not null) on commit drop`,
  );
  await tx.execute(
    sql`create temp table alert_firings (seq int not null, subject_kind text not null, subject_key text not null,
          enterprise_id bigint, cluster_code text, region_code text, signal text not null, rule_id text not null,
          level text not null, month date not null, evidence jsonb not null, n int not null, last boolean not null,
          first_month date not null, first_level text not null, first_seq int not null, action text not null,
          event text, place int) on commit drop`,
  );
}

/**
 * The counts table of the staged rows (with whether the runs' places are their order, RunPlaces), and the
 * staging table's statistics for the merge's plans.
 */
async function endStaging(tx: Db, counts: StagedCounts, ranked: boolean): Promise<void> {
  // the counts as one parameter (one row per month staged, whatever the months)
  await tx.execute(
    sql`create temp table alert_firing_counts on commit drop as
        select x.month::date as month, x.created, x.escalated, x.events, ${ranked}::boolean as ranked
        from json_to_recordset(${JSON.stringify([...counts].map(([month, c]) => ({ month, ...c })))}::json)
          as x(month text, created int, escalated int, events int)`,
  );
  await analyzeSampled(tx, ['alert_firings', 'alert_firm_patterns', 'alert_pattern_rows']);
}

/**
 * The planner's row counts of the writer's temporary tables (one it has not seen is taken for a few pages'
 * worth), from a sample of a few hundred rows: the merge's plans need no more (joins on ints, no estimate of
 * a value's share), and the default sample (30,000 rows, every column with its evidence) took ≈ 0.4 s at
 * province scale for the staging tables, ≈ 15 ms for the new alerts' ids (write.ts).
 */
export async function analyzeSampled(tx: Db, tables: readonly string[]): Promise<void> {
  const restore = await setLocal(tx, { default_statistics_target: '1' });
  for (const table of tables) await tx.execute(sql`analyze ${sql.identifier(table)}`);
  await restore();
}

/** Stages firings encoded before (encodeFirings); answers how many were staged. */
export async function stageEncoded(tx: Db, encoded: EncodedFirings): Promise<number> {
  await createStaging(tx);
  await copyTextInTx(tx, 'alert_firings', STAGE_COLUMNS, encoded.pieces);
  if (encoded.patterns.length) {
    await copyTextInTx(tx, 'alert_firm_patterns', PATTERN_SUBJECT_COLUMNS, encoded.patternPieces);
    // a few rows per pattern (a few patterns), as one parameter
    const rows = encoded.patterns.flatMap((p) => {
      const runs = patternRuns(p);
      return p.rows.map((r, i) => ({ pattern: p.id, ...r, ...stagedPlan(r), run: runs[i] }));
    });
    await tx.execute(
      sql`insert into alert_pattern_rows
          select x.pattern, x.seq, x.signal, x.rule_id, x.level, x.month::date, x.evidence, x.n, x.last,
            x.first_month::date, x.first_level, x.first_seq, x.action, x.event, x.run
          from json_to_recordset(${JSON.stringify(rows)}::json)
            as x(pattern int, seq int, signal text, rule_id text, level text, month text, evidence jsonb, n int,
                 last boolean, first_month text, first_level text, first_seq int, action text, event text,
                 run int)`,
    );
  }
  await endStaging(tx, encoded.counts, encoded.ranked);
  return encoded.rows;
}

/** alert_firm_patterns' columns, in the order FiringEncoder writes a pattern's subject: a firing's subject (STAGE_COLUMNS' first six), then its pattern. */
const PATTERN_SUBJECT_COLUMNS = [...STAGE_COLUMNS.slice(0, 6), 'pattern', 'places'];

/**
 * Stages the rows (a generator, synchronous or not: taken chunk by chunk) as they come, each with what the
 * plan decides for it as if no open alert met its run (stagedPlan), and their counts per month. Answers how
 * many were staged. The rows are firingRuns' (firing-runs.ts): each carries its place in the run of its
 * subject and signal, which the plan takes as given where no open alert cuts the run (a subject fires a
 * signal at most once a month).
 */
export async function stageFirings(
  tx: Db,
  rows: Iterable<StagedFiring> | AsyncIterable<StagedFiring>,
): Promise<number> {
  await createStaging(tx);
  // one COPY per chunk, awaited before the generator is asked for more: the caller's loop may read facts
  // on the same connection between chunks, never beside a COPY
  const places = new RunPlaces();
  let encoder = new FiringEncoder(PIECE_SIZE, places);
  const counts: StagedCounts = new Map();
  let staged = 0;
  const send = async () => {
    encoder.cut();
    const { pieces, rows, counts: chunkCounts } = encoder.encoded;
    encoder = new FiringEncoder(PIECE_SIZE, places);
    if (!rows) return;
    for (const [month, c] of chunkCounts) {
      const into = counts.get(month) ?? { created: 0, escalated: 0, events: 0 };
      into.created += c.created;
      into.escalated += c.escalated;
      into.events += c.events;
      counts.set(month, into);
    }
    await copyTextInTx(tx, 'alert_firings', STAGE_COLUMNS, pieces);
    staged += rows;
  };
  for await (const row of rows) {
    encoder.add(row);
    if (encoder.encoded.rows >= STAGE_CHUNK) await send();
  }
  await send();
  await endStaging(tx, counts, places.ranked);
  return staged;
}
