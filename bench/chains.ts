// Chain placement (issue 6, item 2), on city-scale demo data:
//   - the full rebuild of every automatic placement (first read on a new database, or node rules changed);
//   - the first read after a registry change of N enterprises, incremental (digest diff), with and without
//     the facts-changed hook having placed them in the change's own transaction;
//   - a read with nothing changed;
//   - what products do to the shared codes: 电池片 vs 光伏组件, and the match kinds.
//
//   node bin/run-ts.js bench/chains.ts              # in-memory PGlite
//   node bin/run-ts.js bench/chains.ts --pg         # a scratch PostgreSQL database beside BENCH_PG_URL
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, runMigrations, type Database } from '../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../src/config/load.ts';
import { generateDemo } from '../src/demo/generate.ts';
import { loadReferenceData } from '../src/modules/reference/service.ts';
import { adminQuery } from './load.ts';
import {
  ensureAssignments,
  loadChains,
  refreshAssignments,
  refreshAssignmentsFor,
} from '../src/modules/chains/service.ts';

const { values } = parseArgs({
  options: { pg: { type: 'boolean', default: false }, changed: { type: 'string', default: '500' } },
});
const BASE = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const CHANGED = Number(values.changed);

const admin = (text: string) => adminQuery(BASE, text);

const scratch = values.pg ? `cs_bench_chains_${crypto.randomBytes(4).toString('hex')}` : null;
let database: Database | null = null;
try {
  if (scratch) await admin(`create database ${scratch}`);
  const url = scratch ? Object.assign(new URL(BASE), { pathname: `/${scratch}` }).toString() : null;
  database = url ? await openDatabase({ url }) : await openDatabase({ dataDir: 'memory://' });
  const d = database;
  const config = await loadCityConfig(resolveCityDir());
  await runMigrations(d);
  await loadReferenceData(d.db, config);
  await loadChains(d.db, config);
  await generateDemo(d, config, { scale: 'city' });
  const time = async <T>(f: () => Promise<T>): Promise<[number, T]> => {
    const s = performance.now();
    const r = await f();
    return [performance.now() - s, r];
  };

  const [full, rows] = await time(() => refreshAssignments(d.db));
  const [noop] = await time(() => ensureAssignments(d.db));

  const [kinds] = [
    await queryRows<{ match: string; n: number }>(
      d.db,
      sql`select match, count(*)::int as n from enterprise_chain_nodes where basis = 'auto' group by match order by match`,
    ),
  ];
  const [pv] = await queryRows<{ cell: number; module: number; both: number }>(
    d.db,
    sql`select count(*) filter (where node_code = 'pv_cell')::int as cell,
               count(*) filter (where node_code = 'pv_module')::int as module,
               (select count(*)::int from enterprise_chain_nodes a join enterprise_chain_nodes b
                  on a.enterprise_id = b.enterprise_id and a.chain_code = 'new_energy' and b.chain_code = 'new_energy'
                  and a.node_code = 'pv_cell' and b.node_code = 'pv_module') as both
        from enterprise_chain_nodes where chain_code = 'new_energy'`,
  );
  const chem = await queryRows<{ node: string; n: number; shared: number }>(
    d.db,
    sql`select ecn.node_code as node, count(*)::int as n, count(*) filter (where ecn.match = 'shared_code')::int as shared
        from enterprise_chain_nodes ecn join chain_nodes cn on cn.chain_code = ecn.chain_code and cn.code = ecn.node_code
        where ecn.chain_code = 'chem_materials' and cn.industry_codes @> '["2614"]'::jsonb
        group by ecn.node_code order by ecn.node_code`,
  );
  const [firms] = await queryRows<{ n: number; products: number }>(
    d.db,
    sql`select count(*)::int as n, count(main_products)::int as products from enterprises`,
  );

  const chemLine = chem.map((c) => `${c.node} ${c.n} (${c.shared} shared)`).join(', ');
  // N firms in shared codes change their products (a registry import or edits), straight in the table
  const pick = (n: number, offset: number) =>
    queryRows<{ id: number }>(
      d.db,
      sql`select id::int as id from enterprises where industry_code in ('3825', '2614', '3670', '3985')
          order by id limit ${n} offset ${offset}`,
    );
  const firstIds = (await pick(CHANGED, 0)).map((r) => r.id);
  const products = JSON.stringify(['光伏组件']);
  const setProducts = (db: typeof d.db, ids: number[]) =>
    db.execute(
      sql`update enterprises set main_products = ${products}::jsonb, updated_at = now()
          where id = any(${`{${ids.join(',')}}`}::bigint[])`,
    );
  await setProducts(d.db, firstIds);
  const [incremental, incr] = await time(() => ensureAssignments(d.db));

  // the same through the hook: placed inside the change's transaction, the next read only compares digests
  const secondIds = (await pick(CHANGED, CHANGED)).map((r) => r.id);
  const [hook] = await time(() =>
    d.db.transaction(async (tx) => {
      await setProducts(tx, secondIds);
      await refreshAssignmentsFor(tx, secondIds);
    }),
  );
  const [afterHook, after] = await time(() => ensureAssignments(d.db));

  const ms = (v: number) => `${Math.round(v).toLocaleString('en-US')} ms`;
  console.log(`\nChain placement, city-scale demo on ${d.kind}`);
  console.log(
    `  firms ${firms!.n.toLocaleString('en-US')} (with main products ${firms!.products.toLocaleString('en-US')}); automatic rows ${rows.toLocaleString('en-US')}`,
  );
  console.log(`  full rebuild (first read, or node rules changed)  ${ms(full)}`);
  console.log(`  read with nothing changed                          ${ms(noop)}`);
  console.log(
    `  first read after ${CHANGED} firms changed (incremental)   ${ms(incremental)}  (${incr?.enterprises} firms recomputed)`,
  );
  console.log(`  the change + the hook in its transaction           ${ms(hook)}`);
  console.log(
    `  first read after that                              ${ms(afterHook)}  (${after?.enterprises ?? 0} firms recomputed)`,
  );
  console.log(`  match kinds: ${kinds.map((k) => `${k.match} ${k.n}`).join(', ')}`);
  console.log(
    `  电池片 ${pv!.cell} firms, 光伏组件 ${pv!.module} firms, on both ${pv!.both} (demo products, before the bench's edits)`,
  );
  console.log(`  chem_materials 2614 nodes: ${chemLine}`);
} finally {
  await database?.close();
  if (scratch) await admin(`drop database if exists ${scratch} with (force)`);
}
