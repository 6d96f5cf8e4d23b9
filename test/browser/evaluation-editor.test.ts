// The rule-set editor in Chromium: an administrator edits a weight of the default rule set, sees the
// preview of class changes on the latest year, saves the new version with a reason, runs it, and the
// explanation of a result cites that version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';
import { seedHandExample } from '../helpers/evaluation.ts';

describe('web: the rule-set editor', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await seedHandExample(d, 2024);
    await createUser(
      d.db,
      { username: 'web_rules', displayName: '规则管理员', role: 'admin', password: PASSWORD },
      { id: null, username: 'fixture' },
    );
    app = await testApp(d);
    base = await listen(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('edits a weight, previews the class changes, saves a version, runs it, and the explanation cites it', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await signIn(page, 'web_rules', PASSWORD);
    await page.goto(`${base}/evaluation/rules`);
    const editor = page.getByTestId('rule-set-editor');
    await editor.waitFor();

    // pick version 2 of the default (version 3 has the same classes and the policy table)
    await page.getByTestId('rule-set-pick').click();
    await page.locator('.ant-select-item-option', { hasText: 'default v2' }).click();

    // 规下: all weight on 亩均税收 — B1 (A by its electricity score) falls behind B2
    const elec = page.getByTestId('weight-below-taxPerElectricity');
    await elec.fill('0');
    await elec.blur();
    expect(await page.getByTestId('rule-set-save').isDisabled()).toBe(true);
    await page.getByTestId('rule-set-preview').click();
    const result = page.getByTestId('rule-set-preview-result');
    await result.waitFor();
    const text = await result.innerText();
    expect(text).toContain('2024');
    expect(text).toContain('示例丁小微厂'); // B1 moves
    expect(text).toContain('示例戊小微厂'); // B2 moves

    await page.getByTestId('rule-set-reason').fill('规下只看亩均税收（测试）');
    await page.getByTestId('rule-set-save').click();
    await page.getByTestId('rule-set-saved').getByText('default 第4版').waitFor();

    await page.getByTestId('rule-set-run').click();
    await page.waitForURL(/\/evaluation\/runs\/\d+$/);
    const table = page.getByTestId('evaluation-results');
    await table.getByText('示例戊小微厂').click();
    const cite = page.getByTestId('evaluation-rule-set');
    await cite.waitFor();
    expect(await cite.innerText()).toContain('default 第4版');
    expect(await page.getByTestId('evaluation-class').innerText()).toBe('A');
    await page.close();
  });
});
