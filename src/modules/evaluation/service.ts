import { createHash } from 'node:crypto';
// Evaluation: rule-set versions, runs (draft → review → published; corrections are new versions), stored
// results, explanations, objections, class lists, policies, aggregates, the 低散乱 watch list and the
// simulator. Calls the pure domain (src/domain/evaluation) and owns transactions and audit.
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../../db/client.ts';
import {
  evaluationObjections,
  evaluationResults,
  evaluationRuleSets,
  evaluationRuns,
  evaluationWatchHandling,
} from '../../db/schema.ts';
import {
  evaluate,
  exclusionLabel,
  explain,
  indicatorColumns,
  policiesFor,
  policyFactsOf,
  withAmount,
  PRESETS,
  simulate,
  MATRIX_LABELS,
  type EvaluationClass,
  type Evaluation,
  type RuleSet,
  type ScaleGroup,
  CLASSES,
  watchReasons,
  FLAGS,
  flagsOf,
} from '../../domain/evaluation/index.ts';
import { badRequest, conflict, forbidden, notFound } from '../../server/errors.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { assertAllowed, assertFourEyes } from '../../server/policy.ts';
import { can, rowVisible } from '../../domain/policy/index.ts';
import { scopeCondition, type Scope } from '../../server/scope.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import {
  cityCode,
  inputFromStored,
  inputsArray,
  loadInputs,
  pgArray,
  scopeSql,
  withTransaction,
  type InputRow,
} from './repo.ts';
import type { ExplanationDto, ResultQuery, Run, RuleSetRow } from './schemas.ts';
import { z } from 'zod';
import type {
  aggregateQuery,
  objectionBody,
  objectionResolveBody,
  ruleSetVersionBody,
  watchHandlingBody,
} from './schemas.ts';
import { currentMemberships, registryRows } from '../enterprises/relations.ts';
import { annualInputRows } from '../imports/relations.ts';
import {
  evaluationAnswer,
  forgetEvaluationAnswers,
  forgetObjectionLists,
  forgetWatchPages,
  objectionListAnswer,
  watchPageAnswer,
} from './answers.ts';

// ---------- rule sets ----------

/**
 * Seeds the presets when missing: version 1 of each code, and the later versions a preset has had since
 * (`default` version 2 of issue 15) as the next version of its code — recognised by its reason, so a
 * database where someone already saved versions of `default` gets it on top of theirs, and runs made
 * with earlier versions keep the version they used.
 */
export async function ensurePresets(db: Db, actor: Actor): Promise<void> {
  const existing = await db
    .select({
      code: evaluationRuleSets.code,
      version: evaluationRuleSets.version,
      reason: evaluationRuleSets.reason,
    })
    .from(evaluationRuleSets)
    .where(
      inArray(
        evaluationRuleSets.code,
        PRESETS.map((p) => p.code),
      ),
    );
  const todo: { code: string; ruleSet: RuleSet; reason: string }[] = [];
  for (const p of PRESETS) {
    const rows = existing.filter((r) => r.code === p.code);
    const versions = [...(p.earlier ?? []), p.ruleSet];
    const reasons = [
      ...(p.earlier ?? []).map((_, k) => p.earlierReasons?.[k] ?? 'preset'),
      p.reason ?? 'preset',
    ];
    versions.forEach((ruleSet, k) => {
      const reason = reasons[k]!;
      // a fresh database gets every version; an older one gets the later versions it lacks, in order
      if (!rows.length || (reason !== 'preset' && !rows.some((r) => r.reason === reason)))
        todo.push({ code: p.code, ruleSet, reason });
    });
  }
  if (!todo.length) return;
  const city = await cityCode(db);
  await db.transaction(async (tx) => {
    for (const p of todo) {
      const [top] = await tx
        .select({ v: sql<number>`coalesce(max(version), 0)::int` })
        .from(evaluationRuleSets)
        .where(eq(evaluationRuleSets.code, p.code));
      const [row] = await tx
        .insert(evaluationRuleSets)
        .values({
          code: p.code,
          version: (top?.v ?? 0) + 1,
          regionCode: city,
          year: null,
          name: p.ruleSet.name,
          preset: p.code,
          definition: p.ruleSet,
          reason: p.reason,
          createdBy: actor.username,
        })
        .onConflictDoNothing()
        .returning({ id: evaluationRuleSets.id });
      if (row)
        await writeAudit(tx as unknown as Db, actor, {
          action: 'evaluation.rule_set.seed',
          entity: 'evaluation_rule_set',
          entityId: row.id,
          after: { code: p.code, reason: p.reason },
        });
    }
  });
  forgetEvaluationAnswers(); // the kept rule-set lists of this process
}

type RuleSetDbRow = typeof evaluationRuleSets.$inferSelect;

function ruleSetDto(r: RuleSetDbRow, latest: boolean): RuleSetRow {
  return {
    id: r.id,
    code: r.code,
    version: r.version,
    regionCode: r.regionCode,
    year: r.year,
    name: r.name,
    preset: r.preset,
    reason: r.reason,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    latest,
    definition: r.definition as RuleSet as RuleSetRow['definition'],
  };
}

/**
 * The rule sets a user may see (the policy's `evaluation.ruleSet` rows, scope in the SQL): the city's and,
 * for a county officer, its county's versions.
 */
function ruleSetScope(user: AuthedUser, city: string) {
  // a rule set is a definition, not a firm's data: only a county's own versions are kept from other
  // counties' officers; the rule for those is the policy's `region` rule (the city's, and its county's)
  return user.scope.kind === 'region'
    ? scopeCondition(
        user.scope,
        'evaluation.ruleSet',
        { regionCode: evaluationRuleSets.regionCode },
        { cityCode: city },
      )
    : undefined;
}

export async function listRuleSets(db: Db, user: AuthedUser, actor: Actor) {
  assertAllowed(user, 'evaluation.ruleSet', 'read');
  void actor; // the presets are seeded when the database is prepared (src/composition.ts), not by a read
  // every version of every rule set the reader may see, each with its whole definition: kept per scope at
  // the data version (answers.ts stamps the rule sets), so fifty readers do not each read and send them
  // anew (issue 13: 76–115 ms p95 at 50 connections)
  return evaluationAnswer(db, `rule-sets:${JSON.stringify(user.scope)}`, () => ruleSetList(db, user));
}

async function ruleSetList(db: Db, user: AuthedUser) {
  const city = await cityCode(db);
  const rows = await db
    .select()
    .from(evaluationRuleSets)
    .where(ruleSetScope(user, city))
    .orderBy(evaluationRuleSets.code, desc(evaluationRuleSets.version));
  const latest = new Map<string, number>();
  for (const r of rows) if (!latest.has(r.code)) latest.set(r.code, r.version);
  return { items: rows.map((r) => ruleSetDto(r, latest.get(r.code) === r.version)) };
}

export async function ruleSetRow(db: Db, id: number): Promise<RuleSetDbRow> {
  const [row] = await db.select().from(evaluationRuleSets).where(eq(evaluationRuleSets.id, id));
  if (!row) throw notFound('rule set');
  return row;
}

/** One rule-set version, if the user may see it (404 otherwise, revealing nothing). */
async function visibleRuleSet(db: Db, user: AuthedUser, id: number): Promise<RuleSetDbRow> {
  const city = await cityCode(db);
  const [row] = await db
    .select()
    .from(evaluationRuleSets)
    .where(and(eq(evaluationRuleSets.id, id), ruleSetScope(user, city)));
  if (!row) throw notFound('rule set');
  return row;
}

export async function getRuleSet(db: Db, user: AuthedUser, id: number): Promise<RuleSetRow> {
  assertAllowed(user, 'evaluation.ruleSet', 'read');
  // kept per scope at the data version (rule sets are stamped in answers.ts): the version, its visibility
  // and whether it is the newest were three statements a request (issue 13)
  return evaluationAnswer(db, `rule-set:${id}:${JSON.stringify(user.scope)}`, () =>
    ruleSetVersion(db, user, id),
  );
}

/**
 * visibleRuleSet kept per scope at the data version (a version is never changed, only added): the
 * simulator's two rule sets cost no statement per request. A refusal (404) is not kept.
 */
function keptRuleSet(db: Db, user: AuthedUser, id: number): Promise<RuleSetDbRow> {
  return evaluationAnswer(db, `rule-set-row:${id}:${JSON.stringify(user.scope)}`, () =>
    visibleRuleSet(db, user, id),
  );
}

// each kept rule-set row's definition digest, made once per row rather than per request
const definitionDigests = new WeakMap<RuleSetDbRow, string>();
function definitionDigest(rs: RuleSetDbRow): string {
  let digest = definitionDigests.get(rs);
  if (digest === undefined) {
    digest = createHash('sha256').update(JSON.stringify(rs.definition)).digest('hex');
    definitionDigests.set(rs, digest);
  }
  return digest;
}

async function ruleSetVersion(db: Db, user: AuthedUser, id: number): Promise<RuleSetRow> {
  const row = await keptRuleSet(db, user, id);
  const [top] = await db
    .select({ v: sql<number>`max(version)::int` })
    .from(evaluationRuleSets)
    .where(eq(evaluationRuleSets.code, row.code));
  return ruleSetDto(row, top?.v === row.version);
}

/** Editing a rule set = a new version of its code; runs keep the version they used. */
export async function createRuleSetVersion(
  db: Db,
  user: AuthedUser,
  baseId: number,
  body: z.infer<typeof ruleSetVersionBody>,
  actor: Actor,
): Promise<RuleSetRow> {
  assertAllowed(user, 'evaluation.ruleSet', 'manage');
  const base = await visibleRuleSet(db, user, baseId);
  let regionCode = body.regionCode ?? base.regionCode;
  let code = base.code;
  if (user.scope.kind === 'region') {
    regionCode = user.scope.regionCode;
    if (body.regionCode && body.regionCode !== regionCode)
      throw forbidden(
        'County officers edit rule sets of their own county only.',
        '区县专员只能编辑本区县的规则。',
      );
    if (base.regionCode !== regionCode) code = `${base.code}-${regionCode}`;
  }
  checkRuleSet(body.definition as RuleSet);
  const row = await db.transaction(async (tx) => {
    const [top] = await tx
      .select({ v: sql<number>`coalesce(max(version), 0)::int` })
      .from(evaluationRuleSets)
      .where(eq(evaluationRuleSets.code, code));
    const [created] = await tx
      .insert(evaluationRuleSets)
      .values({
        code,
        version: (top?.v ?? 0) + 1,
        regionCode,
        year: body.year === undefined ? base.year : body.year,
        name: body.definition.name,
        preset: base.preset,
        definition: body.definition,
        reason: body.reason,
        createdBy: actor.username,
      })
      .returning();
    await writeAudit(tx as unknown as Db, actor, {
      action: 'evaluation.rule_set.version',
      entity: 'evaluation_rule_set',
      entityId: created!.id,
      before: { id: base.id, code: base.code, version: base.version },
      after: created,
    });
    return created!;
  });
  forgetEvaluationAnswers(); // the kept rule-set lists of this process
  return ruleSetDto(row, true);
}

export function checkRuleSet(r: RuleSet) {
  for (const scale of ['above', 'below'] as const) {
    const c = r.groups[scale].classification;
    if (c.method === 'position' && !(c.cuts.A <= c.cuts.B && c.cuts.B <= c.cuts.C)) {
      throw badRequest('Cut points must be A ≤ B ≤ C.', '分类界限须满足 A ≤ B ≤ C。');
    }
    const keys = r.groups[scale].indicators.map((i) => i.key);
    if (new Set(keys).size !== keys.length) throw badRequest('An indicator appears twice.', '指标重复。');
  }
}

async function defaultRuleSetId(db: Db, actor: Actor): Promise<number> {
  await ensurePresets(db, actor);
  const [row] = await db
    .select({ id: evaluationRuleSets.id })
    .from(evaluationRuleSets)
    .where(eq(evaluationRuleSets.code, 'default'))
    .orderBy(desc(evaluationRuleSets.version))
    .limit(1);
  if (!row) throw notFound('default rule set');
  return row.id;
}

// ---------- evaluating ----------

export interface YearEvaluation {
  ruleSetId: number;
  ruleSet: RuleSet;
  inputs: InputRow[];
  ev: Evaluation;
}

/** Evaluates a year without storing anything (CLI export, simulator). */
export async function evaluateYear(
  db: Db,
  actor: Actor,
  opts: { year: number; regionCode?: string | null; ruleSetId?: number },
): Promise<YearEvaluation> {
  const ruleSetId = opts.ruleSetId ?? (await defaultRuleSetId(db, actor));
  const row = await ruleSetRow(db, ruleSetId);
  const ruleSet = row.definition as RuleSet;
  const city = await cityCode(db);
  const region = opts.regionCode && opts.regionCode !== city ? opts.regionCode : null;
  const inputs = await loadInputs(db, opts.year, region);
  return { ruleSetId, ruleSet, inputs, ev: evaluate(ruleSet, inputs) };
}

const RESULT_COLUMNS = [
  'run_id',
  'enterprise_id',
  'region_code',
  'scale',
  'group_key',
  'evaluated',
  'exclusion',
  'values',
  'scores',
  'cells',
  'adjustment',
  'total',
  'rank',
  'group_size',
  'class',
  'inputs',
  'attributes',
  'a_plus',
];

function* resultRows(runId: number, ev: Evaluation): Generator<unknown[]> {
  const K = ev.indicatorKeys.length;
  const colsOf = {
    above: ev.ruleSet.groups.above.indicators.map((r) => ev.indicatorKeys.indexOf(r.key)),
    below: ev.ruleSet.groups.below.indicators.map((r) => ev.indicatorKeys.indexOf(r.key)),
  };
  for (let i = 0; i < ev.n; i++) {
    const input = ev.inputs[i]!;
    const g = ev.groupOf[i]!;
    if (g < 0) {
      yield [
        runId,
        input.enterpriseId,
        input.regionCode,
        input.scale,
        null,
        false,
        ev.exclusion[i],
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        pgArray(inputsArray(input)),
        input.attributes ? JSON.stringify(input.attributes) : null,
        false,
      ];
      continue;
    }
    const cols = colsOf[input.scale];
    const values = cols.map((c) => ev.values[i * K + c]!);
    const scores = cols.map((c) => ev.scores[i * K + c]!);
    const cells = cols.map((c) => ev.cells[i * K + c]!);
    yield [
      runId,
      input.enterpriseId,
      input.regionCode,
      input.scale,
      ev.groups[g]!.key,
      true,
      null,
      pgArray(values),
      pgArray(scores),
      pgArray(cells),
      ev.adjustment[i],
      ev.totals[i],
      ev.higher[i]! + 1,
      ev.groups[g]!.members.length,
      CLASSES[ev.classes[i]!],
      pgArray(inputsArray(input)),
      input.attributes ? JSON.stringify(input.attributes) : null,
      ev.aPlus[i] === 1,
    ];
  }
}

function summaryOf(ev: Evaluation, seconds: number) {
  const classes: Record<string, number> = { A: 0, B: 0, C: 0, D: 0 };
  const exclusions: Record<string, number> = {};
  let evaluated = 0;
  let aPlus = 0;
  for (let i = 0; i < ev.n; i++) {
    if (ev.groupOf[i]! >= 0) {
      evaluated++;
      aPlus += ev.aPlus[i]!;
      classes[CLASSES[ev.classes[i]!]!]!++;
    } else exclusions[ev.exclusion[i]!] = (exclusions[ev.exclusion[i]!] ?? 0) + 1;
  }
  const out = { population: ev.n, evaluated, excluded: ev.n - evaluated, classes, exclusions, seconds };
  // A+ is counted inside A; the count appears only for rule sets with the option (older summaries unchanged)
  return ev.ruleSet.aPlus ? { ...out, aPlus } : out;
}

const nanToNull = (a: Float64Array) => Array.from(a, (v) => (Number.isNaN(v) ? null : v));

/** Evaluates and stores a draft run in one transaction (results via COPY). */
export async function createRun(
  database: Database,
  user: AuthedUser | null,
  actor: Actor,
  body: { year: number; regionCode?: string; ruleSetId?: number },
  correction?: { supersedes: number; reason: string; version: number },
): Promise<Run> {
  const db = database.db;
  const started = performance.now();
  const city = await cityCode(db);
  const regionCode = body.regionCode ?? (user?.scope.kind === 'region' ? user.scope.regionCode : city);
  if (user) {
    assertAllowed(user, 'evaluation.run', correction ? 'update' : 'create');
    if (user.scope.kind === 'region' && regionCode !== user.scope.regionCode)
      throw forbidden(
        'County officers run evaluations of their own county only.',
        '区县专员只能对本区县开展评价。',
      );
  }
  const { ruleSetId, ev } = await evaluateYear(db, actor, {
    year: body.year,
    regionCode,
    ruleSetId: body.ruleSetId,
  });
  if (ev.n === 0)
    throw badRequest(
      `No enterprise has annual inputs for ${body.year}.`,
      `${body.year} 年没有企业的亩均评价数据。`,
    );
  const benchmarks = ev.groups.map((g) => ({
    key: g.key,
    regionCode: g.regionCode,
    scale: g.scale,
    size: g.members.length,
    benchmark: nanToNull(g.benchmark),
    meanScore: Array.from(g.meanScore),
  }));
  const runId = await withTransaction(database, async (db2, tx) => {
    const [prev] = await db2
      .select({ v: sql<number>`coalesce(max(version), 0)::int` })
      .from(evaluationRuns)
      .where(and(eq(evaluationRuns.year, body.year), eq(evaluationRuns.regionCode, regionCode)));
    const [run] = await db2
      .insert(evaluationRuns)
      .values({
        year: body.year,
        regionCode,
        ruleSetId,
        status: 'draft',
        version: correction?.version ?? (prev?.v ?? 0) + 1,
        supersedesRunId: correction?.supersedes ?? null,
        reason: correction?.reason ?? null,
        createdBy: actor.username,
        summary: summaryOf(ev, 0),
        benchmarks,
      })
      .returning({ id: evaluationRuns.id });
    const id = run!.id;
    await database.copyRows('evaluation_results', RESULT_COLUMNS, resultRows(id, ev), tx);
    const summary = summaryOf(ev, (performance.now() - started) / 1000);
    await db2.update(evaluationRuns).set({ summary }).where(eq(evaluationRuns.id, id));
    await writeAudit(db2, actor, {
      action: correction ? 'evaluation.run.correct' : 'evaluation.run.create',
      entity: 'evaluation_run',
      entityId: id,
      before: correction ? { runId: correction.supersedes } : null,
      after: { year: body.year, regionCode, ruleSetId, reason: correction?.reason ?? null, summary },
    });
    return id;
  });
  // the kept runs and run rows of this process (a read of this id before it existed kept none)
  forgetEvaluationAnswers();
  return getRunById(db, runId);
}

async function runRow(db: Db, id: number) {
  const [row] = await db.select().from(evaluationRuns).where(eq(evaluationRuns.id, id));
  return row;
}

async function toRunDto(db: Db, r: typeof evaluationRuns.$inferSelect): Promise<Run> {
  return runDto(r, await ruleSetRow(db, r.ruleSetId));
}

function runDto(r: typeof evaluationRuns.$inferSelect, rs: RuleSetDbRow): Run {
  const def = rs.definition as RuleSet;
  return {
    id: r.id,
    year: r.year,
    regionCode: r.regionCode,
    ruleSetId: r.ruleSetId,
    ruleSetName: rs.name,
    ruleSetVersion: rs.version,
    status: r.status as Run['status'],
    version: r.version,
    supersedesRunId: r.supersedesRunId,
    supersededByRunId: r.supersededByRunId,
    reason: r.reason,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    submittedAt: r.submittedAt?.toISOString() ?? null,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    summary: r.summary as Run['summary'],
    indicators: {
      above: def.groups.above.indicators.map((i) => i.key),
      below: def.groups.below.indicators.map((i) => i.key),
    },
  };
}

async function getRunById(db: Db, id: number): Promise<Run> {
  const r = await runRow(db, id);
  if (!r) throw notFound('run');
  return toRunDto(db, r);
}

/**
 * Whether the user may see this run (the policy's `evaluation.run` row rule): a county officer the city's
 * and its county's runs; whoever cannot take part in making runs (an enterprise user) only published ones.
 */
function runVisible(user: AuthedUser, r: { regionCode: string; status: string }, city: string): boolean {
  if (!can(user, 'evaluation.run', 'read')) return false;
  if (user.scope.kind === 'enterprise') return r.status === 'published';
  return rowVisible(user, 'evaluation.run', { regionCode: r.regionCode }, city);
}

/** A run the user may see: enterprise users only published ones; county officers city or own county. */
export async function visibleRun(db: Db, user: AuthedUser, id: number) {
  const r = await runRow(db, id);
  if (!r) throw notFound('evaluation run');
  if (!runVisible(user, r, await cityCode(db))) throw notFound('evaluation run');
  return r;
}

/**
 * visibleRun for reads: the run's row kept at the data version (every run's status, publication and
 * supersession are in its stamp, answers.ts), so a read of a run's results, counts, policies or
 * explanation asks no statement for it; the reader's right to it is checked on every request. Writes
 * (submit, publish, correct, objections) read it afresh with visibleRun.
 */
export async function readableRun(db: Db, user: AuthedUser, id: number) {
  const r = await evaluationAnswer(db, `run-row:${id}`, () => runRow(db, id));
  if (!r) throw notFound('evaluation run');
  if (!runVisible(user, r, await cityCode(db))) throw notFound('evaluation run');
  return r;
}

export async function getRun(db: Db, user: AuthedUser, id: number): Promise<Run> {
  const r = await readableRun(db, user, id);
  return evaluationAnswer(db, `run:${id}`, () => toRunDto(db, r));
}

/** runVisible as SQL: the runs a user may see, the scope in the query (src/server/scope.ts). */
function runScope(user: AuthedUser, city: string): SQL | undefined {
  if (!can(user, 'evaluation.run', 'read')) return sql`false`;
  if (user.scope.kind === 'enterprise') return eq(evaluationRuns.status, 'published');
  return scopeCondition(
    user.scope,
    'evaluation.run',
    { regionCode: evaluationRuns.regionCode },
    { cityCode: city },
  );
}

/**
 * Runs awaiting this user's publication (the home page's to-dos): in review, within the runs the user sees,
 * and not submitted by the user (four eyes, as publishRun checks). 0 without the grant to publish.
 */
export async function runsAwaitingPublicationCount(db: Db, user: AuthedUser): Promise<number> {
  if (!can(user, 'evaluation.run', 'publish')) return 0;
  const city = await cityCode(db);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(evaluationRuns)
    .where(
      and(
        runScope(user, city),
        eq(evaluationRuns.status, 'review'),
        sql`${evaluationRuns.submittedBy} is distinct from ${user.id}`,
      ),
    );
  return Number(row?.n ?? 0);
}

/** Open objections within the user's scope, counted as their list selects them (a firm: its own). */
export async function openObjectionCount(db: Db, user: AuthedUser): Promise<number> {
  if (!can(user, 'evaluation.objection', 'read')) return 0;
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from evaluation_objections o join ${registryRows()} enterprises on enterprises.id = o.enterprise_id
        where ${scopeSql(user.scope)} and o.status = 'open'`,
  );
  return Number(row?.n ?? 0);
}

export async function listRuns(db: Db, user: AuthedUser, year?: number) {
  // kept per role and scope (runScope reads both) at the data version: the runs and their rule sets were
  // three statements a request (issue 13)
  return evaluationAnswer(db, `runs:${year ?? ''}:${user.role}:${JSON.stringify(user.scope)}`, () =>
    runList(db, user, year),
  );
}

/**
 * The years with annual inputs or a run the user may see, newest first. A page defaults to the newest of
 * them, not to the clock's last year: a deployment whose inputs end in 2025, opened in 2027, would otherwise
 * open on a year with nothing in it. The input years are a walk down the year index (one probe a year).
 */
export async function evaluationYears(db: Db, user: AuthedUser) {
  const city = await cityCode(db);
  const [inputs, runs] = await Promise.all([
    queryRows<{ y: number }>(
      db,
      sql`with recursive ys(y) as (
            select max(a.year) from ${annualInputRows()} a
            union all
            select (select max(a.year) from ${annualInputRows()} a where a.year < ys.y) from ys where ys.y is not null)
          select y from ys where y is not null`,
    ),
    db.selectDistinct({ y: evaluationRuns.year }).from(evaluationRuns).where(runScope(user, city)),
  ]);
  const years = [...new Set([...inputs, ...runs].map((r) => Number(r.y)))].sort((a, b) => b - a);
  return { latest: years[0] ?? null, years };
}

async function runList(db: Db, user: AuthedUser, year?: number) {
  const city = await cityCode(db);
  const rows = await db
    .select()
    .from(evaluationRuns)
    .where(and(runScope(user, city), year ? eq(evaluationRuns.year, year) : undefined))
    .orderBy(desc(evaluationRuns.year), desc(evaluationRuns.id));
  // the rule sets of every listed run in one statement (one array parameter), not one read per run
  const ids = [...new Set(rows.map((r) => r.ruleSetId))];
  const sets = ids.length
    ? await db
        .select()
        .from(evaluationRuleSets)
        .where(sql`${evaluationRuleSets.id} = any(${pgArray(ids)}::bigint[])`)
    : [];
  const byId = new Map(sets.map((rs) => [rs.id, rs]));
  const items: Run[] = [];
  for (const r of rows) {
    const rs = byId.get(r.ruleSetId);
    if (!rs) throw notFound('rule set');
    items.push(runDto(r, rs));
  }
  return { items };
}

export async function submitRun(db: Db, user: AuthedUser, id: number, actor: Actor): Promise<Run> {
  assertAllowed(user, 'evaluation.run', 'submit');
  const r = await visibleRun(db, user, id);
  // a county officer submits its own county's runs, not the city's
  if (user.scope.kind === 'region' && r.regionCode !== user.scope.regionCode) throw forbidden();
  if (r.status !== 'draft')
    throw conflict(
      `Run ${id} is ${r.status}, not a draft.`,
      `评价批次 ${id} 当前状态为 ${r.status}，不是草稿。`,
    );
  await db.transaction(async (tx) => {
    await tx
      .update(evaluationRuns)
      .set({ status: 'review', submittedAt: new Date(), submittedBy: user.id })
      .where(and(eq(evaluationRuns.id, id), eq(evaluationRuns.status, 'draft')));
    await writeAudit(tx as unknown as Db, actor, {
      action: 'evaluation.run.submit',
      entity: 'evaluation_run',
      entityId: id,
      before: { status: 'draft' },
      after: { status: 'review', submittedBy: user.id },
    });
  });
  forgetEvaluationAnswers(); // the kept runs of this process
  return getRunById(db, id);
}

export async function publishRun(db: Db, user: AuthedUser, id: number, actor: Actor): Promise<Run> {
  assertAllowed(user, 'evaluation.run', 'publish');
  const r = await visibleRun(db, user, id);
  if (r.status !== 'review')
    throw conflict(
      `Run ${id} must be in review before it is published.`,
      `评价批次 ${id} 须先提交审核再发布。`,
    );
  assertFourEyes(user, r.submittedBy);
  await db.transaction(async (tx) => {
    await tx
      .update(evaluationRuns)
      .set({ status: 'published', publishedAt: new Date(), publishedBy: user.id })
      .where(and(eq(evaluationRuns.id, id), eq(evaluationRuns.status, 'review')));
    if (r.supersedesRunId)
      await tx
        .update(evaluationRuns)
        .set({ supersededByRunId: id })
        .where(eq(evaluationRuns.id, r.supersedesRunId));
    await writeAudit(tx as unknown as Db, actor, {
      action: 'evaluation.run.publish',
      entity: 'evaluation_run',
      entityId: id,
      before: { status: 'review' },
      after: { status: 'published', supersedes: r.supersedesRunId, submittedBy: r.submittedBy },
    });
  });
  // the published results feed the kept aggregates and class mix: this process forgets them now
  forgetEvaluationAnswers();
  return getRunById(db, id);
}

/** A published run is never changed: a correction is a new draft version, with its reason. */
export async function correctRun(
  database: Database,
  user: AuthedUser,
  id: number,
  body: { reason: string; ruleSetId?: number },
  actor: Actor,
): Promise<Run> {
  assertAllowed(user, 'evaluation.run', 'update');
  const r = await visibleRun(database.db, user, id);
  if (r.status !== 'published')
    throw conflict(
      'Only a published run is corrected; edit a draft by running again.',
      '只有已发布的评价需要更正；草稿请重新生成。',
    );
  if (r.supersededByRunId)
    throw conflict(
      `Run ${id} has been superseded by run ${r.supersededByRunId}.`,
      `评价批次 ${id} 已被批次 ${r.supersededByRunId} 更正。`,
    );
  const [top] = await database.db
    .select({ v: sql<number>`max(version)::int` })
    .from(evaluationRuns)
    .where(and(eq(evaluationRuns.year, r.year), eq(evaluationRuns.regionCode, r.regionCode)));
  return createRun(
    database,
    user,
    actor,
    { year: r.year, regionCode: r.regionCode, ruleSetId: body.ruleSetId ?? r.ruleSetId },
    { supersedes: id, reason: body.reason, version: (top?.v ?? r.version) + 1 },
  );
}

// ---------- results ----------

const labels = (code: string | null, rs?: RuleSet) => (code ? exclusionLabel(code, rs).zh : null);

/**
 * One page of a run's results in the reader's scope (scope, filters, order and page in the SQL). A
 * published run's results never change, so its pages are kept per query, scope and data version
 * (answers.ts): fifty readers of the first page count the run's results once (issue 13: 0.6–2 s p95).
 */
export async function listResults(db: Db, user: AuthedUser, runId: number, q: ResultQuery) {
  const run = await readableRun(db, user, runId);
  if (run.status !== 'published') return computeResults(db, user, run, q);
  return evaluationAnswer(db, `results:${runId}:${JSON.stringify(q)}:${JSON.stringify(user.scope)}`, () =>
    computeResults(db, user, run, q),
  );
}

async function computeResults(
  db: Db,
  user: AuthedUser,
  run: typeof evaluationRuns.$inferSelect,
  q: ResultQuery,
) {
  const runId = run.id;
  const rs = (await ruleSetRow(db, run.ruleSetId)).definition as RuleSet;
  const conds: ReturnType<typeof sql>[] = [sql`r.run_id = ${runId}`, scopeSql(user.scope)];
  if (q.class) conds.push(sql`r.class = ${q.class}`);
  if (q.county) conds.push(sql`r.region_code = ${q.county}`);
  if (q.scale) conds.push(sql`r.scale = ${q.scale}`);
  if (q.evaluated !== undefined) conds.push(sql`r.evaluated = ${q.evaluated}`);
  if (q.cluster)
    conds.push(
      sql`exists (select 1 from ${currentMemberships()} ec where ec.enterprise_id = enterprises.id and ec.cluster_code = ${q.cluster})`,
    );
  if (q.q) {
    const term = q.q.replace(/[%_\\]/g, (c) => '\\' + c);
    conds.push(
      sql`(enterprises.name ilike ${'%' + term + '%'} or enterprises.uscc ilike ${term.toUpperCase() + '%'})`,
    );
  }
  const where = sql.join(conds, sql` and `);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select r.*, enterprises.uscc, enterprises.name, regions.name as region_name from evaluation_results r
        join ${registryRows()} enterprises on enterprises.id = r.enterprise_id left join regions on regions.code = r.region_code
        where ${where} order by r.region_code, r.scale, r.evaluated desc, r.rank nulls last, r.enterprise_id
        limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
  );
  const [count] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from evaluation_results r join ${registryRows()} enterprises on enterprises.id = r.enterprise_id where ${where}`,
  );
  const items = rows.map((r) => {
    const scale = r.scale as ScaleGroup;
    const keys = rs.groups[scale].indicators.map((i) => i.key);
    const values = (r.values as (number | null)[] | null) ?? [];
    const scores = (r.scores as (number | null)[] | null) ?? [];
    return {
      enterpriseId: Number(r.enterprise_id),
      uscc: r.uscc as string,
      name: r.name as string,
      regionCode: r.region_code as string,
      regionName: (r.region_name as string | null) ?? null,
      scale,
      evaluated: r.evaluated as boolean,
      exclusion: (r.exclusion as string | null) ?? null,
      exclusionZh: labels(r.exclusion as string | null, rs),
      indicators: r.evaluated
        ? keys.map((key, k) => ({
            key,
            value: values[k] == null ? null : Number(values[k]),
            score: Number(scores[k] ?? 0),
          }))
        : [],
      total: r.total == null ? null : Number(r.total),
      rank: r.rank == null ? null : Number(r.rank),
      groupSize: r.group_size == null ? null : Number(r.group_size),
      class: (r.class as EvaluationClass | null) ?? null,
      aPlus: r.a_plus === true,
    };
  });
  return { items, total: count?.n ?? 0, page: q.page, pageSize: q.pageSize };
}

async function classHistory(
  db: Db,
  enterpriseId: number,
  year: number,
  cls: EvaluationClass | null,
): Promise<(EvaluationClass | null)[]> {
  const rows = await queryRows<{ year: number; class: EvaluationClass | null }>(
    db,
    sql`select distinct on (run.year) run.year, r.class from evaluation_results r join evaluation_runs run on run.id = r.run_id
        where r.enterprise_id = ${enterpriseId} and run.status = 'published' and run.superseded_by_run_id is null and run.year < ${year} and run.year >= ${year - 10}
        order by run.year desc, run.id desc`,
  );
  const byYear = new Map(rows.map((r) => [Number(r.year), r.class]));
  const history: (EvaluationClass | null)[] = [cls];
  for (let y = year - 1; y >= year - 10; y--) history.push(byYear.get(y) ?? null);
  return history;
}

/** Why this class: re-evaluates the enterprise's group from the run's stored inputs and rule set. */
export async function explainResult(
  db: Db,
  user: AuthedUser,
  runId: number,
  enterpriseId: number,
): Promise<ExplanationDto> {
  const run = await readableRun(db, user, runId);
  // the firm within the reader's scope, kept per scope at the data version (the registry is stamped)
  const ent = await evaluationAnswer(db, `firm:${enterpriseId}:${JSON.stringify(user.scope)}`, async () => {
    const [row] = await queryRows<{
      id: number;
      uscc: string;
      name: string;
      region_code: string;
      industry_code: string;
    }>(
      db,
      sql`select enterprises.id, enterprises.uscc, enterprises.name, enterprises.region_code, enterprises.industry_code from ${registryRows()} enterprises where enterprises.id = ${enterpriseId} and ${scopeSql(user.scope)}`,
    );
    return row;
  });
  if (!ent) throw notFound('enterprise');
  // A firm is explained by evaluating its whole comparison group again (its percentile ranks need every
  // member), and what would move it up by evaluating the group again and again (a search per lever). A
  // published run's results never change, so the explanation of a firm is kept per data version: readers
  // of one firm compute it once (issue 13: 2.5–20 s p95 at 50 connections before), and the whole answer
  // with it (its result, rule set and class history: five statements a request). The reader's right to the
  // run and the firm was checked above, on every request (against their kept rows).
  if (run.status !== 'published') return explanationOf(db, run, ent);
  return evaluationAnswer(db, `explanation:${runId}:${run.ruleSetId}:${enterpriseId}`, () =>
    explanationOf(db, run, ent),
  );
}

async function explanationOf(
  db: Db,
  run: typeof evaluationRuns.$inferSelect,
  ent: { id: number; uscc: string; name: string; region_code: string; industry_code: string },
): Promise<ExplanationDto> {
  const runId = run.id;
  const enterpriseId = Number(ent.id);
  const [mine] = await db
    .select()
    .from(evaluationResults)
    .where(and(eq(evaluationResults.runId, runId), eq(evaluationResults.enterpriseId, enterpriseId)));
  if (!mine) throw notFound('result');
  const ruleSetRec = await ruleSetRow(db, run.ruleSetId);
  const ruleSet = ruleSetRec.definition as RuleSet;
  const { inputs, ev } = await groupEvaluation(db, runId, mine, ent, ruleSet);
  const at = inputs.findIndex((x) => x.enterpriseId === enterpriseId);
  const e = explain(ev, at);
  const input = inputs[at]!;
  const facts = policyFactsOf(input);
  const cls = (mine.class as EvaluationClass | null) ?? null;
  const policies = cls
    ? policiesFor(ruleSet, await classHistory(db, enterpriseId, run.year, cls)).map((p) =>
        withAmount(p, facts),
      )
    : [];
  return {
    runId,
    year: run.year,
    runStatus: run.status as ExplanationDto['runStatus'],
    enterprise: { id: Number(ent.id), uscc: ent.uscc, name: ent.name, regionCode: ent.region_code },
    ...e,
    ruleSet: {
      id: ruleSetRec.id,
      code: ruleSetRec.code,
      version: ruleSetRec.version,
      name: ruleSetRec.name,
    },
    flags: flagsOf(input).map((key) => ({ key, zh: FLAGS[key].zh })),
    // the stored result is authoritative; the re-evaluation reproduces it
    class: cls,
    aPlus: mine.aPlus,
    total: mine.total,
    rank: mine.rank,
    policies,
  };
}

/** The stored inputs of a result's comparison group (or the firm alone) evaluated again under the run's rules. */
async function groupEvaluation(
  db: Db,
  runId: number,
  mine: typeof evaluationResults.$inferSelect,
  ent: { industry_code: string },
  ruleSet: RuleSet,
) {
  const enterpriseId = mine.enterpriseId;
  const members = mine.groupKey
    ? await queryRows<{
        enterprise_id: number;
        region_code: string;
        scale: ScaleGroup;
        industry_code: string;
        inputs: (number | null)[];
        attributes: Record<string, number> | null;
      }>(
        db,
        sql`select r.enterprise_id, r.region_code, r.scale, e.industry_code, r.inputs, r.attributes from evaluation_results r join ${registryRows()} e on e.id = r.enterprise_id
            where r.run_id = ${runId} and r.group_key = ${mine.groupKey} order by r.enterprise_id`,
      )
    : [
        {
          enterprise_id: enterpriseId,
          region_code: mine.regionCode,
          scale: mine.scale as ScaleGroup,
          industry_code: ent.industry_code,
          inputs: mine.inputs,
          attributes: mine.attributes as Record<string, number> | null,
        },
      ];
  const inputs = members.map((m) =>
    inputFromStored(
      {
        enterpriseId: Number(m.enterprise_id),
        regionCode: m.region_code,
        scale: m.scale,
        industryCode: m.industry_code,
      },
      m.inputs,
      typeof m.attributes === 'string' ? JSON.parse(m.attributes) : m.attributes,
    ),
  );
  return { inputs, ev: evaluate(ruleSet, inputs) };
}

// ---------- objections ----------

type ObjectionRow = typeof evaluationObjections.$inferSelect;
const objectionDto = (o: ObjectionRow, enterpriseName: string) => ({
  id: o.id,
  runId: o.runId,
  enterpriseId: o.enterpriseId,
  enterpriseName,
  filedByName: o.filedByName,
  text: o.text,
  evidence: o.evidence,
  status: o.status as 'open' | 'upheld' | 'rejected',
  resolution: o.resolution,
  resolvedBy: o.resolvedBy,
  resolvedAt: o.resolvedAt?.toISOString() ?? null,
  createdAt: o.createdAt.toISOString(),
});

async function scopedEnterprise(db: Db, scope: Scope, id: number) {
  const [row] = await queryRows<{ id: number; name: string; region_code: string }>(
    db,
    sql`select enterprises.id, enterprises.name, enterprises.region_code from ${registryRows()} enterprises where enterprises.id = ${id} and ${scopeSql(scope)}`,
  );
  return row;
}

export async function fileObjection(
  db: Db,
  user: AuthedUser,
  runId: number,
  body: z.infer<typeof objectionBody>,
  actor: Actor,
) {
  assertAllowed(user, 'evaluation.objection', 'create');
  const run = await visibleRun(db, user, runId);
  if (run.status !== 'published')
    throw conflict('Objections are filed against published results.', '只能对已发布的评价结果提出异议。');
  const ent = await scopedEnterprise(db, user.scope, body.enterpriseId);
  if (!ent) throw notFound('enterprise');
  const [result] = await db
    .select({ id: evaluationResults.enterpriseId })
    .from(evaluationResults)
    .where(and(eq(evaluationResults.runId, runId), eq(evaluationResults.enterpriseId, body.enterpriseId)));
  if (!result) throw notFound('result');
  const row = await db.transaction(async (tx) => {
    const [o] = await tx
      .insert(evaluationObjections)
      .values({
        runId,
        enterpriseId: body.enterpriseId,
        filedBy: user.id,
        filedByName: user.displayName,
        text: body.text,
        evidence: body.evidence,
      })
      .returning();
    await writeAudit(tx as unknown as Db, actor, {
      action: 'evaluation.objection.file',
      entity: 'evaluation_objection',
      entityId: o!.id,
      after: o,
    });
    return o!;
  });
  forgetObjectionLists(); // the kept lists of this process show it at once
  return objectionDto(row, ent.name);
}

export async function listObjections(db: Db, user: AuthedUser, q: { runId?: number; status?: string }) {
  assertAllowed(user, 'evaluation.objection', 'read');
  // kept per query and scope (answers.ts): the list was a statement a request (issue 13)
  return objectionListAnswer(
    db,
    `objections:${q.runId ?? ''}:${q.status ?? ''}:${JSON.stringify(user.scope)}`,
    () => objectionList(db, user, q),
  );
}

async function objectionList(db: Db, user: AuthedUser, q: { runId?: number; status?: string }) {
  const conds = [scopeSql(user.scope)];
  if (q.runId) conds.push(sql`o.run_id = ${q.runId}`);
  if (q.status) conds.push(sql`o.status = ${q.status}`);
  // one statement: the newest 500 in scope with their firm's name (it was the ids, then their rows by a
  // list of one parameter per id)
  const full = await queryRows<Record<string, unknown>>(
    db,
    sql`select o.*, enterprises.name as enterprise_name from evaluation_objections o join ${registryRows()} enterprises on enterprises.id = o.enterprise_id where ${sql.join(conds, sql` and `)} order by o.id desc limit 500`,
  );
  return {
    items: full.map((o) => ({
      id: Number(o.id),
      runId: Number(o.run_id),
      enterpriseId: Number(o.enterprise_id),
      enterpriseName: o.enterprise_name as string,
      filedByName: o.filed_by_name as string,
      text: o.text as string,
      evidence: o.evidence as string,
      status: o.status as 'open' | 'upheld' | 'rejected',
      resolution: (o.resolution as string | null) ?? null,
      resolvedBy: (o.resolved_by as string | null) ?? null,
      resolvedAt: o.resolved_at ? new Date(o.resolved_at as string).toISOString() : null,
      createdAt: new Date(o.created_at as string).toISOString(),
    })),
  };
}

export async function resolveObjection(
  db: Db,
  user: AuthedUser,
  id: number,
  body: z.infer<typeof objectionResolveBody>,
  actor: Actor,
) {
  assertAllowed(user, 'evaluation.objection', 'handle');
  const [o] = await db.select().from(evaluationObjections).where(eq(evaluationObjections.id, id));
  if (!o) throw notFound('objection');
  const ent = await scopedEnterprise(db, user.scope, o.enterpriseId);
  if (!ent) throw notFound('objection');
  if (o.status !== 'open') throw conflict('This objection has been resolved already.', '该异议已处理。');
  const row = await db.transaction(async (tx) => {
    const [after] = await tx
      .update(evaluationObjections)
      .set({
        status: body.status,
        resolution: body.resolution,
        resolvedBy: actor.username,
        resolvedAt: new Date(),
      })
      .where(eq(evaluationObjections.id, id))
      .returning();
    await writeAudit(tx as unknown as Db, actor, {
      action: 'evaluation.objection.resolve',
      entity: 'evaluation_objection',
      entityId: id,
      before: o,
      after,
    });
    return after!;
  });
  forgetObjectionLists(); // the kept lists of this process show it at once
  return objectionDto(row, ent.name);
}

// ---------- class lists, policies, aggregates ----------

export async function classCounts(db: Db, user: AuthedUser, runId: number, by: 'county' | 'cluster') {
  assertAllowed(user, 'evaluation.aggregate', 'read');
  const run = await readableRun(db, user, runId);
  // a published run's results never change: its counts (every result of the run in the reader's scope,
  // tens of milliseconds) are kept per scope and data version; a draft's are counted each time
  if (run.status !== 'published') return computeClassCounts(db, user, runId, by);
  return evaluationAnswer(db, `class-counts:${runId}:${by}:${JSON.stringify(user.scope)}`, () =>
    computeClassCounts(db, user, runId, by),
  );
}

async function computeClassCounts(db: Db, user: AuthedUser, runId: number, by: 'county' | 'cluster') {
  const key = by === 'county' ? sql`r.region_code` : sql`ec.cluster_code`;
  const join =
    by === 'county'
      ? sql`left join regions g on g.code = r.region_code`
      : sql`join ${currentMemberships()} ec on ec.enterprise_id = r.enterprise_id left join clusters g on g.code = ec.cluster_code`;
  const rows = await queryRows<{
    code: string;
    name: string | null;
    scale: ScaleGroup;
    a: number;
    b: number;
    c: number;
    d: number;
    x: number;
  }>(
    db,
    sql`select ${key} as code, min(g.name) as name, r.scale,
          count(*) filter (where r.class = 'A')::int as a, count(*) filter (where r.class = 'B')::int as b,
          count(*) filter (where r.class = 'C')::int as c, count(*) filter (where r.class = 'D')::int as d,
          count(*) filter (where not r.evaluated)::int as x
        from evaluation_results r join ${registryRows()} enterprises on enterprises.id = r.enterprise_id ${join}
        where r.run_id = ${runId} and ${scopeSql(user.scope)} group by ${key}, r.scale order by 1, 3`,
  );
  return {
    items: rows.map((r) => ({
      code: r.code,
      name: r.name ?? r.code,
      scale: r.scale,
      A: r.a,
      B: r.b,
      C: r.c,
      D: r.d,
      excluded: r.x,
    })),
  };
}

/** 亩均税收 and 亩均增加值 by region, zone or cluster and year (all years: the trend). */
/**
 * 亩均税收 and 亩均增加值 per region, zone or cluster and year, summed over the firms in the reader's scope
 * only (the scope is inside the SQL, so a sum never holds a firm the reader may not see: nothing further
 * to withhold). Summing every firm's annual inputs costs tens of milliseconds, so the answer is kept per
 * grouping, scope and data version (answers.ts).
 */
export function aggregates(db: Db, user: AuthedUser, q: z.infer<typeof aggregateQuery>) {
  assertAllowed(user, 'evaluation.aggregate', 'read');
  return evaluationAnswer(db, `aggregates:${q.by}:${JSON.stringify(user.scope)}`, () =>
    computeAggregates(db, user, q),
  );
}

async function computeAggregates(db: Db, user: AuthedUser, q: z.infer<typeof aggregateQuery>) {
  const base = sql`from ${annualInputRows()} a join ${registryRows()} enterprises on enterprises.id = a.enterprise_id`;
  const filter = sql`a.land_mu > 0 and substr(enterprises.industry_code, 1, 2) not in ('44', '45', '46') and ${scopeSql(user.scope)}`;
  const query =
    q.by === 'region'
      ? sql`select enterprises.region_code as code, min(g.name) as name, a.year, count(*)::int as n, sum(a.land_mu) as land, sum(coalesce(a.tax_paid, 0)) as tax, sum(coalesce(a.value_added, 0)) as va
            ${base} left join regions g on g.code = enterprises.region_code where ${filter} group by 1, 3 order by 1, 3`
      : q.by === 'zone'
        ? sql`select enterprises.zone_code as code, min(g.name) as name, a.year, count(*)::int as n, sum(a.land_mu) as land, sum(coalesce(a.tax_paid, 0)) as tax, sum(coalesce(a.value_added, 0)) as va
              ${base} join zones g on g.code = enterprises.zone_code where ${filter} group by 1, 3 order by 1, 3`
        : sql`select ec.cluster_code as code, min(g.name) as name, a.year, count(*)::int as n, sum(a.land_mu) as land, sum(coalesce(a.tax_paid, 0)) as tax, sum(coalesce(a.value_added, 0)) as va
              ${base} join ${currentMemberships()} ec on ec.enterprise_id = enterprises.id join clusters g on g.code = ec.cluster_code where ${filter} group by 1, 3 order by 1, 3`;
  const rows = await queryRows<{
    code: string;
    name: string;
    year: number;
    n: number;
    land: number;
    tax: number;
    va: number;
  }>(db, query);
  return {
    items: rows.map((r) => {
      const land = Number(r.land);
      return {
        code: r.code,
        name: r.name ?? r.code,
        year: Number(r.year),
        enterprises: r.n,
        landMu: land,
        taxPerMu: land > 0 ? Number(r.tax) / land : null,
        valueAddedPerMu: land > 0 ? Number(r.va) / land : null,
      };
    }),
  };
}

// ---------- watch list ----------

async function latestPublishedRun(db: Db, year: number) {
  const [r] = await db
    .select()
    .from(evaluationRuns)
    .where(
      and(
        eq(evaluationRuns.year, year),
        eq(evaluationRuns.status, 'published'),
        sql`${evaluationRuns.supersededByRunId} is null`,
      ),
    )
    .orderBy(desc(evaluationRuns.publishedAt), desc(evaluationRuns.id))
    .limit(1);
  return r;
}

/**
 * One page of the 低散乱 watch list: firms in the reader's scope with a low three-year 亩均税收 or a watched
 * class, and each one's handling status. The list itself (three years of annual inputs summed for every
 * firm, then the run's classes) is pure per data version, so it is kept per year, county and scope
 * (answers.ts) and a page is a slice of it; the handling, which officers edit all day, is read fresh for
 * the page's firms only (one statement, one array parameter). Before, every request summed the inputs and
 * sent up to 5,000 rows (issue 13: 2–4.6 s p95 at 50 connections).
 */
export async function watchList(
  db: Db,
  user: AuthedUser,
  q: { year: number; county?: string; page?: number; pageSize?: number },
) {
  assertAllowed(user, 'evaluation.watchList', 'read');
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  // the page with its handling kept (answers.ts): its handling was one statement a request (issue 13)
  return watchPageAnswer(
    db,
    `watch-page:${q.year}:${q.county ?? ''}:${page}:${pageSize}:${JSON.stringify(user.scope)}`,
    () => watchPage(db, user, q, page, pageSize),
  );
}

async function watchPage(
  db: Db,
  user: AuthedUser,
  q: { year: number; county?: string },
  page: number,
  pageSize: number,
) {
  const list = await evaluationAnswer(
    db,
    `watch:${q.year}:${q.county ?? ''}:${JSON.stringify(user.scope)}`,
    () => watchCandidates(db, user, q.year, q.county),
  );
  const slice = list.items.slice((page - 1) * pageSize, page * pageSize);
  const handling = slice.length
    ? await db
        .select()
        .from(evaluationWatchHandling)
        .where(
          and(
            eq(evaluationWatchHandling.year, q.year),
            sql`${evaluationWatchHandling.enterpriseId} = any(${pgArray(slice.map((r) => r.enterpriseId))}::bigint[])`,
          ),
        )
    : [];
  const byFirm = new Map(handling.map((h) => [Number(h.enterpriseId), h]));
  return {
    year: q.year,
    runId: list.runId,
    total: list.items.length,
    page,
    pageSize,
    items: slice.map((r) => {
      const h = byFirm.get(r.enterpriseId);
      return {
        ...r,
        handling: h
          ? {
              status: h.status as 'pending' | 'in_progress' | 'done',
              owner: h.owner ?? null,
              deadline: h.deadline ? String(h.deadline).slice(0, 10) : null,
              progress: h.progress ?? null,
              updatedBy: h.updatedBy,
              updatedAt: new Date(h.updatedAt).toISOString(),
            }
          : null,
      };
    }),
  };
}

/** The whole watch list of a year in the reader's scope (the scope inside the SQL), without handling. */
async function watchCandidates(db: Db, user: AuthedUser, year: number, county: string | undefined) {
  const run = await latestPublishedRun(db, year);
  const ruleSet = run ? ((await ruleSetRow(db, run.ruleSetId)).definition as RuleSet) : PRESETS[0]!.ruleSet;
  const w = ruleSet.watch;
  const divisions = ruleSet.population.excludeDivisions;
  const inCounty = county ? sql`and enterprises.region_code = ${county}` : sql``;
  const classes = w.classes.length
    ? sql`r.class in (${sql.join(
        w.classes.map((c) => sql`${c}`),
        sql`, `,
      )})`
    : sql`false`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with t as (
          select a.enterprise_id, sum(coalesce(a.tax_paid, 0)) as tax, sum(a.land_mu) as land
          from ${annualInputRows()} a where a.year between ${year - 2} and ${year} and a.land_mu > 0 group by a.enterprise_id)
        select enterprises.id, enterprises.uscc, enterprises.name, enterprises.region_code, enterprises.scale,
          case when t.land > 0 then t.tax / t.land end as tpm, r.class
        from ${registryRows()} enterprises
          join ${annualInputRows()} cur on cur.enterprise_id = enterprises.id and cur.year = ${year}
          left join t on t.enterprise_id = enterprises.id
          left join evaluation_results r on r.run_id = ${run?.id ?? -1} and r.enterprise_id = enterprises.id
        where ${scopeSql(user.scope)} ${inCounty}
          and substr(enterprises.industry_code, 1, 2) not in (${sql.join(divisions.length ? divisions.map((d) => sql`${d}`) : [sql`'--'`], sql`, `)})
          and ((t.land > 0 and t.tax / t.land < case when enterprises.scale = 'above' then ${w.threeYearTaxPerMu.above}::float8 else ${w.threeYearTaxPerMu.below}::float8 end) or ${classes})
        order by enterprises.region_code, enterprises.scale, tpm nulls last, enterprises.id`,
  );
  return {
    runId: run?.id ?? null,
    items: rows.map((r) => {
      const scale = r.scale as ScaleGroup;
      const tpm = r.tpm == null ? null : Number(r.tpm);
      const cls = (r.class as EvaluationClass | null) ?? null;
      return {
        enterpriseId: Number(r.id),
        uscc: r.uscc as string,
        name: r.name as string,
        regionCode: r.region_code as string,
        scale,
        taxPerMu3y: tpm,
        class: cls,
        reasons: watchReasons(ruleSet, scale, tpm, cls),
      };
    }),
  };
}

export async function setWatchHandling(
  db: Db,
  user: AuthedUser,
  year: number,
  enterpriseId: number,
  body: z.infer<typeof watchHandlingBody>,
  actor: Actor,
) {
  assertAllowed(user, 'evaluation.watchList', 'update');
  const ent = await scopedEnterprise(db, user.scope, enterpriseId);
  if (!ent) throw notFound('enterprise');
  const values = {
    status: body.status,
    owner: body.owner ?? null,
    deadline: body.deadline ?? null,
    progress: body.progress ?? null,
    updatedBy: actor.username,
    updatedAt: new Date(),
  };
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(evaluationWatchHandling)
      .where(
        and(eq(evaluationWatchHandling.year, year), eq(evaluationWatchHandling.enterpriseId, enterpriseId)),
      );
    const [after] = await tx
      .insert(evaluationWatchHandling)
      .values({ year, enterpriseId, ...values })
      .onConflictDoUpdate({
        target: [evaluationWatchHandling.year, evaluationWatchHandling.enterpriseId],
        set: values,
      })
      .returning();
    await writeAudit(tx as unknown as Db, actor, {
      action: 'evaluation.watch.handle',
      entity: 'evaluation_watch',
      entityId: `${year}:${enterpriseId}`,
      before: before ?? null,
      after,
    });
  });
  forgetWatchPages(); // the kept pages of this process show the handling at once
  return { ok: true as const };
}

// ---------- simulator ----------

export async function simulateRuleSets(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  q: { year: number; regionCode?: string; a: number; b: number },
) {
  assertAllowed(user, 'evaluation.simulation', 'read');
  const city = await cityCode(db);
  const regionCode =
    user.scope.kind === 'region'
      ? user.scope.regionCode
      : q.regionCode && q.regionCode !== city
        ? q.regionCode
        : null;
  const [ra, rb] = [await keptRuleSet(db, user, q.a), await keptRuleSet(db, user, q.b)];
  void actor;
  // Two rule sets over every firm of the area: kept per data version, area and the two definitions
  // themselves (a draft edited since changes the key), after the reader's right to both was checked
  // above (issue 13: 2.7–19 s p95 at 50 connections before).
  const definitions = `${definitionDigest(ra)}:${definitionDigest(rb)}`;
  return evaluationAnswer(db, `simulate:${q.year}:${regionCode ?? ''}:${definitions}`, async () => {
    const inputs = await loadInputs(db, q.year, regionCode);
    const sim = simulate(ra.definition as RuleSet, rb.definition as RuleSet, inputs, { moverLimit: 500 });
    const names = new Map(inputs.map((i) => [i.enterpriseId, i.name]));
    return {
      ...sim,
      labels: [...MATRIX_LABELS],
      movers: sim.movers.map((m) => ({ ...m, name: names.get(m.enterpriseId) ?? '' })),
    };
  });
}

export { indicatorColumns };
