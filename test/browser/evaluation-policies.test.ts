// Issue 15 items 6 and 7 in Chromium: the trends page draws the per-mu lines and the class mix with the run
// it comes from; the policies page lists a department's firms with their amounts and offers its ledger; a
// county officer sees only their county's firms there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { createRun, publishRun, submitRun } from '../../src/modules/evaluation/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';
import { seedHandExample, Y } from '../helpers/evaluation.ts';
import { fixtureAdmin } from '../helpers/users.ts';

describe('web: 亩均 trends and differentiated policies', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let runId: number;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await seedHandExample(d, 2024);
    const actor = { id: null, username: 'fixture' };
    for (const u of [
      { username: 'wp_analyst', displayName: '分析员', role: 'analyst' as const },
      { username: 'wp_tongxiang', displayName: '桐乡专员', role: 'county' as const, regionCode: Y },
    ])
      await createUser(d.db, { ...u, password: PASSWORD }, actor);
    const admin = fixtureAdmin();
    runId = (await createRun(d, admin, actor, { year: 2024 })).id;
    await submitRun(d.db, admin, runId, actor);
    await publishRun(d.db, { ...admin, id: -1, username: 'fixture-reviewer' }, runId, actor);
    app = await testApp(d);
    base = await listen(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('the analyst reads the trends and a department ledger with amounts', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await signIn(page, 'wp_analyst', PASSWORD);
    await page.goto(`${base}/evaluation`);
    await page.getByRole('tab', { name: '汇总与趋势' }).click();
    await page.waitForURL(/\/evaluation\/trends$/);
    const mix = page.getByTestId('trend-class-table');
    await mix.getByText(`#${runId}`).waitFor();
    // 南湖区 first: A 2, B 3, C 0, D 1 in 2024 (helpers/evaluation.ts)
    expect((await mix.locator('tbody tr').first().innerText()).replace(/\s+/g, ' ')).toContain(
      '2024 0 2 3 0 1',
    );
    await expect
      .poll(async () => (await page.getByTestId('trend-tax-per-mu').getAttribute('data-text-boxes')) ?? '')
      .toContain('万元/亩');
    expect(await page.getByTestId('trend-table').innerText()).toContain('南湖区');

    await page.getByRole('tab', { name: '差别化政策' }).click();
    await page.waitForURL(/\/evaluation\/policies$/);
    await page.getByTestId('policies-cite').getByText(`评价批次 #${runId}`).waitFor();
    await page.getByTestId('policies-department').getByText('电力', { exact: true }).click();
    const table = page.getByTestId('policies-table');
    // the list is paged by the server: until the department's page arrives the table still shows every
    // policy (this firm in six rows); the department's page has its one electricity row
    await expect.poll(() => table.getByText('示例己小微厂').count(), { timeout: 30_000 }).toBe(1);
    const text = await table.innerText();
    expect(text).toContain('3 万元');
    expect(text).toContain('0.3 元/千瓦时 × 10 万千瓦时');
    expect(text).not.toContain('示例甲纺织有限公司'); // an A firm has no electricity surcharge
    const href = await page.getByTestId('policies-ledger-download').getAttribute('href');
    expect(href).toBe(`/api/evaluation/runs/${runId}/ledger.xlsx?department=power`);
    const status = await page.evaluate(async (url) => (await fetch(url!)).status, href);
    expect(status).toBe(200);
    await page.close();
  });

  it('a county officer sees only their county’s firms in the policy list', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await signIn(page, 'wp_tongxiang', PASSWORD);
    await page.goto(`${base}/evaluation/policies`);
    const table = page.getByTestId('policies-table');
    await table.getByText('桐乡示例独家有限公司').first().waitFor();
    const text = await table.innerText();
    expect(text).not.toContain('示例己小微厂');
    expect(text).toContain('20 万元'); // 100 % × 50 亩 × 666.67 m² × 6 元/m²
    await page.close();
  });
});
