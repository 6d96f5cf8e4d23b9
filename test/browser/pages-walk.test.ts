// A walk through the pages other than the cockpit (issue 14 items 10, 12, 13): at 390 px no page is wider
// than the phone; in English the 亩均 explanation names its indicators and units in English; while an answer
// is on its way a page shows a spinner or skeleton, never "暂无数据". One server, one browser, a small demo.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { publishDemoEvaluation } from '../../src/modules/evaluation/demo.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { loginCookie, testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

const shot = (name: string) => path.join(os.tmpdir(), `clusterscope-walk-${name}.png`);
const ACTOR = { id: null, username: 'fixture' };

describe('web: a walk through the pages on a phone and in English', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let runId: number;
  let enterpriseId: number;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 7, enterpriseCount: 120 });
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    // the demo's evaluation is made by the users named admin and reviewer (four eyes)
    for (const [username, role] of [
      ['admin', 'admin'],
      ['reviewer', 'admin'],
      ['walk_analyst', 'analyst'],
    ] as const)
      await createUser(d.db, { username, displayName: username, role, password: PASSWORD }, ACTOR);
    const run = await publishDemoEvaluation(d, 2025, ACTOR);
    if (!run) throw new Error('the demo evaluation was not published');
    runId = run.id;
    app = await testApp(d);
    base = await listen(app);
    const results = await app.inject({
      method: 'GET',
      url: `/api/evaluation/runs/${runId}/results?pageSize=5`,
      headers: { cookie: await loginCookie(app, 'walk_analyst') },
    });
    expect(results.statusCode).toBe(200);
    enterpriseId = (results.json() as { items: { enterpriseId: number }[] }).items[0]!.enterpriseId;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  async function open(width: number, height: number, username: string, language?: 'en'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(`${base}/login`);
    if (language) {
      await page.evaluate((l) => window.localStorage.setItem('clusterscope.language', l), language);
      await page.reload();
    }
    await signIn(page, username, PASSWORD);
    return page;
  }

  const settled = (page: Page) =>
    page.waitForFunction(
      () =>
        !document.querySelector('.ant-spin-spinning, .ant-skeleton-active') &&
        document.querySelector('main, .ant-layout-content')?.textContent?.trim(),
      undefined,
      { timeout: 30_000 },
    );

  it('at 390 px no page is wider than the phone', async () => {
    const page = await open(390, 844, 'admin');
    const pages = [
      '/enterprises',
      `/enterprises/${enterpriseId}`,
      '/monitoring/rankings',
      '/monitoring/clusters/textile',
      '/monitoring/regions/330483',
      '/evaluation',
      `/evaluation/runs/${runId}`,
      `/evaluation/runs/${runId}/enterprises/${enterpriseId}`,
      '/evaluation/trends',
      '/evaluation/policies',
      '/chains/textile',
      '/projects',
      '/imports',
      '/imports/history',
      '/cultivation',
      '/service',
      '/audit',
      '/reference',
    ];
    const wide: string[] = [];
    for (const p of pages) {
      await page.goto(`${base}${p}`);
      await settled(page);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) {
        wide.push(`${p}: ${width}px`);
        await page.screenshot({ path: shot(`phone${p.replace(/\W+/g, '_')}`) });
      }
    }
    expect(wide).toEqual([]);
    await page.close();
  });

  it('in English the 亩均 explanation names indicators and units in English', async () => {
    const page = await open(1440, 900, 'walk_analyst', 'en');
    await page.goto(`${base}/evaluation/runs/${runId}/enterprises/${enterpriseId}`);
    const explanation = page.getByTestId('evaluation-explanation');
    await explanation.waitFor();
    await page.screenshot({ path: shot('explanation-en'), fullPage: true });
    const table = await explanation.locator('.ant-table').first().innerText();
    expect(table).toContain('Tax per mu (10k yuan/mu)');
    expect(table).not.toMatch(/万元|亩|吨标准煤/);
    // county names in English on the lists (the registry's names are in Chinese)
    for (const [p, column] of [
      ['/enterprises', 3],
      ['/monitoring/rankings', 3],
    ] as const) {
      await page.goto(`${base}${p}`);
      await page.locator('.ant-table-row').first().waitFor();
      const cells = await page.locator(`.ant-table-row td:nth-child(${column})`).allInnerTexts();
      expect(cells.length, p).toBeGreaterThan(0);
      for (const c of cells) expect(c, p).not.toMatch(/[\u4e00-\u9fff]/);
    }
    await page.goto(`${base}/evaluation/runs/${runId}/enterprises/${enterpriseId}`);
    await explanation.waitFor();
    const moveUp = page.getByTestId('evaluation-move-up');
    if (await moveUp.count()) expect(await moveUp.innerText()).not.toMatch(/万元|亩|吨标准煤/);
    await page.close();
  });

  it('while an answer is on its way the page shows a spinner, never 暂无数据', async () => {
    const page = await open(1440, 900, 'walk_analyst');
    const slow = [
      ['/enterprises', '**/api/enterprises?*'],
      ['/monitoring/rankings', '**/api/monitoring/rankings*'],
      ['/imports/history', '**/api/imports?*'],
      [`/evaluation/runs/${runId}`, `**/api/evaluation/runs/${runId}/results*`],
    ] as const;
    for (const [p, api] of slow) {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let seen = false;
      await page.route(api, async (route) => {
        seen = true;
        await held;
        await route.continue().catch(() => {}); // the page may have moved on
      });
      await page.goto(`${base}${p}`);
      await expect.poll(() => seen, { timeout: 15_000 }).toBe(true);
      await page.waitForTimeout(300);
      const text = await page.evaluate(() => document.body.innerText);
      const spinning = await page.evaluate(
        () =>
          !!document.querySelector(
            '.ant-spin-spinning, .ant-skeleton-active, .ant-table-placeholder .ant-spin',
          ),
      );
      if (text.includes('暂无数据') || !spinning)
        await page.screenshot({ path: shot(`loading${p.replace(/\W+/g, '_')}`) });
      expect(text, `${p} before its answer`).not.toContain('暂无数据');
      expect(text, `${p} counts nothing before its answer`).not.toMatch(/共 0 家/);
      expect(spinning, `${p} shows a spinner`).toBe(true);
      release();
      await page.unroute(api);
      await settled(page);
    }
    await page.close();
  });
});
