// Backtest of the risk early-warning rules (issue 17): replays every rule set over 2019 … the latest month
// and prints, per rule set, how many failing firms were flagged ahead (recall), the median lead in months,
// and the share of alerts that fell on firms that failed (precision). Then the HTTP path a user takes:
// POST /api/alerts/backtest answers at once and the replay runs in the server's background while GET
// polls it; /api/health is asked every half second meanwhile, and its slowest answer is printed (the
// server must keep answering), with the load average.
//
//   node bin/run-ts.js bench/alerts-backtest.ts                    # city-scale demo data, in-memory PGlite
//   node bin/run-ts.js bench/alerts-backtest.ts --url postgres://… # an existing database (demo data generated
//                                                                   # first when it has none)
import { parseArgs } from 'node:util';
import { openDatabase, runMigrations } from '../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../src/config/load.ts';
import { loadReferenceData } from '../src/modules/reference/service.ts';
import { generateDemo } from '../src/demo/generate.ts';
import { queryRows } from '../src/db/client.ts';
import { sql } from 'drizzle-orm';
import { defaultRuleSet } from '../src/modules/alerts/rules.ts';
import { runBacktest } from '../src/modules/alerts/backtest.ts';
import { backtestRuleSets } from '../src/modules/alerts/presets.ts';
import os from 'node:os';
import { createUser } from '../src/modules/auth/service.ts';
import { buildApp } from '../src/server/app.ts';

const { values } = parseArgs({ options: { url: { type: 'string' }, count: { type: 'string' } } });
const database = await openDatabase(values.url ? { url: values.url } : { dataDir: 'memory://' });
try {
  await runMigrations(database);
  const config = await loadCityConfig(resolveCityDir());
  const [has] = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from monthly_stats`,
  );
  if (!has?.n) {
    await loadReferenceData(database.db, config);
    const t = performance.now();
    await generateDemo(database, config, values.count ? { enterpriseCount: Number(values.count) } : {});
    console.log(`demo data generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const sets = backtestRuleSets(defaultRuleSet());
  const t = performance.now();
  const results = await runBacktest(
    database.db,
    sets.map((s) => s.ruleSet),
  );
  const seconds = (performance.now() - t) / 1000;
  const pct = (v: number | null) => (v == null ? '—' : `${(100 * v).toFixed(1)} %`);
  console.log(
    `\nbacktest ${results[0]?.from} … ${results[0]?.to}, ground truth: ${results[0]?.groundTruth}, ${seconds.toFixed(1)} s for ${sets.length} rule sets\n`,
  );
  console.log(
    `${results[0]?.firms} firms, ${results[0]?.failing} failed; "ahead" = raised at most 12 months before the failure\n`,
  );
  console.log(
    '| rule set | levels | flagged ahead | recall | median lead (months) | alerts | on failing firms | precision | firm precision |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  results.forEach((r, i) => {
    for (const [levels, s] of [
      ['all', r],
      ['red+orange', r.actionable],
    ] as const)
      console.log(
        `| ${sets[i]!.name} | ${levels} | ${s.flaggedAhead} | ${pct(s.recall)} | ${s.medianLeadMonths ?? '—'} | ${s.alerts} | ${s.alertsOnFailing} | ${pct(s.precision)} | ${pct(s.firmPrecision)} |`,
      );
  });
  console.log('\nper rule of the defaults (alerts / on failing firms):');
  for (const [id, v] of Object.entries(results[0]!.byRule))
    console.log(`  ${id}: ${v.alerts} / ${v.onFailing}`);
  await httpPath();
} finally {
  await database.close();
}

/** The backtest as a user starts it: a background job of the server, polled, the server answering meanwhile. */
async function httpPath() {
  const name = `bench_bt_${Date.now()}`;
  await createUser(
    database.db,
    { username: name, displayName: 'Bench', role: 'admin', password: 'BenchPassword2026' },
    { id: null, username: 'bench' },
  );
  const app = await buildApp({ database, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const headers = { 'x-requested-with': 'clusterscope', 'content-type': 'application/json' };
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ username: name, password: 'BenchPassword2026' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const t = performance.now();
    const post = await fetch(`${base}/api/alerts/backtest`, {
      method: 'POST',
      headers: { ...headers, cookie },
      body: '{}',
    });
    const answered = performance.now() - t;
    if (post.status !== 202)
      throw new Error(`POST /api/alerts/backtest: ${post.status} ${await post.text()}`);
    let slowestHealth = 0;
    let polls = 0;
    let job: { status: string; progress: number; result: { recall: number | null } | null };
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const h = performance.now();
      await (await fetch(`${base}/api/health`)).text();
      slowestHealth = Math.max(slowestHealth, performance.now() - h);
      job = (await (
        await fetch(`${base}/api/alerts/backtest`, { headers: { cookie } })
      ).json()) as typeof job;
      polls++;
      if (job.status !== 'queued' && job.status !== 'running') break;
    }
    const total = (performance.now() - t) / 1000;
    console.log(
      `\nHTTP path (${values.url ? 'PostgreSQL' : 'PGlite'}): POST answered in ${answered.toFixed(0)} ms; the job ${job.status} after ${total.toFixed(1)} s (${polls} polls); slowest /api/health meanwhile ${slowestHealth.toFixed(0)} ms; load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
  } finally {
    await app.close();
  }
}
