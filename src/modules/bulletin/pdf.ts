// PDF by printing the bulletin's HTML page in headless Chromium (Debian's, CHROMIUM_PATH; never a
// downloaded browser): A4, backgrounds (the 演示数据 watermark), page numbers in the footer. One browser
// is shared by the jobs and closed after a minute without work, so a month's batch of bulletins does
// not pay the start-up each time and an idle server holds no browser.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { settings } from '../../settings.ts';
import { escapeHtml } from './html.ts';

const IDLE_MS = 60_000;
let browser: Promise<Browser> | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let inUse = 0;

function launch(): Promise<Browser> {
  const executablePath = settings().CHROMIUM_PATH;
  if (!fs.existsSync(executablePath))
    throw new Error(`${executablePath} is missing: install Chromium or set CHROMIUM_PATH (bulletin PDFs)`);
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}

/** Closes the shared browser (server shutdown, tests). */
export async function closePdfBrowser(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const b = browser;
  browser = null;
  if (b) await (await b.catch(() => null))?.close();
}

const footer = (title: string) =>
  `<div style="width:100%;font-size:8px;color:#555;padding:0 14mm;display:flex;justify-content:space-between;font-family:'Noto Sans CJK SC',sans-serif">` +
  `<span>${escapeHtml(title)}</span><span>第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页</span></div>`;

/** Prints the page to an A4 PDF with page numbers. */
export async function htmlToPdf(html: string, title: string): Promise<Buffer> {
  if (idleTimer) clearTimeout(idleTimer);
  inUse++;
  try {
    browser ??= launch();
    let b: Browser;
    try {
      b = await browser;
      if (!b.isConnected()) throw new Error('browser gone');
    } catch {
      browser = launch();
      b = await browser;
    }
    const page = await b.newPage();
    try {
      // The page loads nothing: no script, no network (charts are inline SVG, fonts are the system's).
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: footer(title),
        margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
        preferCSSPageSize: false,
      });
    } finally {
      await page.close();
    }
  } finally {
    inUse--;
    if (inUse === 0) {
      idleTimer = setTimeout(() => void closePdfBrowser(), IDLE_MS);
      idleTimer.unref();
    }
  }
}
