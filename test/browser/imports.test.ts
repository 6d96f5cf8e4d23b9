// The import wizard in the real web app: a county officer uploads a messy monthly file with one bad
// row and sees where and why; uploads a good file, confirms and sees the counts; reloads and finds
// the same import (its id in the URL); an import interrupted by a server restart offers 重新预览.
// (City analysts only read imports: the importer is a county officer, as in the bureau.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { importJobs, imports } from '../../src/db/schema.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

process.env.CLUSTERSCOPE_UPLOADS = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-uploads-browser-'));

const csv = (rows: (string | number)[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\r\n'), 'utf8');

describe('web: import wizard', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  const A = fixtureUscc(1);
  const B = fixtureUscc(2);

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
  });

  const login = async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'fx_nanhu', PASSWORD);
    return page;
  };
  const uploadFile = async (page: Page, name: string, buffer: Buffer) => {
    await page.goto(`${base}/imports`);
    // (antd puts the test id on the dragger's file input itself)
    await page.getByTestId('import-upload').setInputFiles({ name, mimeType: 'text/csv', buffer });
    await page.waitForURL(/\/imports\/\d+$/);
    return Number(new URL(page.url()).pathname.split('/').pop());
  };
  const statusIs = (page: Page, text: string) =>
    page.getByTestId('import-status').filter({ hasText: text }).waitFor();

  it('shows the bad row of a messy file: file, row, column and reason', async () => {
    const page = await login();
    const id = await uploadFile(
      page,
      '五月快报.csv',
      csv([
        ['2023年5月 规上工业企业快报', '', ''],
        ['统一社会信用代码', '统计月份', '工业总产值(千元)'],
        [A, '2023年5月', '12,345'],
        [B, '2023-05', 'abc'],
        ['合计', '', '12345'],
      ]),
    );
    await statusIs(page, '已拒绝');
    const errors = page.getByTestId('import-problems-error');
    await errors.getByText('不是有效数字').waitFor();
    const row = await errors.locator('tbody tr').filter({ hasText: '不是有效数字' }).innerText();
    expect(row).toContain('五月快报.csv');
    expect(row).toContain('4'); // the row as the spreadsheet numbers it
    expect(row).toContain('工业总产值(千元)');
    expect(row).toContain('abc');
    // errors and notices apart, each with its count
    expect(await page.getByTestId('import-problems-tab-error').innerText()).toContain('1');
    expect(await page.getByTestId('import-problems-tab-notice').innerText()).toContain('1');
    expect(await page.getByTestId('import-problem-counts').innerText()).toContain('错误 1 条');
    expect(await page.getByTestId('import-confirm').count()).toBe(0);
    expect(page.url()).toBe(`${base}/imports/${id}`);
    await page.close();
  });

  it('imports a good file: confirm, the result’s counts, and a reload finds the same import', async () => {
    const page = await login();
    const id = await uploadFile(
      page,
      '六月快报.csv',
      csv([
        ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
        [A, '2023-06', 100],
        [B, '2023-06', 200],
      ]),
    );
    await statusIs(page, '待确认');
    await page.getByTestId('import-confirm').click();
    // reload while the commit runs or just after: the id in the URL brings the same job back
    await page.reload();
    expect(page.url()).toBe(`${base}/imports/${id}`);
    await page.getByTestId('import-done').waitFor();
    await statusIs(page, '已导入');
    expect(await page.locator('.ant-descriptions').innerText()).toContain('新增 2 行');
    await page.reload();
    await page.getByTestId('import-done').waitFor();
    expect(await page.locator('.ant-descriptions').innerText()).toContain('新增 2 行');
    await page.close();
  });

  it('offers 重新预览 for an import a server restart interrupted', async () => {
    const page = await login();
    const id = await uploadFile(
      page,
      '七月快报.csv',
      csv([
        ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
        [A, '2023-07', 100],
      ]),
    );
    await statusIs(page, '待确认');
    // a server that was previewing it stopped: its job's heartbeat is minutes old
    await d.db.update(imports).set({ status: 'previewing' }).where(eq(imports.id, id));
    await d.db.insert(importJobs).values({
      importId: id,
      phase: 'preview',
      status: 'running',
      updatedAt: sql`now() - interval '5 minutes'` as never,
    });
    await page.reload();
    await statusIs(page, '已中断');
    await page.getByTestId('import-interrupted').getByText('服务器重启，任务中断').waitFor();
    // the history shows it too, with the same offer
    await page.goto(`${base}/imports/history`);
    await page.getByTestId('import-history').getByText('已中断').waitFor();
    await page.getByTestId(`import-rerun-${id}`).click();
    await page.waitForURL(`${base}/imports/${id}`);
    await statusIs(page, '待确认');
    await page.getByTestId('import-confirm').click();
    await page.getByTestId('import-done').waitFor();
    await page.close();
  });
});
