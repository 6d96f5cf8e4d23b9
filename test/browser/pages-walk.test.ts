// A walk through the pages other than the cockpit (issue 14 items 10, 12, 13): at 390 px no page is wider
// than the phone, as administrator, county officer and enterprise user, in Chinese and English; in English
// the 亩均 explanation names its indicators and units in English and no page shows a Chinese data label
// (firm names, which have no English, excepted); while an answer is on its way every page shows a spinner or
// skeleton, never "暂无数据". One server, one browser, a small demo with every capability's demo data.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { publishDemoEvaluation } from '../../src/modules/evaluation/demo.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { DEMO_PASSWORD, ensureDemoUsers } from '../../src/modules/auth/index.ts';
import { LEVEL_LABEL } from '../../src/domain/workitems/types.ts';
import { generateDemoProjects } from '../../src/modules/projects/index.ts';
import { generateDemoCultivation } from '../../src/modules/cultivation/index.ts';
import { generateDemoTargetReports } from '../../src/modules/targets/index.ts';
import { generateDemoRequests } from '../../src/modules/service/index.ts';
import { evaluateDemoAlerts } from '../../src/modules/alerts/index.ts';
import { publishDemoIndex } from '../../src/modules/cluster-index/index.ts';
import { publishDemoAssessment } from '../../src/modules/assessment/index.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { loginCookie, testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

const shot = (name: string) => path.join(os.tmpdir(), `clusterscope-walk-${name}.png`);
const ACTOR = { id: null, username: 'fixture' };

describe('web: a walk through the pages on a phone and in English', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let runId: number;
  let enterpriseId: number;
  let assessmentId: number;
  let requestId: number;
  let projectId: number;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 7, enterpriseCount: 120 });
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    // every capability's demo data, as `npm start` makes them (the demo users make the four-eyes steps)
    await generateDemoProjects(d.db, 7);
    await generateDemoCultivation(d.db, 7);
    await ensureDemoUsers(d.db, ACTOR);
    await createUser(
      d.db,
      { username: 'walk_analyst', displayName: 'walk_analyst', role: 'analyst', password: PASSWORD },
      ACTOR,
    );
    await generateDemoTargetReports(d.db, 7);
    await generateDemoRequests(d.db, 7);
    await evaluateDemoAlerts(d, ACTOR);
    const run = await publishDemoEvaluation(d, 2025, ACTOR);
    if (!run) throw new Error('the demo evaluation was not published');
    runId = run.id;
    await publishDemoIndex(d, 2025, ACTOR);
    const assessment = await publishDemoAssessment(d.db, 2025, ACTOR);
    if (!assessment) throw new Error('the demo assessment was not made');
    assessmentId = assessment.id;
    app = await testApp(d);
    base = await listen(app);
    const admin = await loginCookie(app, 'admin', DEMO_PASSWORD);
    const first = async (url: string) => {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: admin } });
      expect(res.statusCode, url).toBe(200);
      const body = res.json() as { items?: { id: number }[] } | { id: number }[];
      const item = Array.isArray(body) ? body[0] : body.items?.[0];
      if (!item) throw new Error(`${url} lists nothing`);
      return item.id;
    };
    requestId = await first('/api/service/requests?pageSize=1');
    projectId = await first('/api/projects?pageSize=1');
    const results = await app.inject({
      method: 'GET',
      url: `/api/evaluation/runs/${runId}/results?pageSize=5`,
      headers: { cookie: await loginCookie(app, 'walk_analyst') },
    });
    expect(results.statusCode).toBe(200);
    enterpriseId = (results.json() as { items: { enterpriseId: number }[] }).items[0]!.enterpriseId;
    browser = await launchBrowser();
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  async function open(width: number, height: number, username: string, language?: 'en'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(`${base}/login`);
    if (language) {
      await page.evaluate((l) => window.localStorage.setItem('clusterscope.language', l), language);
      await page.reload();
    }
    await signIn(page, username, username === 'walk_analyst' ? PASSWORD : DEMO_PASSWORD);
    return page;
  }

  /** Every page of the menu, with one object of each kind for the detail pages. */
  const everyPage = () => [
    '/',
    '/enterprises',
    `/enterprises/${enterpriseId}`,
    '/imports',
    '/imports/history',
    '/monitoring',
    '/monitoring/rankings',
    '/monitoring/clusters/textile',
    '/monitoring/regions/330483',
    '/evaluation',
    `/evaluation/runs/${runId}`,
    `/evaluation/runs/${runId}/enterprises/${enterpriseId}`,
    '/evaluation/objections',
    '/evaluation/simulator',
    '/evaluation/rules',
    '/evaluation/watch',
    '/evaluation/trends',
    '/evaluation/policies',
    '/index',
    '/index/heatmap',
    '/index/compare',
    '/index/editions',
    '/chains/textile',
    '/chains/textile/roadmap',
    '/chains/textile/structure',
    '/chains/textile/history',
    '/chains/textile/targets',
    '/chains/textile/projects',
    '/projects',
    `/projects/${projectId}`,
    '/cultivation',
    '/targets',
    '/assessment',
    `/assessment/${assessmentId}/counties/330483`,
    '/platforms',
    '/bulletin',
    '/alerts',
    '/alerts/areas',
    '/alerts/rules',
    '/service',
    `/service/requests/${requestId}`,
    '/service/units',
    '/reference',
    '/audit',
    '/account',
  ];

  const settled = (page: Page) =>
    page.waitForFunction(
      () =>
        !document.querySelector('.ant-spin-spinning, .ant-skeleton-active') &&
        document.querySelector('main, .ant-layout-content')?.textContent?.trim(),
      undefined,
      { timeout: 30_000 },
    );

  /** The page's width and whether the header's items overlap (each pair apart or one inside the other). */
  const layout = (page: Page) =>
    page.evaluate(() => {
      const header = document.querySelector('[data-testid="app-header"]');
      const boxes = [
        ...(header?.querySelectorAll(
          '[data-testid="city-name"], .ant-tag, .ant-segmented, button, .ant-dropdown-trigger',
        ) ?? []),
      ]
        .map((el) => el.getBoundingClientRect())
        .filter((r) => r.width > 0);
      let overlap = false;
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i]!, boxes[j]!];
          const apart =
            a.right <= b.left + 1 || b.right <= a.left + 1 || a.bottom <= b.top + 1 || b.bottom <= a.top + 1;
          const nested =
            (a.left <= b.left && a.right >= b.right && a.top <= b.top && a.bottom >= b.bottom) ||
            (b.left <= a.left && b.right >= a.right && b.top <= a.top && b.bottom >= a.bottom);
          if (!apart && !nested) overlap = true;
        }
      return { width: document.documentElement.scrollWidth, overlap };
    });

  for (const [username, language] of [
    ['admin', undefined],
    ['tongxiang', 'en'],
    ['enterprise', 'en'],
  ] as const)
    it(`at 390 px no page is wider than the phone (${username}${language ? ', English' : ''})`, async () => {
      const page = await open(390, 844, username, language);
      const wrong: string[] = [];
      for (const p of everyPage()) {
        await page.goto(`${base}${p}`);
        await settled(page);
        const { width, overlap } = await layout(page);
        if (width > 390 || overlap) {
          wrong.push(`${p}: ${width}px${overlap ? ', header items overlap' : ''}`);
          await page.screenshot({ path: shot(`phone-${username}${p.replace(/\W+/g, '_')}`) });
        }
      }
      expect(wrong).toEqual([]);
      await page.close();
    }, 900_000);

  // Firm names have no English (…公司, …厂): they contain place names, so they are taken out before looking.
  const FIRM_NAME = /[\u4e00-\u9fff（）()\w]*(?:公司|厂)/g;
  const LABELS = [
    'td',
    'th',
    'label',
    '.ant-descriptions-item-label',
    '.ant-descriptions-item-content',
    '.ant-tag',
    '.ant-select-selection-item',
    '.ant-statistic-title',
    '.ant-card-head-title',
    '.ant-tabs-tab',
    '.ant-radio-button-wrapper',
    '.ant-segmented-item-label',
    '.ant-checkbox-wrapper',
    '.ant-list-item',
    '.ant-steps-item-title',
    '.ant-timeline-item-content',
    'h1, h2, h3, h4, h5',
  ]
    .map((s) =>
      s
        .split(', ')
        .map((x) => `.ant-layout-content ${x}`)
        .join(', '),
    )
    .join(', ');

  it('in English no page shows the Chinese name of something that has an English one', async () => {
    // the names with an English name in the reference data: counties, zones, clusters, service units,
    // and the time-limit levels of requests; a label (or a part of one between ·, →, commas) that is
    // exactly such a name is a miss. Firm names, which have no English, are taken out first.
    const cookie = await loginCookie(app, 'admin', DEMO_PASSWORD);
    const get = async <T>(url: string) =>
      (await app.inject({ method: 'GET', url, headers: { cookie } })).json() as T;
    type Named = { name: string; nameEn: string | null; shortName?: string | null };
    const withEnglish = new Set<string>(Object.values(LEVEL_LABEL).map((l) => l.zh));
    for (const list of [
      await get<Named[]>('/api/regions'),
      await get<Named[]>('/api/zones'),
      await get<Named[]>('/api/clusters'),
      (await get<{ items: Named[] } | Named[]>('/api/workitems/units')) as Named[] | { items: Named[] },
    ])
      for (const x of Array.isArray(list) ? list : list.items)
        if (x.nameEn) {
          withEnglish.add(x.name);
          if (x.shortName) withEnglish.add(x.shortName);
        }
    expect(withEnglish.has('南湖区')).toBe(true);
    const page = await open(1440, 900, 'admin', 'en');
    const chinese: string[] = [];
    for (const p of everyPage()) {
      await page.goto(`${base}${p}`);
      await settled(page);
      const texts = await page.evaluate(
        (selector) =>
          [...document.querySelectorAll(selector)]
            // a cell marked lang="zh" is Chinese on purpose (the reference register's Chinese name column)
            .filter((el) => !el.closest('[lang="zh"]'))
            .map((el) => (el as HTMLElement).innerText.trim()),
        LABELS,
      );
      for (const text of texts)
        for (const part of text.replace(FIRM_NAME, '').split(/\s*[·→,，、\n]\s*/))
          if (withEnglish.has(part.trim())) chinese.push(`${p}: ${part.trim()} (in "${text.slice(0, 60)}")`);
      if (chinese.some((c) => c.startsWith(`${p}:`)))
        await page.screenshot({ path: shot(`en${p.replace(/\W+/g, '_')}`), fullPage: true });
    }
    expect([...new Set(chinese)]).toEqual([]);
    await page.close();
  }, 900_000);

  it('in English the 亩均 explanation names indicators and units in English', async () => {
    const page = await open(1440, 900, 'walk_analyst', 'en');
    await page.goto(`${base}/evaluation/runs/${runId}/enterprises/${enterpriseId}`);
    const explanation = page.getByTestId('evaluation-explanation');
    await explanation.waitFor();
    await page.screenshot({ path: shot('explanation-en'), fullPage: true });
    const table = await explanation.locator('.ant-table').first().innerText();
    expect(table).toContain('Tax per mu (10k yuan/mu)');
    expect(table).not.toMatch(/万元|亩|吨标准煤/);
    // county names in English on the lists (the registry's names are in Chinese)
    for (const [p, column] of [
      ['/enterprises', 3],
      ['/monitoring/rankings', 3],
    ] as const) {
      await page.goto(`${base}${p}`);
      await page.locator('.ant-table-row').first().waitFor();
      const cells = await page.locator(`.ant-table-row td:nth-child(${column})`).allInnerTexts();
      expect(cells.length, p).toBeGreaterThan(0);
      for (const c of cells) expect(c, p).not.toMatch(/[\u4e00-\u9fff]/);
    }
    await page.goto(`${base}/evaluation/runs/${runId}/enterprises/${enterpriseId}`);
    await explanation.waitFor();
    const moveUp = page.getByTestId('evaluation-move-up');
    if (await moveUp.count()) expect(await moveUp.innerText()).not.toMatch(/万元|亩|吨标准煤/);
    await page.close();
  });

  it('while an answer is on its way the page shows a spinner, never 暂无数据', async () => {
    const page = await open(1440, 900, 'walk_analyst');
    const slow = [
      ['/enterprises', '**/api/enterprises?*'],
      ['/monitoring/rankings', '**/api/monitoring/rankings*'],
      ['/imports/history', '**/api/imports?*'],
      [`/evaluation/runs/${runId}`, `**/api/evaluation/runs/${runId}/results*`],
    ] as const;
    for (const [p, api] of slow) {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let seen = false;
      await page.route(api, async (route) => {
        seen = true;
        await held;
        await route.continue().catch(() => {}); // the page may have moved on
      });
      await page.goto(`${base}${p}`);
      await expect.poll(() => seen, { timeout: 15_000 }).toBe(true);
      await page.waitForTimeout(300);
      const text = await page.evaluate(() => document.body.innerText);
      const spinning = await page.evaluate(
        () =>
          !!document.querySelector(
            '.ant-spin-spinning, .ant-skeleton-active, .ant-table-placeholder .ant-spin',
          ),
      );
      if (text.includes('暂无数据') || !spinning)
        await page.screenshot({ path: shot(`loading${p.replace(/\W+/g, '_')}`) });
      expect(text, `${p} before its answer`).not.toContain('暂无数据');
      expect(text, `${p} counts nothing before its answer`).not.toMatch(/共 0 家/);
      expect(spinning, `${p} shows a spinner`).toBe(true);
      release();
      await page.unroute(api);
      await settled(page);
    }
    await page.close();
  });

  it('every page shows a spinner or skeleton until its answers arrive, never 暂无数据', async () => {
    const page = await open(1440, 900, 'admin');
    const wrong: string[] = [];
    for (const p of everyPage()) {
      // hold every API answer but the session's
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let seen = 0;
      const hold = async (route: import('playwright-core').Route) => {
        if (new URL(route.request().url()).pathname.startsWith('/api/auth/')) return route.continue();
        seen++;
        await held;
        await route.continue().catch(() => {}); // the page may have moved on
      };
      await page.route('**/api/**', hold);
      await page.goto(`${base}${p}`);
      await expect.poll(() => seen, { timeout: 15_000, message: p }).toBeGreaterThan(0);
      await page.waitForTimeout(300);
      const { text, spinning } = await page.evaluate(() => ({
        text: document.body.innerText,
        spinning: !!document.querySelector(
          '.ant-spin-spinning, .ant-skeleton-active, .ant-card-loading, .ant-select-arrow-loading',
        ),
      }));
      // the home page, the import wizard's first step and the account page say nothing that is an answer
      const answers = !['/', '/imports', '/account'].includes(p);
      if (text.includes('暂无数据') || (answers && !spinning)) {
        wrong.push(`${p}:${text.includes('暂无数据') ? ' 暂无数据' : ''}${spinning ? '' : ' no spinner'}`);
        await page.screenshot({ path: shot(`pending${p.replace(/\W+/g, '_')}`) });
      }
      release();
      await page.unroute('**/api/**', hold);
      await settled(page);
    }
    expect(wrong).toEqual([]);
    await page.close();
  }, 900_000);
});
