// An administrator edits the 光伏 (new_energy) chain in Chromium: adds a node (an unknown industry code and
// a taken node code are refused on their fields first) and an edge, sees both in the list, the graph and
// the history; adds a target enterprise for the new node and finds it in the roadmap; puts an enterprise
// on the node by hand and sees who decided. An analyst sees the same pages without edit buttons, and the
// API refuses the analyst's writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadChains } from '../../src/modules/chains/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { seedPv } from '../helpers/chains.ts';
import { loginCookie, testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

async function login(page: Page, base: string, username: string) {
  await page.goto(`${base}/login`);
  await signIn(page, username, PASSWORD);
}

/** The options of the antd Select dropdown that is open (closing ones are still in the page). */
const openOptions = (page: Page) => page.locator('.ant-select-dropdown:visible .ant-select-item-option');

const noDropdown = (page: Page, timeout?: number) =>
  page.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden', timeout });

/**
 * Opens an antd Select, types to filter, clicks the option whose label starts with `label`, and checks
 * that the Select shows it (a click during the dropdown's opening animation can be lost: then again).
 */
async function pick(page: Page, testId: string, typed: string, label: string) {
  const select = page.getByTestId(testId);
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await page.keyboard.type(typed);
    await openOptions(page)
      .filter({ hasText: new RegExp(`^${label}`) })
      .first()
      .click();
    // a lost click leaves the dropdown open: close it and try again (a slow machine loses more)
    const closed = await noDropdown(page, 5_000).then(
      () => true,
      () => false,
    );
    if (closed && (await select.innerText()).includes(label)) return;
    if (attempt === 3) throw new Error(`${testId}: could not pick ${label}`);
    if (!closed) {
      await page.keyboard.press('Escape');
      await noDropdown(page);
    }
  }
}

/** Waits until the chain graph has placed a node with this code. */
async function graphShows(page: Page, code: string) {
  await page.waitForFunction(
    (c) =>
      JSON.parse(
        document.querySelector<HTMLElement>('[data-testid="chain-graph"]')?.dataset.nodePositions ?? '{}',
      )[c] !== undefined,
    code,
  );
}

describe('web: editing a chain', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await loadChains(d.db, await loadCityConfig(resolveCityDir()));
    await seedFixture(d);
    await seedPv(d);
    app = await testApp(d);
    base = await listen(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('an administrator adds a node and an edge, a target enterprise and a placement', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await login(page, base, 'fx_admin');
    await page.goto(`${base}/chains/new_energy`);
    await page.getByTestId('chain-structure-link').click();
    await page.waitForURL((url) => url.pathname === '/chains/new_energy/structure');
    await page.getByTestId('node-row-pv_module').waitFor();

    // a node: an unknown industry code is refused on its field before anything is sent
    await page.getByTestId('node-add').click();
    const modal = page.locator('.ant-modal');
    await page.getByTestId('node-code').fill('pv_module');
    await page.getByTestId('node-name').fill('组件回收');
    await page.getByTestId('node-industry-codes').click();
    await page.keyboard.type('9999 ');
    await modal.locator('.ant-modal-title').click();
    await page.getByTestId('node-save').click();
    await modal.getByText('行业代码不存在或格式不对：9999').waitFor();
    await page.getByTestId('node-industry-codes').locator('.ant-tag-close-icon').click();
    await page.getByTestId('node-industry-codes').click();
    await page.keyboard.type('4220');
    await openOptions(page)
      .filter({ hasText: /^4220 非金属废料/ })
      .click();
    await modal.locator('.ant-modal-title').click();
    await noDropdown(page);
    await pick(page, 'node-stage', '下游', '下游');
    // the server's refusal of a taken code shows on the code field
    await page.getByTestId('node-save').click();
    await modal.getByText('已存在').waitFor();
    await page.getByTestId('node-code').fill('pv_recycle');
    await page.getByTestId('node-save').click();
    await page.getByTestId('node-row-pv_recycle').waitFor();
    await modal.waitFor({ state: 'hidden' });
    const row = await page.getByTestId('node-row-pv_recycle').innerText();
    expect(row).toContain('组件回收');
    expect(row).toContain('4220');
    expect(row).toContain('下游');
    await graphShows(page, 'pv_recycle');

    // an edge 光伏组件 → 组件回收
    await pick(page, 'edge-from', '光伏组件', '光伏组件（');
    await pick(page, 'edge-to', '组件回收', '组件回收（');
    await page.getByTestId('edge-add').click();
    await page.getByTestId('edge-row-pv_module-pv_recycle').waitFor();
    expect(await page.getByTestId('edge-row-pv_module-pv_recycle').innerText()).toContain(
      '光伏组件 → 组件回收',
    );
    // the same edge again: the server's conflict is shown beside the form
    await pick(page, 'edge-from', '光伏组件', '光伏组件（');
    await pick(page, 'edge-to', '组件回收', '组件回收（');
    await page.getByTestId('edge-add').click();
    await page.getByTestId('edge-error').getByText('连线 pv_module → pv_recycle 已存在。').waitFor();

    // edit the node: a key product; the history shows the change as before → after
    await page.getByTestId('node-edit-pv_recycle').click();
    await page.getByTestId('node-products').click();
    await page.keyboard.type('退役组件');
    await page.keyboard.press('Enter');
    await page.getByTestId('node-save').click();
    await modal.waitFor({ state: 'hidden' });
    await page.getByTestId('node-row-pv_recycle').getByText('退役组件').waitFor();

    // the history, newest first
    await page.getByTestId('chain-history-link').click();
    await page.waitForURL((url) => url.pathname === '/chains/new_energy/history');
    const history = page.getByTestId('chain-history');
    await history.getByText('新增连线').waitFor();
    const rows = await history.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('修改环节');
    expect(rows[0]).toContain('fx_admin');
    expect(rows[0]).toMatch(/关键产品：\s*—\s*→\s*退役组件/);
    expect(rows[1]).toContain('新增连线');
    expect(rows[1]).toContain('光伏组件 → 组件回收');
    expect(rows[2]).toContain('新增环节');
    expect(rows[2]).toContain('组件回收（pv_recycle）');
    expect(rows[2]).toContain('4220');

    // a target enterprise for the new node, then the roadmap lists it under the node's gap
    await page.getByTestId('chain-targets-link').click();
    await page.waitForURL((url) => url.pathname === '/chains/new_energy/targets');
    await page.getByTestId('target-add').click();
    await page.getByTestId('target-name').fill('常州示例光伏回收科技有限公司');
    await pick(page, 'target-node', '组件回收', '组件回收');
    await page.getByTestId('target-hq').fill('江苏常州');
    await page.getByTestId('target-revenue').fill('52000');
    await page.getByTestId('target-save').click();
    const targets = page.getByTestId('chain-targets');
    await targets.getByText('常州示例光伏回收科技有限公司').waitFor();
    const target = await targets.locator('tbody tr').filter({ hasText: '常州示例光伏回收' }).innerText();
    expect(target).toContain('组件回收');
    expect(target).toContain('5.2 亿元');
    expect(target).toContain('未接触');
    // the node filter keeps it; a contact-status filter it does not match hides it
    await page.goto(`${base}/chains/new_energy/targets?node=pv_recycle&contact=signed`);
    await targets.getByText('暂无目标企业').waitFor();
    await page.goto(`${base}/chains/new_energy/targets?node=pv_recycle`);
    await targets.getByText('常州示例光伏回收科技有限公司').waitFor();

    await page.getByTestId('chain-roadmap-link').click();
    await page.waitForURL((url) => url.pathname === '/chains/new_energy/roadmap');
    await page.getByTestId('roadmap-targets-pv_recycle').getByText('常州示例光伏回收科技有限公司').waitFor();

    // a chain project on the node
    await page.getByTestId('chain-projects-link').click();
    await page.waitForURL((url) => url.pathname === '/chains/new_energy/projects');
    await page.getByTestId('project-add').click();
    await page.getByTestId('project-name').fill('光伏组件回收补链项目');
    await pick(page, 'project-node', '组件回收', '组件回收');
    await pick(page, 'project-kind', '', '补链');
    await page.getByTestId('project-save').click();
    const project = page
      .getByTestId('chain-projects')
      .locator('tbody tr')
      .filter({ hasText: '光伏组件回收补链项目' });
    await project.waitFor();
    expect(await project.innerText()).toMatch(/补链[\s\S]*组件回收[\s\S]*谋划/);

    // placement: put a firm on the new node by hand; the basis and who decided are shown
    await page.goto(`${base}/chains/new_energy?node=pv_recycle`);
    await page.getByTestId('node-panel').getByText('组件回收').first().waitFor();
    await page.getByTestId('node-add-enterprise-select').click();
    await page.keyboard.type('硅片');
    await openOptions(page).filter({ hasText: '嘉兴示例硅片科技有限公司' }).click();
    await page.getByTestId('node-add-enterprise-submit').click();
    const enterprises = page.getByTestId('node-enterprises');
    await enterprises.getByText('嘉兴示例硅片科技有限公司').waitFor();
    const placed = await enterprises.locator('tbody tr').filter({ hasText: '嘉兴示例硅片' }).innerText();
    expect(placed).toContain('人工调整');
    expect(placed).toContain('fx_admin');
    await page.close();
  });

  it('an analyst reads the same pages without edit buttons, and the API refuses the writes', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await login(page, base, 'fx_analyst');
    await page.goto(`${base}/chains/new_energy/structure`);
    await page.getByTestId('node-row-pv_module').waitFor();
    await page.getByText('只有管理员可以修改链结构').waitFor();
    expect(await page.getByTestId('node-add').count()).toBe(0);
    expect(await page.getByTestId('node-edit-pv_module').count()).toBe(0);
    expect(await page.getByTestId('node-delete-pv_module').count()).toBe(0);
    expect(await page.getByTestId('edge-form').count()).toBe(0);
    expect(await page.getByTestId('chain-edit').count()).toBe(0);

    await page.goto(`${base}/chains/new_energy/targets`);
    await page.getByTestId('chain-targets').getByText('常州示例光伏回收科技有限公司').waitFor();
    expect(await page.getByTestId('target-add').count()).toBe(0);
    expect(await page.locator('[data-testid^="target-edit-"]').count()).toBe(0);

    await page.goto(`${base}/chains/new_energy/projects`);
    await page.getByTestId('chain-projects').waitFor();
    expect(await page.getByTestId('project-add').count()).toBe(0);

    await page.goto(`${base}/chains/new_energy?node=pv_module`);
    await page.getByTestId('node-enterprises').getByText('桐乡示例光伏组件有限公司').waitFor();
    expect(await page.getByTestId('node-add-enterprise').count()).toBe(0);
    await page.close();

    const cookie = await loginCookie(app, 'fx_analyst');
    const post = (url: string, payload: object) =>
      app.inject({ method: 'POST', url, headers: { cookie }, payload });
    const node = await post('/api/chains/new_energy/nodes', {
      code: 'pv_other',
      name: '其他',
      stage: 'downstream',
      industryCodes: [],
    });
    expect(node.statusCode).toBe(403);
    expect(JSON.parse(node.body).detailZh).toMatch(/^无权限：市级分析员不能维护产业链图谱/);
    expect((await post('/api/chains/new_energy/edges', { from: 'pv_si', to: 'pv_plant' })).statusCode).toBe(
      403,
    );
    expect(
      (await post('/api/chains/new_energy/targets', { name: '某公司', nodeCode: 'pv_cell' })).statusCode,
    ).toBe(403);
  });

  it('an administrator deletes a target enterprise after confirming; the history shows it', async () => {
    const cookie = await loginCookie(app, 'fx_admin');
    const created = await app.inject({
      method: 'POST',
      url: '/api/chains/new_energy/targets',
      headers: { cookie },
      payload: { name: '无锡示例待删光伏有限公司', nodeCode: 'pv_cell' },
    });
    expect(created.statusCode).toBe(201);
    const id = (JSON.parse(created.body) as { id: number }).id;
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await login(page, base, 'fx_admin');
    await page.goto(`${base}/chains/new_energy/targets`);
    const table = page.getByTestId('chain-targets');
    await table.getByText('无锡示例待删光伏有限公司').waitFor();
    await page.getByTestId(`target-delete-${id}`).click();
    await page.getByText('删除目标企业“无锡示例待删光伏有限公司”？').waitFor();
    await page.getByTestId(`target-delete-confirm-${id}`).click();
    await table.getByText('无锡示例待删光伏有限公司').waitFor({ state: 'detached' });
    // the other targets stay
    await table.getByText('常州示例光伏回收科技有限公司').waitFor();
    const list = await app.inject({
      method: 'GET',
      url: '/api/chains/new_energy/targets',
      headers: { cookie },
    });
    expect((JSON.parse(list.body) as { id: number }[]).some((x) => x.id === id)).toBe(false);

    await page.goto(`${base}/chains/new_energy/history`);
    const history = page.getByTestId('chain-history');
    await history.getByText('删除目标企业').first().waitFor();
    expect(await history.innerText()).toContain('目标企业 无锡示例待删光伏有限公司');
    await page.close();
  });
});
