// 断链 risk as the monthly evaluation reads it (chainNodeTotals: sums per node and month from the database,
// near ties summed exactly) against chainBreakNodes on the nodes' outputs read row by row, on every test
// database, and the same from the firms read ahead (ChainNodeTally); and the chain signal of a month the
// rules look back at but the run does not evaluate (none: only the evaluated months are read), pinned
// through the evaluation's own signal reader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { enterpriseClusters, enterprises, monthlyStats } from '../../src/db/schema.ts';
import { chainBreakNodes, historyMonthsFor } from '../../src/domain/alerts/index.ts';
import { monthsBetween } from '../../src/domain/periods.ts';
import { chainNodeList, chainNodeTotals, rawFirmSlices } from '../../src/modules/alerts/facts.ts';
import { ChainNodeTally } from '../../src/modules/alerts/chain-tally.ts';
import { takenApart } from '../../src/modules/alerts/read-ahead.ts';
import { chainNodeAtRisk } from '../../src/domain/alerts/index.ts';
import { subjectSignals } from '../../src/modules/alerts/evaluate.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, fixtureUscc } from '../helpers/fixtures.ts';

const MONTHS = monthsBetween('2026-01', '2026-04');
const EVALUATED = ['2026-03', '2026-04'];

/**
 * Firms by their output in every month (null: reported without an output; `from`: first month reported).
 * tie-up: largest first 0.4 + 0.3 + 0.1 = 0.7999999999999999, CR1 just over 50 % (at risk), 50 % in another
 * order; tie-down: 0.9, 0.6, 0.3 the other way round (not at risk); spread 100/90/80 is sound; lone has one
 * firm with an output (the other reports none); none has no firm; late's third firm reports from March
 * (before, 90 of 170 is one firm over half);
 * kept-off's second firm is placed but not assigned.
 */
const FIRMS: { key: string; output: number | null; from?: string }[] = [
  { key: 'a', output: 0.4 },
  { key: 'b', output: 0.3 },
  { key: 'c', output: 0.1 },
  { key: 'd', output: 0.9 },
  { key: 'e', output: 0.6 },
  { key: 'f', output: 100 },
  { key: 'g', output: 90 },
  { key: 'h', output: 80 },
  { key: 'i', output: null },
  { key: 'j', output: 70, from: '2026-03' },
];
const NODES: Record<string, string[]> = {
  'tie-up': ['a', 'b', 'c'],
  'tie-down': ['d', 'e', 'b'],
  spread: ['f', 'g', 'h'],
  lone: ['f', 'i'],
  none: [],
  late: ['g', 'h', 'j'],
  'kept-off': ['h', 'f'],
};

describe.each(testDatabases())('chain-node signals of the monthly evaluation ($kind)', (t) => {
  let d: Database;
  const id: Record<string, number> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    const rows = await d.db
      .insert(enterprises)
      .values(
        FIRMS.map((f, n) => ({
          uscc: fixtureUscc(950 + n, NANHU),
          name: `链节点测试${f.key}有限公司`,
          regionCode: NANHU,
          industryCode: '1711',
          scale: 'above' as const,
        })),
      )
      .returning({ id: enterprises.id });
    FIRMS.forEach((f, n) => (id[f.key] = rows[n]!.id));
    await d.db.insert(enterpriseClusters).values(
      FIRMS.map((f) => ({
        enterpriseId: id[f.key]!,
        clusterCode: 'textile',
        basis: 'industry_code',
        validFrom: '2019-01-01',
      })),
    );
    await d.db.insert(monthlyStats).values(
      MONTHS.flatMap((m) =>
        FIRMS.filter((f) => !f.from || m >= f.from).map((f) => ({
          enterpriseId: id[f.key]!,
          month: `${m}-01`,
          outputValue: f.output,
          revenue: 100,
          profit: 10,
          electricity: 10,
          employees: 20,
        })),
      ),
    );
    await d.db.execute(
      sql`insert into chains (code, cluster_code, name) values ('textile', 'textile', '纺织服装产业链')
          on conflict do nothing`,
    );
    for (const node of Object.keys(NODES))
      await d.db.execute(
        sql`insert into chain_nodes (chain_code, code, name, stage) values ('textile', ${node}, ${node}, 'midstream')`,
      );
    for (const [node, keys] of Object.entries(NODES))
      for (const k of keys)
        await d.db.execute(
          sql`insert into enterprise_chain_nodes (enterprise_id, chain_code, node_code, basis, match, assigned)
              values (${id[k]!}, 'textile', ${node}, 'confirmed', 'manual', ${!(node === 'kept-off' && k === 'f')})`,
        );
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  it('sums of every node and month give the verdicts of the outputs, near ties included', async () => {
    const got = await chainNodeTotals(d.db, EVALUATED);
    // the reference: each node's outputs in the month, row by row, and chainBreakNodes on them
    const facts = await queryRows<{ m: string; cluster: string; node: string; output: number | null }>(
      d.db,
      sql`select to_char(ms.month, 'YYYY-MM') as m, e.chain_code as cluster, e.node_code as node, ms.output_value as output
          from monthly_stats ms join enterprise_chain_nodes e on e.enterprise_id = ms.enterprise_id and e.assigned
          where ms.month in ('2026-03-01', '2026-04-01')`,
    );
    const nodes = await queryRows<{ cluster: string; node: string }>(
      d.db,
      sql`select n.chain_code as cluster, n.code as node from chain_nodes n join clusters c on c.code = n.chain_code`,
    );
    for (const m of EVALUATED) {
      const lists = nodes.map((n) => ({
        key: `${n.cluster}/${n.node}`,
        node: n.node,
        outputs: facts
          .filter((f) => f.m === m && f.cluster === n.cluster && f.node === n.node && f.output != null)
          .map((f) => f.output!),
      }));
      const want = chainBreakNodes(lists.map((l) => ({ node: l.key, outputs: l.outputs }))).sort();
      const mine = got.filter((n) => n.month === m);
      expect(mine.map((n) => `${n.cluster}/${n.node}`).sort()).toEqual(lists.map((l) => l.key).sort());
      expect(mine.every((n) => chainNodeAtRisk(n) !== null)).toBe(true);
      expect(
        mine
          .filter((n) => chainNodeAtRisk(n))
          .map((n) => `${n.cluster}/${n.node}`)
          .sort(),
      ).toEqual(want);
    }
    const textile = (m: string) =>
      got
        .filter((n) => n.month === m && n.cluster === 'textile' && chainNodeAtRisk(n))
        .map((n) => n.node)
        .sort();
    expect(textile('2026-04')).toEqual(['kept-off', 'lone', 'none', 'tie-up']);
    // the near ties were summed exactly (largest first), the others left as the database summed them
    const tie = got.find((n) => n.month === '2026-04' && n.node === 'tie-up')!;
    expect(tie).toMatchObject({ firms: 3, top: 0.4, total: 0.4 + 0.3 + 0.1, exact: true });
    expect(got.find((n) => n.month === '2026-04' && n.node === 'spread')!.exact).toBe(false);
  });

  it('the firms read ahead, tallied on their nodes, answer as chainNodeTotals: every node in its order, the same verdicts', async () => {
    // what the import's evaluation beside the other hooks does (evaluateMonthsBeside): no statement of its own
    const tally = new ChainNodeTally(EVALUATED, await chainNodeList(d.db));
    // in a transaction, as the import reads them: on PostgreSQL each slice a binary COPY on its connection
    let copied = 0;
    await d.db.transaction((tx) =>
      rawFirmSlices(tx, historyMonthsFor(MONTHS), async (slice) => {
        if ('copied' in slice) copied++;
        for await (const turn of takenApart(slice)) for (const f of turn) tally.add(f);
      }),
    );
    expect(copied > 0).toBe(d.kind === 'postgres');
    const got = tally.result();
    const want = await chainNodeTotals(d.db, EVALUATED);
    expect(got.map((n) => [n.month, n.cluster, n.node, n.firms])).toEqual(
      want.map((n) => [n.month, n.cluster, n.node, n.firms]),
    );
    expect(got.map((n) => chainNodeAtRisk(n))).toEqual(want.map((n) => chainNodeAtRisk(n)));
    // every total summed largest first: the near tie's too
    expect(got.every((n) => n.exact)).toBe(true);
    expect(got.find((n) => n.month === '2026-04' && n.node === 'tie-up')).toMatchObject({
      firms: 3,
      top: 0.4,
      total: 0.4 + 0.3 + 0.1,
    });
  });

  it('the chain signal is read for the evaluated months only, not for the months their rules look back at', async () => {
    const { subjects } = await subjectSignals(d.db, MONTHS, EVALUATED);
    const series = subjects.find((s) => s.key === 'cluster:textile')!.series;
    // February and January precede the run: no chain signal there (a chain rule over 2 months cannot reach
    // back into them), though late was at risk then
    expect(MONTHS.map((m) => series.get(m)?.chain_break_nodes)).toEqual([undefined, undefined, 4, 4]);
    expect(series.get('2026-02')?.cr1).toBeDefined();
  });
});
