// From a bulletin's frozen data to its page and files: the view (domain), the HTML page, the xlsx and the
// PDF printed from that same page.
import { buildView, type BulletinData, type BulletinView } from '../../domain/bulletin/index.ts';
import { bulletinHtml } from './html.ts';
import { htmlToPdf } from './pdf.ts';
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

export async function filesOf(b: Renderable): Promise<{ pdf: Buffer; xlsx: Buffer }> {
  const view = await viewOf(b);
  const html = bulletinHtml(view, { status: b.status, generatedAt: b.generatedAt?.toISOString() ?? null });
  const xlsx = await bulletinXlsx(view);
  const pdf = await htmlToPdf(html, view.title);
  return { pdf, xlsx };
}
