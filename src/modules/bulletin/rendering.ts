// What rendering a bulletin loads (charts, page, workbook, print browser, fonts), in one place so the job
// queue (jobs.ts) can load it on the first render rather than at start.
export { filesOf, viewOf } from './render.ts';
export { bulletinHtml } from './html.ts';
export { bulletinXlsx } from './xlsx.ts';
export { closePdfBrowser, warmPdfBrowser } from './pdf.ts';
export { pageCodePoints, subsetFontFaces } from './fonts.ts';
