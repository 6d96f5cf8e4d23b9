// An enterprise user records its main products (主要产品) through the real web app in Chromium: typed into
// the edit form, split at separators, shown on the profile, audited; an analyst then finds the firm with the
// enterprise list's product filter (kept in the URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { auditLog, enterprises } from '../../src/db/schema.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

describe('web: main products on the enterprise profile', () => {
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

  it('the enterprise user types its products; the profile lists them and the edit is audited', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'fx_enterprise', PASSWORD);
    const id = fx.ids.nanhuTextile;
    await page.goto(`${base}/enterprises/${id}`);
    await page.getByTestId('enterprise-name').waitFor();
    expect(await page.getByTestId('main-products').count()).toBe(0); // none recorded yet

    await page.getByTestId('enterprise-edit').click();
    const input = page.getByTestId('enterprise-form').locator('#mainProducts');
    await input.fill('涤纶长丝、差别化纤维');
    await input.press('Enter');
    await page.getByRole('button', { name: /保\s*存|OK|确\s*定/ }).click();
    const tags = page.getByTestId('main-products');
    await tags.getByText('差别化纤维').waitFor();
    expect(await tags.innerText()).toContain('涤纶长丝');
    await page.screenshot({ path: '/tmp/enterprise-products.png' });
    await page.close();

    const [row] = await d.db.select().from(enterprises).where(eq(enterprises.id, id));
    expect(row!.mainProducts).toEqual(['涤纶长丝', '差别化纤维']);
    const audits = await d.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'enterprise.update'), eq(auditLog.entityId, String(id))));
    expect(audits.map((a) => (a.after as { mainProducts: string[] }).mainProducts)).toEqual([
      ['涤纶长丝', '差别化纤维'],
    ]);
  });

  it('an analyst finds the firm by a product word in the enterprise list; the filter is kept in the URL', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'fx_analyst', PASSWORD);
    await page.goto(`${base}/enterprises`);
    const filter = page.getByTestId('filter-product').locator('input');
    await filter.fill('涤纶长丝');
    await filter.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('product') === '涤纶长丝');
    const [firm] = await d.db.select().from(enterprises).where(eq(enterprises.id, fx.ids.nanhuTextile));
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('.ant-table-tbody tr.ant-table-row').length === 1,
    );
    expect(await rows.first().innerText()).toContain(firm!.name);
    // a copied link keeps the filter
    await page.goto(`${base}/enterprises?product=${encodeURIComponent('涤纶长丝')}`);
    expect(await filter.inputValue()).toBe('涤纶长丝');
    await page.close();
  });
});
