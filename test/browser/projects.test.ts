// A county officer files a monthly progress report in the real web app and sees the investment curve\n// update, edits the project's details, and opens the library from the county map.
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
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

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

  const login = async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'fx_nanhu', PASSWORD);
    return page;
  };

  it('files this month’s report and the curve gains the point', async () => {
    const page = await login();

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

  it('gives each stage of the timeline room', async () => {
    const page = await login();
    await page.goto(`${base}/projects/${project.id}`);
    const steps = page.getByTestId('project-steps');
    await steps.waitFor();
    // issue 14 item 11: the 供地 stage title was one character wide
    const titles = await steps
      .locator('.ant-steps-item-title')
      .evaluateAll((els) => els.map((e) => [e.textContent ?? '', e.getBoundingClientRect().width] as const));
    expect(titles.length).toBe(7);
    for (const [text, width] of titles) expect(width, text).toBeGreaterThan(text.length * 10);
    await page.screenshot({ path: '/tmp/clusterscope-project.png', fullPage: true });
    await page.close();
  });

  it('edits the project’s details, showing the server’s problem on its field, and attaches a file', async () => {
    const page = await login();
    await page.goto(`${base}/projects/${project.id}`);
    await page.getByTestId('project-edit').click();
    const form = page.getByTestId('edit-form');
    await form.waitFor();
    await page.getByTestId('edit-plannedFixedInvestment').fill('9999');
    await page.getByTestId('edit-owner').fill('李四');
    await page.getByTestId('edit-submit').click();
    // the server refuses (fixed > total 5 000) and says so under the field
    await form.getByText('固定资产投资不能大于计划总投资').waitFor();
    await page.getByTestId('edit-plannedFixedInvestment').fill('3000');
    await page.getByTestId('edit-submit').click();
    await form.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('project-facts').innerText()).toContain('李四');

    // attach a file to the current stage; it is listed with a download link
    const docs = page.getByTestId('project-documents');
    await docs.locator('input[type="file"]').setInputFiles({
      name: '开工许可.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    const link = docs.getByRole('link', { name: '开工许可.pdf' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(
      new RegExp(`^/api/projects/${project.id}/documents/\\d+$`),
    );
    await page.close();
  });

  it('draws the county map; clicking the county opens the library filtered to it', async () => {
    const page = await login();
    await page.goto(`${base}/projects?tab=counties`);
    const map = page.getByTestId('project-map');
    await map.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="project-map"]') as HTMLElement | null;
      return !!el?.dataset.countyPoints && Object.keys(JSON.parse(el.dataset.countyPoints)).length === 7;
    });
    const points = JSON.parse((await map.getAttribute('data-county-points')) ?? '{}') as Record<
      string,
      [number, number]
    >;
    const [x, y] = points[NANHU]!;
    await map.click({ position: { x, y } });
    await page.waitForURL((url) => url.searchParams.get('county') === NANHU && !url.searchParams.has('tab'));
    await page.getByTestId('project-table').getByText('浏览器测试纺织项目').waitFor();
    await page.close();
  });
});
