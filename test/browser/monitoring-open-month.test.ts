// The monitoring pages say when their month is still open for reporting (报送未截止), as the alerts board
// does: the cockpit, a cluster's page and a county's page show the note with the city's reporting firms
// while the newest month has a few of them, not for an older month, and not once the month is closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { addMonths } from '../../src/domain/periods.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PASSWORD } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

describe('web: the monitoring pages on a month still open for reporting', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let month: string;
  let before: number;
  const KEEP = 3;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 3, enterpriseCount: 120 });
    const [m] = await queryRows<{ m: string }>(
      d.db,
      sql`select to_char(max(month), 'YYYY-MM') as m from monthly_stats`,
    );
    month = m!.m;
    // the newest month as its first file left it: three firms reported; the rest kept aside
    await d.db.execute(
      sql`create table held_back as select * from monthly_stats where month = ${`${month}-01`}::date
          and enterprise_id not in (select enterprise_id from monthly_stats where month = ${`${month}-01`}::date
                                    order by enterprise_id limit ${KEEP})`,
    );
    await d.db.execute(
      sql`delete from monthly_stats ms using held_back h
          where ms.enterprise_id = h.enterprise_id and ms.month = h.month`,
    );
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    const [b] = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from monthly_stats where month = ${`${addMonths(month, -1)}-01`}::date`,
    );
    before = b!.n;
    expect(before).toBeGreaterThan(KEEP * 2);
    await createUser(
      d.db,
      { username: 'om_nanhu', displayName: '南湖', role: 'county', regionCode: NANHU, password: PASSWORD },
      { id: null, username: 'fixture' },
    );
    await createUser(
      d.db,
      { username: 'om_analyst', displayName: '分析员', role: 'analyst', password: PASSWORD },
      { id: null, username: 'fixture' },
    );
    app = await testApp(d);
    base = await listen(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  async function open(username: string, language?: 'en'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/login`);
    if (language) {
      await page.evaluate((l) => window.localStorage.setItem('clusterscope.language', l), language);
      await page.reload();
    }
    await signIn(page, username, PASSWORD);
    return page;
  }

  /** the page's note, once the page has drawn (null when it has none) */
  async function noteOn(page: Page, path: string, ready: string): Promise<string | null> {
    await page.goto(`${base}${path}`);
    await page.getByTestId(ready).waitFor();
    await page.getByTestId('monitoring-month').waitFor();
    const note = page.getByTestId('monitoring-reporting-open');
    return (await note.count()) ? (await note.innerText()).trim() : null;
  }

  const PAGES = [
    ['/monitoring', 'monitoring-cockpit'],
    ['/monitoring/clusters/textile', 'monitoring-cluster'],
    [`/monitoring/regions/${NANHU}`, 'monitoring-region'],
  ] as const;

  it('the cockpit, a cluster and a county say the newest month is open, with the city’s counts, to each role', async () => {
    for (const user of ['om_nanhu', 'om_analyst']) {
      const page = await open(user);
      for (const [path, ready] of PAGES) {
        const note = await noteOn(page, path, ready);
        expect(note, `${user} ${path}`).toContain(`${month} 报送未截止`);
        expect(note).toContain(`全市已报送 ${KEEP} 家，上月 ${before} 家`);
        expect(note).toContain('90%');
        // an older month is closed: no note
        expect(await noteOn(page, `${path}?month=${addMonths(month, -1)}`, ready), path).toBeNull();
      }
      await page.close();
    }
    // English second
    const en = await open('om_analyst', 'en');
    const note = await noteOn(en, '/monitoring', 'monitoring-cockpit');
    expect(note).toContain(`${month} still open for reporting: ${KEEP} firms city-wide have reported`);
    expect(note).toContain(`(${before} last month)`);
    await en.close();
  });

  it('says nothing once the rest of the month has come', async () => {
    await d.db.transaction(async (tx) => {
      await tx.execute(sql`insert into monthly_stats select * from held_back`);
      // the rollups refreshed as an import refreshes them: the kept answers and counts follow at once
      await refreshClusterRollups(tx);
    });
    const page = await open('om_nanhu');
    for (const [path, ready] of PAGES) expect(await noteOn(page, path, ready), path).toBeNull();
    await page.close();
  });
});
