// On demo data (a small generated city with its projects and demo reports): every target of both sets shows
// a figure or an honest 未填报 naming its lead unit — none "not measured" — the investment-growth target is
// computed from the project reports (equal to the growth worked out here from the raw reports), and the
// demo reports are believable (approved, returned with a reason, awaiting review).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { openDatabase, queryRows, runMigrations, type Database } from '../../src/db/client.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { loadReferenceData } from '../../src/modules/reference/service.ts';
import { generateDemoProjects } from '../../src/modules/projects/demo.ts';
import { generateDemoTargetReports } from '../../src/modules/targets/demo.ts';
import { ledger } from '../../src/modules/targets/index.ts';
import { countyAlertHandling, evaluateDemoAlerts, handleDemoAlerts } from '../../src/modules/alerts/index.ts';

describe('targets on demo data', () => {
  let d: Database;

  beforeAll(async () => {
    const config = await loadCityConfig(resolveCityDir('jiaxing'));
    d = await openDatabase({ dataDir: 'memory://' });
    await runMigrations(d);
    await loadReferenceData(d.db, config);
    await generateDemo(d, config, { enterpriseCount: 1200 });
    await generateDemoProjects(d.db, 1);
    const started = Date.now();
    const made = await generateDemoTargetReports(d.db, 1);
    console.log(`[targets demo] ${JSON.stringify(made)} in ${Date.now() - started} ms`);
    expect(made.approved).toBeGreaterThan(0);
    expect(made.returned).toBeGreaterThan(0);
    expect(made.pending).toBeGreaterThan(0);
  }, 600_000);
  afterAll(async () => {
    await d?.close();
  });

  it('every target of both sets shows a value or 未填报 by its lead unit, none not measured', async () => {
    for (const setCode of ['five-clusters-2020', '135n-2023-2027']) {
      const l = await ledger(d.db, { setCode, year: 2025 });
      for (const r of l.rows) {
        expect(r.status, `${setCode}/${r.code}`).not.toBe('not_measured');
        if (r.measurement === 'computed')
          expect(r.value == null && r.status !== 'no_data', `${setCode}/${r.code}`).toBe(false);
        else expect(r.value != null || r.lead.length > 0, `${setCode}/${r.code}`).toBe(true);
      }
      const unreported = l.rows.filter((r) => r.measurement === 'reported' && r.value == null);
      const noData = l.rows.filter((r) => r.measurement === 'computed' && r.value == null).map((r) => r.code);
      console.log(`[targets demo] ${setCode}: computed without data: ${noData.join(', ') || 'none'}`);
      console.log(`[targets demo] ${setCode}: ${l.rows.length} targets, ${unreported.length} unreported`);
    }
  });

  it('the investment growth equals the average annual growth of the raw project reports', async () => {
    const l = await ledger(d.db, { setCode: 'five-clusters-2020', year: 2025 });
    const growth = l.rows.find((r) => r.code === 'investment-growth')!;
    const sums = await queryRows<{ y: number; s: number; months: number }>(
      d.db,
      sql`select extract(year from pp.month)::int as y, sum(pp.investment_month)::float8 as s,
            count(distinct pp.month)::int as months
          from project_progress pp join projects p on p.id = pp.project_id
          where p.cluster_code is not null group by 1 order by 1`,
    );
    // the baseline year 2020 when the library reaches back that far, else its first full year of reports
    const base = sums.find((x) => x.y === 2020) ?? sums.find((x) => x.months === 12 && x.y < 2025)!;
    const last = sums.find((x) => x.y === 2025)!;
    expect(growth.baselineYear).toBe(base.y);
    expect(growth.value).toBeCloseTo(((last.s / base.s) ** (1 / (2025 - base.y)) - 1) * 100, 6);
    console.log(`[targets demo] investment growth ${growth.value} % from ${base.y}`, JSON.stringify(sums));
    // believable beside the policy's ≥ 15 %: the demo library reaches back before the baseline (no ramp-up)
    expect(growth.value).toBeGreaterThan(5);
    expect(growth.value).toBeLessThan(30);
  });

  it('demo alerts are handled, some on time and some late, so 预警按时处置率 is believable', async () => {
    const actor = { id: null, username: 'demo' };
    await evaluateDemoAlerts(d, actor);
    const counts = await handleDemoAlerts(d, 1, actor);
    console.log(`[targets demo] alert handling ${JSON.stringify(counts)}`);
    const [span] = await queryRows<{ from: string; to: string }>(
      d.db,
      sql`select min(first_month)::text as "from", max(first_month)::text as "to" from alerts`,
    );
    const rows = await countyAlertHandling(d.db, span!);
    const sum = (k: 'raised' | 'closed' | 'closedOnTime') => rows.reduce((a, r) => a + r[k], 0);
    // the indicator's own statement (county alerts only) sees all three outcomes: on time, late, open
    expect(counts.onTime + counts.falseAlarm).toBeGreaterThan(0);
    expect(counts.late).toBeGreaterThan(0);
    expect(counts.open).toBeGreaterThan(0);
    expect(sum('closedOnTime')).toBeGreaterThan(0);
    expect(sum('closed')).toBeGreaterThan(sum('closedOnTime'));
    expect(sum('raised')).toBeGreaterThan(sum('closed'));
    const rate = (sum('closedOnTime') / sum('raised')) * 100;
    console.log(`[targets demo] alerts on time ${rate.toFixed(1)} % of ${sum('raised')}`);
    expect(rate).toBeGreaterThan(30);
    expect(rate).toBeLessThan(95);
    // every handled alert's work item is closed with it, and its history names the step
    const [mismatch] = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from alerts a join work_items w on w.id = a.work_item_id
           where (a.open and w.state in ('closed', 'false_alarm')) or (not a.open and w.state <> a.status)`,
    );
    expect(mismatch!.n).toBe(0);
  }, 300_000);
});
