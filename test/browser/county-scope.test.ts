// A county officer logs in through the real web app in Chromium and sees only their county.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

describe('web: county officer', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let fx: Fixture;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    fx = await seedFixture(d);
    app = await testApp(d);
    base = await listen(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('logs in and sees only the county’s enterprises; another county’s enterprise is refused', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await signIn(page, 'fx_nanhu', PASSWORD);
    await page.goto(`${base}/enterprises`);
    const table = page.getByTestId('enterprise-table');
    await table.getByText('嘉兴市南湖示例纺织有限公司').waitFor();
    const text = await table.innerText();
    expect(text).toContain('嘉兴市南湖示例食品有限公司');
    expect(text).not.toContain('桐乡市示例化纤股份有限公司');
    expect(text).not.toContain('平湖示例新材料科技有限公司');

    // The same session asking the API directly for another county's firm gets nothing.
    const status = await page.evaluate(
      async (id) => (await fetch(`/api/enterprises/${id}`)).status,
      fx.ids.tongxiangTextile,
    );
    expect(status).toBe(404);

    // Opening the firm's page by URL shows the not-visible message, not its data.
    await page.goto(`${base}/enterprises/${fx.ids.tongxiangTextile}`);
    await page.getByText(/无权查看或不存在/).waitFor();
    expect(await page.content()).not.toContain('桐乡市示例化纤股份有限公司');
    await page.close();
  });
});
