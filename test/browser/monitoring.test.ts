// The cockpit in Chromium: KPI cards and the county map render; clicking a county on the map opens
// that county's page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PASSWORD, TONGXIANG } from '../helpers/fixtures.ts';
import type { Cockpit, RegionPage } from '../../src/modules/monitoring/schemas.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

describe('web: monitoring cockpit', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 3, enterpriseCount: 120 });
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    await createUser(
      d.db,
      { username: 'web_analyst', displayName: '分析员', role: 'analyst', password: PASSWORD },
      { id: null, username: 'fixture' },
    );
    await createUser(
      d.db,
      { username: 'web_nanhu', displayName: '南湖', role: 'county', regionCode: NANHU, password: PASSWORD },
      { id: null, username: 'fixture' },
    );
    await createUser(
      d.db,
      { username: 'web_admin', displayName: '管理员', role: 'admin', password: PASSWORD },
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

  it('opens the cockpit, clicks a county on the map and lands on that county’s page', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'web_analyst', PASSWORD);
    await page.goto(`${base}/monitoring`);
    await page.getByTestId('monitoring-cockpit').waitFor();
    await page.getByTestId('cluster-card-textile').waitFor();
    expect(await page.getByTestId('cockpit-counties').innerText()).toContain('桐乡市');

    // The map publishes where each county's centre was drawn; click there like a user would.
    const map = page.getByTestId('county-map');
    await map.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="county-map"]') as HTMLElement | null;
      return !!el?.dataset.countyPoints && Object.keys(JSON.parse(el.dataset.countyPoints)).length === 7;
    });
    const points = JSON.parse((await map.getAttribute('data-county-points')) ?? '{}') as Record<
      string,
      [number, number]
    >;
    const [x, y] = points[TONGXIANG]!;
    await map.click({ position: { x, y } });
    await page.waitForURL((url) => url.pathname === `/monitoring/regions/${TONGXIANG}`);
    await expect.poll(() => page.getByTestId('region-title').innerText()).toBe('桐乡市');
    expect(await page.getByTestId('region-clusters').innerText()).toContain('现代纺织');
    await page.close();
  });

  it('shows a county officer the rows disclosure control withholds as withheld, with the rule in a tooltip', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'web_nanhu', PASSWORD);
    const answer = (await (await page.request.get(`${base}/api/monitoring/cockpit`)).json()) as Cockpit;
    const hidden = answer.counties.filter((c) => c.suppressed);
    expect(hidden.length).toBeGreaterThan(0);
    await page.goto(`${base}/monitoring`);
    await page.getByTestId('monitoring-cockpit').waitFor();
    const table = page.getByTestId('cockpit-counties');
    await table.waitFor();
    await expect.poll(() => table.getByTestId('withheld').count()).toBe(hidden.length);
    await table.getByTestId('withheld').first().hover();
    await expect
      .poll(() => page.locator('.ant-tooltip').last().innerText())
      .toContain('依统计资料保密规定不予公开');
    // a withheld county's page: the same tag on its withheld rows
    const code = hidden[0]!.code;
    const region = (await (
      await page.request.get(`${base}/api/monitoring/regions/${code}`)
    ).json()) as RegionPage;
    expect(region.total.suppressed).toBeDefined();
    await page.goto(`${base}/monitoring/regions/${code}`);
    await page.getByTestId('region-clusters').waitFor();
    const rows = region.clusters.filter((c) => c.suppressed).length;
    await expect.poll(() => page.getByTestId('region-clusters').getByTestId('withheld').count()).toBe(rows);
    expect(await page.getByTestId('withheld').count()).toBeGreaterThan(rows);
    await page.close();
  });

  it('the same county row: withheld (不予公开, no figure) for Nanhu’s officer, the figure for the administrator', async () => {
    /** The county row of the cockpit table as the user sees it: tag shown, and the 累计 cell's text. */
    const seeRow = async (username: string, code?: string) => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`${base}/login`);
      await signIn(page, username, PASSWORD);
      const answer = (await (await page.request.get(`${base}/api/monitoring/cockpit`)).json()) as Cockpit;
      const county = code ?? answer.counties.find((c) => c.suppressed)?.code;
      expect(county, username).toBeDefined();
      await page.goto(`${base}/monitoring`);
      const row = page.getByTestId('cockpit-counties').locator(`tr[data-row-key="${county}"]`);
      await row.waitFor();
      // columns: county, 本月, 同比, 1–N月累计, …
      const seen = {
        code: county!,
        answer: answer.counties.find((c) => c.code === county)!,
        tags: await row.getByTestId('withheld').count(),
        tagText: await row.innerText(),
        ytd: (await row.locator('td').nth(3).innerText()).trim(),
      };
      await page.close();
      return seen;
    };
    const officer = await seeRow('web_nanhu');
    expect(officer.answer.suppressed).toBeDefined();
    expect(officer.answer.output.ytd).toBeNull();
    expect(officer.tags).toBe(1);
    expect(officer.tagText).toContain('不予公开');
    expect(officer.ytd).toBe('—');
    const admin = await seeRow('web_admin', officer.code);
    expect(admin.answer.suppressed).toBeUndefined();
    expect(admin.answer.output.ytd).not.toBeNull();
    expect(admin.tags).toBe(0);
    expect(admin.tagText).not.toContain('不予公开');
    const yi = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    expect(admin.ytd).toBe(yi.format(admin.answer.output.ytd! / 10_000));
  });
});
