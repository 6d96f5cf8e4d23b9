// PDF by printing the bulletin's HTML page on the server's shared headless Chromium (src/print.ts: one
// browser, closed after a minute without work): A4, backgrounds (the 演示数据 watermark), page numbers in
// the footer. The fonts cut for it are released with the browser.
import { closePrinter, onPrinterClosed, warmPrinter, withPrintPage } from '../../print.ts';
import { escapeHtml } from './html.ts';
import type { Timings } from './gather.ts';
import { pageCodePoints, PRINT_FAMILY, releaseFonts, subsetFontFaces, warmFonts } from './fonts.ts';

// the fonts cut for the prints go with the browser (idle or shutdown)
onPrinterClosed(releaseFonts);

/** Closes the shared browser and so the fonts kept for it (server shutdown, tests). */
export const closePdfBrowser = closePrinter;

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
  warmFonts();
  warmPrinter();
}

/** Prints the page to an A4 PDF with page numbers; `timings` gets pdf.browser (waiting for a browser). */
export async function htmlToPdf(html: string, title: string, timings: Timings = {}): Promise<Buffer> {
  // the page's font cut to its characters (fonts.ts: why); the footer, a page of its own, gets its own
  const tf = performance.now();
  const fontFaces = await subsetFontFaces(pageCodePoints(html));
  const footerFaces = await subsetFontFaces(pageCodePoints(footerText(title), '0123456789'));
  timings['pdf.fonts'] = Math.round(performance.now() - tf);
  const waits: Record<string, number> = {};
  // a background job: it waits for a page however many are asked for (the worker runs one job at a time)
  return withPrintPage(
    async (page) => {
      timings['pdf.browser'] = (waits['print.wait'] ?? 0) + (waits['print.browser'] ?? 0);
      let last = performance.now();
      const lap = (name: string) => {
        const now = performance.now();
        timings[name] = Math.round(now - last);
        last = now;
      };
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
    },
    { queue: 'always', timings: waits },
  );
}
