// Bulletin tests' helpers: wait for a bulletin's background job, and read a PDF's text (pdftotext, from
// Debian's poppler-utils, as .ci/run installs) and an xlsx's sheets.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { bulletins } from '../../src/db/schema.ts';
import { kickBulletinJobs, waitForBulletinJobs } from '../../src/modules/bulletin/index.ts';
import { insertQueued } from '../../src/modules/bulletin/service.ts';
import type { Bulletin } from '../../src/modules/bulletin/schemas.ts';
import { json } from './app.ts';

/** Waits until the bulletin has no job left (polling the API as the page does). */
export async function waitForBulletin(app: FastifyInstance, cookie: string, id: number): Promise<Bulletin> {
  for (let i = 0; i < 600; i++) {
    await waitForBulletinJobs();
    const res = await app.inject({ method: 'GET', url: `/api/bulletins/${id}`, headers: { cookie } });
    const b = json<Bulletin>(res);
    if (res.statusCode !== 200) throw new Error(`bulletin ${id}: ${res.statusCode} ${res.body}`);
    if (!b.job) return b;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bulletin ${id} still generating`);
}

/** The PDF's text with its layout kept (table rows stay on one line). */
export function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-pdf-'));
  try {
    const file = path.join(dir, 'b.pdf');
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every sheet's rows as arrays of cell values (1-based columns dropped). */
export async function xlsxSheets(xlsx: Buffer): Promise<Map<string, unknown[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as never);
  const out = new Map<string, unknown[][]>();
  wb.eachSheet((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    out.set(ws.name, rows);
  });
  return out;
}

/** A bulletin generated through the job queue as the system would (fixtures of scope tests); its id. */
export async function seedBulletin(
  db: Db,
  b: { month: string; kind: 'city' | 'county' | 'cluster'; code: string | null },
): Promise<number> {
  const row = await insertQueued(db, { id: null, username: 'fixture' }, { ...b, name: b.code ?? '全市' });
  kickBulletinJobs(db);
  await waitForBulletinJobs();
  const [done] = await db.select().from(bulletins).where(eq(bulletins.id, row.id));
  if (done?.job || done?.status !== 'draft')
    throw new Error(`bulletin fixture: ${done?.status} ${done?.error}`);
  return row.id;
}
