// The demo's steps run twice on the same database (as `clusterscope demo` run twice does) at small scale:
// the second run leaves the same counts as the first — no request filed from an alert of the first run, no
// alert work item of it, one current published 亩均 run per year — and the demo publishes three years of
// evaluations, each by four eyes, with classes that move between years as firms' figures do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { ensureDemoUsers } from '../../src/modules/auth/index.ts';
import { generateDemoRequests } from '../../src/modules/service/index.ts';
import { evaluateDemoAlerts } from '../../src/modules/alerts/index.ts';
import { DEMO_EVALUATION_YEARS, publishDemoEvaluations } from '../../src/modules/evaluation/index.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

const ACTOR = { id: null, username: 'cli' };

/** The demo steps of src/cli/main.ts that touch requests, alerts and evaluations, at small scale. */
async function demoSteps(d: Database) {
  await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 7, enterpriseCount: 500 });
  await ensureDemoUsers(d.db, ACTOR);
  await generateDemoRequests(d.db, 7, { months: 2, perMonth: 6, now: new Date('2026-02-20T08:00:00Z') });
  // in the CLI's order: the evaluations first (the alerts' class-drop signal reads them)
  const runs = await publishDemoEvaluations(d, ACTOR);
  await evaluateDemoAlerts(d, ACTOR, 4);
  return runs;
}

async function counts(d: Database) {
  const [row] = await queryRows<Record<string, number>>(
    d.db,
    sql`select
      (select count(*) from service_requests)::int as requests,
      (select count(*) from service_requests where alert_id is not null)::int as alert_requests,
      (select count(*) from service_requests r where r.alert_id is not null
         and not exists (select 1 from alerts a where a.id = r.alert_id))::int as dangling_alert_requests,
      (select count(*) from work_items where kind = 'service_request')::int as request_items,
      (select count(*) from work_items where kind = 'alert')::int as alert_items,
      (select count(*) from work_items w where w.kind = 'alert'
         and not exists (select 1 from alerts a where a.id::text = w.subject_id))::int as dangling_alert_items,
      (select count(*) from work_items w where w.kind = 'service_request'
         and not exists (select 1 from service_requests r where r.id::text = w.subject_id))::int as dangling_request_items,
      (select count(*) from alerts)::int as alerts,
      (select count(*) from documents where owner_kind = 'service_request')::int as request_files,
      (select count(*) from evaluation_runs where status = 'published' and superseded_by_run_id is null)::int as current_runs`,
  );
  return row!;
}

describe.each(testDatabases())('the demo run twice ($kind)', (t) => {
  let d: Database;
  let first: Record<string, number>;
  let firstRuns: Awaited<ReturnType<typeof demoSteps>>;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    firstRuns = await demoSteps(d);
    first = await counts(d);
  }, 900_000);
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  it('publishes three years, each submitted by one administrator and published by another', async () => {
    expect(firstRuns.map((r) => [r.year, r.status])).toEqual(
      DEMO_EVALUATION_YEARS.map((y) => [y, 'published']),
    );
    const runs = await queryRows<{ year: number; submitted_by: number; published_by: number }>(
      d.db,
      sql`select year, submitted_by::int, published_by::int from evaluation_runs
          where status = 'published' and superseded_by_run_id is null order by year`,
    );
    expect(runs.map((r) => r.year)).toEqual([...DEMO_EVALUATION_YEARS]);
    for (const r of runs) expect(r.published_by).not.toBe(r.submitted_by);
  });

  it('classes move between years as a real city’s would: some firms change class, most keep it', async () => {
    const moves = await queryRows<{
      from_year: number;
      firms: number;
      moved: number;
      up: number;
      down: number;
    }>(
      d.db,
      sql`with cur as (
            select run.year, r.enterprise_id, r.class from evaluation_results r
            join evaluation_runs run on run.id = r.run_id
            where run.status = 'published' and run.superseded_by_run_id is null and r.evaluated)
          select a.year as from_year, count(*)::int as firms,
            count(*) filter (where a.class <> b.class)::int as moved,
            count(*) filter (where b.class < a.class)::int as up,
            count(*) filter (where b.class > a.class)::int as down
          from cur a join cur b on b.enterprise_id = a.enterprise_id and b.year = a.year + 1
          group by a.year order by a.year`,
    );
    console.log(`[demo rerun] class moves year to year: ${JSON.stringify(moves)}`);
    expect(moves.map((m) => m.from_year)).toEqual([2023, 2024]);
    for (const m of moves) {
      expect(m.firms).toBeGreaterThan(50);
      // believable: movement in both directions, but a firm's class is mostly stable from one year to the next
      expect(m.up).toBeGreaterThan(0);
      expect(m.down).toBeGreaterThan(0);
      expect(m.moved / m.firms).toBeLessThan(0.6);
    }
    const mix = await queryRows<{ year: number; a: number; b: number; c: number; d: number }>(
      d.db,
      sql`select run.year, count(*) filter (where r.class = 'A')::int as a, count(*) filter (where r.class = 'B')::int as b,
            count(*) filter (where r.class = 'C')::int as c, count(*) filter (where r.class = 'D')::int as d
          from evaluation_results r join evaluation_runs run on run.id = r.run_id
          where run.status = 'published' and run.superseded_by_run_id is null and r.evaluated
          group by run.year order by run.year`,
    );
    console.log(`[demo rerun] class mix by year: ${JSON.stringify(mix)}`);
    expect(mix).toHaveLength(3);
  });

  it('a second run leaves the same counts and nothing pointing at the first run’s alerts', async () => {
    console.log(`[demo rerun] first: ${JSON.stringify(first)}`);
    expect(first.alert_requests).toBeGreaterThan(0);
    expect(first.alert_items).toBeGreaterThan(0);
    const again = await demoSteps(d);
    expect(again.map((r) => r.status)).toEqual(['published', 'published', 'published']);
    const second = await counts(d);
    console.log(`[demo rerun] second: ${JSON.stringify(second)}`);
    expect(second).toEqual(first);
    expect(second.dangling_alert_requests).toBe(0);
    expect(second.dangling_alert_items).toBe(0);
    expect(second.dangling_request_items).toBe(0);
    expect(second.current_runs).toBe(DEMO_EVALUATION_YEARS.length);
  });
});
