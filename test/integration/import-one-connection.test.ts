// An import's transaction is one connection: every facts-changed hook (chain placement, monitoring
// rollups, alert rules, the bulletin draft) must send its queries one after the other on it. pg 8 warns
// ("Calling client.query() when the client is already executing a query", DeprecationWarning) and pg 9
// refuses them. A registry and a monthly import run through the service with every hook registered (the
// bulletin draft too); the test fails on that warning and on any query sent to a pg client while it is
// still executing another — the warning alone starts at the third query in flight and comes once per
// process. On PGlite (one connection that queues by itself) the same imports run and must pass too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { bulletins, chainAssignmentInputs, enterprises } from '../../src/db/schema.ts';
import { prepareDatabase } from '../../src/composition.ts';
import { registerFactsHooks } from '../../src/facts-hooks.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import { commitLocalFile } from '../../src/modules/imports/foreground.ts';
import { testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU } from '../helpers/fixtures.ts';

const ACTOR = { id: null, username: 'cli' };
const IMPORTER = { id: null, username: 'cli', regionCode: null };

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
interface ClientState {
  _activeQuery?: unknown;
  _queryQueue: unknown[];
}

/** Records every query sent to a pg client that is still executing or queueing another one. */
function watchOverlaps(): { overlaps: string[]; stop: () => void } {
  const overlaps: string[] = [];
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const state = this as unknown as ClientState;
    if (state._activeQuery || state._queryQueue.length > 0) {
      const q = args[0] as string | { text?: string };
      overlaps.push(String(typeof q === 'string' ? q : q?.text).slice(0, 200));
    }
    return original.apply(this, args);
  };
  return { overlaps, stop: () => void (proto.query = original) };
}

describe.each(testDatabases())('an import sends one query at a time on its transaction on $kind', (t) => {
  let d: Database;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-one-connection-'));
  const firms = Array.from({ length: 12 }, (_, i) => fixtureUscc(8100 + i));
  const auto = process.env.CLUSTERSCOPE_BULLETIN_AUTO;

  beforeAll(async () => {
    d = await t.open();
    await prepareDatabase(d); // reference data and the city's chains, as `clusterscope migrate`
    registerFactsHooks();
    process.env.CLUSTERSCOPE_BULLETIN_AUTO = '1'; // the bulletin hook runs too (the suite turns it off)
  });
  afterAll(async () => {
    process.env.CLUSTERSCOPE_BULLETIN_AUTO = auto;
    await waitForJobs();
    if (d) await t.dispose(d);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const file = (kind: 'enterprises' | 'monthly', name: string, rows: (string | number)[][]) => {
    const p = path.join(dir, `${t.kind}-${name}`);
    fs.writeFileSync(p, rows.map((r) => r.join(',')).join('\r\n') + '\r\n');
    return { kind, path: p, fileName: name, size: fs.statSync(p).size, sha256: `${t.kind}-${name}` };
  };

  it('registry and monthly imports with every hook: no concurrent query, no pg deprecation warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => {
      if (w.name === 'DeprecationWarning') warnings.push(w.message);
    };
    process.on('warning', onWarning);
    const watch = watchOverlaps();
    try {
      const registry = file('enterprises', 'firms.csv', [
        ['统一社会信用代码', '企业名称', '区县代码', '行业代码', '规模'],
        ...firms.map((u, i) => [u, `嘉兴连接示例${i}纺织有限公司`, NANHU, '1711', i % 2 ? '规上' : '规下']),
      ]);
      const r = await commitLocalFile(d, registry, IMPORTER, ACTOR);
      expect(r.outcome.status).toBe('committed');
      // a correction of the registry: placement recomputes the changed firms inside the transaction
      const renamed = file('enterprises', 'firms-renamed.csv', [
        ['统一社会信用代码', '企业名称', '区县代码', '行业代码', '规模'],
        ...firms.map((u, i) => [u, `嘉兴连接示例${i}纺织股份有限公司`, NANHU, '1711', '规上']),
      ]);
      expect((await commitLocalFile(d, renamed, IMPORTER, ACTOR)).outcome.status).toBe('committed');
      const header = ['统一社会信用代码', '统计月份', '工业总产值(万元)'];
      const monthly = (m: string, base: number) =>
        file('monthly', `${m}.csv`, [header, ...firms.map((u, i) => [u, m, base + i])]);
      const months = [monthly('2024-02', 100), monthly('2024-03', 120)];
      for (const m of months) {
        const o = await commitLocalFile(d, m, IMPORTER, ACTOR);
        expect(o.outcome.status).toBe('committed');
      }
      // a correction of the newest month (replaced values, history, alert rules again)
      const fix = file('monthly', '2024-03-fix.csv', [
        header,
        ...firms.map((u, i) => [u, '2024-03', 200 + i]),
      ]);
      const corrected = await commitLocalFile(d, fix, IMPORTER, ACTOR);
      expect(corrected.outcome.status).toBe('committed');
      await new Promise((resolve) => setImmediate(resolve)); // a warning is emitted on the next tick
    } finally {
      watch.stop();
      process.off('warning', onWarning);
    }
    expect(watch.overlaps).toEqual([]);
    expect(warnings).toEqual([]);

    // the hooks did run: the firms are registered, placed on chains, and each month, the newest when imported, queued drafts
    const rows = await d.db.select({ id: enterprises.id }).from(enterprises);
    expect(rows).toHaveLength(firms.length);
    expect((await d.db.select().from(chainAssignmentInputs)).length).toBeGreaterThan(0);
    const drafts = await d.db.select().from(bulletins).where(eq(bulletins.trigger, 'auto'));
    expect(new Set(drafts.map((b) => b.month))).toEqual(new Set(['2024-02', '2024-03']));
  });
});
