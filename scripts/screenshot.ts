// Takes README's screenshot (docs/screenshot.png) from the running app, as a county officer sees the
// enterprise registry: `npm start` (demo data) in one shell, then
//   node bin/run-ts.js scripts/screenshot.ts [base URL, default http://127.0.0.1:3000]
// Debian's Chromium (CHROMIUM_PATH) and fonts-noto-cjk draw it, as in the browser tests.
import path from 'node:path';
import { chromium } from 'playwright-core';
import { settings } from '../src/settings.ts';
import { REPO_ROOT } from '../src/db/client.ts';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const password = settings().CLUSTERSCOPE_DEMO_PASSWORD;
const out = path.join(REPO_ROOT, 'docs', 'screenshot.png');

const browser = await chromium.launch({
  executablePath: settings().CHROMIUM_PATH,
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill('tongxiang');
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.goto(`${base}/enterprises`);
  await page.locator('.ant-table-row').first().waitFor({ timeout: 120_000 });
  await page.waitForFunction(
    () => !document.querySelector('.ant-spin-spinning, .ant-spin-blur, .ant-skeleton-active'),
    undefined,
    { timeout: 120_000 },
  );
  await page.waitForTimeout(1000); // the rows' fade-in
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
