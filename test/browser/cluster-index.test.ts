// The cluster index in Chromium: an analyst drafts and submits an edition, an administrator reviews and
// publishes it (two people); the overview shows the API's numbers; the public page answers without a
// login only while the administrator has the public view switched on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadChains } from '../../src/modules/chains/service.ts';
import type { ResultList } from '../../src/modules/cluster-index/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

describe('web: the cluster index is published by two people and shown publicly only when switched on', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    const config = await loadCityConfig(resolveCityDir());
    await loadChains(d.db, config);
    const { generateDemo } = await import('../../src/demo/generate.ts');
    await generateDemo(d, config, { seed: 5, enterpriseCount: 400 });
    await seedFixture(d);
    app = await testApp(d);
    base = await listen(app);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('drafts, publishes with a second person, and opens the public view only while it is on', async () => {
    // the analyst drafts (computed at once) and submits
    const analyst = await browser.newContext();
    const a = await analyst.newPage();
    // the machine running the tests may be busy: wait for the real conditions, only longer
    a.setDefaultTimeout(90_000);
    await a.goto(`${base}/login`);
    await signIn(a, 'fx_analyst', PASSWORD);
    await a.goto(`${base}/index/editions`);
    await a.getByTestId('index-new-draft').click();
    await a.getByTestId('index-create').click();
    await a.waitForURL(/\/index\/editions\/\d+$/, { timeout: 120_000 });
    const editionId = Number(a.url().split('/').pop());
    await a.getByTestId('index-edition-status').getByText('草稿').waitFor();
    // the drafter has no review or publish button
    expect(await a.getByTestId('index-action-review').count()).toBe(0);
    await a.getByTestId('index-action-submit').click();
    await a.getByTestId('index-edition-status').getByText('待审核').waitFor();
    await analyst.close();

    // nobody outside sees anything yet
    const visitor = await browser.newContext();
    const v = await visitor.newPage();
    v.setDefaultTimeout(90_000);
    await v.goto(`${base}/public/index`);
    await v.getByTestId('index-public-off').waitFor();

    // the administrator reviews and publishes, then turns the public view on
    const adminCtx = await browser.newContext();
    const p = await adminCtx.newPage();
    p.setDefaultTimeout(90_000);
    await p.goto(`${base}/login`);
    await signIn(p, 'fx_admin', PASSWORD);
    await p.goto(`${base}/index/editions/${editionId}`);
    await p.getByTestId('index-action-review').click();
    await p.getByTestId('index-edition-status').getByText('已审核').waitFor();
    await p.getByTestId('index-action-publish').click();
    await p.getByTestId('index-edition-status').getByText('已发布').waitFor();
    await p.getByTestId('index-method').getByText('标准化').first().waitFor();

    // the overview shows the API's numbers
    const cookie = await loginCookie(app, 'fx_admin');
    const api = json<ResultList>(
      await app.inject({
        url: `/api/index/editions/${editionId}/results?frequency=year&level=cluster&period=2025`,
        headers: { cookie },
      }),
    );
    const textile = api.items.find((r) => r.clusterCode === 'textile')!;
    await p.goto(`${base}/index`);
    await p.getByTestId('index-table').waitFor();
    const shown = p.getByTestId('index-score-textile').getByText(textile.score!.toFixed(1));
    // Once in CI (not reproduced here: idle, under six busy loops, with the clock a year on) the score did not
    // appear in 90 s. The page is loaded a second time before failing, and a failure says what it showed
    // (and whether the tab crashed), so a second one names its cause.
    let crashed = false;
    p.on('crash', () => (crashed = true));
    const pageText = () =>
      p
        .getByTestId('index-overview')
        .innerText({ timeout: 5_000 })
        .catch(() => '(no overview)');
    const firstTry = await shown.waitFor({ timeout: 45_000 }).then(
      () => null,
      async () => `${crashed ? '(the tab crashed) ' : ''}${await pageText()}`,
    );
    if (firstTry !== null) {
      console.warn(`the index overview lacked textile's score; reloading. It showed:\n${firstTry}`);
      crashed = false;
      await p.reload();
      await shown.waitFor({ timeout: 45_000 }).catch(async (error: unknown) => {
        throw new Error(
          `expected textile ${textile.score!.toFixed(1)} (edition ${editionId}, 2025) on ${p.url()}; ` +
            `twice absent. First:\n${firstTry}\nthen${crashed ? ' (the tab crashed)' : ''}:\n${await pageText()}`,
          { cause: error },
        );
      });
    }

    await p.goto(`${base}/index/editions`);
    const sw = p.getByTestId('index-public-switch');
    await sw.click();
    await p.waitForFunction(
      () =>
        document.querySelector('[data-testid="index-public-switch"]')?.getAttribute('aria-checked') ===
        'true',
    );

    await v.goto(`${base}/public/index`);
    await v.getByTestId('index-public').getByText(textile.clusterName).first().waitFor();
    expect(await v.getByTestId('index-public').innerText()).toContain(textile.score!.toFixed(1));

    // switched off again: the visitor sees nothing
    await sw.click();
    await p.waitForFunction(
      () =>
        document.querySelector('[data-testid="index-public-switch"]')?.getAttribute('aria-checked') ===
        'false',
    );
    await v.goto(`${base}/public/index`);
    await v.getByTestId('index-public-off').waitFor();
    await adminCtx.close();
    await visitor.close();
  }, 300_000);
});
