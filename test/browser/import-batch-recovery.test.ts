// A batch a server restart cut short, in the real web app: the batch view says 已中断 and offers
// 重新预览 (the whole batch is previewed again, then committed) and 放弃导入 (every file discarded);
// a file of the batch opened alone leads to its batch instead of acting alone (no 确认导入 of its own).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { enterprises, importBatches, importJobs, imports } from '../../src/db/schema.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

process.env.CLUSTERSCOPE_UPLOADS = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-web-batch-recovery-'));

describe('web: interrupted import batch', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-web-batch-recovery-files-'));

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

  async function login(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'fx_admin', PASSWORD);
    return page;
  }

  /** Uploads a registry and a monthly file naming its new firm as a batch; answers the batch id once previewed. */
  async function previewBatch(page: Page, firm: string, month: string): Promise<number> {
    const registry = path.join(dir, `firm-${month}.csv`);
    fs.writeFileSync(
      registry,
      `统一社会信用代码,企业名称,区县代码,行业代码,规模\r\n${firm},嘉兴网页中断示例${month}有限公司,${NANHU},1711,规上\r\n`,
    );
    const monthly = path.join(dir, `month-${month}.csv`);
    fs.writeFileSync(monthly, `统一社会信用代码,统计月份,工业总产值(万元)\r\n${firm},${month},321\r\n`);
    await page.goto(`${base}/imports`);
    await page.getByTestId('import-kind').getByText('企业名录').click();
    let chooser = page.waitForEvent('filechooser');
    await page.getByTestId('batch-add').click();
    await (await chooser).setFiles(registry);
    await page.getByTestId('import-kind').getByText('月度统计').click();
    chooser = page.waitForEvent('filechooser');
    await page.getByTestId('batch-add').click();
    await (await chooser).setFiles(monthly);
    await page.getByTestId('batch-files').getByText(`month-${month}.csv`).waitFor();
    await page.getByTestId('batch-preview').click();
    await page.waitForURL(/\/imports\?batch=\d+/);
    await page.getByTestId('batch-confirm').waitFor();
    return Number(new URL(page.url()).searchParams.get('batch'));
  }

  /** A server that was previewing the batch stopped: its jobs' heartbeats are minutes old. */
  async function interrupt(batchId: number) {
    await d.db.update(importBatches).set({ status: 'previewing' }).where(eq(importBatches.id, batchId));
    const files = await d.db
      .update(imports)
      .set({ status: 'previewing' })
      .where(eq(imports.batchId, batchId))
      .returning({ id: imports.id });
    await d.db.insert(importJobs).values(
      files.map((f) => ({
        importId: f.id,
        phase: 'preview',
        status: 'running',
        updatedAt: sql`now() - interval '5 minutes'` as never,
      })),
    );
    return files.map((f) => f.id);
  }

  it('offers 重新预览 for an interrupted batch: previewed again as a whole, then committed', async () => {
    const page = await login();
    const firm = fixtureUscc(8901, NANHU);
    const id = await previewBatch(page, firm, '2024-05');
    // a file of the previewed batch opened alone: no 确认导入 of its own (it is committed with its batch)
    const [first] = await d.db.select({ id: imports.id }).from(imports).where(eq(imports.batchId, id));
    await page.goto(`${base}/imports/${first!.id}`);
    await page.getByTestId('import-in-batch').getByText(`第 ${id} 批导入：请在批次中确认导入`).waitFor();
    expect(await page.getByTestId('import-status').innerText()).toBe('待确认');
    expect(await page.getByTestId('import-confirm').count()).toBe(0);
    await page.goto(`${base}/imports?batch=${id}`);
    await page.getByTestId('batch-confirm').waitFor();
    const [fileId] = await interrupt(id);
    await page.reload();
    await page.getByTestId('batch-interrupted').getByText('服务器重启，任务中断').waitFor();
    expect(await page.getByTestId('batch-status').innerText()).toBe('已中断');
    expect(await page.getByTestId('batch-file').allInnerTexts()).toEqual([
      expect.stringContaining('已中断'),
      expect.stringContaining('已中断'),
    ]);

    // a file of the batch opened alone leads to its batch
    await page.goto(`${base}/imports/${fileId}`);
    await page.getByTestId('import-in-batch').getByText(`第 ${id} 批导入`).waitFor();
    expect(await page.getByTestId('import-rerun').count()).toBe(0);
    await page.getByTestId('import-in-batch').getByRole('link').click();
    await page.waitForURL(`${base}/imports?batch=${id}`);

    await page.getByTestId('batch-rerun').click();
    await page.getByTestId('batch-confirm').waitFor();
    expect(await page.getByTestId('batch-status').innerText()).toBe('待确认');
    await page.getByTestId('batch-confirm').click();
    await page.getByTestId('batch-done').waitFor();
    const [created] = await d.db.select().from(enterprises).where(eq(enterprises.uscc, firm));
    expect(created?.regionCode).toBe(NANHU);
    await page.close();
  });

  it('offers 放弃导入 for an interrupted batch: every file discarded', async () => {
    const page = await login();
    const id = await previewBatch(page, fixtureUscc(8902, NANHU), '2024-06');
    await interrupt(id);
    await page.reload();
    await page.getByTestId('batch-interrupted').waitFor();
    await page.getByTestId('batch-discard').click();
    await page.locator('.ant-popconfirm').getByText(`放弃第 ${id} 批导入`).waitFor();
    await page.locator('.ant-popconfirm').getByRole('button').last().click();
    await page.getByTestId('batch-discarded').waitFor();
    expect(await page.getByTestId('batch-status').innerText()).toBe('已放弃');
    const files = await d.db.select().from(imports).where(eq(imports.batchId, id));
    expect(files.map((f) => f.status)).toEqual(['discarded', 'discarded']);
    await page.close();
  });
});
