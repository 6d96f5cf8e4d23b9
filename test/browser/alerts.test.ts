// A county officer opens the alert board in the real web app, sees only their county's alerts, handles one
// to closure with a reason (核实 → 关闭), sees each step in the alert's history, and the auditor finds each
// step in the audit log. An administrator backtests the rules, proposes a change, another publishes it; the
// backtest names the month it judged open for reporting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { evaluateDemoAlerts } from '../../src/modules/alerts/demo.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

describe('web: alert board and handling', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let county: string;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 11, enterpriseCount: 600 });
    await evaluateDemoAlerts(d, { id: null, username: 'fixture' }, 3);
    const [top] = await queryRows<{ r: string }>(
      d.db,
      sql`select region_code as r from alerts where subject_kind = 'firm' group by 1 order by count(*) desc, 1 limit 1`,
    );
    county = top!.r;
    const actor = { id: null, username: 'fixture' };
    await createUser(
      d.db,
      {
        username: 'br_county',
        displayName: '区县专员',
        role: 'county',
        regionCode: county,
        password: PASSWORD,
      },
      actor,
    );
    await createUser(
      d.db,
      { username: 'br_auditor', displayName: '审计员', role: 'auditor', password: PASSWORD },
      actor,
    );
    for (const u of ['br_admin', 'br_admin2'])
      await createUser(d.db, { username: u, displayName: u, role: 'admin', password: PASSWORD }, actor);
    app = await testApp(d);
    base = await listen(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('sees only their county, handles an alert to closure with a reason, and the audit shows each step', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'br_county', PASSWORD);
    await page.goto(`${base}/alerts?subject=firm`);
    const table = page.getByTestId('alert-table');
    const rows = table.locator('tr[data-testid^="alert-row-"]');
    await rows.first().waitFor();
    const regions = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-region')));
    expect(regions.length).toBeGreaterThan(0);
    expect(new Set(regions)).toEqual(new Set([county]));

    const testId = await rows.first().getAttribute('data-testid');
    const id = Number(testId!.replace('alert-row-', ''));
    await page.getByTestId(`alert-open-${id}`).click();
    const drawer = page.getByTestId('alert-drawer');
    await drawer.waitFor();
    await page.getByTestId('alert-step-verify').click();
    await drawer.getByTestId('alert-status').getByText('核实中').waitFor();
    // 关闭 with its reason
    await page.getByTestId('alert-reason').fill('已走访企业，订单恢复，用电回升');
    await page.getByTestId('alert-step-close').click();
    await drawer.getByTestId('alert-status').getByText('已关闭').waitFor();
    const history = await page.getByTestId('alert-history').innerText();
    expect(history).toContain('核实');
    expect(history).toContain('关闭');
    expect(history).toContain('已走访企业，订单恢复，用电回升');
    await page.close();

    // the auditor reads each step in the audit log (the alert's work item)
    const [alert] = await queryRows<{ w: number }>(
      d.db,
      sql`select work_item_id::int as w from alerts where id = ${id}`,
    );
    const audit = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await audit.goto(`${base}/login`);
    await signIn(audit, 'br_auditor', PASSWORD);
    await audit.goto(`${base}/audit?entity=work_item&entityId=${alert!.w}`);
    const log = audit.getByTestId('audit-table');
    // the page names each action in words; the action's code is the cell's title
    await log.locator('[data-testid="audit-action"][title="workitem.close"]').first().waitFor();
    expect(
      await log.locator('[data-testid="audit-action"][title="workitem.verify"]').count(),
    ).toBeGreaterThan(0);
    const text = await log.innerText();
    expect(text).toContain('br_county');
    await audit.close();
  });

  it('a rule change that makes the backtest worse is flagged before it is proposed; a second administrator publishes it', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'br_admin', PASSWORD);
    await page.goto(`${base}/alerts/rules`);
    // the backtest of the rules in force runs in the background: started here, its result shows when done
    const card = page.getByTestId('backtest-card');
    await card.getByTestId('backtest-start').click();
    await card.getByTestId('backtest-table').waitFor({ timeout: 120_000 });
    expect(await card.innerText()).toContain('br_admin');
    expect(await card.getByTestId('backtest-start').count()).toBe(0);
    // switch off the orange and red rules that read the monthly facts
    for (const id of [
      'ie-below-70-2m',
      'ie-below-50-output-collapse',
      'output-below-seasonal',
      'not-reported-2',
    ])
      await page.getByTestId(`rule-enabled-${id}`).click();
    await page.getByTestId('rules-preview').click();
    const worse = page.getByTestId('rules-worse');
    await worse.waitFor({ timeout: 120_000 });
    expect(await worse.innerText()).toContain('红橙预警');
    await page.getByTestId('rules-reason').fill('试行：停用月度橙色与红色规则');
    await page.getByTestId('rules-save').click();
    const pending = page.getByTestId('rules-pending');
    await pending.waitFor();
    expect(await pending.innerText()).toContain('试行：停用月度橙色与红色规则');
    // the proposer may withdraw it, not review or publish it
    expect(await pending.getByTestId('rules-edition-review').count()).toBe(0);
    expect(await pending.getByTestId('rules-edition-withdraw').count()).toBe(1);
    await page.close();

    const second = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await second.goto(`${base}/login`);
    await signIn(second, 'br_admin2', PASSWORD);
    await second.goto(`${base}/alerts/rules`);
    const box = second.getByTestId('rules-pending');
    await box.waitFor();
    expect(await box.innerText()).toContain('rules[');
    await box.getByTestId('rules-edition-review').click();
    await box.getByTestId('rules-edition-publish').click();
    await box.waitFor({ state: 'detached' });
    await second.getByText('v2', { exact: true }).first().waitFor();
    const [rs] = await queryRows<{ v: number; by: string; source: string }>(
      d.db,
      sql`select version as v, created_by_name as by, source from alert_rule_sets order by version desc limit 1`,
    );
    expect(rs).toMatchObject({ v: 2, by: 'br_admin' });
    expect(rs!.source).toMatch(/^edition:/);
    await second.close();
  });

  it('the backtest says on the page which month it judged open for reporting', async () => {
    // half the newest month's rows taken away: under the share that closes a month it is open again
    const [m] = await queryRows<{ m: string }>(
      d.db,
      sql`select to_char(max(month), 'YYYY-MM') as m from monthly_stats`,
    );
    const month = m!.m;
    await d.db.execute(
      sql`delete from monthly_stats where month = ${`${month}-01`}::date and enterprise_id % 2 = 0`,
    );
    await refreshClusterRollups(d.db);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/login`);
    await signIn(page, 'br_admin', PASSWORD);
    await page.goto(`${base}/alerts/rules`);
    const card = page.getByTestId('backtest-card');
    // the facts changed since the last run: run it again on them
    await card.getByTestId('backtest-start').click();
    const note = card.getByTestId('backtest-open-months');
    await note.waitFor({ timeout: 120_000 });
    expect(await note.innerText()).toBe(
      `回测时 ${month} 报送尚未截止，按未截止月份判断（与实时预警一致）：该月尚无数据的企业不计为未报送`,
    );
    await page.close();
  });
});
