// An enterprise user opens the evaluation pages in Chromium: it sees its own result and explanation,
// and nobody else's — neither in the list nor by URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { createRun, publishRun, submitRun } from '../../src/modules/evaluation/service.ts';
import { scopeOf } from '../../src/server/scope.ts';
import type { AuthedUser } from '../../src/server/auth-context.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';
import { HAND_ROWS, seedHandExample } from '../helpers/evaluation.ts';

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
    const adminBase = {
      id: 0,
      username: 'fixture',
      displayName: 'fixture',
      role: 'admin' as const,
      regionCode: null,
      regionName: null,
      clusterCode: null,
      enterpriseId: null,
      sessionTokenHash: '',
    };
    const admin: AuthedUser = { ...adminBase, scope: scopeOf(adminBase) };
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
});
