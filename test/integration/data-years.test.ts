// The year a page opens on comes from the data, not the clock (session 21): the evaluation's years (annual
// inputs, or a run the reader may see) and the assessment's (the facts' full years), on every database.
// The years are walks down the year and month indexes; gaps, a year still running and an empty database
// must come out right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { annualInputs, monthlyStats } from '../../src/db/schema.ts';
import { assessmentYears } from '../../src/modules/assessment/service.ts';
import { createRun, evaluationYears } from '../../src/modules/evaluation/service.ts';
import { factsYears } from '../../src/modules/imports/index.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { fixtureAdmin } from '../helpers/users.ts';

const admin = fixtureAdmin();
type Years = { latest: number | null; years: number[] };

describe.each(testDatabases())('the years with data on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  let empty: { facts: number[]; evaluation: Years; assessment: Years };
  const get = async (url: string, who: string) =>
    json<Years>(await app.inject({ url, headers: { cookie: await loginCookie(app, who) } }));

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    empty = {
      facts: await factsYears(d.db),
      evaluation: await evaluationYears(d.db, admin),
      assessment: await assessmentYears(d.db),
    };
    // the fixture: 2025's twelve months and annual inputs of one firm
    fx = await seedFixture(d);
    const firm = fx.ids.nanhuTextile;
    const months = (list: string[]) =>
      list.map((m) => ({ enterpriseId: firm, month: `${m}-01`, outputValue: 1 }));
    // 2022 from May, none in 2023–2024, and 2026 still running (through March)
    await d.db.insert(monthlyStats).values(months(['2022-05', '2022-12', '2026-01', '2026-03']));
    await d.db.insert(annualInputs).values([
      { enterpriseId: firm, year: 2022, landMu: 50, taxPaid: 400 },
      { enterpriseId: firm, year: 2023, landMu: 50, taxPaid: 440 },
    ]);
    // a draft run of 2023, whose inputs then go (a rolled-back import): its year stays for those who see it
    await createRun(d, admin, { id: null, username: 'fixture' }, { year: 2023 });
    await d.db.delete(annualInputs).where(eq(annualInputs.year, 2023));
    app = await testApp(d);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  it('has no years without data (the pages fall back to the clock)', () => {
    expect(empty).toEqual({
      facts: [],
      evaluation: { latest: null, years: [] },
      assessment: { latest: null, years: [] },
    });
  });

  it('lists the calendar years with monthly facts, newest first, gaps left out', async () => {
    expect(await factsYears(d.db)).toEqual([2026, 2025, 2022]);
  });

  it('offers the assessment the full years only, newest (the facts’ latest full year) first', async () => {
    expect(await get('/api/assessment/years', 'fx_analyst')).toEqual({ latest: 2025, years: [2025, 2022] });
  });

  it('gives the evaluation the years of annual inputs and of the runs the reader sees', async () => {
    // the city sees the draft run of 2023; an enterprise user sees published runs only
    expect(await get('/api/evaluation/years', 'fx_admin')).toEqual({
      latest: 2025,
      years: [2025, 2023, 2022],
    });
    expect(await get('/api/evaluation/years', 'fx_enterprise')).toEqual({
      latest: 2025,
      years: [2025, 2022],
    });
    // a county officer sees the city's run (it covers the county), as its run list does
    const runs = json<{ items: { year: number }[] }>(
      await app.inject({
        url: '/api/evaluation/runs',
        headers: { cookie: await loginCookie(app, 'fx_tongxiang') },
      }),
    );
    expect(runs.items.map((r) => r.year)).toEqual([2023]);
    expect(await get('/api/evaluation/years', 'fx_tongxiang')).toEqual({
      latest: 2025,
      years: [2025, 2023, 2022],
    });
  });
});
