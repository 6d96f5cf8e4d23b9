// The alert writer's staging (src/modules/alerts/stage.ts) on every test database: the firings written as
// lines of COPY's text format by its own writer must come back from the staging table exactly as they went
// in — texts holding the characters the format escapes (backslash, tab, newline, carriage return) and those
// it does not (quotes, commas, Chinese), an empty text apart from a null, evidence whose JSON holds
// backslashes — whether staged as they come (stageFirings, one COPY per chunk) or encoded first and copied
// later (encodeFirings and stageEncoded, the import's path beside the rollups), across several chunks and
// pieces; and the counts per month must be the plan's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../../src/db/client.ts';
import type { Firing, Level, SignalKey } from '../../src/domain/alerts/index.ts';
import { monthsBetween, type Month } from '../../src/domain/periods.ts';
import { firingRuns, type StagedFiring } from '../../src/modules/alerts/firing-runs.ts';
import { withDb } from '../../src/modules/alerts/tx.ts';
import {
  encodeFirings,
  stagedLine,
  stagedPlan,
  stageEncoded,
  stageFirings,
} from '../../src/modules/alerts/stage.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

const LEVELS: Level[] = ['yellow', 'orange', 'red'];
const SIGNALS: SignalKey[] = ['electricity_index', 'output_yoy'];

/** Texts a registry or a rule set may hold: every character COPY's text format escapes, and others. */
const ODD = ['a\\b', 'tab\there', 'line\nbreak', 'cr\rlf\r\n', '"quoted", comma', '嘉兴\\N', '\\.', ''];

/** Firings of `firms` firms over the months, some with odd rule ids and regions, one evidence shared. */
function rows(firms: number, months: Month[]): StagedFiring[] {
  const out: StagedFiring[] = [];
  const next = { seq: 0 };
  // one evidence object carried by many firings (as the firms evaluated by their reporting alone share one)
  const shared = [{ month: '2025-01', values: { electricity_index: 0.5 } }] as Firing['evidence'];
  for (let id = 1; id <= firms; id++) {
    const odd = ODD[id % ODD.length]!;
    const byMonth = new Map<Month, Firing[]>();
    months.forEach((month, i) =>
      byMonth.set(
        month,
        SIGNALS.filter((_, s) => (id + i + s) % 3 !== 0).map((signal, s) => ({
          ruleId: id % 7 === 0 ? `rule ${odd}` : `${signal}-${(id + i) % 2 ? 'a' : 'b'}`,
          signal,
          level: LEVELS[(id * (i + 1) + s) % 3]!,
          month,
          evidence:
            id % 5 === 0
              ? shared
              : // a text in the evidence: its JSON holds backslashes (escaped quotes, a backslash, \n)
                ([
                  { month, values: { [signal]: id / 10 }, note: `"${odd}"` },
                ] as unknown as Firing['evidence']),
        })),
      ),
    );
    out.push(
      ...firingRuns(
        {
          kind: id % 11 === 0 ? 'county' : 'firm',
          key: id % 11 === 0 ? `county:${odd}${id}` : `firm:${id}`,
          enterpriseId: id % 11 === 0 ? null : id,
          clusterCode: id % 13 === 0 ? odd : null,
          regionCode: id % 4 === 0 ? odd : '330402',
        },
        months,
        (m) => byMonth.get(m) ?? [],
        new Map(),
        next,
      ),
    );
  }
  return out;
}

/** What the staging table must hold for the rows: each with its plan, null where it has none. */
const expected = (list: StagedFiring[]) =>
  list.map((r) => ({
    seq: r.seq,
    subject_kind: r.subject_kind,
    subject_key: r.subject_key,
    enterprise_id: r.enterprise_id,
    cluster_code: r.cluster_code,
    region_code: r.region_code,
    signal: r.signal,
    rule_id: r.rule_id,
    level: r.level,
    month: r.month,
    evidence: JSON.parse(JSON.stringify(r.evidence)) as unknown,
    n: r.n,
    last: r.last,
    first_month: r.first_month,
    first_level: r.first_level,
    first_seq: r.first_seq,
    ...stagedPlan(r),
  }));

/** The counts per month the plan gives the rows (created, escalated, events). */
function expectedCounts(list: StagedFiring[]) {
  const counts = new Map<string, { month: string; created: number; escalated: number; events: number }>();
  for (const r of list) {
    const c = counts.get(r.month) ?? { month: r.month, created: 0, escalated: 0, events: 0 };
    counts.set(r.month, c);
    const plan = stagedPlan(r);
    if (plan.action === 'create') c.created++;
    if (plan.action === 'escalate') c.escalated++;
    if (plan.event) c.events++;
  }
  return [...counts.values()].sort((a, b) => a.month.localeCompare(b.month));
}

const staged = async (tx: Db) => ({
  rows: await queryRows(
    tx,
    sql`select seq, subject_kind, subject_key, enterprise_id::int as enterprise_id, cluster_code, region_code,
          signal, rule_id, level, to_char(month, 'YYYY-MM-DD') as month, evidence, n, last,
          to_char(first_month, 'YYYY-MM-DD') as first_month, first_level, first_seq, action, event
        from alert_firings order by seq`,
  ),
  counts: await queryRows(
    tx,
    sql`select to_char(month, 'YYYY-MM-DD') as month, created, escalated, events
        from alert_firing_counts order by month`,
  ),
});

describe('a staged line', () => {
  it('escapes what COPY’s text format reads as an escape, and stages a null as \\N', () => {
    const [row] = rows(7, ['2025-01']).filter((r) => r.rule_id.startsWith('rule'));
    const line = stagedLine({ ...row!, rule_id: 'a\\b\tc\nd\re', cluster_code: null }, stagedPlan(row!));
    const fields = line.slice(0, -1).split('\t');
    // the run's place (stage.ts RunPlaces) last: none given here
    expect(fields).toHaveLength(19);
    expect(fields[4]).toBe('\\N');
    expect(fields[18]).toBe('\\N');
    expect(fields[7]).toBe('a\\\\b\\tc\\nd\\re');
    expect(line.endsWith('\n')).toBe(true);
  });
});

describe.each(testDatabases())('alert staging ($kind)', (t) => {
  let d: Database;
  beforeAll(async () => {
    d = await openReadyDatabase(t);
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  // ≈ 17,000 rows: two chunks of stageFirings and two pieces of encodeFirings
  const list = rows(2_500, monthsBetween('2025-01', '2025-06'));

  it('stages the rows as they come exactly as they went in, with their plan and counts', async () => {
    expect(list.length).toBeGreaterThan(10_000);
    await withDb(d.db, async (tx) => {
      expect(await stageFirings(tx, list)).toBe(list.length);
      const got = await staged(tx);
      expect(got.rows).toEqual(expected(list));
      expect(got.counts).toEqual(expectedCounts(list));
    });
  });

  it('stages the rows encoded before the same way', async () => {
    const encoded = await encodeFirings(list);
    expect(encoded.pieces.length).toBeGreaterThan(1);
    expect(encoded.rows).toBe(list.length);
    await withDb(d.db, async (tx) => {
      expect(await stageEncoded(tx, encoded)).toBe(list.length);
      const got = await staged(tx);
      expect(got.rows).toEqual(expected(list));
      expect(got.counts).toEqual(expectedCounts(list));
    });
  });
});
