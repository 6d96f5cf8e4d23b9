// Health under load (issue 12, item 3): while 10 heavy requests (rankings, each a different query so
// no cache answers them) run against a listening server, /api/health answers within 200 ms on
// PostgreSQL (median of a fixed 21 samples, every one taken with the 10 in flight); the heavy ones all
// finish. Bounded: 10 connections to 127.0.0.1 only, at most 288 rankings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { loginCookie, testApp } from '../helpers/app.ts';
import { listen } from '../helpers/browser.ts';
import { MEASURES } from '../../src/modules/monitoring/schemas.ts';

describe.each(testDatabases())('health under load on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let base = '';
  let cookie = '';

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 5, enterpriseCount: 1500 });
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    await createUser(
      d.db,
      { username: 'load_admin', displayName: 'A', role: 'admin', password: PASSWORD },
      { id: null, username: 'fixture' },
    );
    app = await testApp(d);
    cookie = await loginCookie(app, 'load_admin');
    base = await listen(app);
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  it('answers /api/health quickly while 10 heavy requests run', async () => {
    const health = async () => {
      const started = performance.now();
      const res = await fetch(`${base}/api/health`);
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      return performance.now() - started;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // at rest first (the first check also reads the migration table once): what this machine takes
    await health();
    const idle: number[] = [];
    for (let i = 0; i < 5; i++) idle.push(await health());

    // Rankings, each a query not asked before (measure × period × scale × cluster), so no answer cache
    // serves one: 8 × 2 × 3 × 6 = 288, far more than the samples below can use up.
    const meta = (await (await fetch(`${base}/api/monitoring/meta`, { headers: { cookie } })).json()) as {
      clusters: { code: string }[];
    };
    const queries: string[] = [];
    for (const cluster of ['', ...meta.clusters.map((c) => c.code)])
      for (const scale of ['above', 'all', 'below'])
        for (const period of ['ytd', 'month'])
          for (const measure of MEASURES)
            queries.push(
              `measure=${measure}&period=${period}&scale=${scale}&pageSize=200${cluster ? `&cluster=${cluster}` : ''}`,
            );
    // Ten streams: each starts its next ranking as soon as one ends, until every health sample is taken,
    // so EVERY sample runs with ten heavy requests in flight. (Once CI failed on a median of two samples:
    // the ten one-shot rankings finished after two checks, so the bound rested on two scheduler draws.)
    let sampling = true;
    let inFlight = 0;
    let next = 0;
    const statuses: number[] = [];
    const stream = async () => {
      while (sampling && next < queries.length) {
        const q = queries[next++]!;
        inFlight++;
        try {
          const r = await fetch(`${base}/api/monitoring/rankings?${q}`, { headers: { cookie } });
          await r.arrayBuffer();
          statuses.push(r.status);
        } finally {
          inFlight--;
        }
      }
    };
    const heavy = Array.from({ length: 10 }, stream);
    // A fixed number of samples, all under load: the median of 21 is the 11th, so no single slow
    // draw of the scheduler (nor ten of them) decides it, and the bound is the same as before.
    const SAMPLES = 21;
    const times: number[] = [];
    const inFlightAt: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      inFlightAt.push(inFlight);
      times.push(await health());
    }
    const exhausted = next >= queries.length;
    sampling = false;
    await Promise.all(heavy);
    // the heavy ones all finish (none refused with 503 nor cut), and none ran out of fresh queries
    expect(statuses.length).toBeGreaterThanOrEqual(10);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(exhausted).toBe(false);
    // each sample started with (nearly) ten in flight: a stream refills within a tick of an answer
    expect(Math.min(...inFlightAt)).toBeGreaterThanOrEqual(9);
    const round = (xs: number[]) => xs.map((x) => Math.round(x));
    console.log(
      `health under load (${t.kind}): ${round(times).join(', ')} ms (median of ${SAMPLES} ${Math.round(median(times))} ms, ` +
        `bound ${t.kind === 'postgres' ? '200 ms' : '10 s'}) with ${Math.min(...inFlightAt)}–${Math.max(...inFlightAt)} rankings in flight at each ` +
        `sample, ${statuses.length} rankings answered; at rest ${round(idle).join(', ')} ms`,
    );
    // The bound of the issue, on the median (single samples on a shared machine also measure the
    // scheduler). The embedded PGlite runs every query in this process on one connection, so a heavy
    // query holds the event loop: only PostgreSQL can promise the bound; PGlite is held to 10 s.
    if (t.kind === 'postgres') expect(median(times)).toBeLessThan(200);
    else expect(median(times)).toBeLessThan(10_000);
  }, 300_000);
});
