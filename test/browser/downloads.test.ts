// Downloads in Chromium go through the web's one download helper: a refused download (the export gate's
// 503 with Retry-After) is a message on the page, in the UI language, and the page stays where it was — a
// plain link showed the problem's JSON in the tab instead. Once the gate is free the same button saves the
// file under the server's name (its Chinese filename*).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import type { Gate } from '../../src/gate.ts';
import { KINDS } from '../../src/domain/imports/columns.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

// one export at a time and one waiting: a third is refused (src/server/limits.ts)
process.env.CLUSTERSCOPE_EXPORT_CONCURRENCY = '1';
process.env.CLUSTERSCOPE_EXPORT_QUEUE = '1';

// every gate the server makes, so the test can take the export gate's turns itself
const { gates } = vi.hoisted(() => ({ gates: [] as Gate[] }));
vi.mock('../../src/gate.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/gate.ts')>();
  class RecordedGate extends real.Gate {
    constructor(limit: number, queue: number) {
      super(limit, queue);
      gates.push(this);
    }
  }
  return { ...real, Gate: RecordedGate };
});

describe('web: downloads', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

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
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('a refused export is a message on the page; a free one saves the server’s file name', async () => {
    const exportGates = gates.filter((g) => g.limit === 1 && g.queue === 1);
    expect(exportGates).toHaveLength(1);
    const gate = exportGates[0]!;
    // the gate's one turn, then its one place in the queue, as two exports being prepared would
    expect(await gate.enter()).toBe(true);
    const waiting = gate.enter();

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'fx_nanhu', PASSWORD);
    await page.goto(`${base}/imports`);
    const button = page.getByTestId('import-export');
    await button.waitFor();
    const at = page.url();

    await button.click();
    const error = page.getByTestId('download-error');
    await error.waitFor();
    expect(await error.innerText()).toBe(
      '服务器正在生成其他导出文件，请稍后几秒再试。 服务器繁忙，请 10 秒后再试。',
    );
    expect(page.url()).toBe(at);
    expect(await page.getByTestId('import-kind').isVisible()).toBe(true);
    await expect.poll(() => button.getAttribute('aria-busy')).toBe('false');

    // in English, the server's English text
    await page.evaluate(() => localStorage.setItem('clusterscope.language', 'en'));
    await page.reload();
    await button.click();
    await expect
      .poll(() => page.getByTestId('download-error').last().innerText())
      .toBe(
        'Other exports are being prepared; try again in a few seconds. The server is busy: try again in 10 seconds.',
      );
    expect(page.url()).toBe(at);

    // the gate free again: the same button saves the workbook under the server's name
    gate.leave(); // the turn passes to the waiting one
    await waiting;
    gate.leave();
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe(`${KINDS.monthly.zh}-导出.xlsx`);
    const file = await download.path();
    expect(file).toBeTruthy();
    expect(page.url()).toBe(at);
    await page.close();
  });
});
