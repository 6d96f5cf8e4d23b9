// The one headless Chromium the server prints its PDFs with (bulletins, county reports): Debian's, at
// CHROMIUM_PATH, never a downloaded browser. One browser and one context are shared and closed after a
// minute without work, so a month's batch does not pay the start-up each time and an idle server holds no
// browser. At most PRINT_PAGES pages print at once and at most PRINT_WAITING requests wait for one: a county
// report once launched a browser of its own per request, and 20 requests at once ran 225 Chromium processes
// (≈ 5 GB more memory in use, 39 s) — enough of them would take the server down. Past the queue a request is
// refused at once (PrintBusyError → 503 with Retry-After) instead of piling up.
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { settings } from './settings.ts';
import { Gate } from './gate.ts';

const IDLE_MS = 60_000;
/** pages printing at once: each is a renderer process (≈ 100–200 MB); two keep a 2-core server busy */
export const PRINT_PAGES = 2;
/** requests waiting for a page before further ones are refused */
export const PRINT_WAITING = 8;

export class PrintBusyError extends Error {
  constructor() {
    super(`the printer is busy: ${PRINT_PAGES} PDFs printing and ${PRINT_WAITING} waiting`);
  }
}

export class NoBrowserError extends Error {}

interface Printer {
  browser: Browser;
  context: BrowserContext;
  /** a tab opened with the browser, for the first print */
  spare: Page | null;
}
let printer: Promise<Printer> | null = null;
let idleTimer: NodeJS.Timeout | null = null;
const gate = new Gate(PRINT_PAGES, PRINT_WAITING);

function launch(): Promise<Printer> {
  const executablePath = settings().CHROMIUM_PATH;
  if (!fs.existsSync(executablePath))
    throw new NoBrowserError(`${executablePath} is missing: install Chromium or set CHROMIUM_PATH (PDFs)`);
  return (async () => {
    const browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    // The pages run no script and load nothing (charts are inline SVG, fonts inline or the system's):
    // whatever text a page carries, it cannot reach the network or act.
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.route('**/*', (route) => route.abort());
    // the first tab of a browser starts its renderer (~1 s on a loaded machine): done here, while the
    // caller gathers its figures, and kept for the first print
    const spare = await context.newPage();
    await spare.setContent('<p>预热</p>');
    return { browser, context, spare };
  })();
}

function idleLater(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const { active, waiting } = gate.load;
  if (active > 0 || waiting > 0) return;
  idleTimer = setTimeout(() => void closePrinter(), IDLE_MS);
  idleTimer.unref();
}

const onClose: (() => void)[] = [];
/** Runs `release` whenever the browser is closed (idle or shutdown): what a printing caller keeps for it. */
export function onPrinterClosed(release: () => void): void {
  if (!onClose.includes(release)) onClose.push(release);
}

/** Closes the shared browser (server shutdown, tests). */
export async function closePrinter(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const p = printer;
  printer = null;
  for (const release of onClose) release();
  if (p) await (await p.catch(() => null))?.browser.close();
}

/**
 * Starts the shared browser if none runs (a job calls this before it gathers its figures, so the start
 * overlaps the queries). Errors wait for the print that needs the browser.
 */
export function warmPrinter(): void {
  if (printer) return idleLater();
  try {
    printer = launch();
    printer.catch(() => {});
  } catch {
    // CHROMIUM_PATH missing: the print reports it
  }
  idleLater();
}

/**
 * Runs `print` on a page of the shared browser, at most PRINT_PAGES at once. `timings` gets print.wait
 * (waiting for a page) and print.browser (waiting for the browser to start).
 */
export async function withPrintPage<T>(
  print: (page: Page) => Promise<T>,
  opts: { queue?: 'bounded' | 'always'; timings?: Record<string, number> } = {},
): Promise<T> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const t0 = performance.now();
  if (!(await gate.enter(opts.queue === 'always'))) throw new PrintBusyError();
  try {
    const t1 = performance.now();
    printer ??= launch();
    let p: Printer;
    try {
      p = await printer;
      if (!p.browser.isConnected()) throw new Error('browser gone');
    } catch (e) {
      if (e instanceof NoBrowserError) throw e;
      printer = launch();
      p = await printer;
    }
    if (opts.timings) {
      opts.timings['print.wait'] = Math.round(t1 - t0);
      opts.timings['print.browser'] = Math.round(performance.now() - t1);
    }
    const page = p.spare ?? (await p.context.newPage());
    p.spare = null;
    try {
      return await print(page);
    } finally {
      // not awaited: the PDF is in hand, the tab goes away on its own time
      page.close().catch(() => {});
    }
  } finally {
    gate.leave();
    idleLater();
  }
}

/** Pages printing and requests waiting now (tests, the bench). */
export const printLoad = () => gate.load;
