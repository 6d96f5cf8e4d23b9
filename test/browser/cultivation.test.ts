// A county officer takes a 专精特新 candidate into the library, applies and records its recognition
// with evidence files in the real web app, and sees the library's counts follow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';
import { seedCultivation } from '../helpers/cultivation.ts';

describe('web: enterprise cultivation', () => {
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
    await seedCultivation(d, fx);
    app = await testApp(d);
    base = await listen(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('moves a candidate to 入库培育, 申报 and 认定 with evidence; the counts follow', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'fx_nanhu', PASSWORD);
    await page.goto(`${base}/cultivation`);
    const libs = page.getByTestId('cultivation-libraries');
    const candidatesButton = page.getByTestId('candidates-zhuanjingtexin');
    await candidatesButton.waitFor();
    expect(await candidatesButton.innerText()).toBe('1');
    await page.screenshot({ path: 'tmp/cultivation-libraries.png' }).catch(() => undefined);

    await candidatesButton.click();
    const table = page.getByTestId('candidates-table');
    await table.getByText('嘉兴市南湖示例纺织有限公司').waitFor();
    // the criteria table shows the firm's R&D intensity beside the 3 % threshold, and what only a person checks
    expect(await table.innerText()).toContain('需人工核实');
    await page.getByTestId(`enter-${fx.ids.nanhuTextile}`).click();
    await expect.poll(() => table.innerText()).toContain('入库培育');

    await page.getByRole('tab', { name: '培育进程' }).click();
    await page.getByTestId('pipeline-table').getByText('嘉兴市南湖示例纺织有限公司').click();
    const view = page.getByTestId('entry-view');
    await view.waitFor();

    for (const [stage, file] of [
      ['申报', '申报书.pdf'],
      ['认定', '认定通知.pdf'],
    ] as const) {
      await page.getByTestId('move-to').click();
      await page.locator(`.ant-select-item-option[title="${stage}"]`).click();
      await view.locator('input[type="file"]').setInputFiles({
        name: file,
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
      });
      await page.getByTestId('move-submit').click();
      await expect.poll(() => page.getByTestId('entry-stage').innerText()).toContain(stage);
      await view.getByRole('link', { name: new RegExp(file) }).waitFor();
    }
    await page.keyboard.press('Escape');

    await page.getByRole('tab', { name: '培育库' }).click();
    await expect.poll(() => page.getByTestId('candidates-zhuanjingtexin').innerText()).toBe('0');
    const row = libs.locator('tr', { hasText: '专精特新中小企业' }).first();
    // columns: library, body, recognised, candidates …: the firm is now counted as recognised
    expect((await row.locator('td').nth(3).innerText()).trim()).toBe('1');
    await page.close();
  });
});
