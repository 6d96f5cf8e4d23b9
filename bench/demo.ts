// Demo-data benchmark and calibration check: generates the demo data set into a fresh database and
// prints row counts, timings and how close the data land to the calibration targets.
//
//   node bin/run-ts.js bench/demo.ts                         # city scale, in-memory PGlite
//   node bin/run-ts.js bench/demo.ts --scale province        # 10× (benchmark size)
//   node bin/run-ts.js bench/demo.ts --url postgres://…/db   # a PostgreSQL database (migrated here)
//   node bin/run-ts.js bench/demo.ts --seed 7 --count 3000   # another seed, a small instance
import { parseArgs } from 'node:util';
import { openDatabase, runMigrations } from '../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../src/config/load.ts';
import { DEFAULT_SEED, generateDemo } from '../src/demo/generate.ts';
import { demoReport } from '../src/demo/report.ts';
import { loadReferenceData } from '../src/modules/reference/service.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'city' },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    url: { type: 'string' },
    count: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const scale = values.scale === 'province' ? 'province' : 'city';

const config = await loadCityConfig(resolveCityDir());
const opened = performance.now();
const database = values.url
  ? await openDatabase({ url: values.url })
  : await openDatabase({ dataDir: 'memory://' });
await runMigrations(database);
await loadReferenceData(database.db, config);
const migrated = (performance.now() - opened) / 1000;

const summary = await generateDemo(database, config, {
  seed: Number(values.seed),
  scale,
  enterpriseCount: values.count ? Number(values.count) : undefined,
  onProgress: values.quiet ? undefined : (m) => console.log(`  … ${m}`),
});

const fmt = (v: number | null, digits = 1) =>
  v === null
    ? '—'
    : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log(`\nDemo data: ${scale} scale, seed ${summary.seed}, ${database.kind} (${database.location})`);
console.log(
  `open + migrate + reference data ${migrated.toFixed(1)} s; generate + write ${summary.seconds.toFixed(1)} s (plan ${summary.planSeconds.toFixed(1)} s, rollups ${summary.rollupSeconds.toFixed(1)} s)`,
);
console.log('\nrows written');
for (const [table, n] of Object.entries(summary.counts))
  console.log(`  ${table.padEnd(22)} ${n.toLocaleString('en-US')}`);
console.log(
  `  (规上 ${summary.above.toLocaleString('en-US')}, 规下 ${summary.below.toLocaleString('en-US')})`,
);

const report = await demoReport(database.db, summary.base2018Yi);
console.log('\ncalibration');
console.log('  | target | value | band | generated | ok |');
console.log('  |---|---|---|---|---|');
for (const l of report.lines) {
  const d = l.unit === 'share' ? 3 : l.unit === '家' ? 0 : 1;
  console.log(
    `  | ${l.label} | ${fmt(l.target, d)} ${l.unit} | ${fmt(l.band[0], d)}–${fmt(l.band[1], d)} | ${fmt(l.actual, d)} | ${l.ok ? 'yes' : 'NO'} |`,
  );
}
console.log('\n规上 output by year (亿元)');
for (const r of report.outputByYear) {
  console.log(
    `  ${r.year}${r.year === 2026 ? ' (Jan–Oct)' : '          '} ${fmt(r.yi, 0).padStart(8)}  firms ${r.firms}`,
  );
}
console.log(`  2019 Jan–Sep: ${fmt(report.jan2019ToSep, 0)} (2018 Jan–Sep published: 7,002.8)`);
console.log('\ncluster output 2025 (firms in two clusters count in both)');
for (const c of report.clusterOutput2025) {
  console.log(
    `  ${c.cluster.padEnd(15)} ${fmt(c.yi, 0).padStart(7)} 亿元  firms ${String(c.firms).padStart(5)}  ≥100亿: ${c.over100}  leader ${fmt(c.leaderYi, 0)} 亿元`,
  );
}
console.log('\nreporting units, output 2022 (亿元; zones are inside counties, do not add up)');
for (const r of report.countyOutput2022) console.log(`  ${r.region.padEnd(10)} ${fmt(r.yi, 0).padStart(7)}`);
console.log('\nSpring Festival month vs neighbours (规上 output, 亿元)');
for (const s of report.springFestival) {
  console.log(
    `  ${s.year}-${String(s.month).padStart(2, '0')} ${fmt(s.value / 10000, 0).padStart(6)}  prev ${fmt(s.prev === null ? null : s.prev / 10000, 0).padStart(6)}  next ${fmt(s.next === null ? null : s.next / 10000, 0).padStart(6)}  ${s.trough ? 'trough' : 'not a trough'}`,
  );
}
console.log('\nenterprise status', report.statuses);
await database.close();
