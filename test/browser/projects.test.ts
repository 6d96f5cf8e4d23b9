// A county officer files a monthly progress report in the real web app and sees the investment curve update.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { addMonths } from '../../src/domain/periods.ts';
import { cityToday } from '../../src/modules/projects/service.ts';
import type { ProjectDetail } from '../../src/modules/projects/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen } from '../helpers/browser.ts';

describe('web: project monthly report', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let project: ProjectDetail;
  const thisMonth = cityToday().slice(0, 7);

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await seedFixture(d);
    app = await testApp(d);
    const cookie = await loginCookie(app, 'fx_nanhu');
    const res = await app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { cookie },
      payload: {
        name: '浏览器测试纺织项目',
        kind: 'investment',
        investorName: '示例投资有限公司',
        regionCode: NANHU,
        clusterCode: 'textile',
        plannedTotalInvestment: 5_000,
        stage: 'started',
      },
    });
    project = json<ProjectDetail>(res);
    const last = await app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}/progress/${addMonths(thisMonth, -1)}`,
      headers: { cookie },
      payload: { investmentMonth: 400 },
    });
    expect(last.statusCode).toBe(200);
    base = await listen(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('files this month’s report and the curve gains the point', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill('fx_nanhu');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    // the library lists the project, flagged as not reported this month
    await page.goto(`${base}/projects`);
    const table = page.getByTestId('project-table');
    await table.getByText('浏览器测试纺织项目').waitFor();
    expect(await table.innerText()).toContain('本月未报');
    await table.getByText('浏览器测试纺织项目').click();
    await page.waitForURL(`${base}/projects/${project.id}`);

    const curve = page.getByTestId('investment-curve');
    await curve.waitFor();
    expect(await curve.getAttribute('data-points')).toBe('1');
    expect(await curve.getAttribute('data-cumulative')).toBe('400');

    expect(await page.getByTestId('report-month').inputValue()).toBe(thisMonth);
    await page.getByTestId('report-investment').fill('250');
    await page.getByTestId('report-note').fill('设备安装调试');
    await page.getByTestId('report-submit').click();

    await page.waitForFunction(
      () => document.querySelector('[data-testid="investment-curve"]')?.getAttribute('data-points') === '2',
    );
    expect(await curve.getAttribute('data-cumulative')).toBe('650');
    await page.getByTestId('progress-table').getByText('设备安装调试').waitFor();
    expect(await page.getByTestId('project-assessment').innerText()).not.toContain('本月未报');
    await page.close();
  });
});
