// copyOutRows (src/db/copy-out.ts): a read streamed by binary COPY gives the same rows as the same
// statement read the ordinary way — exact doubles, 64-bit ids (negative too), arrays with their NULLs, NULLs,
// text with tabs, newlines, quotes, backslashes and Chinese, parameters written in as literals, rows cut across
// the server's chunks — and PGlite and a transaction get null (their callers keep their own statement).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { copyOutRows, type CopiedRow } from '../../src/db/copy-out.ts';
import { testDatabases } from '../helpers/databases.ts';

for (const t of testDatabases()) {
  describe(`copyOutRows on ${t.kind}`, () => {
    let d: Database;
    beforeAll(async () => {
      d = await t.open();
    });
    afterAll(async () => {
      await t.dispose(d);
    });

    const rowsOf = (label: string, factor: number) => sql`
      select g::int8 * 1000003 as id, ${label} || g || chr(9) || chr(10) || chr(92) || '"''嘉兴' as label,
        case when g % 7 = 0 then null else g * ${factor}::float8 / 3 end as value,
        (g % 1000)::int4 as small
      from generate_series(1, 50000) g order by g`;

    it('streams the rows of a statement exactly', async () => {
      const query = rowsOf("O'Brien ", 0.1);
      const copied = copyOutRows(d.db, query, ['int8', 'text', 'float8', 'int4']);
      if (t.kind === 'pglite') {
        expect(copied).toBeNull();
        return;
      }
      const got: CopiedRow[] = [];
      let batches = 0;
      for await (const batch of copied!) {
        batches++;
        got.push(...batch);
      }
      const expected = await queryRows<{ id: string; label: string; value: number | null; small: number }>(
        d.db,
        query,
      );
      expect(batches).toBeGreaterThan(1);
      expect(got).toEqual(expected.map((r) => [Number(r.id), r.label, r.value, r.small]));
      expect(got[0]).toEqual([1000003, "O'Brien 1\t\n\\\"'嘉兴", 0.1 / 3, 1]);
      expect(got[6]![2]).toBeNull();
    });

    it('shares the strings of a code column and hands `make` each row', async () => {
      const query = sql`select g::int8 as id, (array['330402','330411','C1752','above','嘉兴市南湖区经开'])[g % 5 + 1] as code,
          case when g % 3 = 0 then null else 'a,b' end as flags
        from generate_series(1, 30000) g order by g`;
      const copied = copyOutRows(d.db, query, ['int8', 'code', 'code'], (r) => ({
        id: r[0] as number,
        code: r[1] as string,
        flags: r[2] as string | null,
      }));
      if (!copied) return;
      const got: { id: number; code: string; flags: string | null }[] = [];
      for await (const batch of copied) got.push(...batch);
      const expected = await queryRows<{ id: string; code: string; flags: string | null }>(d.db, query);
      expect(got).toEqual(expected.map((r) => ({ id: Number(r.id), code: r.code, flags: r.flags })));
      // one string per distinct code, short (a number key) or long (interned), whatever row it came in
      const byCode = new Map<string, string>();
      for (const r of got) {
        const first = byCode.get(r.code) ?? r.code;
        byCode.set(r.code, first);
        expect(Object.is(first, r.code)).toBe(true);
      }
      expect([...byCode.keys()].sort()).toEqual(['330402', '330411', 'C1752', 'above', '嘉兴市南湖区经开']);
    });

    it('reads arrays (int4[], float8[], code[]) with their NULLs, empty and NULL arrays, and negative int8s', async () => {
      // rows of a few hundred bytes: many are cut across the server's chunks
      const query = sql`select -g::int8 * 4294967311 as id,
          case when g % 11 = 0 then null
            else array(select (g * 31 + k)::int4 from generate_series(1, g % 23) k) end as days,
          case when g % 13 = 0 then null
            else array(select case when k % 5 = 0 then null else (g + k) / 7.0::float8 end
                       from generate_series(1, g % 19) k) end as values,
          case when g % 17 = 0 then null
            else array(select case when k = 2 then null else (array['C01','纺织','N-long-code-1'])[k % 3 + 1] end
                       from generate_series(1, g % 4) k) end as codes
        from generate_series(1, 20000) g order by g`;
      const copied = copyOutRows(d.db, query, ['int8', 'int4[]', 'float8[]', 'code[]']);
      if (!copied) return;
      const got: CopiedRow[] = [];
      for await (const batch of copied) got.push(...batch);
      const expected = await queryRows<{
        id: string;
        days: number[] | null;
        values: (number | null)[] | null;
        codes: (string | null)[] | null;
      }>(d.db, query);
      expect(got).toEqual(expected.map((r) => [Number(r.id), r.days, r.values, r.codes]));
      expect(got[0]).toEqual([-4294967311, [32], [2 / 7.0], ['纺织']]);
      expect(got[2]![3]).toEqual(['纺织', null, 'C01']);
      expect(got[10]![1]).toBeNull();
      expect(got[3]![3]).toEqual([]);
    });

    it('reads a float8[][] of array_agg(array[…]) as the columns separate array_aggs give', async () => {
      // the alert read-ahead's measures (facts.ts, firmColumnsOfSlice): one row per fact, taken apart by column
      const facts = sql`select g % 97 as firm, case when g % 6 = 0 then null else g / 7.0::float8 end as a,
          case when g % 5 = 0 then null else -g * 0.1::float8 end as b, (g % 13)::int4::float8 as c
        from generate_series(1, 20000) g`;
      const query = sql`select f.firm::int8, array_agg(array[f.a, f.b, f.c]) as measures,
          array_agg(f.a) as a, array_agg(f.b) as b, array_agg(f.c) as c
        from (${facts}) f group by f.firm order by f.firm`;
      const copied = copyOutRows(d.db, query, ['int8', 'float8[][]', 'float8[]', 'float8[]', 'float8[]']);
      if (!copied) return;
      let firms = 0;
      for await (const batch of copied)
        for (const [, measures, a, b, c] of batch) {
          firms++;
          expect(measures).toEqual([a, b, c]);
        }
      expect(firms).toBe(97);
    });

    it('gives the statement alone the work_mem asked for', async () => {
      const before = (await queryRows<{ w: string }>(d.db, sql`select current_setting('work_mem') as w`))[0]!
        .w;
      const copied = copyOutRows(
        d.db,
        sql`select current_setting('work_mem') as w from generate_series(1, 3)`,
        ['code'],
        (r) => r[0] as string,
        { workMem: '48MB' },
      );
      if (!copied) return;
      const got: string[] = [];
      for await (const batch of copied) got.push(...batch);
      expect(got).toEqual(['48MB', '48MB', '48MB']);
      // the connection goes back to the pool with its own setting (SET LOCAL ends with the statement's transaction)
      const after = await Promise.all(
        Array.from({ length: 4 }, () =>
          queryRows<{ w: string }>(d.db, sql`select current_setting('work_mem') as w, pg_sleep(0.05)`),
        ),
      );
      expect(after.map((r) => r[0]!.w)).toEqual(Array(4).fill(before));
    });

    it('refuses a column of another type than named, and leaves the pool usable', async () => {
      const copied = copyOutRows(d.db, sql`select 1::int4 as n`, ['float8']);
      if (!copied) return;
      await expect(
        (async () => {
          for await (const batch of copied) void batch;
        })(),
      ).rejects.toThrow(/not float8/);
      // stopping early releases the connection too
      for await (const batch of copyOutRows(d.db, rowsOf('x', 1), ['int8', 'text', 'float8', 'int4'])!) {
        expect(batch.length).toBeGreaterThan(0);
        break;
      }
      expect(await queryRows<{ n: number }>(d.db, sql`select 2 as n`)).toEqual([{ n: 2 }]);
    });

    it('gives a transaction null: a second connection would not see its snapshot', async () => {
      await d.db.transaction(async (tx) => {
        expect(copyOutRows(tx, sql`select 1`, ['int4'])).toBeNull();
      });
    });
  });
}
