// Writes the deterministic demo data set into a database: enterprises, cluster membership, tiers,
// platforms, monthly statistics (规上) and annual evaluation inputs, all in one transaction, streamed
// into COPY in bounded chunks. Generation itself is pure (see enterprises.ts, monthly.ts, annual.ts,
// tiers.ts); this module only plans, guards and writes.
import { sql } from 'drizzle-orm';
import type { CityConfig } from '../config/load.ts';
import { queryRows, type Database, type Db } from '../db/client.ts';
import { meta } from '../db/schema.ts';
import { refreshClusterRollups } from '../modules/monitoring/index.ts';
import { ensureAssignments } from '../modules/chains/index.ts';
import { annualBelow, annualFromMonthly, type AnnualRecord } from './annual.ts';
import { planEnterprises, type DemoEnterprise, type DemoScale } from './enterprises.ts';
import { monthlyContext, monthlySeries } from './monthly.ts';
import { planPlatforms, planTiers } from './tiers.ts';
import { planFlags } from './flags.ts';
import { DemoWorld } from './world.ts';
import { FIRST_YEAR } from './calibration.ts';
import { addMonths } from '../domain/periods.ts';

export const DEFAULT_SEED = 20201029;
export const DEMO_META_KEY = 'demo_data';
export const DEMO_SOURCE = 'demo';
const FIRST_MONTH = `${FIRST_YEAR}-01`;

export interface DemoOptions {
  seed?: number;
  scale?: DemoScale;
  onProgress?: (msg: string) => void;
  /** tests only: a small instance with this many enterprises (about 32 % 规上) */
  enterpriseCount?: number;
  /** rebuild the monitoring rollups (cluster_region_month) in the same transaction; default true */
  refreshRollups?: boolean;
}

export interface DemoCounts {
  enterprises: number;
  enterprise_clusters: number;
  enterprise_tiers: number;
  evaluation_flags: number;
  platforms: number;
  monthly_stats: number;
  annual_inputs: number;
}

export interface DemoSummary {
  seed: number;
  scale: DemoScale;
  enterpriseCount: number | null;
  database: Database['kind'];
  above: number;
  below: number;
  counts: DemoCounts;
  /** 2018-equivalent annual output of 规上 firms existing by end-2018, 亿元 (the calibration base) */
  base2018Yi: number;
  seconds: number;
  /** seconds spent planning (pure generation of the enterprise list) */
  planSeconds: number;
  /** seconds spent rebuilding the monitoring rollups (0 when skipped) */
  rollupSeconds: number;
}

/** The tables the demo owns, children first (the order rows are deleted in). */
export const DEMO_TABLES = [
  'evaluation_flags',
  'monthly_stats',
  'annual_inputs',
  'enterprise_tiers',
  'enterprise_clusters',
  'platforms',
  'enterprises',
] as const;

/** DEMO_TABLES no foreign key points at: truncated (see generateDemo). */
const TRUNCATED: readonly string[] = ['monthly_stats', 'annual_inputs'];

const ENTERPRISE_COLUMNS = [
  'uscc',
  'name',
  'region_code',
  'town_code',
  'zone_code',
  'industry_code',
  'scale',
  'founded',
  'status',
  'address',
  'main_products',
];
const MONTHLY_COLUMNS = [
  'enterprise_id',
  'month',
  'output_value',
  'revenue',
  'profit',
  'tax',
  'energy_tce',
  'electricity',
  'employees',
  'export_value',
];
const ANNUAL_COLUMNS = [
  'enterprise_id',
  'year',
  'land_mu',
  'tax_paid',
  'value_added',
  'revenue',
  'main_revenue',
  'energy_tce',
  'electricity',
  'cod',
  'ammonia_nitrogen',
  'so2',
  'nox',
  'rd_expense',
  'avg_employees',
];
const CHUNK_ROWS = 50_000;

/** The demo rows of the enterprises table, in output order (also used by tests for determinism). */
export function enterpriseRow(e: DemoEnterprise): unknown[] {
  return [
    e.uscc,
    e.name,
    e.regionCode,
    e.townCode,
    e.zoneCode,
    e.industryCode,
    e.scale,
    e.founded,
    e.status,
    e.address,
    e.mainProducts,
  ];
}

export function annualRow(id: number, a: AnnualRecord): unknown[] {
  return [
    id,
    a.year,
    a.landMu,
    a.taxPaid,
    a.valueAdded,
    a.revenue,
    a.mainRevenue,
    a.energyTce,
    a.electricity,
    a.cod,
    a.ammoniaNitrogen,
    a.so2,
    a.nox,
    a.rdExpense,
    a.avgEmployees,
  ];
}

/**
 * Runs fn in one Drizzle transaction, on both databases; its tx goes to copyRows, which sends the COPY
 * through that transaction's own handle. On PGlite (one session) other queries wait until it ends
 * rather than running inside it.
 */
async function withTransaction<T>(database: Database, fn: (tx: Db) => Promise<T>): Promise<T> {
  return database.db.transaction(async (tx) => fn(tx as unknown as Db));
}

/** Refuses when the tables hold rows that are not marked as demo data (real data is never wiped). */
async function assertWipeable(db: Db): Promise<void> {
  const [marker] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from meta where key = ${DEMO_META_KEY}`,
  );
  if ((marker?.n ?? 0) > 0) return;
  const counts = await queryRows<Record<string, number>>(
    db,
    sql.raw(`select ${DEMO_TABLES.map((t) => `(select count(*)::int from ${t}) as ${t}`).join(', ')}`),
  );
  const nonEmpty = Object.entries(counts[0] ?? {}).filter(([, n]) => Number(n) > 0);
  if (nonEmpty.length === 0) return;
  const list = nonEmpty.map(([t, n]) => `${t}: ${n}`).join(', ');
  throw new Error(
    `Refusing to generate demo data: the database already holds data (${list}) and is not marked as demo data ` +
      `(meta key '${DEMO_META_KEY}' is absent). Generating would delete it. Use an empty database for the demo.`,
  );
}

/**
 * The tables the demo fills in bulk (facts) or rebuilds whole (the per-firm 1–N月累计): their secondary
 * indexes are dropped before the writes and built once after them, in the same transaction — one
 * sorted build instead of maintaining them row by row through 640,000 facts and a million 累计 rows
 * (on PGlite the refresh of cluster_enterprise_ytd cost three times its index-free time; issue 13).
 */
const BULK_TABLES = ['monthly_stats', 'annual_inputs', 'cluster_enterprise_ytd'] as const;

/** Drops the secondary (non-constraint) indexes of BULK_TABLES; answers the statements that rebuild them. */
async function dropBulkIndexes(db: Db): Promise<string[]> {
  const rows = await queryRows<{ name: string; def: string }>(
    db,
    sql`select i.indexname as name, i.indexdef as def from pg_indexes i
        where i.schemaname = current_schema()
          and i.tablename in (${sql.join(
            BULK_TABLES.map((t) => sql`${t}`),
            sql`, `,
          )})
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)
        order by i.indexname`,
  );
  for (const r of rows) await db.execute(sql.raw(`drop index "${r.name.replace(/"/g, '""')}"`));
  // cluster_enterprise_ytd is partitioned by year: its index is defined `on only` the table, and is built again
  // without `only` so that every partition gets its part of it
  return rows.map((r) => r.def.replace(' ON ONLY ', ' ON '));
}

async function* chunked<T>(rows: Iterable<T>, size: number): AsyncGenerator<T[]> {
  let buf: T[] = [];
  for (const r of rows) {
    buf.push(r);
    if (buf.length >= size) {
      yield buf;
      buf = [];
    }
  }
  if (buf.length) yield buf;
}

export async function generateDemo(
  database: Database,
  config: CityConfig,
  options: DemoOptions = {},
): Promise<DemoSummary> {
  const started = performance.now();
  const seed = options.seed ?? DEFAULT_SEED;
  const scale = options.scale ?? 'city';
  const progress = options.onProgress ?? (() => undefined);
  if (!Number.isInteger(seed)) throw new Error(`demo seed must be an integer, got ${seed}`);

  progress(`planning ${scale} demo data (seed ${seed})`);
  const world = new DemoWorld(config);
  const plan = planEnterprises(world, { seed, scale, enterpriseCount: options.enterpriseCount });
  const tiers = planTiers(seed, plan.enterprises, plan.factor);
  const platforms = planPlatforms(world);
  const ctx = monthlyContext(seed);
  const planSeconds = (performance.now() - started) / 1000;
  progress(`planned ${plan.above} 规上 + ${plan.below} 规下 enterprises in ${planSeconds.toFixed(1)} s`);

  const counts: DemoCounts = {
    enterprises: 0,
    enterprise_clusters: 0,
    enterprise_tiers: 0,
    evaluation_flags: 0,
    platforms: 0,
    monthly_stats: 0,
    annual_inputs: 0,
  };

  let rollupSeconds = 0;
  // db is the transaction: everything below, COPY included, is one all-or-nothing unit
  await withTransaction(database, async (db) => {
    await assertWipeable(db);
    // The fact tables no other table refers to are truncated rather than emptied row by row: on PGlite
    // (wal_level=minimal, src/db/client.ts) what is then written to them in this transaction — 640,000
    // facts and their indexes — skips the WAL, which is faster and keeps the data folder smaller.
    for (const t of DEMO_TABLES)
      await db.execute(sql.raw(`${TRUNCATED.includes(t) ? 'truncate' : 'delete from'} ${t}`));
    const rebuildIndexes = await dropBulkIndexes(db);
    // Identities restart so the same seed gives the same ids (transactional: undone on rollback).
    for (const t of ['enterprises', 'enterprise_tiers', 'platforms']) {
      await db.execute(sql.raw(`alter table ${t} alter column id restart with 1`));
    }

    const copy = async (table: string, columns: string[], rows: Iterable<unknown[]>) => {
      let n = 0;
      for await (const chunk of chunked(rows, CHUNK_ROWS))
        n += await database.copyRows(table, columns, chunk, db);
      return n;
    };

    progress(`writing ${plan.enterprises.length} enterprises`);
    counts.enterprises = await copy('enterprises', ENTERPRISE_COLUMNS, plan.enterprises.map(enterpriseRow));
    const [ids] = await queryRows<{ lo: number; hi: number; n: number }>(
      db,
      sql`select min(id)::int as lo, max(id)::int as hi, count(*)::int as n from enterprises`,
    );
    if (!ids || ids.n !== plan.enterprises.length || ids.hi - ids.lo + 1 !== ids.n) {
      throw new Error('demo enterprises did not receive consecutive ids; aborting');
    }
    const idOf = (index: number) => ids.lo + index;

    counts.enterprise_clusters = await copy(
      'enterprise_clusters',
      ['enterprise_id', 'cluster_code', 'basis', 'valid_from'],
      (function* () {
        for (const e of plan.enterprises)
          for (const c of e.clusters) yield [idOf(e.index), c, 'industry_code', '2019-01-01'];
      })(),
    );
    counts.enterprise_tiers = await copy(
      'enterprise_tiers',
      ['enterprise_id', 'tier', 'year', 'level', 'source'],
      tiers.map((t) => [idOf(t.enterpriseIndex), t.tier, t.year, t.level, DEMO_SOURCE]),
    );
    counts.evaluation_flags = await copy(
      'evaluation_flags',
      ['enterprise_id', 'flag', 'year', 'evidence', 'updated_by'],
      planFlags(seed, plan.enterprises, tiers).map((f) => [
        idOf(f.enterpriseIndex),
        f.flag,
        f.year,
        `${f.evidence}（演示数据）`,
        'demo',
      ]),
    );
    counts.platforms = await copy(
      'platforms',
      ['name', 'kind', 'level', 'region_code', 'zone_code', 'cluster_code', 'year', 'source'],
      platforms.map((p) => [
        p.name,
        p.kind,
        p.level,
        p.regionCode,
        p.zoneCode,
        p.clusterCode,
        p.year,
        DEMO_SOURCE,
      ]),
    );

    // Monthly and annual facts, produced firm by firm and flushed in bounded chunks.
    progress('writing monthly statistics and annual inputs');
    let monthly: unknown[][] = [];
    let annual: unknown[][] = [];
    const flushMonthly = async () => {
      if (monthly.length)
        counts.monthly_stats += await database.copyRows('monthly_stats', MONTHLY_COLUMNS, monthly, db);
      monthly = [];
    };
    const flushAnnual = async () => {
      if (annual.length)
        counts.annual_inputs += await database.copyRows('annual_inputs', ANNUAL_COLUMNS, annual, db);
      annual = [];
    };
    let done = 0;
    for (const e of plan.enterprises) {
      const id = idOf(e.index);
      if (e.scale === 'above') {
        const series = monthlySeries(e, ctx);
        for (const r of series) {
          monthly.push([
            id,
            ctx.labels[r.m],
            r.output,
            r.revenue,
            r.profit,
            r.tax,
            r.energy,
            r.electricity,
            r.employees,
            r.exportValue,
          ]);
        }
        for (const a of annualFromMonthly(e, series, ctx)) annual.push(annualRow(id, a));
      } else {
        for (const a of annualBelow(e, ctx)) annual.push(annualRow(id, a));
      }
      if (monthly.length >= CHUNK_ROWS) await flushMonthly();
      if (annual.length >= CHUNK_ROWS) await flushAnnual();
      if (++done % 20000 === 0) progress(`facts: ${done}/${plan.enterprises.length} enterprises`);
    }
    await flushMonthly();
    await flushAnnual();

    // The monitoring rollups are derived from these facts: rebuild them in the same transaction so
    // dashboards never disagree with the data (see src/modules/monitoring/rollup.ts).
    if (options.refreshRollups ?? true) {
      progress('refreshing monitoring rollups');
      const t = performance.now();
      await refreshClusterRollups(db);
      rollupSeconds = (performance.now() - t) / 1000;
    }
    progress(`building ${rebuildIndexes.length} indexes of the facts and rollups`);
    for (const statement of rebuildIndexes) await db.execute(sql.raw(statement));
    await db.execute(
      sql.raw(`analyze ${BULK_TABLES.filter((t) => t !== 'cluster_enterprise_ytd').join(', ')}`),
    );
    // chain placements follow the registry in the write that changed it (chain reads never place)
    progress('placing enterprises on the chains');
    await ensureAssignments(db);

    const value = {
      seed,
      scale,
      enterpriseCount: options.enterpriseCount ?? null,
      generatedAt: new Date().toISOString(),
      synthetic: true,
      note:
        'Synthetic demo data generated by clusterscope (src/demo). Calibrated to public totals for Jiaxing ' +
        '(docs/demo-data.md); no enterprise, name, code or figure is real.',
      counts,
      // The firms the generator made fail (docs/demo-data.md, "Risks"): the ground truth the risk
      // early-warning backtest (bench/alerts-backtest.ts) judges its rules against. failedAt = the first
      // month at the output floor; declineFrom = the month output starts to fall.
      failures: plan.enterprises
        .filter((e) => e.failure)
        .map((e) => ({
          enterpriseId: idOf(e.index),
          declineFrom: addMonths(FIRST_MONTH, e.failure!.from),
          failedAt: addMonths(FIRST_MONTH, e.failure!.from + e.failure!.months - 1),
          closedAt: e.failure!.closeAt === undefined ? null : addMonths(FIRST_MONTH, e.failure!.closeAt),
        })),
    };
    await db
      .insert(meta)
      .values({ key: DEMO_META_KEY, value })
      .onConflictDoUpdate({ target: meta.key, set: { value } });
  });

  const base2018 = plan.enterprises
    .filter((e) => e.scale === 'above' && e.founded < '2019-01-01')
    .reduce((s, e) => s + e.size, 0);
  const seconds = (performance.now() - started) / 1000;
  progress(`demo data written in ${seconds.toFixed(1)} s`);
  return {
    seed,
    scale,
    enterpriseCount: options.enterpriseCount ?? null,
    database: database.kind,
    above: plan.above,
    below: plan.below,
    counts,
    base2018Yi: base2018 / 10000,
    seconds,
    planSeconds,
    rollupSeconds,
  };
}
