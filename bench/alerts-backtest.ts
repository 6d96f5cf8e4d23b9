// Backtest of the risk early-warning rules (issue 17): replays every rule set over 2019 … the latest month
// and prints, per rule set, how many failing firms were flagged ahead (recall), the median lead in months,
// and the share of alerts that fell on firms that failed (precision).
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
} finally {
  await database.close();
}
