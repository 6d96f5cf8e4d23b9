// The gates of src/server/limits.ts (issue 13 probing): every route they name is one the server
// registers — the monthly export was named `/api/imports/export.xlsx`, a route that does not exist, so ten
// exports of a year at once ran ungated and held /api/health for 54 s — and the exports' own gate lets
// its holders through, queues the next and refuses the rest with 503 and Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import {
  EXPORT_ROUTES,
  HEAVY_ROUTES,
  Gate,
  UNGATED_DOWNLOADS,
  registerExportLimit,
} from '../../src/server/limits.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';

describe('route gates', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  beforeAll(async () => {
    d = await openReadyDatabase(pglite);
    app = await testApp(d);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('names only routes the server registers', () => {
    const missing = [...HEAVY_ROUTES, ...EXPORT_ROUTES, ...UNGATED_DOWNLOADS.keys()].filter(
      (url) => !app.hasRoute({ method: 'GET', url }),
    );
    expect(missing).toEqual([]);
    // every download the server offers (a GET route ending in export.xlsx/.csv/.json, a ledger or roadmap
    // workbook, or the imports' export) is gated or named as deliberately ungated, with its reason
    const spec = (
      app as unknown as { swagger: () => { paths: Record<string, Record<string, unknown>> } }
    ).swagger();
    const routes = Object.entries(spec.paths)
      .filter(([, ops]) => 'get' in ops)
      .map(([p]) => p.replace(/\{(\w+)\}/g, ':$1'));
    const downloads = routes.filter((r) =>
      /\/export(\.(xlsx|csv|json)|\/:kind)$|ledger\.xlsx$|roadmap\.xlsx$/.test(r),
    );
    expect(downloads.length).toBeGreaterThanOrEqual(10);
    expect(downloads.filter((r) => !EXPORT_ROUTES.has(r) && !UNGATED_DOWNLOADS.has(r))).toEqual([]);
    expect([...EXPORT_ROUTES].filter((r) => UNGATED_DOWNLOADS.has(r))).toEqual([]);
  });

  it('lets the holders through, queues the next and refuses the rest with 503', async () => {
    const small = Fastify({ logger: false });
    registerExportLimit(small, new Gate(1, 1));
    let open!: () => void;
    const wait = new Promise<void>((resolve) => (open = resolve));
    let running = 0;
    let most = 0;
    small.get('/api/imports/export/:kind', async () => {
      running++;
      most = Math.max(most, running);
      await wait;
      running--;
      return 'ok';
    });
    small.get('/api/other', async () => 'free');
    await small.ready();
    const first = small.inject({ method: 'GET', url: '/api/imports/export/monthly' });
    const second = small.inject({ method: 'GET', url: '/api/imports/export/annual' });
    await new Promise((r) => setTimeout(r, 50));
    const third = await small.inject({ method: 'GET', url: '/api/imports/export/tiers' });
    expect(third.statusCode).toBe(503);
    expect(third.headers['retry-after']).toBe('10');
    expect(third.json()).toMatchObject({ message: expect.stringContaining('exports') });
    // a route outside the gate is not held up
    expect((await small.inject({ method: 'GET', url: '/api/other' })).body).toBe('free');
    open();
    expect((await first).statusCode).toBe(200);
    expect((await second).statusCode).toBe(200);
    expect(most).toBe(1);
    // the turns were given back
    expect((await small.inject({ method: 'GET', url: '/api/imports/export/flags' })).statusCode).toBe(200);
    await small.close();
  });
});
