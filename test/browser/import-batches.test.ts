// An administrator imports a batch in the real web app: a registry file and a monthly file that names
// its new firms, added to one batch with their kinds, previewed together (each file shown), committed,
// found in the history, and rolled back as a whole.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { enterprises } from '../../src/db/schema.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

describe('web: import batch', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-web-batch-'));
  const FIRM = fixtureUscc(8801, NANHU);

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await seedFixture(d);
    app = await testApp(d);
    base = await listen(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await waitForJobs();
    await app?.close();
    if (d) await pglite.dispose(d);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds two files with their kinds, previews them together, commits, and rolls the batch back', async () => {
    const registry = path.join(dir, 'new-firm.csv');
    fs.writeFileSync(
      registry,
      `统一社会信用代码,企业名称,区县代码,行业代码,规模\r\n${FIRM},嘉兴网页批量示例有限公司,${NANHU},1711,规上\r\n`,
    );
    const monthly = path.join(dir, 'march.csv');
    fs.writeFileSync(monthly, `统一社会信用代码,统计月份,工业总产值(万元)\r\n${FIRM},2024-03,321\r\n`);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'fx_admin', PASSWORD);
    await page.goto(`${base}/imports`);

    // each added file takes the kind selected above; the registry's kind is chosen first
    const box = page.getByTestId('batch-files');
    await page.getByTestId('import-kind').getByText('企业名录').click();
    let chooser = page.waitForEvent('filechooser');
    await page.getByTestId('batch-add').click();
    await (await chooser).setFiles(registry);
    await page.getByTestId('import-kind').getByText('月度统计').click();
    chooser = page.waitForEvent('filechooser');
    await page.getByTestId('batch-add').click();
    await (await chooser).setFiles(monthly);
    await box.getByText('march.csv').waitFor();
    expect(await box.getByTestId('batch-kind').allInnerTexts()).toEqual(['企业名录', '月度统计']);

    await page.getByTestId('batch-preview').click();
    await page.waitForURL(/\/imports\?batch=\d+/);
    await page.getByTestId('batch-confirm').waitFor();
    const files = page.getByTestId('batch-file');
    expect(await files.count()).toBe(2);
    expect(await files.nth(0).innerText()).toContain('new-firm.csv');
    expect(await files.nth(1).innerText()).toContain('march.csv');
    expect(await page.getByTestId('batch-status').innerText()).toBe('待确认');

    await page.getByTestId('batch-confirm').click();
    await page.getByTestId('batch-done').waitFor();
    const [firm] = await d.db.select().from(enterprises).where(eq(enterprises.uscc, FIRM));
    expect(firm?.name).toBe('嘉兴网页批量示例有限公司');

    // the history names the batch of each file and leads back to it
    await page.goto(`${base}/imports/history`);
    const links = page.getByTestId('import-batch-link');
    await links.first().waitFor();
    expect(await links.count()).toBe(2);
    await links.first().click();
    await page.getByTestId('batch-done').waitFor();

    await page.getByTestId('batch-done').getByRole('button').click();
    await page.locator('.ant-popconfirm').getByRole('button').last().click();
    await page.getByText('整批已撤销').first().waitFor();
    expect(await page.getByTestId('batch-status').innerText()).toBe('已撤销');
    expect(await d.db.select().from(enterprises).where(eq(enterprises.uscc, FIRM))).toEqual([]);
    await page.close();
  });
});
