// CSRF from a same-site origin (issue 12, item 5): a page served from the same host on another port
// tries, with the county officer's session, a bodyless POST commit, a multipart import, a scripted
// request with the app's header, and a form post — all refused, nothing changed, and the officer's
// own app keeps working.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/server/app.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import type { ImportDetail } from '../../src/modules/imports/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { json, loginCookie } from '../helpers/app.ts';
import { assertWebBuilt, launchBrowser, listen, signIn } from '../helpers/browser.ts';
import { multipartFile } from '../helpers/uploads.ts';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../src/server/csrf.ts';

const ATTACK = (target: string, importId: number) => `<!doctype html><html><body>
<form id="f" method="post" enctype="multipart/form-data" action="${target}/api/auth/logout" target="sink">
  <input name="x" value="1"></form><iframe name="sink"></iframe>
<script>
(async () => {
  const out = {};
  // a bodyless POST: no content type, no preflight
  try { await fetch('${target}/api/imports/${importId}/commit', { method: 'POST', credentials: 'include', mode: 'no-cors' }); out.commit = 'sent'; } catch (e) { out.commit = 'blocked'; }
  // a multipart upload: a simple request, no preflight
  const body = new FormData();
  body.append('file', new Blob(['统一社会信用代码,统计月份,工业总产值(万元)\\n${fixtureUscc(1)},2024-02,9999\\n']), 'evil.csv');
  try { await fetch('${target}/api/imports?kind=monthly', { method: 'POST', body, credentials: 'include', mode: 'no-cors' }); out.upload = 'sent'; } catch (e) { out.upload = 'blocked'; }
  // with the app's header: needs a CORS preflight, never granted
  try { await fetch('${target}/api/imports/${importId}/commit', { method: 'POST', credentials: 'include', headers: { '${CSRF_HEADER}': '${CSRF_HEADER_VALUE}' } }); out.scripted = 'answered'; } catch (e) { out.scripted = 'blocked'; }
  document.getElementById('f').submit();
  window.result = out;
})();
</script></body></html>`;

describe('web: cross-site request forgery from another port', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let base = '';
  let evil: http.Server;
  let evilBase = '';
  let importId = 0;
  let cookie = '';
  const seen: { method: string; url: string; status: number; origin: string | undefined }[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    d = await openReadyDatabase(pglite);
    await seedFixture(d);
    app = await buildApp({ database: d, logger: false });
    app.addHook('onResponse', async (request, reply) => {
      if (request.url.startsWith('/api/'))
        seen.push({
          method: request.method,
          url: request.url,
          status: reply.statusCode,
          origin: request.headers.origin,
        });
    });
    base = await listen(app);
    // an import previewed by the officer, waiting for the commit the attacker wants to force
    cookie = await loginCookie(app, 'fx_nanhu');
    const m = multipartFile(
      'june.csv',
      `统一社会信用代码,统计月份,工业总产值(万元)\n${fixtureUscc(1)},2024-06,123\n`,
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=monthly',
      headers: { ...m.headers, cookie, [CSRF_HEADER]: CSRF_HEADER_VALUE },
      payload: m.payload,
    });
    expect(res.statusCode, res.body).toBe(202);
    importId = json<ImportDetail>(res).id;
    await waitForJobs(importId);
    evil = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(ATTACK(base, importId));
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const addr = evil.address() as { port: number };
    evilBase = `http://127.0.0.1:${addr.port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    if (evil) await new Promise((resolve) => evil.close(resolve));
    await waitForJobs();
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('refuses every forged request and leaves the officer signed in with nothing changed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await signIn(page, 'fx_nanhu', PASSWORD); // the app's own POST passes the check
    const before = (await app.inject({ method: 'GET', url: '/api/imports', headers: { cookie } })).body;

    const attacker = await context.newPage();
    await attacker.goto(`${evilBase}/`);
    await attacker.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined);
    const result = await attacker.evaluate(() => (window as unknown as { result: unknown }).result);
    expect(result).toEqual({ commit: 'sent', upload: 'sent', scripted: 'blocked' });
    // the form post arrives too
    await expect.poll(() => seen.filter((s) => s.url === '/api/auth/logout').length).toBeGreaterThan(0);

    // the forged requests reached the server from the other origin, and each got 403
    // (the scripted one stopped at its preflight OPTIONS, which grants nothing)
    const forged = seen.filter((s) => s.origin === evilBase && s.method !== 'OPTIONS');
    expect(forged.map((s) => `${s.method} ${s.url.split('?')[0]}`).sort()).toEqual([
      'POST /api/auth/logout',
      `POST /api/imports`,
      `POST /api/imports/${importId}/commit`,
    ]);
    expect(forged.every((s) => s.status === 403)).toBe(true);

    // nothing changed: the import is still only previewed, no new import, the session still valid
    await waitForJobs();
    const detail = json<ImportDetail>(
      await app.inject({ method: 'GET', url: `/api/imports/${importId}`, headers: { cookie } }),
    );
    expect(detail.status).toBe('previewed');
    expect((await app.inject({ method: 'GET', url: '/api/imports', headers: { cookie } })).body).toBe(before);
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(200);
    await context.close();
  });
});
