// Health under load (issue 12, item 3): while 10 heavy requests (rankings, each a different query so
// no cache answers them) run against a listening server, /api/health answers within 200 ms on
// PostgreSQL; the heavy ones all finish. Bounded: 10 requests to 127.0.0.1 only.
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
    const measures = ['outputValue', 'revenue', 'profit', 'tax', 'employees'];
    let running = 10;
    const heavy = Array.from({ length: 10 }, (_, i) =>
      fetch(
        `${base}/api/monitoring/rankings?measure=${measures[i % 5]}&period=${i < 5 ? 'ytd' : 'month'}&pageSize=200`,
        { headers: { cookie } },
      ).then(async (r) => {
        await r.arrayBuffer();
        running--;
        return r.status;
      }),
    );
    const times: number[] = [];
    const runningAt: number[] = [];
    for (let i = 0; i < 5 && running > 0; i++) {
      runningAt.push(running);
      times.push(await health());
    }
    const statuses = await Promise.all(heavy);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(times.length).toBeGreaterThan(0);
    const round = (xs: number[]) => xs.map((x) => Math.round(x));
    console.log(
      `health under load (${t.kind}): ${round(times).join(', ')} ms (median ${Math.round(median(times))} ms, ` +
        `bound 200 ms) with ${runningAt.join(', ')} of 10 rankings unfinished; at rest ${round(idle).join(', ')} ms`,
    );
    // The bound of the issue, on the median (single samples on a shared machine also measure the
    // scheduler). The embedded PGlite runs every query in this process on one connection, so a heavy
    // query holds the event loop: only PostgreSQL can promise the bound; PGlite is held to 10 s.
    if (t.kind === 'postgres') expect(median(times)).toBeLessThan(200);
    else expect(median(times)).toBeLessThan(10_000);
  }, 300_000);
});
