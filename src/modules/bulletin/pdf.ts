// PDF by printing the bulletin's HTML page in headless Chromium (Debian's, CHROMIUM_PATH; never a
// downloaded browser): A4, backgrounds (the 演示数据 watermark), page numbers in the footer. One browser
// and one browser context are shared by the jobs and closed after a minute without work, so a month's
// batch of bulletins does not pay the start-up (nor a fresh context per page) each time and an idle
// server holds no browser.
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { settings } from '../../settings.ts';
import { escapeHtml } from './html.ts';
import type { Timings } from './gather.ts';
import { pageCodePoints, PRINT_FAMILY, releaseFonts, subsetFontFaces, warmFonts } from './fonts.ts';

const IDLE_MS = 60_000;
interface Printer {
  browser: Browser;
  context: BrowserContext;
  /** a tab opened with the browser, for the first print */
  spare: Page | null;
}
let browser: Promise<Printer> | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let inUse = 0;

function launch(): Promise<Printer> {
  const executablePath = settings().CHROMIUM_PATH;
  if (!fs.existsSync(executablePath))
    throw new Error(`${executablePath} is missing: install Chromium or set CHROMIUM_PATH (bulletin PDFs)`);
  return (async () => {
    const b = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    const context = await b.newContext();
    // The pages load nothing: no script, no network (charts are inline SVG, fonts are the system's).
    await context.route('**/*', (route) => route.abort());
    // the first tab of a browser starts its renderer (~1 s on a loaded machine): done here, while the
    // job gathers its figures, and kept for the first print
    const spare = await context.newPage();
    await spare.setContent('<p>预热</p>');
    return { browser: b, context, spare };
  })();
}

/** Closes the shared browser (server shutdown, tests). */
export async function closePdfBrowser(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const b = browser;
  browser = null;
  releaseFonts();
  if (b) await (await b.catch(() => null))?.browser.close();
}

const footerText = (title: string) =>
  `<span>${escapeHtml(title)}</span><span>第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页</span>`;
const footer = (title: string, fontFaces: string) =>
  `<style>${fontFaces}</style><div style="width:100%;font-size:8px;color:#555;padding:0 14mm;display:flex;justify-content:space-between;font-family:'${PRINT_FAMILY}','Noto Sans CJK SC',sans-serif">` +
  `${footerText(title)}</div>`;

/**
 * Starts the shared browser if none runs (a job calls this before it gathers its figures, so the start
 * overlaps the queries instead of following them). Errors wait for the print that needs the browser.
 */
export function warmPdfBrowser(): void {
  if (idleTimer) clearTimeout(idleTimer);
  if (browser) return;
  warmFonts();
  try {
    browser = launch();
    browser.catch(() => {});
  } catch {
    // CHROMIUM_PATH missing: htmlToPdf reports it
  }
  if (inUse === 0) {
    idleTimer = setTimeout(() => void closePdfBrowser(), IDLE_MS);
    idleTimer.unref();
  }
}

/** Prints the page to an A4 PDF with page numbers; `timings` gets pdf.browser (waiting for a browser). */
export async function htmlToPdf(html: string, title: string, timings: Timings = {}): Promise<Buffer> {
  if (idleTimer) clearTimeout(idleTimer);
  inUse++;
  try {
    // the page's font cut to its characters (fonts.ts: why); the footer, a page of its own, gets its own
    const tf = performance.now();
    const fontFaces = await subsetFontFaces(pageCodePoints(html));
    const footerFaces = await subsetFontFaces(pageCodePoints(footerText(title), '0123456789'));
    timings['pdf.fonts'] = Math.round(performance.now() - tf);
    const t = performance.now();
    browser ??= launch();
    let b: Printer;
    try {
      b = await browser;
      if (!b.browser.isConnected()) throw new Error('browser gone');
    } catch {
      browser = launch();
      b = await browser;
    }
    timings['pdf.browser'] = Math.round(performance.now() - t);
    let last = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      timings[name] = Math.round(now - last);
      last = now;
    };
    const page = b.spare ?? (await b.context.newPage());
    b.spare = null;
    try {
      lap('pdf.page');
      await page.setContent(
        fontFaces ? html.replace('</head>', () => `<style>${fontFaces}</style></head>`) : html,
        { waitUntil: 'load' },
      );
      lap('pdf.load');
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: footer(title, footerFaces),
        margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
        preferCSSPageSize: false,
      });
      lap('pdf.print');
      return pdf;
    } finally {
      // not awaited: the PDF is in hand, the tab goes away on its own time
      page.close().catch(() => {});
    }
  } finally {
    inUse--;
    if (inUse === 0) {
      idleTimer = setTimeout(() => void closePdfBrowser(), IDLE_MS);
      idleTimer.unref();
    }
  }
}
