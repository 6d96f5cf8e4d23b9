// 我的待办 on the home page in the real web app: a department sees its unit's request counted (the overdue
// one in red) above the capability cards, and the link opens the service page on its inbox with that
// request; a user with nothing to do sees 暂无待办.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { ensureServiceUnits, linkDemoUnitMembers } from '../../src/modules/service/index.ts';
import { sweepEscalations, unitByCode } from '../../src/modules/workitems/index.ts';
import type { RequestDetail } from '../../src/modules/service/schemas.ts';

describe('web: my to-dos on the home page', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    const fx = await seedFixture(d);
    const sys = { id: null, username: 'fixture' };
    await createUser(
      d.db,
      {
        username: 'fx_ent2',
        displayName: '桐乡示例化纤',
        role: 'enterprise',
        enterpriseId: fx.ids.tongxiangTextile,
        password: PASSWORD,
      },
      sys,
    );
    for (const u of ['service_center', 'dept_economy'])
      await createUser(d.db, { username: u, displayName: u, role: 'department', password: PASSWORD }, sys);
    await ensureServiceUnits(d.db, sys);
    await linkDemoUnitMembers(d.db);
    app = await testApp(d);
    // the firm files a request, the centre routes it to the economy bureau; weeks later it is overdue
    const post = async (who: string, url: string, payload: unknown) =>
      app.inject({
        method: 'POST',
        url,
        headers: { cookie: await loginCookie(app, who) },
        payload: payload as never,
      });
    const filed = await post('fx_enterprise', '/api/service/requests', {
      nature: 'help',
      category: 'construction',
      title: '新厂房用电增容',
      description: '新建厂房需要用电增容，请协调供电公司。',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = json<RequestDetail>(filed).request.id;
    const economy = (await unitByCode(d.db, 'city.economy'))!;
    const assigned = await post('service_center', `/api/service/requests/${id}/actions`, {
      transition: 'assign',
      ownerUnitId: economy.id,
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    // another firm's request waits for the centre to dispatch it
    const waiting = await post('fx_ent2', '/api/service/requests', {
      nature: 'help',
      category: 'construction',
      title: '化纤车间用地指标',
      description: '扩产项目用地指标未落实，请协调。',
    });
    expect(waiting.statusCode, waiting.body).toBe(201);
    await sweepEscalations(d.db, new Date(Date.now() + 40 * 86_400_000));
    base = await listen(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  const as = async (username: string): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await ctx.newPage();
    await page.goto(`${base}/login`);
    await signIn(page, username, PASSWORD);
    return page;
  };

  it("shows a department its unit's request and opens its inbox", async () => {
    const page = await as('dept_economy');
    await page.goto(`${base}/`);
    const panel = page.getByTestId('home-todos');
    await panel.getByText('我的待办').waitFor();
    const row = panel.getByTestId('todo-service.inbox');
    await row.getByText('本单位承办诉求').waitFor();
    expect(await row.locator('.ant-statistic-content-value').innerText()).toBe('1');
    expect(await row.getByTestId('todo-service.inbox-overdue').innerText()).toContain('超期 1');
    // the panel comes before the capability cards
    const panelTop = (await panel.boundingBox())!.y;
    const cardTop = (await page.getByTestId('home-service').boundingBox())!.y;
    expect(panelTop).toBeLessThan(cardTop);
    // no empty group is listed
    expect(await panel.getByTestId('todo-service.assist').count()).toBe(0);
    await row.click();
    await page.waitForURL((url) => url.pathname === '/service' && url.search === '?tab=inbox');
    await page.getByTestId('inbox').getByText('新厂房用电增容').waitFor();
    await page.context().close();
  });

  it('shows the centre what it has to dispatch and opens its queue', async () => {
    const page = await as('service_center');
    await page.goto(`${base}/`);
    const row = page.getByTestId('home-todos').getByTestId('todo-service.dispatch');
    await row.getByText('待分派、待裁决诉求').waitFor();
    expect(await row.locator('.ant-statistic-content-value').innerText()).toBe('1');
    await row.click();
    await page.waitForURL((url) => url.pathname === '/service' && url.search === '?tab=dispatch');
    const queue = page.getByTestId('dispatch');
    await queue.getByText('化纤车间用地指标').waitFor();
    // the request already routed to the bureau is not in the queue
    expect(await queue.getByText('新厂房用电增容').count()).toBe(0);
    await page.context().close();
  });

  it('says 暂无待办 when there is nothing to do', async () => {
    const page = await as('fx_auditor');
    await page.goto(`${base}/`);
    await page.getByTestId('home-todos').getByText('暂无待办').waitFor();
    await page.context().close();
  });
});
