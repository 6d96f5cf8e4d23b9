// Risk early warning (issue 17): rule sets as versioned data, alerts (one open per subject and signal),
// every alert's history, and the evaluation runs. Signals are computed from monthly_stats by
// src/modules/alerts/evaluate.ts; an alert keeps the values (with their months) that fired it.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Every saved rule set is a new version with its reason; the highest version is the one in force. */
export const alertRuleSets = pgTable('alert_rule_sets', {
  version: integer('version').primaryKey(),
  /** the RuleSet (src/domain/alerts/types.ts) */
  definition: jsonb('definition').notNull(),
  reason: text('reason').notNull(),
  /** config = loaded from config/<city>/alert-rules.json */
  source: text('source').notNull().default('manual'),
  createdBy: bigint('created_by', { mode: 'number' }),
  createdByName: text('created_by_name'),
  /** the backtest over the history when it was saved (src/domain/alerts/backtest.ts BacktestResult) */
  backtest: jsonb('backtest'),
  createdAt: createdAt(),
});

/**
 * An alert: a firm, cluster or county (subject_key 'firm:<id>' | 'cluster:<code>' | 'county:<code>'), the
 * signal, its level and the evidence. `open` until closed or marked a false alarm; at most one open alert
 * per subject and signal (the partial unique index), later firings refresh or escalate it.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    subjectKind: text('subject_kind').notNull(),
    subjectKey: text('subject_key').notNull(),
    enterpriseId: bigint('enterprise_id', { mode: 'number' }),
    clusterCode: text('cluster_code'),
    /** the firm's county or the county subject; null for a cluster */
    regionCode: text('region_code'),
    signal: text('signal').notNull(),
    ruleId: text('rule_id').notNull(),
    level: text('level').notNull(),
    ruleSetVersion: integer('rule_set_version').notNull(),
    firstMonth: date('first_month').notNull(),
    lastMonth: date('last_month').notNull(),
    /** [{ month, values: { signal: value } }] of the latest firing */
    evidence: jsonb('evidence').notNull(),
    /** open | verifying (核实) | visited (走访) | supporting (帮扶) | closed (关闭) | false_alarm (误报) */
    status: text('status').notNull().default('open'),
    open: boolean('open').notNull().default(true),
    /** the work item that carries its handling (work items capability), once linked */
    workItemId: bigint('work_item_id', { mode: 'number' }),
    closedReason: text('closed_reason'),
    /** when handling is due (working days by level, counted by the work-item calendar) */
    deadlineAt: timestamp('deadline_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('alerts_open_subject_signal_idx')
      .on(t.subjectKey, t.signal)
      .where(sql`open`),
    index('alerts_region_idx').on(t.regionCode, t.open),
    index('alerts_cluster_idx').on(t.clusterCode, t.open),
    index('alerts_enterprise_idx').on(t.enterpriseId),
    index('alerts_last_month_idx').on(t.lastMonth),
  ],
);

/**
 * Each alert's history: its changes by the data (raised, escalated, de-escalated, another rule — a firing that
 * repeats its rule and level logs nothing) and its handling by people. Never rewritten.
 */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    alertId: bigint('alert_id', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** raised | refreshed (another rule, same level) | escalated | deescalated | assigned | verify | visit |
     * support | close | false_alarm | overdue */
    kind: text('kind').notNull(),
    month: date('month'),
    level: text('level'),
    ruleId: text('rule_id'),
    evidence: jsonb('evidence'),
    reason: text('reason'),
    userId: bigint('user_id', { mode: 'number' }),
    username: text('username'),
  },
  (t) => [index('alert_events_alert_idx').on(t.alertId, t.id)],
);

/** One evaluation of a month (after an import, on demand, for the demo) with its counts. */
export const alertEvaluations = pgTable('alert_evaluations', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  month: date('month').notNull(),
  ruleSetVersion: integer('rule_set_version').notNull(),
  /** import | demand | demo */
  trigger: text('trigger').notNull(),
  importId: bigint('import_id', { mode: 'number' }),
  counts: jsonb('counts').notNull(),
  seconds: jsonb('seconds'),
  createdAt: createdAt(),
});

/**
 * A backtest of a rule set over the history, run in the background (a replay of every firm's months
 * takes minutes on a city's data): requested by POST, read by GET. `data_stamp` is the facts' state it
 * replays (row count, latest import, latest month), so a result is known to be current or not.
 */
export const alertBacktests = pgTable(
  'alert_backtests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** the rule set replayed (RuleSet) and its version when it is the one in force */
    definition: jsonb('definition').notNull(),
    ruleSetVersion: integer('rule_set_version'),
    dataStamp: text('data_stamp').notNull(),
    /** queued | running | done | failed */
    status: text('status').notNull(),
    /** 0–100 (firms replayed) */
    progress: integer('progress').notNull().default(0),
    /** the BacktestView (src/modules/alerts/schemas.ts) once done */
    result: jsonb('result'),
    error: text('error'),
    requestedBy: bigint('requested_by', { mode: 'number' }),
    requestedByName: text('requested_by_name').notNull(),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('alert_backtests_status_idx').on(t.status, t.id)],
);
