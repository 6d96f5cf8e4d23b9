// Rule sets as versioned data: the defaults come from config/<city>/alert-rules.json (version 1, loaded on
// first use); every later version is an edition (editions.ts) proposed with its reason and its backtest and
// published by a second person. The highest version is in force.
import fs from 'node:fs';
import path from 'node:path';
import { desc, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { alertRuleSets } from '../../db/schema.ts';
import { ruleSetProblems, type RuleSet } from '../../domain/alerts/index.ts';
import { resolveCityDir } from '../../config/load.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { badRequest } from '../../server/errors.ts';
import { ruleSetSchema, type BacktestView } from './schemas.ts';

export const DEFAULT_RULES_FILE = 'alert-rules.json';

export interface RuleSetVersion {
  version: number;
  definition: RuleSet;
  reason: string;
  source: string;
  createdByName: string | null;
  createdAt: string;
  backtest: BacktestView | null;
}

/** The city's default rule set, validated (throws on a broken file: configuration is checked at start). */
export function defaultRuleSet(cityDir = resolveCityDir()): RuleSet {
  const raw = JSON.parse(fs.readFileSync(path.join(cityDir, DEFAULT_RULES_FILE), 'utf8')) as unknown;
  const parsed = ruleSetSchema.parse(raw);
  const problems = ruleSetProblems(parsed);
  if (problems.length) throw new Error(`${DEFAULT_RULES_FILE}: ${problems.map((p) => p.en).join('; ')}`);
  return parsed;
}

function toVersion(r: typeof alertRuleSets.$inferSelect): RuleSetVersion {
  return {
    version: r.version,
    definition: r.definition as RuleSet,
    reason: r.reason,
    source: r.source,
    createdByName: r.createdByName,
    createdAt: r.createdAt.toISOString(),
    backtest: (r.backtest as BacktestView | null) ?? null,
  };
}

/** The rule set in force; version 1 is written from the city's defaults on first use. */
export async function currentRuleSet(db: Db): Promise<RuleSetVersion> {
  const [row] = await db.select().from(alertRuleSets).orderBy(desc(alertRuleSets.version)).limit(1);
  if (row) return toVersion(row);
  const definition = defaultRuleSet();
  const [made] = await db
    .insert(alertRuleSets)
    .values({
      version: 1,
      definition,
      reason: `defaults of config ${DEFAULT_RULES_FILE} (reference B2)`,
      source: 'config',
    })
    .onConflictDoNothing()
    .returning();
  if (made) return toVersion(made);
  return currentRuleSet(db);
}

/** Reading never writes: the defaults stand in for version 1 when nothing was saved yet. */
export async function currentRuleSetForRead(db: Db): Promise<RuleSetVersion> {
  const [row] = await db.select().from(alertRuleSets).orderBy(desc(alertRuleSets.version)).limit(1);
  if (row) return toVersion(row);
  return {
    version: 1,
    definition: defaultRuleSet(),
    reason: `defaults of config ${DEFAULT_RULES_FILE} (reference B2)`,
    source: 'config',
    createdByName: null,
    createdAt: new Date(0).toISOString(),
    backtest: null,
  };
}

export async function ruleSetHistory(db: Db): Promise<Omit<RuleSetVersion, 'definition'>[]> {
  const rows = await db.select().from(alertRuleSets).orderBy(desc(alertRuleSets.version));
  return rows.map((r) => {
    const { definition: _d, ...rest } = toVersion(r);
    return rest;
  });
}

export function assertSound(set: RuleSet): void {
  const problems = ruleSetProblems(set);
  if (problems.length)
    throw badRequest(
      `The rule set has problems: ${problems.map((p) => p.en).join('; ')}.`,
      `规则集有问题：${problems.map((p) => p.zh).join('；')}。`,
    );
}

/**
 * Puts a published edition's rule set in force as the next version, inside the edition's publish
 * transaction (editions.ts), with who drafted it and why; audited.
 */
export async function publishRuleSetVersion(
  tx: Db,
  actor: Actor,
  input: {
    definition: RuleSet;
    reason: string;
    backtest: BacktestView | null;
    editionId: number;
    draftedBy: number | null;
    draftedByName: string | null;
  },
): Promise<RuleSetVersion> {
  assertSound(input.definition);
  const before = await currentRuleSet(tx);
  const [row] = await tx
    .insert(alertRuleSets)
    .values({
      version: sql`(select coalesce(max(version), 0) + 1 from alert_rule_sets)` as never,
      definition: input.definition,
      reason: input.reason,
      source: `edition:${input.editionId}`,
      createdBy: input.draftedBy,
      createdByName: input.draftedByName,
      backtest: input.backtest,
    })
    .returning();
  await writeAudit(tx, actor, {
    action: 'alerts.ruleset.publish',
    entity: 'alert_rule_set',
    entityId: row!.version,
    before: { version: before.version },
    after: {
      version: row!.version,
      editionId: input.editionId,
      draftedBy: input.draftedByName,
      reason: input.reason,
      rules: input.definition.rules.length,
    },
  });
  return toVersion(row!);
}
