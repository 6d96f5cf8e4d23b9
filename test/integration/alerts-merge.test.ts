// The alert writer's merge (src/modules/alerts/write.ts) on every test database, against a model of what it
// must write, on firings made up here and placed in their runs by firing-runs.ts as the evaluation places
// them: a backfill of more than BULK_ALERTS new alerts into empty tables (the path that drops and rebuilds
// the alerts' and events' indexes), then a later evaluation whose runs partly meet the alerts it left open
// (the path that places those runs again in SQL) and partly raise new ones, row by row. The alerts, their ids
// (in the order of their first firings), the events and their ids (in month order) and the counts per month
// must be the model's exactly, and the indexes must be as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../../src/db/client.ts';
import { LEVEL_RANK, type Firing, type Level, type SignalKey } from '../../src/domain/alerts/index.ts';
import { addMonths, monthsBetween, type Month } from '../../src/domain/periods.ts';
import {
  firingPattern,
  firingRuns,
  type FiringPattern,
  type PatternSubject,
  type StagedFiring,
} from '../../src/modules/alerts/firing-runs.ts';
import { currentRuleSet } from '../../src/modules/alerts/rules.ts';
import { withDb } from '../../src/modules/alerts/tx.ts';
import { encodeFirings, stageEncoded, stageFirings } from '../../src/modules/alerts/stage.ts';
import { mergeFirings } from '../../src/modules/alerts/write.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

const actor = { id: null, username: 'fixture' };
const SIGNALS: SignalKey[] = ['electricity_index', 'output_yoy'];
const LEVELS: Level[] = ['yellow', 'orange', 'red'];

/** A small deterministic generator (the same firings on every run). */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** Made-up firings of `subjects` firms over `months`: runs with gaps, levels and rules that change. */
function firingsOf(subjects: number[], months: Month[], seed: number): Map<number, Map<Month, Firing[]>> {
  const next = random(seed);
  const out = new Map<number, Map<Month, Firing[]>>();
  for (const id of subjects) {
    const byMonth = new Map<Month, Firing[]>();
    for (const month of months)
      for (const signal of SIGNALS) {
        if (next() < 0.4) continue;
        const level = LEVELS[Math.floor(next() * next() * 3)]!;
        const f: Firing = {
          ruleId: `${signal}-${next() < 0.8 ? 'a' : 'b'}`,
          signal,
          level,
          month,
          evidence: [{ month, values: { [signal]: Math.round(next() * 1000) / 10 } }],
        };
        byMonth.set(month, [...(byMonth.get(month) ?? []), f]);
      }
    out.set(id, byMonth);
  }
  return out;
}

/** The staged rows of the firings, as the evaluation hands them to the writer. */
function staged(firings: Map<number, Map<Month, Firing[]>>, months: Month[]): StagedFiring[] {
  const rows: StagedFiring[] = [];
  const next = { seq: 0 };
  for (const [id, byMonth] of firings)
    rows.push(
      ...firingRuns(
        { kind: 'firm', key: `firm:${id}`, enterpriseId: id, clusterCode: null, regionCode: '330402' },
        months,
        (m) => byMonth.get(m) ?? [],
        new Map(),
        next,
      ),
    );
  return rows;
}

interface ModelAlert {
  id: number;
  subject_key: string;
  signal: string;
  rule_id: string;
  level: string;
  first_month: string;
  last_month: string;
  evidence: unknown;
  refreshed: boolean;
}
interface ModelEvent {
  id: number;
  alert_id: number;
  kind: string;
  month: string;
  level: string;
  rule_id: string;
  evidence: unknown;
}
interface Model {
  alerts: Map<string, ModelAlert>;
  events: ModelEvent[];
}

const ym = (date: string) => date.slice(0, 7);

/**
 * What the writer must do with `rows` given the alerts `model` holds open (reconcile, engine.ts): a run
 * without an open alert raises one at its first firing; a firing above every level its alert had escalates
 * it; the history logs a change of level or rule against the firing before (or the open alert); a firing
 * of a month before the open alert's latest changes nothing. Answers the counts per month.
 */
function apply(model: Model, rows: StagedFiring[]) {
  const counts = new Map<string, { created: number; escalated: number }>();
  const count = (month: string) => {
    const c = counts.get(ym(month)) ?? { created: 0, escalated: 0 };
    counts.set(ym(month), c);
    return c;
  };
  const runs = new Map<string, StagedFiring[]>();
  for (const r of rows) {
    const k = `${r.subject_key}|${r.signal}`;
    runs.set(k, [...(runs.get(k) ?? []), r]);
  }
  const raised: { first: StagedFiring; rows: StagedFiring[] }[] = [];
  const logged: (Omit<ModelEvent, 'id' | 'alert_id'> & { key: string; seq: number })[] = [];
  for (const [k, run] of runs) {
    const open = model.alerts.get(k);
    let before = open ? { level: open.level, rule: open.rule_id } : null;
    let highest = open ? LEVEL_RANK[open.level as Level] : 0;
    for (const r of run) {
      count(r.month);
      if (open && ym(r.month) < open.last_month) continue;
      const rank = LEVEL_RANK[r.level];
      let kind: string | null = null;
      if (!before) {
        kind = 'raised';
        count(r.month).created++;
      } else {
        if (rank > highest) count(r.month).escalated++;
        const was = LEVEL_RANK[before.level as Level];
        if (rank > highest || rank > was) kind = 'escalated';
        else if (rank < was) kind = 'deescalated';
        else if (r.rule_id !== before.rule) kind = 'refreshed';
      }
      highest = Math.max(highest, rank);
      before = { level: r.level, rule: r.rule_id };
      if (kind)
        logged.push({
          key: k,
          seq: r.seq,
          kind,
          month: ym(r.month),
          level: r.level,
          rule_id: r.rule_id,
          evidence: r.evidence,
        });
    }
    if (open) {
      // the open alert takes its latest firing, and is touched only where something differs
      const latest = run.filter((r) => ym(r.month) >= open.last_month).at(-1);
      const changed =
        latest &&
        (latest.level !== open.level ||
          latest.rule_id !== open.rule_id ||
          JSON.stringify(latest.evidence) !== JSON.stringify(open.evidence) ||
          ym(latest.month) > open.last_month);
      if (changed)
        Object.assign(open, {
          level: latest.level,
          rule_id: latest.rule_id,
          evidence: latest.evidence,
          last_month: ym(latest.month) > open.last_month ? ym(latest.month) : open.last_month,
          refreshed: true,
        });
    } else raised.push({ first: run[0]!, rows: run });
  }
  // new alerts' ids in the order of their first firings, events' in month order
  raised.sort((a, b) => a.first.month.localeCompare(b.first.month) || a.first.seq - b.first.seq);
  let alertId = Math.max(0, ...[...model.alerts.values()].map((a) => a.id));
  for (const { first, rows: run } of raised) {
    const last = run.at(-1)!;
    model.alerts.set(`${first.subject_key}|${first.signal}`, {
      id: ++alertId,
      subject_key: first.subject_key,
      signal: first.signal,
      rule_id: last.rule_id,
      level: last.level,
      first_month: ym(first.month),
      last_month: ym(last.month),
      evidence: last.evidence,
      refreshed: run.length > 1,
    });
  }
  logged.sort((a, b) => a.month.localeCompare(b.month) || a.seq - b.seq);
  let eventId = model.events.length;
  for (const { key, seq: _seq, ...e } of logged)
    model.events.push({ id: ++eventId, alert_id: model.alerts.get(key)!.id, ...e });
  return counts;
}

/** Counts without the months where nothing was raised or escalated, in month order. */
const raisedOrEscalated = (counts: Map<string, { created: number; escalated: number }>) =>
  [...counts]
    .filter(([, c]) => c.created || c.escalated)
    .map(([month, c]) => ({ month, created: c.created, escalated: c.escalated }))
    .sort((a, b) => a.month.localeCompare(b.month));

/** What a merge wrote: the alerts and events (times left out but whether an alert was refreshed), and the indexes. */
const written = async (db: Db) => ({
  alerts: await queryRows<ModelAlert>(
    db,
    sql`select id::int as id, subject_key, signal, rule_id, level, to_char(first_month, 'YYYY-MM') as first_month,
          to_char(last_month, 'YYYY-MM') as last_month, evidence, updated_at <> created_at as refreshed
        from alerts order by id`,
  ),
  events: await queryRows<ModelEvent>(
    db,
    sql`select id::int as id, alert_id::int as alert_id, kind, to_char(month, 'YYYY-MM') as month, level, rule_id,
          evidence
        from alert_events order by id`,
  ),
  indexes: await queryRows<{ def: string }>(
    db,
    sql`select indexdef as def from pg_indexes where tablename in ('alerts', 'alert_events') order by indexname`,
  ),
});

describe.each(testDatabases())('alert merge against its model ($kind)', (t) => {
  let d: Database;
  beforeAll(async () => {
    d = await openReadyDatabase(t);
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  const merge = (rows: StagedFiring[]) =>
    withDb(d.db, async (tx) => {
      const rs = await currentRuleSet(tx);
      expect(await stageFirings(tx, rows)).toBe(rows.length);
      return mergeFirings(tx, rs.definition, rs.version, actor);
    });

  it('writes a backfill of more than 20,000 new alerts, then a later evaluation meeting them, as the model', async () => {
    const model: Model = { alerts: new Map(), events: [] };
    const indexes = (await written(d.db)).indexes;

    // a backfill: 11,500 firms, four months, two signals (≈ 22,000 runs) into empty tables
    const months = monthsBetween('2025-01', '2025-04');
    const firms = Array.from({ length: 11_500 }, (_, i) => i + 1);
    const first = staged(firingsOf(firms, months, 7), months);
    const expected = apply(model, first);
    expect(model.alerts.size).toBeGreaterThan(20_000);
    const counts = await merge(first);
    expect(raisedOrEscalated(counts)).toEqual(raisedOrEscalated(expected));
    let now = await written(d.db);
    expect(now.indexes).toEqual(indexes);
    expect(now.alerts).toEqual([...model.alerts.values()].sort((a, b) => a.id - b.id));
    expect(now.events).toEqual(model.events);

    // a later evaluation, from the backfill's last month on: a few hundred of the same firms (runs that meet
    // an open alert, from before its latest month too) and new ones, below the bulk size
    const later = monthsBetween('2025-03', addMonths('2025-04', 3));
    const some = [...firms.slice(0, 300), ...Array.from({ length: 200 }, (_, i) => 20_001 + i)];
    const second = staged(firingsOf(some, later, 11), later);
    const expectedLater = apply(model, second);
    expect(raisedOrEscalated(expectedLater).length).toBeGreaterThan(0);
    const countsLater = await merge(second);
    expect(raisedOrEscalated(countsLater)).toEqual(raisedOrEscalated(expectedLater));
    now = await written(d.db);
    expect(now.indexes).toEqual(indexes);
    expect(now.alerts).toEqual([...model.alerts.values()].sort((a, b) => a.id - b.id));
    expect(now.events).toEqual(model.events);
  }, 300_000);
});

/**
 * The staged items of the firings as the import's evaluation hands them to the encoder: the firms whose map
 * of firings is shared (`shared`, as UnreportedFirings shares them) as their pattern's, the others as rows;
 * and every row as if each firm were staged one by one (the model's).
 */
function stagedItems(
  firings: Map<number, Map<Month, Firing[]>>,
  months: Month[],
  shared: Set<Map<Month, Firing[]>>,
) {
  const items: (StagedFiring | PatternSubject)[] = [];
  const patterns = new Map<Map<Month, Firing[]>, FiringPattern>();
  const next = { seq: 0 };
  for (const [id, byMonth] of firings) {
    const subject = {
      kind: 'firm' as const,
      key: `firm:${id}`,
      enterpriseId: id,
      clusterCode: null,
      regionCode: '330402',
    };
    if (!shared.has(byMonth)) {
      items.push(...firingRuns(subject, months, (m) => byMonth.get(m) ?? [], new Map(), next));
      continue;
    }
    let pattern = patterns.get(byMonth);
    if (!pattern)
      patterns.set(
        byMonth,
        (pattern = firingPattern(subject, months, (m) => byMonth.get(m) ?? [], patterns.size)),
      );
    items.push({ subject, seq: next.seq, pattern });
    next.seq += pattern.rows.length;
  }
  return { items, rows: staged(firings, months) };
}

describe.each(testDatabases())(
  'alert merge of firms staged as their pattern’s, against its model ($kind)',
  (t) => {
    let d: Database;
    beforeAll(async () => {
      d = await openReadyDatabase(t);
    });
    afterAll(async () => {
      if (d) await t.dispose(d);
    });

    const merge = (items: (StagedFiring | PatternSubject)[], rows: number) =>
      withDb(d.db, async (tx) => {
        const rs = await currentRuleSet(tx);
        expect(await stageEncoded(tx, await encodeFirings(items))).toBe(rows);
        return mergeFirings(tx, rs.definition, rs.version, actor);
      });

    it('writes what the rows staged one by one would, beside other firms and against open alerts', async () => {
      const model: Model = { alerts: new Map(), events: [] };
      // three patterns shared by 300 firms among 100 firms of their own, two signals: a pattern's rows of one
      // signal and of both
      const months = monthsBetween('2025-01', '2025-04');
      const own = firingsOf(
        Array.from({ length: 100 }, (_, i) => i + 1),
        months,
        5,
      );
      const patterns = [...firingsOf([1, 2, 3], months, 13).values()];
      const shared = new Set(patterns);
      const firings = new Map<number, Map<Month, Firing[]>>();
      for (let id = 1; id <= 400; id++) firings.set(id, id % 4 === 0 ? own.get(id / 4)! : patterns[id % 3]!);
      const first = stagedItems(firings, months, shared);
      expect(first.items.length).toBeLessThan(first.rows.length);
      const expected = apply(model, first.rows);
      const counts = await merge(first.items, first.rows.length);
      expect(raisedOrEscalated(counts)).toEqual(raisedOrEscalated(expected));
      let now = await written(d.db);
      expect(now.alerts).toEqual([...model.alerts.values()].sort((a, b) => a.id - b.id));
      expect(now.events).toEqual(model.events);

      // later: the same firms' patterns meet the alerts they left open, new firms' do not
      const later = monthsBetween('2025-03', addMonths('2025-04', 3));
      const laterPatterns = [...firingsOf([1, 2], later, 17).values()];
      const laterFirings = new Map<number, Map<Month, Firing[]>>();
      for (let id = 1; id <= 300; id++) laterFirings.set(id, laterPatterns[id % 2]!);
      for (let id = 1000; id < 1100; id++) laterFirings.set(id, laterPatterns[id % 2]!);
      const second = stagedItems(laterFirings, later, new Set(laterPatterns));
      const expectedLater = apply(model, second.rows);
      const countsLater = await merge(second.items, second.rows.length);
      expect(raisedOrEscalated(countsLater)).toEqual(raisedOrEscalated(expectedLater));
      now = await written(d.db);
      expect(now.alerts).toEqual([...model.alerts.values()].sort((a, b) => a.id - b.id));
      expect(now.events).toEqual(model.events);
    }, 300_000);
  },
);

/** What a merge wrote with ids counted from the first of each table (sequences do not roll back). */
const relative = (w: Awaited<ReturnType<typeof written>>) => {
  const a0 = w.alerts[0]?.id ?? 0;
  const e0 = w.events[0]?.id ?? 0;
  return {
    alerts: w.alerts.map((a) => ({ ...a, id: a.id - a0 })),
    events: w.events.map((e) => ({ ...e, id: e.id - e0, alert_id: e.alert_id - a0 })),
  };
};

describe.each(testDatabases())('new alerts’ ids given by their runs’ places or by the join ($kind)', (t) => {
  let d: Database;
  beforeAll(async () => {
    d = await openReadyDatabase(t);
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  /** The merge of `stage`'s rows in a transaction rolled back; `joined` takes the general path (write.ts). */
  const mergedOnce = async (stage: (tx: Db) => Promise<unknown>, joined: boolean) => {
    let out: Awaited<ReturnType<typeof written>> | undefined;
    let counts: Map<string, { created: number; escalated: number }> | undefined;
    await withDb(d.db, async (tx) => {
      const rs = await currentRuleSet(tx);
      await stage(tx);
      if (joined) await tx.execute(sql`update alert_firing_counts set ranked = false`);
      counts = await mergeFirings(tx, rs.definition, rs.version, actor);
      out = await written(tx);
      throw new Error('rolled back');
    }).catch((e: unknown) => {
      if (!(e instanceof Error) || e.message !== 'rolled back') throw e;
    });
    return { written: relative(out!), counts: raisedOrEscalated(counts!) };
  };

  it('writes the same alerts, ids and events both ways, patterns and rows of several months mixed', async () => {
    // firms of their own and of three patterns, runs starting in every month, two signals (some of a
    // pattern's runs start after another firm's of the same month: the places interleave)
    const months = monthsBetween('2025-01', '2025-05');
    const own = firingsOf(
      Array.from({ length: 150 }, (_, i) => i + 1),
      months,
      23,
    );
    const patterns = [...firingsOf([1, 2, 3], months, 29).values()];
    const firings = new Map<number, Map<Month, Firing[]>>();
    for (let id = 1; id <= 450; id++) firings.set(id, id % 3 === 0 ? own.get(id / 3)! : patterns[id % 3]!);
    const { items, rows } = stagedItems(firings, months, new Set(patterns));
    const encoded = await encodeFirings(items);
    expect(encoded.ranked).toBe(true);
    const model: Model = { alerts: new Map(), events: [] };
    const expected = raisedOrEscalated(apply(model, rows));

    const ranked = await mergedOnce((tx) => stageEncoded(tx, encoded), false);
    const joined = await mergedOnce((tx) => stageEncoded(tx, encoded), true);
    expect(ranked.written.alerts.length).toBe(model.alerts.size);
    expect(ranked.written.events.length).toBe(model.events.length);
    expect(ranked).toEqual(joined);
    expect(ranked.counts).toEqual(expected);
    // as the model gives them, ids in the order of the runs' first firings
    expect(ranked.written).toEqual(
      relative({
        alerts: [...model.alerts.values()].sort((a, b) => a.id - b.id),
        events: model.events,
        indexes: [],
      }),
    );

    // the same rows staged one by one, in emission order (places given) and out of it (the general path)
    const byRows = await mergedOnce((tx) => stageFirings(tx, rows), false);
    expect(byRows).toEqual(ranked);
    const shuffled = [...rows].reverse();
    const outOfOrder = await encodeFirings(shuffled);
    expect(outOfOrder.ranked).toBe(false);
    expect(await mergedOnce((tx) => stageFirings(tx, shuffled), false)).toEqual(ranked);
  }, 120_000);
});
