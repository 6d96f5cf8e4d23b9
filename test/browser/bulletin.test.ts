// The monthly bulletin in the real web app: the administrator generates the city bulletin from the list,
// previews it (the page Chromium prints), writes the commentary and submits; a second administrator
// publishes; the downloaded PDF carries the commentary and no 草稿 mark.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';
import { pdfText, waitForBulletin } from '../helpers/bulletin.ts';
import { closePdfBrowser } from '../../src/modules/bulletin/pdf.ts';
import { json, loginCookie } from '../helpers/app.ts';
import type { Bulletin } from '../../src/modules/bulletin/schemas.ts';

describe('web: monthly bulletin', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await seedFixture(d);
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    await createUser(
      d.db,
      { username: 'fx_reviewer', displayName: '复核人', role: 'admin', password: PASSWORD },
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

  const as = async (username: string): Promise<Page> => {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await signIn(page, username, PASSWORD);
    return page;
  };
  const previewText = (page: Page) =>
    page.frameLocator('[data-testid="bulletin-preview"]').locator('body').innerText({ timeout: 60_000 });

  it('list → generate → preview → commentary → submit; a second person publishes; download', async () => {
    const admin = await as('fx_admin');
    await admin.goto(`${base}/bulletin`);
    await admin.getByTestId('bulletin-generate').click();
    const open = admin.locator('[data-testid^="bulletin-open-"]').first();
    await open.waitFor();
    const id = Number((await open.getAttribute('data-testid'))!.replace('bulletin-open-', ''));
    await expect
      .poll(() => admin.getByTestId(`bulletin-status-${id}`).innerText(), { timeout: 120_000 })
      .toContain('草稿');
    await admin.getByTestId(`bulletin-download-pdf-${id}`).waitFor();
    await open.click();

    await expect.poll(() => previewText(admin), { timeout: 60_000 }).toContain('运行监测月报');
    expect(await previewText(admin)).toContain('一、总体运行情况');

    await admin.getByTestId('bulletin-commentary').fill('纺织集群保持平稳。\n\n建议加强要素保障。');
    await admin.getByTestId('bulletin-save').click();
    await expect.poll(() => previewText(admin), { timeout: 120_000 }).toContain('建议加强要素保障。');
    await expect.poll(() => admin.getByTestId('bulletin-submit').isEnabled(), { timeout: 60_000 }).toBe(true);
    await admin.getByTestId('bulletin-submit').click();
    await expect.poll(() => admin.getByTestId(`bulletin-status-${id}`).innerText()).toContain('待发布');
    // the submitter is not offered publishing (four eyes)
    expect(await admin.getByTestId('bulletin-publish').count()).toBe(0);

    const reviewer = await as('fx_reviewer');
    await reviewer.goto(`${base}/bulletin/${id}`);
    await reviewer.getByTestId('bulletin-publish').click();
    await expect
      .poll(() => reviewer.getByTestId(`bulletin-status-${id}`).innerText(), { timeout: 120_000 })
      .toBe('已发布');
    await reviewer.screenshot({ path: 'tmp/bulletin-published.png' }).catch(() => undefined);

    const [download] = await Promise.all([
      reviewer.waitForEvent('download'),
      reviewer.getByTestId(`bulletin-download-pdf-${id}`).click(),
    ]);
    const file = await download.path();
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, '');
    expect(text).toContain('建议加强要素保障。');
    expect(text).not.toContain('草稿');
    expect(download.suggestedFilename()).toMatch(/运行监测月报-\d{4}-\d{2}\.pdf$/);
  });

  it('a failed generation shows its reason on the list and the page; 重新生成 generates it again', async () => {
    // the server's Chromium goes missing for one generation (the test's own browser is running already)
    const cookie = await loginCookie(app, 'fx_admin');
    const month = json<{ latestMonth: string }>(
      await app.inject({ method: 'GET', url: '/api/bulletins/options', headers: { cookie } }),
    ).latestMonth;
    const saved = process.env.CHROMIUM_PATH;
    await closePdfBrowser();
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    let failed: Bulletin;
    try {
      const r = await app.inject({
        method: 'POST',
        url: '/api/bulletins',
        headers: { cookie, 'x-requested-with': 'clusterscope' },
        payload: { month, scopeKind: 'city' },
      });
      expect(r.statusCode, r.body).toBe(202);
      failed = await waitForBulletin(app, cookie, json<Bulletin>(r).id);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
    expect(failed.status).toBe('failed');
    const admin = await as('fx_admin');
    await admin.goto(`${base}/bulletin`);
    await expect
      .poll(() => admin.getByTestId(`bulletin-failure-${failed.id}`).innerText())
      .toContain('/nonexistent/chromium');
    await admin.goto(`${base}/bulletin/${failed.id}`);
    await expect.poll(() => admin.getByTestId('bulletin-error').innerText()).toContain('生成失败');
    await admin.getByTestId('bulletin-retry').click();
    await expect
      .poll(() => admin.getByTestId(`bulletin-status-${failed.id}`).innerText(), { timeout: 120_000 })
      .toContain('草稿');
    expect(await admin.getByTestId('bulletin-error').count()).toBe(0);
    await admin.getByTestId(`bulletin-download-pdf-${failed.id}`).waitFor();
  });
});
