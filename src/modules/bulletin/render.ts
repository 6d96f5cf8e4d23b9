// From a bulletin's frozen data to its page and files: the view (domain), the HTML page, the xlsx and the
// PDF printed from that same page.
import { buildView, type BulletinData, type BulletinView } from '../../domain/bulletin/index.ts';
import { bulletinHtml } from './html.ts';
import { htmlToPdf } from './pdf.ts';
import { timed, type Timings } from './gather.ts';
import { bulletinTemplate } from './template.ts';
import { bulletinXlsx } from './xlsx.ts';

export interface Renderable {
  data: unknown;
  commentary: string;
  status: string;
  generatedAt: Date | null;
}

export async function viewOf(b: Renderable): Promise<BulletinView> {
  return buildView(await bulletinTemplate(), b.data as BulletinData, b.commentary);
}

export async function pageOf(b: Renderable): Promise<string> {
  return bulletinHtml(await viewOf(b), {
    status: b.status,
    generatedAt: b.generatedAt?.toISOString() ?? null,
  });
}

/**
 * Both files from one view. The workbook is written while Chromium prints (the print is another process;
 * the workbook is this one's CPU), so the slower of the two sets the time, not their sum.
 */
export async function filesOf(b: Renderable, timings: Timings = {}): Promise<{ pdf: Buffer; xlsx: Buffer }> {
  const html = await timed(timings, 'html', async () => {
    const view = await viewOf(b);
    return {
      view,
      page: bulletinHtml(view, { status: b.status, generatedAt: b.generatedAt?.toISOString() ?? null }),
    };
  });
  const [pdf, xlsx] = await Promise.all([
    timed(timings, 'pdf', () => htmlToPdf(html.page, html.view.title, timings)),
    timed(timings, 'xlsx', () => bulletinXlsx(html.view)),
  ]);
  return { pdf, xlsx };
}
