// The assessment scheme edited in the web (issue 16 item 6): the analyst opens the draft's scheme, moves a
// dimension weight, is stopped while the weights do not sum to 100, balances them and saves — the draft is
// computed again under scheme version 2 and the change is audited with the weights before and after. A
// county's own 基数值/目标值 line (progress against its own base) shows on the scheme and scores that county.
// (The edited scheme is in force only once a second person reviews and publishes the edition — the
// editions' four eyes, test/browser/assessment.test.ts; a new draft starts from the scheme in force.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { queryRows, type Database } from '../../src/db/client.ts';
import type { AssessmentEdition, CountyDetail } from '../../src/modules/assessment/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

describe('web: editing the assessment scheme', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let draft: AssessmentEdition;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await seedFixture(d);
    app = await testApp(d);
    base = await listen(app);
    const res = await app.inject({
      method: 'POST',
      url: '/api/assessment/editions',
      headers: { cookie: await loginCookie(app, 'fx_analyst') },
      payload: { year: 2025 },
    });
    expect(res.statusCode, res.body).toBe(201);
    draft = json<AssessmentEdition>(res);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('weights must sum to 100; the saved scheme is version 2, audited, and a county line scores its county', async () => {
    expect(draft.scheme.version).toBe(1);
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const p = await ctx.newPage();
    p.setDefaultTimeout(90_000);
    await p.goto(`${base}/login`);
    await signIn(p, 'fx_analyst', PASSWORD);
    await p.goto(`${base}/assessment`);
    await p.getByTestId('assessment-meta').getByText('草稿').waitFor();
    await p.getByRole('tab', { name: '考核方案' }).click();
    expect(await p.getByTestId('scheme-version').innerText()).toContain('第 1 版');
    await p.getByTestId('scheme-edit').click();
    // antd puts the test id on the input itself (or, in some versions, on its wrapper)
    const weight = (k: string) =>
      p.locator(`input[data-testid="scheme-weight-${k}"], [data-testid="scheme-weight-${k}"] input`);
    await weight('quality').fill('25');
    await expect.poll(() => p.getByTestId('scheme-sum').innerText()).toContain('105');
    expect(await p.getByTestId('scheme-issues').innerText()).toContain('维度权重合计应为 100（现为 105）');
    expect(await p.getByTestId('scheme-save').isDisabled()).toBe(true);
    await weight('work').fill('35');
    await expect.poll(() => p.getByTestId('scheme-sum').innerText()).toContain('100');
    expect(await p.getByTestId('scheme-issues').count()).toBe(0);
    const saved = p.waitForResponse(
      (r) => r.url().endsWith(`/api/assessment/editions/${draft.id}`) && r.request().method() === 'PUT',
    );
    await p.getByTestId('scheme-save').click();
    expect((await saved).status()).toBe(200);
    await expect.poll(() => p.getByTestId('scheme-version').innerText()).toContain('第 2 版');
    await p.getByRole('tab', { name: '排名' }).click();
    await p.getByTestId('assessment-ranking').getByText('质量变革（25）').first().waitFor();
    await p.getByTestId('assessment-ranking').getByText('工作评价（35）').first().waitFor();

    type Digest = { version: number; dimensions: { key: string; weight: number }[] };
    const audit = await queryRows<{ before: Digest; after: Digest }>(
      d.db,
      sql`select before, after from audit_log where action = 'assessment.scheme_edit' and entity_id = ${String(draft.id)}`,
    );
    const audit0 = audit[0]!;
    expect(audit).toHaveLength(1);
    const w = (x: Digest) => Object.fromEntries(x.dimensions.map((dd) => [dd.key, dd.weight]));
    expect(w(audit0.before)).toEqual({ quality: 20, efficiency: 20, momentum: 20, work: 40 });
    expect(w(audit0.after)).toEqual({ quality: 25, efficiency: 20, momentum: 20, work: 35 });
    expect([audit0.before.version, audit0.after.version]).toEqual([1, 2]);

    // a county's own line: 南湖's 集群项目投资增速 from its own base −20 → 0; city-wide ranking
    const cookie = await loginCookie(app, 'fx_analyst');
    const current = json<AssessmentEdition>(
      await app.inject({ url: `/api/assessment/editions/${draft.id}`, headers: { cookie } }),
    );
    const scheme = structuredClone(current.scheme);
    scheme.ranking = 'citywide';
    const growth = scheme.dimensions.flatMap((x) => x.indicators).find((i) => i.key === 'leading_firms')!;
    growth.counties = { [NANHU]: { base: -1, target: 0 } };
    const put = await app.inject({
      method: 'PUT',
      url: `/api/assessment/editions/${draft.id}`,
      headers: { cookie },
      payload: { scheme },
    });
    expect(put.statusCode, put.body).toBe(200);
    const detail = json<CountyDetail>(
      await app.inject({
        url: `/api/assessment/editions/${draft.id}/counties/${NANHU}`,
        headers: { cookie },
      }),
    );
    const line = detail.county.indicators.find((i) => i.key === 'leading_firms')!;
    // 0 百亿级 firms against its own line −1 → 0: full share, 25 × ½ = 12.5 points (two indicators in 质量)
    expect([line.value, line.base, line.target, line.share]).toEqual([0, -1, 0, 1]);
    expect(line.points).toBeCloseTo(12.5, 9);
    expect(detail.county.tier).toBe('全市');
    await p.reload();
    await p.getByRole('tab', { name: '考核方案' }).click();
    await expect.poll(() => p.getByTestId('scheme-version').innerText()).toContain('第 3 版');
    expect(await p.getByTestId('scheme-version').innerText()).toContain('全市统一比较');
    expect(await p.getByTestId('scheme-table').innerText()).toContain('南湖区 -1→0');
    await ctx.close();
  }, 240_000);
});
