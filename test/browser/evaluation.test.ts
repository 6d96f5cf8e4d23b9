// An enterprise user opens the evaluation pages in Chromium: it sees its own result and explanation,
// and nobody else's — neither in the list nor by URL.
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
import { HAND_ROWS, seedHandExample } from '../helpers/evaluation.ts';
import { fixtureAdmin } from '../helpers/users.ts';

describe('web: enterprise user and its evaluation', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let ids: Record<string, number>;
  let runId: number;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    ids = await seedHandExample(d, 2024);
    const actor = { id: null, username: 'fixture' };
    await createUser(
      d.db,
      {
        username: 'web_f2',
        displayName: '示例乙',
        role: 'enterprise',
        enterpriseId: ids.F2!,
        password: PASSWORD,
      },
      actor,
    );
    await createUser(
      d.db,
      { username: 'web_analyst', displayName: '市经信局分析员', role: 'analyst', password: PASSWORD },
      actor,
    );
    const admin = fixtureAdmin();
    const run = await createRun(d, admin, actor, { year: 2024 });
    runId = run.id;
    await submitRun(d.db, admin, runId, actor);
    // four eyes: a second administrator publishes
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

  it('shows its own result and explanation, and nobody else’s', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await signIn(page, 'web_f2', PASSWORD);

    await page.goto(`${base}/evaluation/runs/${runId}`);
    const table = page.getByTestId('evaluation-results');
    await table.getByText('示例乙化纤有限公司').waitFor();
    const text = await table.innerText();
    for (const r of HAND_ROWS) if (r.label !== 'F2') expect(text).not.toContain(r.name);

    await table.getByText('示例乙化纤有限公司').click();
    const explanation = page.getByTestId('evaluation-explanation');
    await explanation.waitFor();
    expect(await page.getByTestId('evaluation-class').innerText()).toBe('B');
    const body = await explanation.innerText();
    expect(body).toContain('亩均税收');
    expect(body).toContain('单位能耗增加值');
    await page
      .getByTestId('evaluation-move-up')
      .getByText(/实缴税金增加/)
      .waitFor();
    // issue 14 item 9: no value with more than two decimals, ratios as %, units on the levers
    expect(body).not.toMatch(/\d\.\d{3,}/);
    expect(body).toMatch(/\d+(\.\d{1,2})?%/);
    expect(await page.getByTestId('move-up-taxPaid').innerText()).toMatch(/万元.*万元/);
    await page.screenshot({ path: '/tmp/clusterscope-explanation.png', fullPage: true });
    // the firm's own profile shows its class, linked to this explanation
    await page.goto(`${base}/enterprises/${ids.F2}`);
    await expect
      .poll(() => page.getByTestId('profile-evaluation-class').innerText(), { timeout: 20_000 })
      .toMatch(/亩均评价\s*B 类/);

    // Another firm's explanation by URL: the not-visible page, none of its data.
    await page.goto(`${base}/evaluation/runs/${runId}/enterprises/${ids.F1}`);
    await page.getByTestId('evaluation-not-found').waitFor();
    expect(await page.content()).not.toContain('示例甲纺织有限公司');
    const status = await page.evaluate(
      async (url) => (await fetch(url)).status,
      `/api/evaluation/runs/${runId}/results/${ids.F1}/explanation`,
    );
    expect(status).toBe(404);
    await page.close();
  });

  it('opens the runs, watch list and simulator on the data’s year when the clock is years later', async () => {
    const page = await browser.newPage();
    // the inputs and the run are of 2024; the browser's clock says mid-2027 (its last year: 2026)
    await page.clock.setFixedTime(new Date('2027-06-15T10:00:00+08:00'));
    await page.goto(`${base}/login`);
    await signIn(page, 'web_analyst', PASSWORD);
    const year = page.getByLabel('年度');

    await page.goto(`${base}/evaluation`);
    await page.getByTestId('evaluation-runs').waitFor();
    await expect.poll(() => year.inputValue()).toBe('2024');

    // the watch list asks for 2024 and no other year; a year typed in is kept
    const asked: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/evaluation/watch') asked.push(u.searchParams.get('year')!);
    });
    await page.goto(`${base}/evaluation/watch`);
    await page.getByTestId('evaluation-watch').waitFor();
    await expect.poll(() => year.inputValue()).toBe('2024');
    await expect.poll(() => asked).toEqual(['2024']);
    await year.fill('2023');
    await year.press('Enter');
    await expect.poll(() => asked).toEqual(['2024', '2023']);
    expect(await year.inputValue()).toBe('2023');

    await page.goto(`${base}/evaluation/simulator`);
    await expect.poll(() => year.inputValue()).toBe('2024');
    await page.close();
  });

  it('files an objection with a PDF, and the objection lists the file', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await signIn(page, 'web_f2', PASSWORD);
    await page.goto(`${base}/evaluation/runs/${runId}/enterprises/${ids.F2}`);
    await page.getByTestId('evaluation-explanation').waitFor();
    await page.getByLabel('异议内容').fill('用地面积应为15亩');
    await page.getByLabel('证据材料（文字说明）').fill('不动产权证书见附件');
    await page.locator('input[type=file]').setInputFiles({
      name: '不动产权证书.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
    });
    await page.getByText('不动产权证书.pdf').waitFor();
    // antd spaces a two-character label: 提 交
    await page.getByRole('button', { name: /^提\s?交$/ }).click();
    await page.getByText('异议已提交').waitFor();

    await page.goto(`${base}/evaluation/objections`);
    const link = page.getByRole('link', { name: '不动产权证书.pdf' });
    await link.waitFor();
    const href = await link.getAttribute('href');
    const status = await page.evaluate(async (url) => (await fetch(url!)).status, href);
    expect(status).toBe(200);
    await page.close();
  });
});
