// Each role signs in to the real web app in Chromium: the menu offers what the one policy lets the role
// read (src/domain/policy), and no entry it offers answers 403 from the API or shows 无权限.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { can, ROLES, type Role } from '../../src/domain/policy/index.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';

const LOGIN: Record<Role, string> = {
  admin: 'fx_admin',
  analyst: 'fx_analyst',
  county: 'fx_nanhu',
  cluster_agency: 'fx_textile',
  enterprise: 'fx_enterprise',
  auditor: 'fx_auditor',
  department: 'fx_department',
};

/** Built menu entries and the resource whose read they need (web/src/capabilities.tsx). */
const ENTRIES = {
  enterprises: 'enterprises.enterprise',
  imports: 'imports.import',
  monitoring: 'monitoring.figures',
  evaluation: 'evaluation.run',
  chains: 'chains.chain',
  index: 'index.edition',
  projects: 'projects.project',
  cultivation: 'cultivation.library',
  assessment: 'assessment.edition',
  platforms: 'platforms.platform',
  alerts: 'alerts.alert',
  service: 'service.request',
  reference: 'reference.data',
  audit: 'audit.entry',
} as const;

describe('web: the menu of each role', () => {
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

  it.each(ROLES)('%s: the menu follows the policy and no entry answers 403', async (role) => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('response', (res) => {
      if (res.status() === 403 && new URL(res.url()).pathname.startsWith('/api/'))
        refused.push(`${res.request().method()} ${new URL(res.url()).pathname}`);
    });
    await page.goto(`${base}/login`);
    await signIn(page, LOGIN[role], PASSWORD);
    await page.getByTestId('nav-home').waitFor();
    const expected = Object.entries(ENTRIES)
      .filter(([, resource]) => can({ role }, resource, 'read'))
      .map(([key]) => key);
    const shown: string[] = [];
    for (const key of Object.keys(ENTRIES))
      if ((await page.getByTestId(`nav-${key}`).count()) > 0) shown.push(key);
    expect(shown, `menu of ${role}`).toEqual(expected);

    for (const key of shown) {
      await page.getByTestId(`nav-${key}`).click();
      await page.waitForLoadState('networkidle');
      expect(await page.getByTestId('forbidden').count(), `${role} on ${key}`).toBe(0);
      expect(await page.getByText('无权限').count(), `${role} on ${key}`).toBe(0);
    }
    expect(refused, `403 answers while ${role} used its menu`).toEqual([]);

    // an entry the role is not offered, opened by URL, reads 无权限 with the reason, not an error page
    const hidden = Object.keys(ENTRIES).find((k) => !shown.includes(k));
    if (hidden) {
      await page.goto(`${base}/${hidden}`);
      await page.getByTestId('forbidden').waitFor();
      expect(await page.getByTestId('forbidden').innerText()).toContain('无权限');
    }
    await page.close();
  });
});
