// Monthly evaluation: signals of every firm, cluster and county for the months evaluated (and the months
// before them that consecutive-month rules look at), the rules in force, and the alerts written once for
// every month evaluated, set-based (write.ts: staged firings, one statement per table).
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import {
  AreaSignalsBuilder,
  chainNodeAtRisk,
  type ChainNodeSums,
  evaluateFirmTable,
  evaluateSubject,
  firmSignals,
  firmTable,
  type FirmTable,
  historyMonthsFor,
  investmentGrowthGaps,
  muClassDrop,
  projectDelayMonths,
  type Firing,
  RESOLVE_AFTER,
  TABLE_SIGNALS,
  type RuleSet,
  type SignalRow,
  type SubjectKind,
  tableCovers,
  UnreportedFirings,
} from '../../domain/alerts/index.ts';
import { addMonths, monthsBetween, type Month } from '../../domain/periods.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import {
  chainNodeList,
  chainNodeTotals,
  firmProjects,
  investmentFacts,
  firmColumnSlices,
  rawFirmSlices,
  firmSlices,
  muClasses,
} from './facts.ts';
import { currentRuleSet } from './rules.ts';
import { deferred, inTurns, SliceQueue } from './read-ahead.ts';
import { ChainNodeTally } from './chain-tally.ts';
import {
  firingPattern,
  firingRuns,
  type FiringPattern,
  type PatternSubject,
  type StagedFiring,
} from './firing-runs.ts';
import { encodeFirings, stageEncoded, stageFirings } from './stage.ts';
import { mergeFirings } from './write.ts';
import { openServiceRequests, openWorkItems } from './current-alerts.ts';
import { monthsEvaluatedOpen, newestMonthReporting, openMonthOf } from './reporting.ts';

export interface EvaluateOptions {
  trigger: 'import' | 'demand' | 'demo';
  importId?: number | null;
  actor: Actor;
  /** records the time since the last step under this name (an import's step breakdown) */
  lap?: (step: string) => void;
}

export interface EvaluationResult {
  months: Month[];
  created: number;
  escalated: number;
  refreshed: number;
  ruleSetVersion: number;
  seconds: number;
}

const ELECTRICITY = TABLE_SIGNALS.indexOf('electricity_index');

/** Months before an evaluated month that a run of consecutive months may reach (Januaries are skipped). */
export function lookbackOf(set: RuleSet): number {
  return Math.max(1, ...set.rules.map((r) => r.consecutive)) + 2;
}

export interface SubjectSignals {
  kind: SubjectKind;
  key: string;
  enterpriseId: number | null;
  clusterCode: string | null;
  regionCode: string | null;
  series: Map<Month, SignalRow>;
  /** a firm evaluated as it was read (see subjectSignals' `evaluate`): its firings by month, series empty */
  fired?: Map<Month, Firing[]>;
  /** `fired` is shared by the firms of its reporting pattern (UnreportedFirings): staged as a pattern's */
  shared?: boolean;
}

/**
 * Signals of every firm, cluster and county over `targets`, from the firms' facts; `total` counts them.
 * With `evaluate`, each firm's rules are run on its series as soon as it is read, and only firms with a
 * firing are kept, with their firings instead of their series (a firm's firings depend on its own signals
 * alone): at province scale the series of every firm over every target month were the import's peak memory.
 */
export async function subjectSignals(
  db: Db,
  targets: readonly Month[],
  chainMonths: readonly Month[] = [],
  evaluate?: { set: RuleSet; months: readonly Month[] },
  lap: (step: string) => void = () => undefined,
  /** the month still open for reporting, if any (src/modules/alerts/reporting.ts) */
  open: Month | null = null,
): Promise<{ subjects: SubjectSignals[]; total: number }> {
  const subjects: SubjectSignals[] = [];
  const count = { total: 0 };
  for await (const s of signalStream(db, targets, chainMonths, evaluate, lap, count, undefined, open))
    subjects.push(s);
  return { subjects, total: count.total };
}

/**
 * The subjects of `subjectSignals` one at a time, as they are read: each firm as soon as its slice of facts
 * is evaluated (with `evaluate`, only firms with a firing), then the clusters and counties. A consumer that
 * lets each subject go (the alert writer's staging) holds no firm's firings past its slice: at province
 * scale the firings of ≈ 170,000 firms "not reported" in every month, all kept until the end, were the
 * import's peak memory (issue 13). `count.total` counts every subject read. In the month still open for
 * reporting (`open`) reporting is not judged: a firm without a row in it has months not reported null, and
 * the areas' reporting firms against a year ago and 断链 nodes (they count reporting firms) are null.
 */
async function* signalStream(
  db: Db,
  targets: readonly Month[],
  chainMonths: readonly Month[],
  evaluate: { set: RuleSet; months: readonly Month[] } | undefined,
  lap: (step: string) => void,
  count: { total: number },
  ahead?: ReadAhead,
  open: Month | null = null,
): AsyncGenerator<SubjectSignals> {
  // The area signals take each firm as it is read (AreaSignalsBuilder) and keep none of it: at province
  // scale every firm's facts and signals kept for the areas at the end were most of the memory.
  const areaBuilder = new AreaSignalsBuilder(targets, open);
  // the firm tables (onFirmTables), else firmSignals' rows
  const fast = evaluate && onFirmTables(evaluate.set, targets) ? evaluate : undefined;
  // the facts read ahead are columns: only the firm tables' path takes them (evaluateMonthsBeside checks)
  if (ahead && !fast) throw new Error('facts read ahead need the firm tables’ path');
  // 亩均 class drop (annual, the same value in every month of the evaluated span) and project delay (the
  // firm's longest-late project at each month's end): read before the firms, applied as each is read
  const classes = ahead?.classes ?? (await muClasses(db, Number(targets.at(-1)!.slice(0, 4))));
  const projects = ahead?.projects ?? (await firmProjects(db));
  if (!ahead) lap('classes and projects');
  // the facts are read slice by slice between the firms' evaluation: time spent waiting on them is told apart
  let readMs = 0;
  let patterned = () => '';
  let readFrom = performance.now();
  if (fast) {
    // the evaluation's path: each firm's facts as arrays (one row per firm), its signals in one table and
    // its rules run on it (firm-table.ts) — no object per fact
    // a firm that reported in none of the evaluated months fires by its reporting pattern alone, evaluated
    // once per pattern (unreported-firms.ts), and needs no table: the areas compute its electricity index
    // from its columns as its table would hold it (AreaSignalsBuilder.add). It is added to its areas in its
    // place among the firms, as every firm is: the cost sums are taken in id order.
    const unreported = new UnreportedFirings(fast.set, targets, fast.months, open);
    patterned = () => `; ${unreported.count} firms by their reporting alone`;
    const slices = ahead ? inTurns(ahead.slices) : firmColumnSlices(db, historyMonthsFor(targets));
    // A firm's table is filled into the last one's arrays when no firing kept that one (a firing reads its
    // table's values when its evidence is built): two typed arrays of ≈ 250 numbers per firm, each with its own
    // backing store outside the heap, were a large part of the tables' cost at province scale (issue 13).
    let spare: FirmTable | undefined;
    for await (const slice of slices) {
      readMs += performance.now() - readFrom;
      for (const f of slice) {
        const c = classes.get(f.id);
        const list = projects.get(f.id);
        const drop = c ? muClassDrop(c.previous, c.current) : null;
        const byPattern = unreported.firings(f.facts, drop, list !== undefined);
        const table = byPattern
          ? undefined
          : firmTable(
              f.facts,
              targets,
              drop,
              list ? (i) => projectDelayMonths(list, targets[i]!) : undefined,
              spare,
              open,
            );
        count.total++;
        ahead?.chainNodes.add(f);
        areaBuilder.add({
          history: f.facts,
          electricityColumn: table?.value,
          electricityFrom: ELECTRICITY * targets.length,
          regionCode: f.regionCode,
          clusters: f.clusters,
        });
        const fired = byPattern ?? evaluateFirmTable(fast.set, table!, fast.months);
        // its firings keep its table: the next firm's is a new one
        if (table) spare = fired.size ? undefined : table;
        if (fired.size && ahead?.firmFired)
          ahead.firmFired(f.id, f.regionCode, fired, byPattern !== undefined);
        else if (fired.size)
          yield {
            kind: 'firm',
            key: `firm:${f.id}`,
            enterpriseId: f.id,
            clusterCode: null,
            regionCode: f.regionCode,
            series: NO_SERIES,
            fired,
            shared: byPattern !== undefined,
          };
      }
      readFrom = performance.now();
    }
  } else
    for await (const slice of firmSlices(db, historyMonthsFor(targets))) {
      readMs += performance.now() - readFrom;
      for (const f of slice.values()) {
        const series = new Map<Month, SignalRow>();
        for (const t of targets) series.set(t, firmSignals(f.history, t, t === open));
        const c = classes.get(f.id);
        const drop = c ? muClassDrop(c.previous, c.current) : null;
        if (drop != null) for (const row of series.values()) row.mu_class_drop = drop;
        const list = projects.get(f.id);
        if (list) for (const [m, row] of series) row.project_delay_months = projectDelayMonths(list, m);
        count.total++;
        const subject: SubjectSignals = {
          kind: 'firm',
          key: `firm:${f.id}`,
          enterpriseId: f.id,
          clusterCode: null,
          regionCode: f.regionCode,
          series,
        };
        // the areas take the firm's signals before the firm is handed on (a consumer may let them go)
        areaBuilder.add({
          history: f.history,
          signals: series,
          regionCode: f.regionCode,
          clusters: f.clusters,
        });
        if (!evaluate) yield subject;
        else {
          const fired = new Map<Month, Firing[]>();
          for (const m of evaluate.months) {
            const firings = evaluateSubject(evaluate.set, 'firm', series, m);
            if (firings.length) fired.set(m, firings);
          }
          if (fired.size) yield { ...subject, series: new Map(), fired };
        }
      }
      readFrom = performance.now();
    }
  readMs += performance.now() - readFrom;
  // read ahead, the time between slices is the turns given to the other work on the connection
  lap(`firms (${ahead ? 'turns given' : 'facts read'} ${(readMs / 1000).toFixed(2)} s${patterned()})`);
  const areas = areaBuilder.result();
  // investment growth against the city's, per cluster and county (project progress reports)
  const investment = ahead ? await ahead.investment : await investmentFacts(db, targets[0]!, targets.at(-1)!);
  for (const m of targets)
    for (const facts of [investment.county, investment.cluster]) {
      const gaps = investmentGrowthGaps(facts, m);
      if (!gaps) continue;
      for (const [key, gap] of gaps) {
        if (key === 'cluster:_none') continue;
        const series = areas.get(key) ?? new Map<Month, SignalRow>();
        areas.set(key, series);
        const row = series.get(m) ?? {};
        row.investment_growth_gap = gap;
        series.set(m, row);
      }
    }
  lap('areas and investment');
  // 断链 risk of the evaluated months only (`chainMonths`: not the months before them that the targets add)
  const byClusterMonth = new Map<string, { month: Month; cluster: string; nodes: ChainNodeSums[] }>();
  for (const n of ahead ? ahead.chainNodes.result() : await chainNodeTotals(db, chainMonths)) {
    const k = `${n.cluster}\t${n.month}`;
    const group = byClusterMonth.get(k) ?? { month: n.month, cluster: n.cluster, nodes: [] };
    group.nodes.push(n);
    byClusterMonth.set(k, group);
  }
  for (const { month: m, cluster, nodes } of byClusterMonth.values()) {
    const key = `cluster:${cluster}`;
    const series = areas.get(key) ?? new Map<Month, SignalRow>();
    areas.set(key, series);
    const row = series.get(m) ?? {};
    // every node's verdict is settled (chainNodeTotals sums the close ones exactly); a node's local firms are
    // those that reported, so an open month's is not judged
    row.chain_break_nodes = m === open ? null : nodes.filter((n) => chainNodeAtRisk(n) === true).length;
    series.set(m, row);
  }
  lap('chain nodes');
  for (const [key, series] of areas) {
    const [kind, code] = key.split(':') as ['cluster' | 'county', string];
    count.total++;
    yield {
      kind,
      key,
      enterpriseId: null,
      clusterCode: kind === 'cluster' ? code : null,
      regionCode: kind === 'county' ? code : null,
      series,
    };
  }
}

/**
 * What the firm evaluation reads from the database, read before it runs (evaluateMonthsBeside): the facts of
 * every firm, as the JSON text of each slice, and what the signals take beside them. With it the evaluation
 * uses no connection.
 */
interface ReadAhead {
  classes: Awaited<ReturnType<typeof muClasses>>;
  projects: Awaited<ReturnType<typeof firmProjects>>;
  /** rawFirmSlices' slices as they come, taken apart as they are evaluated */
  slices: SliceQueue;
  /** read after the facts: the evaluation waits for them once its firms are done */
  investment: Promise<Awaited<ReturnType<typeof investmentFacts>>>;
  /** chainNodeTotals' sums, tallied from the firms as they are evaluated (their placements read with them) */
  chainNodes: ChainNodeTally;
  /**
   * Takes each firm with a firing instead of its subject being yielded (the areas still are): ≈ 170,000 firms
   * at province scale, each a subject object, its key's text and an async generator's round of promises for
   * the consumer to keep four of its fields (issue 13).
   */
  firmFired?: (id: number, regionCode: string | null, fired: Map<Month, Firing[]>, shared: boolean) => void;
}

/**
 * Whether the firms are evaluated on their firm tables (firm-table.ts): the tables need consecutive months
 * and rules on the signals they hold. The read-ahead (evaluateMonthsBeside) exists on that path only.
 */
function onFirmTables(set: RuleSet, targets: readonly Month[]): boolean {
  return tableCovers(set) && monthsBetween(targets[0]!, targets.at(-1)!).length === targets.length;
}

/**
 * The rule set, the months, where current alerts start and the month still open for reporting: what every
 * evaluation settles first. A month evaluated while open and closed now (the rest of its files came, or a
 * later month) is evaluated again with the months asked for: its reporting is judged now.
 */
async function evaluationPlan(tx: Db, months: readonly Month[]) {
  const rs = await currentRuleSet(tx);
  const reporting = months.length ? await newestMonthReporting(tx, rs.definition) : null;
  const open = openMonthOf(reporting);
  const closedSince = months.length ? (await monthsEvaluatedOpen(tx)).filter((m) => m !== open) : [];
  const sorted = [...new Set([...months, ...closedSince])].sort();
  // Alerts whose rule fired within RESOLVE_AFTER months of the newest facts on record are current: they get
  // a work item and (red/orange firm alerts) an enterprise request. An import that backfills history records
  // the older alerts with their history but chases none of them (the backtest counts an alert silent that
  // long as handled); they get their item when someone first acts on them.
  const newest = sorted.length ? (reporting?.month ?? sorted.at(-1)!) : null;
  const currentFrom = newest ? `${addMonths(newest, 1 - RESOLVE_AFTER)}-01` : '';
  const targets = sorted.length
    ? monthsBetween(addMonths(sorted[0]!, -lookbackOf(rs.definition)), sorted.at(-1)!)
    : [];
  return { sorted, rs, currentFrom, targets, reporting, open };
}
type Plan = Awaited<ReturnType<typeof evaluationPlan>>;

/**
 * Evaluates the months in order (each as the monthly run would have), inside the caller's transaction: the
 * firings of every month are staged and written once (write.ts): new alerts, escalations and changes, each
 * with an event; then the work items and enterprise requests of current alerts; one evaluation row and one
 * audit row per month.
 */
export async function evaluateMonths(
  tx: Db,
  months: readonly Month[],
  opts: EvaluateOptions,
): Promise<EvaluationResult> {
  const started = performance.now();
  const plan = await evaluationPlan(tx, months);
  if (plan.sorted.length === 0) return written(plan, started);
  const lap = opts.lap ?? (() => undefined);
  lap('rule set and newest month');
  const count = { total: 0 };
  const subjects = signalStream(
    tx,
    plan.targets,
    plan.sorted,
    { set: plan.rs.definition, months: plan.sorted },
    (step) => lap(`signals: ${step}`),
    count,
    undefined,
    plan.open,
  );
  // each subject's firings staged as it is evaluated (its "signals" steps include the staging of the firms'
  // firings), nothing kept per subject once its rows are staged
  const fired = new Map<Month, number>();
  return write(
    tx,
    plan,
    (tx2) => stageFirings(tx2, stagedRows(subjects, plan, fired)),
    fired,
    count,
    opts,
    started,
  );
}

/**
 * evaluateMonths in two parts, for a caller with other database work to do meanwhile (the import's hooks,
 * src/modules/imports/hooks.ts): this part reads everything the evaluation needs and starts evaluating the
 * firms without the connection, in turns of the event loop (inTurns); the part it answers waits for them and
 * writes the alerts as evaluateMonths does — the same firings, in the same order, the same rows. The
 * statements run in between must not change what this part read (the facts, the registry, the chain
 * placements, the projects and evaluations): its answer would be of the facts as they were.
 */
export async function evaluateMonthsBeside(
  tx: Db,
  months: readonly Month[],
  opts: EvaluateOptions,
): Promise<(tx: Db) => Promise<EvaluationResult>> {
  const started = performance.now();
  const plan = await evaluationPlan(tx, months);
  const lap = opts.lap ?? (() => undefined);
  const { sorted, targets, rs } = plan;
  // the firm tables' path only (signalStream's `fast`): any other is read and evaluated at once
  if (sorted.length === 0 || !onFirmTables(rs.definition, targets))
    return (tx2) => evaluateMonths(tx2, months, opts);
  lap('rule set and newest month');
  const classes = await muClasses(tx, Number(targets.at(-1)!.slice(0, 4)));
  const projects = await firmProjects(tx);
  // what the merge would drop of the firms evaluated by their reporting alone (stagedRows' `past`): read
  // before the statements beside, none of which writes alerts
  const past = await pastOpenAlerts(tx, sorted[0]!);
  // 断链 risk of the evaluated months (`sorted`), as chainNodeTotals reads it
  const chainNodes = new ChainNodeTally(sorted, await chainNodeList(tx));
  // the read after the facts, settled below (the evaluation awaits it after its firms)
  const investment = deferred<Awaited<ReadAhead['investment']>>();
  // the subjects with a firing, kept until they are staged: a firm as its id, county and firings (those of
  // the firms evaluated by their reporting are shared, one map per pattern), the areas whole (a few hundred)
  const firms = {
    ids: [] as number[],
    regions: [] as (string | null)[],
    fired: [] as Map<Month, Firing[]>[],
    shared: [] as boolean[],
  };
  const ahead: ReadAhead = {
    classes,
    projects,
    slices: new SliceQueue(),
    investment: investment.promise,
    chainNodes,
    firmFired: (id, regionCode, fired, shared) => {
      firms.ids.push(id);
      firms.regions.push(regionCode);
      firms.fired.push(fired);
      firms.shared.push(shared);
    },
  };
  const areas: SubjectSignals[] = [];
  const count = { total: 0 };
  const steps: string[] = [];
  const evaluation = (async () => {
    const from = performance.now();
    const stream = signalStream(
      tx,
      targets,
      sorted,
      { set: rs.definition, months: sorted },
      (step) => steps.push(step),
      count,
      ahead,
      plan.open,
    );
    for await (const s of stream) {
      if (s.kind === 'firm') ahead.firmFired!(s.enterpriseId!, s.regionCode, s.fired!, s.shared === true);
      else areas.push(s);
    }
    return { ended: performance.now(), started: from };
  })();
  // observed by the part answered; a failure here meanwhile must not end the process as unhandled, nor
  // leave the reads waiting for room
  evaluation.catch(() => ahead.slices.end());
  // the facts, slice by slice: the evaluation takes each apart and evaluates it in its turns while the next
  // is read, and goes on with those left beside the hook before this one
  try {
    await rawFirmSlices(tx, historyMonthsFor(targets), (slice) => ahead.slices.push(slice));
    ahead.slices.end();
    investment.resolve(await investmentFacts(tx, targets[0]!, targets.at(-1)!));
  } catch (e) {
    // the evaluation stops too (its failure is observed: see above)
    ahead.slices.end(e);
    investment.reject(e);
    throw e;
  }
  lap(
    `facts, classes, projects, investment and chain nodes read ahead (the firms evaluated meanwhile; at most ${ahead.slices.most} slices held)`,
  );
  // each firm's firings let go as they are encoded
  async function* subjects(): AsyncGenerator<SubjectSignals> {
    for (let k = 0; k < firms.ids.length; k++) {
      const id = firms.ids[k]!;
      const fired = firms.fired[k]!;
      firms.fired[k] = NOTHING_FIRED;
      yield {
        kind: 'firm',
        key: `firm:${id}`,
        enterpriseId: id,
        clusterCode: null,
        regionCode: firms.regions[k]!,
        series: NO_SERIES,
        fired,
        shared: firms.shared[k],
      };
    }
    yield* areas;
  }
  // The firings encoded for the staging table (stage.ts) as soon as the firms are evaluated, still beside
  // the hooks before: the database computes the monitoring rollups and Node has nothing else to do, and the
  // staging then only copies the lines (at province scale ≈ 511,000 rows were ≈ 2–3 s of Node after the
  // rollups; the firms of a reporting pattern are now one line each, stage.ts).
  const fired = new Map<Month, number>();
  const encoding = evaluation.then(async (span) => {
    const from = performance.now();
    // the process's CPU time: Node has nothing else to do meanwhile (it only waits on the rollups)
    const cpu = process.cpuUsage();
    const encoded = await encodeFirings(stagedRows(subjects(), plan, fired, true, past));
    past.latest.clear();
    const { user, system } = process.cpuUsage(cpu);
    return { ...span, encoded, encodedIn: performance.now() - from, encodedCpu: (user + system) / 1000 };
  });
  encoding.catch(() => undefined);
  return async (tx2) => {
    const { started: evalFrom, ended, encoded, encodedIn, encodedCpu } = await encoding;
    // the open alerts the left-out firms were judged against, changed since they were read: every firm's
    // rows staged after all, as the merge would have them now
    if (past.skipped > 0 && (await openAlertsFingerprint(tx2, sorted[0]!)) !== past.fingerprint) {
      lap('open alerts changed since they were read: every firm evaluated again and staged');
      return evaluateMonths(tx2, months, opts);
    }
    // this step's time is the wait for the evaluation and the encoding after the hooks before ended; their
    // own spans are told
    lap(
      `signals, evaluated beside the reads and the hooks before, ${((ended - evalFrom) / 1000).toFixed(2)} s in all (${steps.join('; ')}); firings encoded for staging beside them, ${(encodedIn / 1000).toFixed(2)} s (${(encodedCpu / 1000).toFixed(2)} s CPU; ${past.skipped} firms of a pattern before their open alerts' latest months not staged); waited here`,
    );
    return write(tx2, plan, (tx3) => stageEncoded(tx3, encoded), fired, count, opts, started);
  };
}

/**
 * The series of a firm handed on with its firings (`fired`): none, one empty map for all of them — never
 * written (nothing adds to a subject's series once it is handed on). A map made per firm was ≈ 170,000 maps
 * twice per import at province scale, garbage at once (issue 13).
 */
const NO_SERIES: Map<Month, SignalRow> = new Map();

/** A firm's firings once they are encoded (evaluateMonthsBeside lets them go). */
const NOTHING_FIRED = new Map<Month, Firing[]>();

/** Patterns staged at most (firingPattern): past them a firm's rows are staged as any other's. */
const PATTERNS = 4096;

/**
 * The subjects' firings as the rows the writer stages (firing-runs.ts), in emission order (their seq); every
 * firing is counted per month in `fired`. With `patterns`, a subject whose firings are shared (evaluated by
 * its reporting alone) is one item of its pattern's instead of its rows (stageEncoded stages it as one row).
 */
function stagedRows(
  subjects: AsyncIterable<SubjectSignals>,
  plan: Plan,
  fired: Map<Month, number>,
): AsyncGenerator<StagedFiring>;
function stagedRows(
  subjects: AsyncIterable<SubjectSignals>,
  plan: Plan,
  fired: Map<Month, number>,
  patterns: true,
  past?: PastOpenAlerts,
): AsyncGenerator<StagedFiring | PatternSubject>;
async function* stagedRows(
  subjects: AsyncIterable<SubjectSignals>,
  plan: Plan,
  fired: Map<Month, number>,
  patterns = false,
  past?: PastOpenAlerts,
): AsyncGenerator<StagedFiring | PatternSubject> {
  const next = { seq: 0 };
  const byFirings = new Map<Map<Month, Firing[]>, FiringPattern>();
  for await (const s of subjects) {
    const shared = patterns && s.shared ? s.fired : undefined;
    let pattern = shared && byFirings.get(shared);
    if (shared && !pattern && byFirings.size < PATTERNS) {
      pattern = firingPattern(s, plan.sorted, (m) => shared.get(m) ?? [], byFirings.size);
      byFirings.set(shared, pattern);
    }
    if (pattern) {
      for (const [m, n] of pattern.fired) fired.set(m, (fired.get(m) ?? 0) + n);
      // its seqs are taken whether it is staged or not: the other rows keep the seqs they had
      if (past && allPast(past, s.key, pattern)) past.skipped++;
      else yield { subject: s, seq: next.seq, pattern };
      next.seq += pattern.rows.length;
      continue;
    }
    yield* firingRuns(
      s,
      plan.sorted,
      (m) => (s.fired ? (s.fired.get(m) ?? []) : evaluateSubject(plan.rs.definition, s.kind, s.series, m)),
      fired,
      next,
    );
  }
}

/**
 * The latest month ('YYYY-MM-DD') of open alerts of firms, by signal and subject key, and the subjects not
 * staged for them (the step breakdown tells it).
 */
interface PastOpenAlerts {
  latest: Map<string, Map<string, string>>;
  skipped: number;
  /** openAlertsFingerprint when read; null when none was read */
  fingerprint: string | null;
}

/** The open firm alerts whose latest month is after `first` (`alerts` as `a`). */
const openAlertsAfter = (first: Month) =>
  sql`alerts a where a.open and a.subject_kind = 'firm' and a.last_month > ${`${first}-01`}::date`;

/**
 * Those alerts as one value: their count and the sum of a hash of each one's subject, signal and latest month.
 * The import reads them seconds before its merge, and another session may close or move one meanwhile (an
 * officer handling it); the merge reads this again and, if it changed, stages every firm (evaluateMonths)
 * instead of trusting the earlier read.
 */
const FINGERPRINT = sql`count(*)::text || ':' ||
  coalesce(sum(hashtextextended(a.subject_key || '|' || a.signal || '|' || a.last_month::text, 0)), 0)::text`;

async function openAlertsFingerprint(tx: Db, first: Month): Promise<string> {
  const [row] = await queryRows<{ fingerprint: string }>(
    tx,
    sql`select ${FINGERPRINT} as fingerprint from ${openAlertsAfter(first)}`,
  );
  return row!.fingerprint;
}

/**
 * The open alerts of firms whose latest month is after the first month evaluated. A staged row whose subject
 * and signal have an open alert of a later month is history that alert has moved past: the merge (write.ts)
 * counts it as staged, then as met, and drops it — it writes nothing and changes no count. A subject of a
 * reporting pattern whose rows are all such is not staged at all (allPast): a correction of an older month
 * met the province's ≈ 170,000 alerts "not reported", whose ≈ 340,000 rows the merge expanded, moved and
 * dropped, ≈ 2.3 s of an import of 6 rows (issue 13). An alert of the first month or before drops no row:
 * it is not read. The keys come as one text per signal and month (no row object per alert), each row with
 * the alerts' fingerprint, read in the same statement (one snapshot).
 */
async function pastOpenAlerts(tx: Db, first: Month): Promise<PastOpenAlerts> {
  const rows = await queryRows<{ signal: string; m: string; keys: string; fingerprint: string }>(
    tx,
    sql`with open_later as materialized (select a.signal, a.last_month, a.subject_key from ${openAlertsAfter(first)})
        select g.signal, g.m, g.keys, f.fingerprint
        from (select signal, to_char(last_month, 'YYYY-MM-DD') as m, string_agg(subject_key, E'\t') as keys
              from open_later group by signal, last_month) g
        cross join (select ${FINGERPRINT} as fingerprint from open_later a) f`,
  );
  const latest = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const bySubject = latest.get(r.signal) ?? new Map<string, string>();
    latest.set(r.signal, bySubject);
    for (const key of r.keys.split('\t')) bySubject.set(key, r.m);
  }
  return { latest, skipped: 0, fingerprint: rows[0]?.fingerprint ?? null };
}

/** Whether every row of the subject's pattern is before its open alert's latest month (see pastOpenAlerts). */
function allPast(past: PastOpenAlerts, key: string, pattern: FiringPattern): boolean {
  return (
    pattern.rows.length > 0 &&
    pattern.rows.every((r) => {
      const last = past.latest.get(r.signal)?.get(key);
      return last !== undefined && r.month < last;
    })
  );
}

/**
 * Whether a month was judged closed for reporting, as its evaluation row records it: the newest month with its
 * firms and the month before's (and the share), any other closed by the later month's facts.
 */
function reportingOf(plan: Plan, month: Month) {
  const r = plan.reporting;
  if (!r || r.month !== month) return { closed: true };
  return { closed: r.closed, firms: r.firms, before: r.before, share: r.share };
}

/** The evaluation's outcome when there is no month to evaluate. */
function written(plan: Plan, started: number): EvaluationResult {
  return {
    months: plan.sorted,
    created: 0,
    escalated: 0,
    refreshed: 0,
    ruleSetVersion: 0,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The subjects' firings staged (`stage`; `fired` counts them once it ends) and merged into the alerts, then
 * the work items, the enterprise requests and one evaluation row (with its audit row) per month:
 * evaluateMonths' writing, whichever way it evaluated.
 */
async function write(
  tx: Db,
  plan: Plan,
  stage: (tx: Db) => Promise<number>,
  fired: ReadonlyMap<Month, number>,
  count: { total: number },
  opts: EvaluateOptions,
  started: number,
): Promise<EvaluationResult> {
  const { sorted, rs, currentFrom } = plan;
  const lap = opts.lap ?? (() => undefined);
  const result = { ...written(plan, started), ruleSetVersion: rs.version };
  // every month's firings staged (`fired` counts them per month once they are)
  await stage(tx);
  const total = count.total;
  lap('alerts written: staging');
  const changed = await mergeFirings(tx, rs.definition, rs.version, opts.actor);
  lap('alerts written: merge');
  // current red and orange alerts are work items at once (assigned, deadline by level) and, of a firm, also
  // enterprise requests; yellow ones carry their deadline and get their item when first acted on. Run once,
  // on the alerts as every evaluated month left them: only the newest months can make an alert current.
  await openWorkItems(tx, rs.definition, opts.actor, currentFrom);
  lap('work items');
  const requests = await openServiceRequests(tx, rs.definition, opts.actor, currentFrom);
  lap('enterprise requests');
  for (const month of sorted) {
    const c = changed.get(month) ?? { created: 0, escalated: 0 };
    const counts = {
      created: c.created,
      escalated: c.escalated,
      // every other firing met its open alert (with or without a change worth an event)
      refreshed: (fired.get(month) ?? 0) - c.created - c.escalated,
      // the requests filed once every month is written: counted with the newest month evaluated
      requests: month === sorted.at(-1) ? requests : 0,
      subjects: total,
      reporting: reportingOf(plan, month),
    };
    result.created += counts.created;
    result.escalated += counts.escalated;
    result.refreshed += counts.refreshed;
    const [ev] = await queryRows<{ id: number }>(
      tx,
      sql`insert into alert_evaluations (month, rule_set_version, trigger, import_id, counts)
          values (${`${month}-01`}, ${rs.version}, ${opts.trigger}, ${opts.importId ?? null}, ${JSON.stringify(counts)}::jsonb)
          returning id::int as id`,
    );
    await writeAudit(tx, opts.actor, {
      action: 'alerts.evaluate',
      entity: 'alert_evaluation',
      entityId: ev!.id,
      after: {
        month,
        ruleSetVersion: rs.version,
        trigger: opts.trigger,
        importId: opts.importId ?? null,
        ...counts,
      },
    });
  }
  lap('evaluation rows');
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
