// Zip bombs and huge sheets on every upload path that reads a workbook (imports, import batches,
// project progress): refused with a problem naming the limit, the process staying far below the
// 4 GB it reached before, and the server answering afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import type { ImportBatch, ImportDetail } from '../../src/modules/imports/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFile, multipartFiles } from '../helpers/uploads.ts';
import { cellsBomb, sharedStringsBomb } from '../helpers/zip-bombs.ts';

const MB = 1024 * 1024;

describe.each(testDatabases())('upload limits on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookies: Record<string, string> = {};
  // the highest resident size seen while the bombs are handled
  let peak = 0;
  let baseline = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    app = await testApp(d);
    for (const key of ['admin', 'nanhu']) cookies[key] = await loginCookie(app, fx.users[key]!.username);
    // measured from here: setting up an embedded database alone takes several hundred MB
    baseline = process.memoryUsage().rss;
    peak = baseline;
  });
  afterAll(async () => {
    clearInterval(sampler);
    await waitForJobs();
    await app?.close();
    if (d) await t.dispose(d);
  });

  const get = (url: string, who = 'nanhu') =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });

  async function uploadOne(file: Buffer, fileName: string): Promise<ImportDetail> {
    const m = multipartFile(fileName, file);
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=monthly',
      headers: { ...m.headers, cookie: cookies.nanhu! },
      payload: m.payload,
    });
    expect(res.statusCode, res.body).toBe(202);
    const { id } = json<ImportDetail>(res);
    await waitForJobs(id);
    return json<ImportDetail>(await get(`/api/imports/${id}`));
  }

  it('refuses the shared-string bomb (5.5 M strings of 1,000 characters) sent to a monthly import', async () => {
    const file = sharedStringsBomb();
    const started = Date.now();
    const up = await uploadOne(file, 'bomb.xlsx');
    expect(up.status).toBe('refused');
    const p = up.problems.find((x) => x.severity === 'error')!;
    expect(p.code).toBe('file.too-large');
    expect(p.en).toContain('more than the limit of 1024 MB');
    expect(p.zh).toContain('超过单个部件上限');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses a sheet of 13 M cells whose sizes lie, and one whose ratio gives it away, in a batch', async () => {
    const m = multipartFiles([
      { field: 'monthly', fileName: 'lying.xlsx', content: cellsBomb(13_000_000, 200_000) },
      { field: 'annual', fileName: 'ratio.xlsx', content: cellsBomb(13_000_000) },
    ]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports/batches',
      headers: { ...m.headers, cookie: cookies.nanhu! },
      payload: m.payload,
    });
    expect(res.statusCode, res.body).toBe(202);
    await waitForJobs();
    const batch = json<ImportBatch>(await get(`/api/imports/batches/${json<ImportBatch>(res).id}`));
    expect(batch.status).toBe('refused');
    const byName = new Map(
      batch.files.map((f) => [f.fileName, f.problems.find((p) => p.severity === 'error')!]),
    );
    expect(byName.get('lying.xlsx')!.en).toContain('unpacks to more than its declared size');
    expect(byName.get('ratio.xlsx')!.code).toBe('file.too-large');
    expect(byName.get('ratio.xlsx')!.en).toMatch(/unpacks to .* more than the limit|compression ratio/);
  });

  it('refuses a 13 M-cell progress report before ExcelJS loads it whole', async () => {
    const file = cellsBomb(13_000_000);
    const res = await app.inject({
      method: 'POST',
      url: '/api/projects/progress-import',
      headers: { cookie: cookies.nanhu! },
      payload: { fileName: '进度.xlsx', contentBase64: file.toString('base64') },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{ status: string; issues: { message: string; messageZh: string }[] }>(res);
    expect(body.status).toBe('refused');
    expect(body.issues[0]!.message).toContain('more than the limit of 64 MB per part');
    expect(body.issues[0]!.messageZh).toContain('超过单个部件上限 64 MB');
  });

  it('stayed under 512 MB throughout and still answers', async () => {
    // before: 4.27 GB and a crash. The embedded database's own memory (PGlite) is not ours to count.
    expect(peak - baseline).toBeLessThan(256 * MB);
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
  });
});
