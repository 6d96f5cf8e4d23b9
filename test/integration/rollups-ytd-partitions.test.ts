// cluster_enterprise_ytd is partitioned by year (migration 0035_ytd_partitions): a refresh that writes many rows of
// a year detaches that year's partition, loads it without an index and indexes it alone, and a year with no
// partition gets a fresh one. Either way the rows equal a full rebuild's, every partition ends attached with its
// part of the table's index (the parent's index stays valid), and a month of any year has a place to go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

/** md5 and count of every row of cluster_enterprise_ytd, in key order. */
const DIGEST = sql`select md5(coalesce(string_agg(row(y.*)::text, '|' order by y.month, y.cluster_code, y.enterprise_id), '')) as md5,
    count(*)::int as n from cluster_enterprise_ytd y`;

/** The index build's settings as the transaction has them (the bulk path sets its own for the build alone). */
const BUILD_SETTINGS = sql`select current_setting('maintenance_work_mem') || ' ' ||
    current_setting('max_parallel_maintenance_workers') as v`;

class Discard extends Error {}

describe.each(testDatabases())('cluster_enterprise_ytd by year ($kind)', (t) => {
  let d: Database;
  let full: { md5: string; n: number };
  let first = 0;
  let last = 0;
  let busiest = 0; // the year with the most facts: above the bulk threshold

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    // enough firms that a year's facts pass the bulk threshold (BULK_FACTS, 20,000 facts)
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 5, enterpriseCount: 5600 });
    [full] = (await queryRows<{ md5: string; n: number }>(d.db, DIGEST)) as [{ md5: string; n: number }];
    const [b] = await queryRows<{ first: number; last: number }>(
      d.db,
      sql`select extract(year from min(month))::int as first, extract(year from max(month))::int as last from monthly_stats`,
    );
    first = b!.first;
    last = b!.last;
    const [top] = await queryRows<{ y: number; n: number }>(
      d.db,
      sql`select extract(year from month)::int as y, count(*)::int as n from monthly_stats group by 1 order by 2 desc, 1 limit 1`,
    );
    busiest = top!.y;
    expect(top!.n).toBeGreaterThanOrEqual(20_000);
  }, 600_000);
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  /** Runs `body` in a transaction rolled back afterwards; answers what `after` read inside it. */
  async function rolledBack<T>(body: (tx: Db) => Promise<T>): Promise<T> {
    let out: T | undefined;
    await d.db
      .transaction(async (tx) => {
        out = await body(tx as unknown as Db);
        throw new Discard();
      })
      .catch((e) => {
        if (!(e instanceof Discard)) throw e;
      });
    return out as T;
  }

  const partitions = (tx: Db) =>
    queryRows<{ name: string; bound: string }>(
      tx,
      sql`select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound from pg_inherits i
          join pg_class c on c.oid = i.inhrelid where i.inhparent = 'cluster_enterprise_ytd'::regclass order by 1`,
    );
  /** The table's index is valid and every partition holds its part of it. */
  const indexed = (tx: Db) =>
    queryRows<{ valid: boolean; parts: number; partitions: number }>(
      tx,
      sql`select i.indisvalid as valid,
          (select count(*) from pg_inherits p where p.inhparent = i.indexrelid)::int as parts,
          (select count(*) from pg_inherits p where p.inhparent = 'cluster_enterprise_ytd'::regclass)::int as partitions
        from pg_index i where i.indrelid = 'cluster_enterprise_ytd'::regclass`,
    );
  /** What the bulk path leaves behind: the rows of the year, its partition's CHECK constraints (none: the one
   * that spared ATTACH its scan is dropped), and the index build's memory and workers as the transaction had them. */
  /** A year as if never imported: its YTD rows and its partition gone. */
  const forgetYear = async (tx: Db, y: number) => {
    await tx.execute(
      sql.raw(`delete from cluster_enterprise_ytd where month >= '${y}-01-01' and month < '${y + 1}-01-01'`),
    );
    await tx.execute(
      sql.raw(`alter table cluster_enterprise_ytd detach partition cluster_enterprise_ytd_y${y}`),
    );
    await tx.execute(sql.raw(`drop table cluster_enterprise_ytd_y${y}`));
  };
  const leftBehind = async (tx: Db, year: number) => {
    const [row] = await queryRows<{ rows: number; checks: number; mem: string }>(
      tx,
      sql.raw(`select (select count(*) from cluster_enterprise_ytd where month >= '${year}-01-01' and month < '${year + 1}-01-01')::int as rows,
          (select count(*) from pg_constraint where contype = 'c' and conrelid = 'cluster_enterprise_ytd_y${year}'::regclass)::int as checks,
          current_setting('maintenance_work_mem') || ' ' || current_setting('max_parallel_maintenance_workers') as mem`),
    );
    return row!;
  };
  const monthsOf = (year: number) =>
    Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

  it('has a partition per year of facts beside the default one', async () => {
    const names = (await partitions(d.db)).map((p) => p.name);
    expect(names).toContain('cluster_enterprise_ytd_default');
    for (let y = first; y <= last; y++) expect(names).toContain(`cluster_enterprise_ytd_y${y}`);
    expect(await indexed(d.db)).toEqual([{ valid: true, parts: names.length, partitions: names.length }]);
  });

  it('rebuilds a year on record in bulk (its partition detached and indexed alone) to the same rows', async () => {
    // the partition's index is built anew (a new index), not kept up to date row by row
    const indexOf = (tx: Db) =>
      queryRows<{ oid: number }>(
        tx,
        sql.raw(
          `select indexrelid::int as oid from pg_index where indrelid = 'cluster_enterprise_ytd_y${busiest}'::regclass`,
        ),
      );
    const before = await indexOf(d.db);
    const after = await rolledBack(async (tx) => {
      const [maint] = await queryRows<{ v: string }>(tx, BUILD_SETTINGS);
      await tx.execute(
        sql.raw(
          `delete from cluster_enterprise_ytd where month >= '${busiest}-01-01' and month < '${busiest + 1}-01-01'`,
        ),
      );
      const refreshed = await refreshClusterRollups(tx, { months: monthsOf(busiest) });
      // the rows it says it wrote are the year's, and it leaves no constraint or setting of its own behind
      expect(await leftBehind(tx, busiest)).toEqual({ rows: refreshed.ytdRows, checks: 0, mem: maint!.v });
      expect(refreshed.ytdRows).toBeGreaterThan(0);
      // the bulk statement's own memory to sort ends with it: the transaction keeps the refresh's work_mem
      const [mem] = await queryRows<{ v: string }>(tx, sql`select current_setting('work_mem') as v`);
      expect(mem?.v).toBe('64MB');
      const now = await indexOf(tx);
      expect(now).toHaveLength(1);
      expect(now[0]!.oid).not.toBe(before[0]!.oid);
      return {
        digest: (await queryRows(tx, DIGEST))[0],
        index: await indexed(tx),
        parts: await partitions(tx),
      };
    });
    expect(after.digest).toEqual(full);
    expect(after.parts.map((p) => p.name)).toContain(`cluster_enterprise_ytd_y${busiest}`);
    expect(after.index).toEqual([{ valid: true, parts: after.parts.length, partitions: after.parts.length }]);
  });

  it('loads a year with no partition into a fresh one, and a month of any year has a place', async () => {
    const after = await rolledBack(async (tx) => {
      // the latest year as if never imported: its rows and its partition gone
      await forgetYear(tx, busiest);
      const [maint] = await queryRows<{ v: string }>(tx, BUILD_SETTINGS);
      const refreshed = await refreshClusterRollups(tx, { months: monthsOf(busiest) });
      expect(await leftBehind(tx, busiest)).toEqual({ rows: refreshed.ytdRows, checks: 0, mem: maint!.v });
      expect(refreshed.ytdRows).toBeGreaterThan(0);
      const digest = (await queryRows(tx, DIGEST))[0];
      const index = await indexed(tx);
      const parts = await partitions(tx);
      // an unusual year: the default partition takes it
      await tx.execute(
        sql`insert into cluster_enterprise_ytd (cluster_code, month, enterprise_id, scale, output_ytd)
            values ('_all', '1899-05-01', 1, '规上', 1)`,
      );
      const [odd] = await queryRows<{ part: string }>(
        tx,
        sql`select tableoid::regclass::text as part from cluster_enterprise_ytd where month = '1899-05-01'`,
      );
      return { digest, index, parts, odd: odd?.part };
    });
    expect(after.digest).toEqual(full);
    expect(after.parts.find((p) => p.name === `cluster_enterprise_ytd_y${busiest}`)?.bound).toBe(
      `FOR VALUES FROM ('${busiest}-01-01') TO ('${busiest + 1}-01-01')`,
    );
    expect(after.index).toEqual([{ valid: true, parts: after.parts.length, partitions: after.parts.length }]);
    expect(after.odd).toBe('cluster_enterprise_ytd_default');
  });

  it('loads two years in bulk in one refresh (the codes, scales and memberships read once) to the same rows', async () => {
    const busy = (
      await queryRows<{ y: number }>(
        d.db,
        sql`select extract(year from month)::int as y from monthly_stats group by 1 having count(*) >= 20000 order by 1 desc limit 2`,
      )
    ).map((r) => r.y);
    expect(busy).toHaveLength(2);
    const after = await rolledBack(async (tx) => {
      const [maint] = await queryRows<{ v: string }>(tx, BUILD_SETTINGS);
      for (const y of busy) {
        await forgetYear(tx, y);
      }
      const refreshed = await refreshClusterRollups(tx, { months: busy.flatMap(monthsOf) });
      const left = await Promise.all(busy.map((y) => leftBehind(tx, y)));
      expect(refreshed.ytdRows).toBe(left[0]!.rows + left[1]!.rows);
      for (const l of left) expect(l).toMatchObject({ checks: 0, mem: maint!.v });
      return {
        digest: (await queryRows(tx, DIGEST))[0],
        index: await indexed(tx),
        parts: await partitions(tx),
      };
    });
    expect(after.digest).toEqual(full);
    expect(after.index).toEqual([{ valid: true, parts: after.parts.length, partitions: after.parts.length }]);
  });

  it('corrects a few firms of a busy year with its index kept, to the rows of a full rebuild', async () => {
    // January: the range is the whole year, whose facts (every firm's) pass the bulk threshold; the rows
    // rebuilt are the few firms' alone (issue 13: a correction of six rows detached a province's year)
    const month = `${busiest}-01`;
    const indexOf = (tx: Db) =>
      queryRows<{ oid: number }>(
        tx,
        sql.raw(
          `select indexrelid::int as oid from pg_index where indrelid = 'cluster_enterprise_ytd_y${busiest}'::regclass`,
        ),
      );
    const after = await rolledBack(async (tx) => {
      const firms = (
        await queryRows<{ id: number }>(
          tx,
          sql`select enterprise_id::int as id from monthly_stats where month = ${`${month}-01`}::date
              order by enterprise_id limit 5`,
        )
      ).map((r) => r.id);
      await tx.execute(
        sql`update monthly_stats set output_value = output_value * 1.5
            where month = ${`${month}-01`}::date and enterprise_id = any(${`{${firms.join(',')}}`}::bigint[])`,
      );
      const before = await indexOf(tx);
      await refreshClusterRollups(tx, { months: [month], firms });
      const now = await indexOf(tx);
      const digest = (await queryRows(tx, DIGEST))[0];
      await refreshClusterRollups(tx);
      return {
        firms: firms.length,
        kept: now.length === 1 && now[0]!.oid === before[0]!.oid,
        digest,
        rebuilt: (await queryRows(tx, DIGEST))[0],
      };
    });
    expect(after.firms).toBe(5);
    expect(after.kept).toBe(true);
    expect(after.digest).toEqual(after.rebuilt);
    expect(after.digest).not.toEqual(full);
  });

  it('rebuilds everything (truncate) to the same rows with every partition indexed', async () => {
    const after = await rolledBack(async (tx) => {
      await refreshClusterRollups(tx);
      return {
        digest: (await queryRows(tx, DIGEST))[0],
        index: await indexed(tx),
        n: (await partitions(tx)).length,
      };
    });
    expect(after.digest).toEqual(full);
    expect(after.index).toEqual([{ valid: true, parts: after.n, partitions: after.n }]);
  });
});
