// A county officer reports a target's value with evidence in the real web app; the city returns it with a
// reason; the officer corrects it; the city approves it; the analyst computes the year's draft assessment
// again and the county's score moves by the points of its approved value (its page says where the point
// came from). The history and the audit page show every step; another county's officer sees neither the
// value nor its evidence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { queryRows, type Database } from '../../src/db/client.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import type { AssessmentEdition, CountyDetail } from '../../src/modules/assessment/schemas.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

const PDF = (name: string) => ({
  name,
  mimeType: 'application/pdf',
  buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
});

describe('web: reported target values', () => {
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

  async function as(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await signIn(page, username, PASSWORD);
    await reports(page);
    return page;
  }
  async function reports(page: Page) {
    await page.goto(`${base}/targets`);
    // the 2020 set: its county-split targets are the ones a county reports
    await page.getByTestId('targets-set').click();
    await page.locator('.ant-select-item-option[title^="“五大”"]').click();
    await page.getByRole('tab', { name: '填报与审核' }).click();
  }
  async function openReport(page: Page) {
    await page.getByTestId('reports-table').getByText('全球性品牌').click();
    await page.getByTestId('report-view').waitFor();
  }

  it('report with evidence → 退回 with a reason → corrected → 通过; another county sees nothing', async () => {
    const nanhu = await as('fx_nanhu');
    await nanhu.getByTestId('report-new').click();
    const form = nanhu.getByTestId('report-form');
    await form.waitFor();
    await nanhu.getByTestId('report-target').click();
    await nanhu.keyboard.type('全球性品牌');
    await nanhu.locator('.ant-select-item-option[title="全球性品牌（个）"]').click();
    await nanhu.getByTestId('report-value').fill('3');
    await form.locator('input[type="file"]').setInputFiles(PDF('品牌证明.pdf'));
    await nanhu.getByTestId('report-submit').click();
    await nanhu.getByTestId('reports-table').getByText('待审核').waitFor();

    // the analyst's draft assessment of the report's year, computed while the value waits for review
    const [{ year }] = (await queryRows<{ year: number }>(d.db, sql`select year from target_reports`)) as [
      { year: number },
    ];
    const analystCookie = await loginCookie(app, 'fx_analyst');
    const created = await app.inject({
      method: 'POST',
      url: '/api/assessment/editions',
      headers: { cookie: analystCookie },
      payload: { year },
    });
    expect(created.statusCode, created.body).toBe(201);
    const draft = json<AssessmentEdition>(created);
    const before = draft.ranking.find((r) => r.regionCode === NANHU)!.total;

    const city = await as('fx_admin');
    await openReport(city);
    await city.getByTestId('review-reason').fill('佐证材料缺少认定文件');
    await city.getByTestId('review-return').click();
    await expect.poll(() => city.getByTestId('report-status').innerText()).toContain('已退回');

    await nanhu.getByTestId('reports-table').getByText('全球性品牌').click();
    await nanhu.getByTestId('report-view').waitFor();
    await expect.poll(() => nanhu.getByTestId('report-status').innerText()).toContain('已退回');
    expect(await nanhu.getByTestId('return-reason').innerText()).toContain('佐证材料缺少认定文件');
    await nanhu.getByTestId('resubmit-value').fill('2');
    await nanhu.getByTestId('report-view').locator('input[type="file"]').setInputFiles(PDF('认定文件.pdf'));
    await nanhu.getByTestId('resubmit-submit').click();
    await expect.poll(() => nanhu.getByTestId('report-status').innerText()).toContain('待审核');

    await expect
      .poll(() => city.getByTestId('report-status').innerText(), { timeout: 20_000 })
      .toContain('已退回');
    await reports(city); // a fresh page: the officer's correction is what the city reviews
    await openReport(city);
    await expect.poll(() => city.getByTestId('report-status').innerText()).toContain('待审核');
    await city.getByTestId('review-approve').click();
    await expect.poll(() => city.getByTestId('report-status').innerText()).toContain('已通过');
    const history = await city.getByTestId('report-history').innerText();
    for (const step of ['提交', '退回', '佐证材料缺少认定文件', '重新提交', '通过'])
      expect(history).toContain(step);
    expect(await city.getByTestId('report-view').innerText()).toContain('认定文件.pdf');

    const [report] = await queryRows<{ id: number }>(d.db, sql`select id from target_reports`);
    const audit = await queryRows<{ action: string }>(
      d.db,
      sql`select action from audit_log where entity = 'target_report' and entity_id = ${String(report!.id)} order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'target_report.submit',
      'target_report.return',
      'target_report.resubmit',
      'target_report.approve',
    ]);

    // the county's score changes: the analyst computes the draft again on today's data in the page
    const analyst = await as('fx_analyst');
    await analyst.goto(`${base}/assessment`);
    await analyst.getByTestId('assessment-meta').getByText('草稿').waitFor();
    const recomputed = analyst.waitForResponse(
      (r) => r.url().endsWith(`/api/assessment/editions/${draft.id}/recompute`) && r.status() === 200,
    );
    await analyst.getByRole('button', { name: '按最新数据重新计算' }).click();
    await recomputed;
    await analyst.getByTestId(`county-${NANHU}`).click();
    const line = analyst.getByTestId('provenance-reported_targets_progress');
    await line.getByText('全球性品牌').waitFor();
    const detail = json<CountyDetail>(
      await app.inject({
        url: `/api/assessment/editions/${draft.id}/counties/${NANHU}`,
        headers: { cookie: analystCookie },
      }),
    );
    const progress = detail.county.indicators.find((i) => i.key === 'reported_targets_progress')!;
    // one approved value of M county targets, at or past its county goal (2 against 5 split over the
    // counties): 1/M of 100 %, worth 1/M of the indicator's 10 points (工作评价 40 over four indicators)
    const m = Number(progress.provenance.inputs['县级目标数']);
    expect(m).toBeGreaterThan(0);
    expect(progress.provenance.inputs['已通过']).toBe(1);
    expect(progress.value).toBeCloseTo(100 / m, 3);
    expect(progress.points).toBeCloseTo(10 / m, 3);
    expect(detail.county.total).toBeCloseTo(before + 10 / m, 3);
    expect(await line.innerText()).toMatch(/全球性品牌：2 ÷ [\d.]+ → 100%/);
    const shown = Number(await analyst.getByTestId('county-total').innerText());
    expect(shown).toBeCloseTo(detail.county.total, 1);
    expect(shown).not.toBeCloseTo(before, 1);

    // the audit page shows every step of the report and the assessment computed again
    await city.goto(`${base}/audit?entity=target_report&entityId=${report!.id}`);
    await city.locator('[data-testid="audit-action"][title="target_report.approve"]').waitFor();
    const actions = await city
      .getByTestId('audit-action')
      .evaluateAll((els) => els.map((e) => e.getAttribute('title')));
    expect(actions).toEqual([
      'target_report.approve',
      'target_report.resubmit',
      'target_report.return',
      'target_report.submit',
    ]);
    await city.goto(`${base}/audit?entity=definition&entityId=${draft.id}`);
    await city.locator('[data-testid="audit-action"][title="assessment.recompute"]').waitFor();

    const docs = await queryRows<{ id: number }>(
      d.db,
      sql`select id from documents where owner_kind = 'target_report' order by id`,
    );
    const tongxiang = await as('fx_tongxiang');
    await tongxiang.getByTestId('reports-table').waitFor();
    expect(await tongxiang.getByTestId('reports-table').innerText()).not.toContain('全球性品牌');
    for (const doc of docs) {
      const res = await tongxiang.request.get(`${base}/api/targets/documents/${doc.id}`);
      expect(res.status()).toBe(404);
      expect((await nanhu.request.get(`${base}/api/targets/documents/${doc.id}`)).status()).toBe(200);
    }
  }, 300_000);
});
