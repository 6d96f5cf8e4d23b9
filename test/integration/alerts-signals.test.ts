// The alert signals that come from other capabilities, on every test database, with numbers computed by
// hand: 亩均 class drop (published evaluation runs), 断链 risk (chain placements and the month's output),
// project delay and investment growth against the city (project library). A small explicit fixture, one
// evaluation through the monthly facts-changed hook, and the alerts it raises with the values that fired them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { enterpriseClusters, enterprises, monthlyStats } from '../../src/db/schema.ts';
import { monthsBetween } from '../../src/domain/periods.ts';
import { runFactsChanged } from '../../src/modules/imports/service.ts';
import { registerFactsHooks } from '../../src/composition.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PINGHU, TONGXIANG, fixtureUscc } from '../helpers/fixtures.ts';

registerFactsHooks();

const MONTH = '2026-04';

describe.each(testDatabases())('alert signals from other capabilities, by hand ($kind)', (t) => {
  let d: Database;
  const id: Record<'f1' | 'f2' | 'f3' | 'f4', number> = { f1: 0, f2: 0, f3: 0, f4: 0 };
  type AlertRow = {
    subject_key: string;
    signal: string;
    level: string;
    rule_id: string;
    first_month: string;
    evidence: { month: string; values: Record<string, number> }[];
  };
  let alerts: AlertRow[] = [];
  const find = (key: string, signal: string) =>
    alerts.find((a) => a.subject_key === key && a.signal === signal);

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    const firm = (n: number, region: string, name: string) => ({
      uscc: fixtureUscc(900 + n, region),
      name,
      regionCode: region,
      industryCode: n === 3 ? '2651' : '1711',
      scale: 'above' as const,
    });
    const rows = await d.db
      .insert(enterprises)
      .values([
        firm(1, NANHU, '南湖甲纺织有限公司'),
        firm(2, TONGXIANG, '桐乡乙化纤有限公司'),
        firm(3, PINGHU, '平湖丙新材料有限公司'),
        firm(4, NANHU, '南湖丁织造有限公司'),
      ])
      .returning({ id: enterprises.id });
    [id.f1, id.f2, id.f3, id.f4] = rows.map((r) => r.id) as [number, number, number, number];
    await d.db.insert(enterpriseClusters).values(
      [id.f1, id.f2, id.f4]
        .map((e) => ({
          enterpriseId: e,
          clusterCode: 'textile',
          basis: 'industry_code',
          validFrom: '2019-01-01',
        }))
        .concat([
          {
            enterpriseId: id.f3,
            clusterCode: 'chem_materials',
            basis: 'industry_code',
            validFrom: '2019-01-01',
          },
        ]),
    );
    // steady months (I_e = 100, nothing falls): only the signals under test can fire on the firms
    const output = { [id.f1]: 1000, [id.f2]: 1000, [id.f3]: 800, [id.f4]: 100 };
    await d.db.insert(monthlyStats).values(
      monthsBetween('2025-01', MONTH).flatMap((m) =>
        Object.entries(output).map(([e, o]) => ({
          enterpriseId: Number(e),
          month: `${m}-01`,
          outputValue: o,
          revenue: o,
          profit: o / 10,
          tax: o / 20,
          electricity: o / 10,
          employees: 50,
        })),
      ),
    );

    // 亩均: f1 fell A → C (2 steps), f2 stayed B, f3 rose B → A; a draft 2025 run (f2 at D) does not count
    const run = async (year: number, status: string) =>
      (
        await queryRows<{ id: number }>(
          d.db,
          sql`insert into evaluation_runs (year, region_code, rule_set_id, status, version, created_by, summary, benchmarks)
              values (${year}, '330400', 1, ${status}, 1, 'fixture', '{}'::jsonb, '{}'::jsonb) returning id::int as id`,
        )
      )[0]!.id;
    const result = (runId: number, e: number, cls: string) =>
      d.db.execute(
        sql`insert into evaluation_results (run_id, enterprise_id, region_code, scale, evaluated, class, inputs)
            values (${runId}, ${e}, '330402', 'above', true, ${cls}, '{}')`,
      );
    const r24 = await run(2024, 'published');
    const r25 = await run(2025, 'published');
    const draft = await run(2025, 'draft');
    await result(r24, id.f1, 'A');
    await result(r25, id.f1, 'C');
    await result(r24, id.f2, 'B');
    await result(r25, id.f2, 'B');
    await result(draft, id.f2, 'D');
    await result(r24, id.f3, 'B');
    await result(r25, id.f3, 'A');

    // the textile chain: N1 {f1 1000, f2 1000} is sound (CR1 50 %); N2 {f1} has one firm; N3 has none;
    // N4 {f1 1000, f4 100}: one firm holds 1000/1100 = 90.9 % > 50 % → 3 nodes at risk
    await d.db.execute(
      sql`insert into chains (code, cluster_code, name) values ('textile', 'textile', '纺织服装产业链')
          on conflict do nothing`,
    );
    await d.db.execute(
      sql`insert into chain_nodes (chain_code, code, name, stage) values
            ('textile', 'n1', '化纤', 'upstream'), ('textile', 'n2', '印染', 'midstream'),
            ('textile', 'n3', '面料检测', 'midstream'), ('textile', 'n4', '织造', 'midstream')`,
    );
    await d.db.execute(
      sql`insert into enterprise_chain_nodes (enterprise_id, chain_code, node_code, basis, match) values
            (${id.f1}, 'textile', 'n1', 'confirmed', 'manual'), (${id.f2}, 'textile', 'n1', 'confirmed', 'manual'),
            (${id.f1}, 'textile', 'n2', 'confirmed', 'manual'), (${id.f1}, 'textile', 'n4', 'confirmed', 'manual'),
            (${id.f4}, 'textile', 'n4', 'confirmed', 'manual'),
            (${id.f2}, 'textile', 'n2', 'override', 'manual')`,
    );
    // ↑ f2 kept off N2 by a person (assigned = false below): it does not count as a local firm there
    await d.db.execute(
      sql`update enterprise_chain_nodes set assigned = false where enterprise_id = ${id.f2} and node_code = 'n2'`,
    );

    // projects: f1's project should have started 2025-12-15 (136 days late on 2026-04-30 → 4 months);
    // textile (f1's project) invested 100 + 100 in 1–2月 of both years (growth 0 %), chem (no investor
    // firm) 100 → 300 (+200 %): the city 300 → 500 (+66.7 %), textile and 南湖 66.7 points below it
    const project = async (code: string, investor: number | null, cluster: string, region: string) =>
      (
        await queryRows<{ id: number }>(
          d.db,
          sql`insert into projects (code, name, kind, investor_name, investor_enterprise_id, cluster_code, region_code,
                planned_total_investment, stage, status)
              values (${code}, ${code}, 'investment', '投资方', ${investor}, ${cluster}, ${region}, 10000, 'land', 'active')
              returning id::int as id`,
        )
      )[0]!.id;
    const p1 = await project('XM-T-1', id.f1, 'textile', NANHU);
    const p2 = await project('XM-C-1', null, 'chem_materials', PINGHU);
    await d.db.execute(
      sql`insert into project_stages (project_id, stage, planned_date, actual_date) values
            (${p1}, 'land', '2025-06-01', '2025-06-20'), (${p1}, 'started', '2025-12-15', null)`,
    );
    await d.db.execute(
      sql`insert into project_progress (project_id, month, investment_month, investment_cumulative) values
            (${p1}, '2025-01-01', 100, 100), (${p1}, '2025-02-01', 100, 200),
            (${p1}, '2026-01-01', 100, 300), (${p1}, '2026-02-01', 100, 400),
            (${p2}, '2025-02-01', 100, 100), (${p2}, '2026-02-01', 300, 400)`,
    );

    // the monthly run after an import of March and April
    await d.db.transaction((tx) =>
      runFactsChanged(tx as never, {
        kind: 'monthly',
        months: ['2026-03', MONTH],
        importId: 7,
        action: 'commit',
      }),
    );
    alerts = await queryRows<AlertRow>(
      d.db,
      sql`select subject_key, signal, level, rule_id, to_char(first_month, 'YYYY-MM') as first_month, evidence
          from alerts where open order by id`,
    );
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  it('亩均 class drop: the two latest published years, in steps (A → C is 2, orange); drafts do not count', () => {
    expect(find(`firm:${id.f1}`, 'mu_class_drop')).toMatchObject({
      level: 'orange',
      rule_id: 'mu-class-drop-2',
      evidence: [{ month: MONTH, values: { mu_class_drop: 2 } }],
    });
    expect(find(`firm:${id.f2}`, 'mu_class_drop')).toBeUndefined();
    expect(find(`firm:${id.f3}`, 'mu_class_drop')).toBeUndefined();
  });

  it('断链: nodes with 0 or 1 local firm, or one firm over half the output (3 of 4 textile nodes)', () => {
    expect(find('cluster:textile', 'chain_break_nodes')).toMatchObject({
      level: 'yellow',
      rule_id: 'chain-break',
      evidence: [{ month: MONTH, values: { chain_break_nodes: 3 } }],
    });
  });

  it('project delay: the firm’s longest-late project at the month end, in 30-day months', () => {
    expect(find(`firm:${id.f1}`, 'project_delay_months')).toMatchObject({
      level: 'yellow',
      rule_id: 'project-delay-3m',
      evidence: [{ month: MONTH, values: { project_delay_months: 4 } }],
    });
    // raised in March already: 2025-12-15 → 2026-03-31 = 106 days = 3 months; other firms have no project
    expect(find(`firm:${id.f1}`, 'project_delay_months')!.first_month).toBe('2026-03');
    expect(alerts.filter((a) => a.signal === 'project_delay_months')).toHaveLength(1);
  });

  it('investment growth below the city: cluster (1 month) and county (2 months in a row)', () => {
    const gap = -(100 * 200) / 300; // 0 % − 66.67 %
    const cluster = find('cluster:textile', 'investment_growth_gap')!;
    expect(cluster).toMatchObject({ level: 'yellow', rule_id: 'investment-below-city' });
    expect(cluster.evidence[0]!.values.investment_growth_gap).toBeCloseTo(gap, 1);
    const county = find(`county:${NANHU}`, 'investment_growth_gap')!;
    expect(county.rule_id).toBe('county-investment-below-city');
    expect(county.evidence.map((e) => e.month)).toEqual(['2026-03', MONTH]);
    for (const e of county.evidence) expect(e.values.investment_growth_gap).toBeCloseTo(gap, 1);
    expect(find(`county:${PINGHU}`, 'investment_growth_gap')).toBeUndefined();
    expect(find('cluster:chem_materials', 'investment_growth_gap')).toBeUndefined();
  });

  it('both months of the import were evaluated; the orange class drop opened one enterprise request', async () => {
    const runs = await queryRows<{ m: string }>(
      d.db,
      sql`select to_char(month, 'YYYY-MM') as m from alert_evaluations where import_id = 7 order by id`,
    );
    expect(runs.map((r) => r.m)).toEqual(['2026-03', MONTH]);
    const requests = await queryRows<{ enterprise_id: number; channel: string; signal: string }>(
      d.db,
      sql`select r.enterprise_id::int as enterprise_id, r.channel, a.signal from service_requests r
          join alerts a on a.id = r.alert_id`,
    );
    expect(requests).toEqual([{ enterprise_id: id.f1, channel: 'alert', signal: 'mu_class_drop' }]);
  });
});
