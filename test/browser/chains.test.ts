// An officer opens the 光伏新能源 landmark chain (pv) in Chromium, clicks a node in the graph and sees its
// enterprises and figures; the deliberately empty 电池片 link shows as a gap with its reason. An
// administrator creates a chain with the 新建产业链 form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadChains } from '../../src/modules/chains/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { seedPv } from '../helpers/chains.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

/** Clicks a node of the ECharts graph at the position the page publishes for it. */
async function clickNode(page: Page, code: string) {
  const graph = page.getByTestId('chain-graph');
  await page.waitForFunction(
    (c) =>
      JSON.parse(
        document.querySelector<HTMLElement>('[data-testid="chain-graph"]')?.dataset.nodePositions ?? '{}',
      )[c] !== undefined,
    code,
  );
  const positions = JSON.parse((await graph.getAttribute('data-node-positions')) ?? '{}') as Record<
    string,
    [number, number]
  >;
  const [x, y] = positions[code]!;
  await graph.click({ position: { x, y } });
}

describe('web: chain atlas', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await loadChains(d.db, await loadCityConfig(resolveCityDir()));
    await seedFixture(d);
    await seedPv(d);
    app = await testApp(d);
    base = await listen(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('opens the 光伏新能源 landmark chain, clicks a node and sees its enterprises', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'fx_tongxiang', PASSWORD);

    await page.goto(`${base}/chains`);
    await page.getByTestId('chain-tab-pv').click();
    await page.waitForURL((url) => url.pathname === '/chains/pv');
    await page.getByTestId('chain-landmark').getByText('标志性产业链').waitFor();

    await clickNode(page, 'pv_module');
    // drawn one layout unit to one pixel in both directions: rows 56 px apart, whatever the chain's
    // shape (unequal scales stretched the node boxes of short chains until they overlapped)
    const positions = JSON.parse(
      (await page.getByTestId('chain-graph').getAttribute('data-node-positions')) ?? '{}',
    ) as Record<string, [number, number]>;
    expect(positions.pv_glass![1] - positions.pv_cell![1]).toBe(56);
    expect(positions.pv_glass![0]).toBe(positions.pv_cell![0]);
    const panel = page.getByTestId('node-panel');
    await panel.getByText('光伏组件').first().waitFor();
    const enterprises = page.getByTestId('node-enterprises');
    await enterprises.getByText('桐乡示例光伏组件有限公司').waitFor();
    expect(await enterprises.innerText()).toContain('桐乡示例光伏组件制造有限公司');
    // 12 × (2 400 + 800) 万元 = 3.84 亿元; like-for-like growth 3 200 / 3 000 − 1 = +6.7 %
    const figures = await page.getByTestId('node-figures').innerText();
    expect(figures).toContain('3.8 亿元');
    expect(figures).toContain('+6.7%');

    // the empty 电池片 link: a gap, with its reason
    await clickNode(page, 'pv_cell');
    await panel.getByText('电池片').first().waitFor();
    await panel.getByText('缺失：本地企业 0 家（至少 1 家）').waitFor();
    // officers do not create chains
    expect(await page.getByTestId('chain-create-open').count()).toBe(0);
    await page.close();
  });

  it('lets an administrator create a chain with the 新建产业链 form', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'fx_admin', PASSWORD);

    await page.goto(`${base}/chains/pv`);
    await page.getByTestId('chain-create-open').click();
    await page.getByTestId('chain-create-code').fill('pv_glass_chain');
    await page.getByTestId('chain-create-cluster').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '新能源' }).first().click();
    await page.getByTestId('chain-create-name').fill('光伏玻璃配套链');
    await page.getByTestId('chain-create-save').click();
    await page.waitForURL((url) => url.pathname === '/chains/pv_glass_chain');
    await page.getByTestId('chain-tab-pv_glass_chain').waitFor();
    await page.close();
  });
});
