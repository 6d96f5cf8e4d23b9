// What the pages say, as a new user reads them (issue 14): the cockpit names its 1–N月 months, its 同比 is on
// a comparable basis and says so, its counts say what they count; the county map's labels do not overlap
// and its colour scale has numbers; English mode translates units and county names; at 390 px nothing is
// wider than the phone and the header items do not overlap; the enterprise list's output column has one
// unit and its year. Each test takes a screenshot (in the system temp folder) and asserts on text and boxes.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

type Box = [string, number, number, number, number];
const overlaps = (a: Box, b: Box) =>
  a[1] < b[1] + b[3] && b[1] < a[1] + a[3] && a[2] < b[2] + b[4] && b[2] < a[2] + a[4];
const shot = (name: string) => path.join(os.tmpdir(), `clusterscope-${name}.png`);

describe('web: what the pages say', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let latest: string;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 5, enterpriseCount: 120 });
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    await createUser(
      d.db,
      { username: 'read_analyst', displayName: '分析员', role: 'analyst', password: PASSWORD },
      { id: null, username: 'fixture' },
    );
    await createUser(
      d.db,
      { username: 'read_auditor', displayName: '审计员', role: 'auditor', password: PASSWORD },
      { id: null, username: 'fixture' },
    );
    app = await testApp(d);
    base = await listen(app);
    const meta = await app.inject({ method: 'GET', url: '/api/health' });
    expect(meta.statusCode).toBe(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  async function open(
    width: number,
    height: number,
    language?: 'en',
    username = 'read_analyst',
  ): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(`${base}/login`);
    if (language) {
      await page.evaluate((l) => window.localStorage.setItem('clusterscope.language', l), language);
      await page.reload();
    }
    await signIn(page, username, PASSWORD);
    return page;
  }

  async function cockpit(page: Page) {
    await page.goto(`${base}/monitoring`);
    await page.getByTestId('cluster-card-textile').waitFor();
    latest = (await page.getByTestId('monitoring-month').innerText()).trim();
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="county-map"]') as HTMLElement | null;
      return !!el?.dataset.textBoxes && JSON.parse(el.dataset.textBoxes).length >= 7;
    });
    return JSON.parse(
      (await page.getByTestId('county-map').getAttribute('data-text-boxes')) ?? '[]',
    ) as Box[];
  }

  it('cockpit: 1–10月 named, 同比 on a comparable basis with a note, counts that say what they count, a readable map', async () => {
    const page = await open(1440, 900);
    const boxes = await cockpit(page);
    await page.screenshot({ path: shot('cockpit'), fullPage: true });
    const text = await page.getByTestId('monitoring-cockpit').innerText();
    const n = Number(latest.slice(5, 7));
    expect(text).not.toContain('1–N月');
    expect(text).toContain(`1–${n}月累计`);
    expect(await page.getByTestId('total-comparable-yoy').innerText()).toContain('同比（同口径）');
    expect(text).toMatch(/同口径：两期都有产值的 \d+ 家企业相比。新增 \d+ 家/);
    expect(await page.getByTestId('industry-reporting').innerText()).toMatch(/^本月报送 \d+ 家$/);
    // the current target set is the one judged against
    expect(text).toContain('2023—2027');
    // county labels do not overlap; the colour scale names its ends in 亿元
    const counties = ['南湖区', '秀洲区', '嘉善县', '海盐县', '海宁市', '平湖市', '桐乡市'];
    const labels = boxes.filter((b) => counties.includes(b[0]));
    expect(labels.map((b) => b[0]).sort()).toEqual([...counties].sort());
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++)
        expect(overlaps(labels[i]!, labels[j]!), `${labels[i]![0]} / ${labels[j]![0]}`).toBe(false);
    const scale = boxes.filter((b) => /^[\d,]+ 亿元$/.test(b[0]));
    expect(scale.length).toBe(2);
    for (const s of scale) for (const l of labels) expect(overlaps(s, l), `${s[0]} / ${l[0]}`).toBe(false);
    await page.close();
  });

  it('rankings name the period and say why their count can differ from the cockpit', async () => {
    const page = await open(1440, 900);
    await page.goto(`${base}/monitoring/rankings`);
    await page.getByTestId('ranking-title').waitFor();
    await expect
      .poll(() => page.getByTestId('ranking-title').innerText())
      .toMatch(/1–\d+月累计有数据的企业共 \d+ 家/);
    expect(await page.getByTestId('ranking-period').innerText()).toMatch(/^1–\d+月累计$/);
    expect(await page.getByTestId('monitoring-rankings').innerText()).toContain('本月报送');
    await page.screenshot({ path: shot('rankings') });
    await page.close();
  });

  it('English mode translates units and county names', async () => {
    const page = await open(1440, 900, 'en');
    const boxes = await cockpit(page);
    await page.screenshot({ path: shot('cockpit-en'), fullPage: true });
    const cards = await page.getByTestId('cluster-card-textile').innerText();
    expect(cards).toContain('100m yuan');
    expect(cards).not.toMatch(/亿元|家/);
    // the scale selector shows its whole label; the county table names counties in English
    const scale = page.getByTestId('monitoring-scale');
    expect(await scale.innerText()).toContain('Designated size');
    expect(
      await scale.evaluate((el) => {
        const item = el.querySelector(
          '.ant-select-content, .ant-select-selection-item',
        ) as HTMLElement | null;
        return item ? item.scrollWidth <= item.clientWidth + 1 : false;
      }),
    ).toBe(true);
    expect(await page.getByTestId('cockpit-counties').innerText()).not.toMatch(/[\u4e00-\u9fff]/);
    const names = boxes.map((b) => b[0]);
    expect(names.some((x) => x.startsWith('Tongxiang'))).toBe(true);
    expect(names.some((x) => /[\u4e00-\u9fff]/.test(x))).toBe(false);
    // the longer English labels do not overlap either
    const labels = boxes.filter((b) => !/\d/.test(b[0]));
    expect(labels).toHaveLength(7);
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++)
        expect(overlaps(labels[i]!, labels[j]!), `${labels[i]![0]} / ${labels[j]![0]}`).toBe(false);
    await page.close();
  });

  it('at 390 px: no page wider than the phone, header items apart', async () => {
    const page = await open(390, 844);
    await cockpit(page);
    await page.screenshot({ path: shot('cockpit-phone') });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const header = page.getByTestId('app-header');
    const items = await header.evaluate((h) =>
      [
        ...h.querySelectorAll(
          '[data-testid="city-name"], .ant-tag, .ant-segmented, button, .ant-dropdown-trigger',
        ),
      ]
        .map((el) => el.getBoundingClientRect())
        .filter((r) => r.width > 0)
        .map((r) => [r.left, r.top, r.width, r.height] as const),
    );
    expect(items.length).toBeGreaterThan(2);
    for (let i = 0; i < items.length; i++)
      for (let j = i + 1; j < items.length; j++) {
        const [a, b] = [items[i]!, items[j]!];
        const apart =
          a[0] + a[2] <= b[0] + 1 ||
          b[0] + b[2] <= a[0] + 1 ||
          a[1] + a[3] <= b[1] + 1 ||
          b[1] + b[3] <= a[1] + 1;
        const nested =
          (a[0] <= b[0] && a[0] + a[2] >= b[0] + b[2]) || (b[0] <= a[0] && b[0] + b[2] >= a[0] + a[2]);
        expect(apart || nested, `header items ${i} and ${j} overlap`).toBe(true);
      }
    await page.goto(`${base}/enterprises`);
    await page.locator('.ant-table-row').first().waitFor();
    await page.screenshot({ path: shot('enterprises-phone') });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });

  it('the audit log names actions in words, the code only in a tooltip', async () => {
    const page = await open(1440, 900, undefined, 'read_auditor');
    await page.goto(`${base}/audit`);
    const first = page.getByTestId('audit-action').first();
    await first.waitFor();
    const names = await page.getByTestId('audit-action').allInnerTexts();
    expect(names).toContain('用户 · 新建');
    for (const n of names) expect(n).not.toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
    expect(await first.getAttribute('title')).toMatch(/^[a-z_.]+$/);
    await page.screenshot({ path: shot('audit') });
    await page.close();
  });

  it('the enterprise list gives its output column one unit and a year', async () => {
    const page = await open(1440, 900);
    await page.goto(`${base}/enterprises`);
    await page.locator('.ant-table-row').first().waitFor();
    expect(await page.getByTestId('output-column-title').first().innerText()).toMatch(
      /^\d{4}年产值（万元）$/,
    );
    const cells = await page.locator('.ant-table-row td:last-child').allInnerTexts();
    for (const c of cells) expect(c).not.toMatch(/亿元|万元/);
    await page.screenshot({ path: shot('enterprises') });
    await page.close();
  });
});
