// Concurrent commits and rollbacks of imports touching the same facts (issue 12, item 2): random
// rounds of commits and rollbacks fired at once end with every fact equal to the newest surviving
// import's value, every replaced value naming the import that wrote it, and every rollback either
// done correctly or refused with a reason (409), never a 500. Replayed against a model in the order
// the database committed them (the audit log's order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import type { ImportDetail } from '../../src/modules/imports/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFile } from '../helpers/uploads.ts';

const FIRMS = 600;

/** One array parameter (plain values: digits, dates, USCCs) instead of one parameter per element. */
const pgList = (values: readonly (string | number)[]) => `{${values.join(',')}}`;

type Op =
  { type: 'commit'; months: 0 | 1 | 2; half: 0 | 1 | 2; value: number } | { type: 'rollback'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('commit' as const),
      months: fc.constantFrom(0 as const, 1 as const, 2 as const),
      half: fc.constantFrom(0 as const, 1 as const, 2 as const),
      value: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('rollback' as const), pick: fc.nat(20) }) },
);
const roundsArb = fc.array(fc.array(opArb, { minLength: 2, maxLength: 3 }), { minLength: 2, maxLength: 3 });

describe.each(testDatabases())('concurrent import commits and rollbacks on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  let admin = '';
  const firms: { id: number; uscc: string }[] = [];
  let run = 0;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    const usccs = Array.from({ length: FIRMS }, (_, i) => fixtureUscc(1000 + i, NANHU));
    const rows = await queryRows<{ id: number | string; uscc: string }>(
      d.db,
      sql`insert into enterprises (uscc, name, region_code, industry_code, scale)
          select u, '并发测试企业' || n, ${NANHU}, '1711', 'above'
          from unnest(${pgList(usccs)}::text[]) with ordinality as x(u, n) returning id, uscc`,
    );
    for (const r of rows) firms.push({ id: Number(r.id), uscc: r.uscc });
    app = await testApp(d);
    admin = await loginCookie(app, fx.users.admin!.username);
  });
  afterAll(async () => {
    await waitForJobs();
    await app?.close();
    if (d) await t.dispose(d);
  });

  const post = (url: string) => app.inject({ method: 'POST', url, headers: { cookie: admin } });

  /** The file of a commit: the chosen months and firms, all at one value. */
  function fileOf(op: Extract<Op, { type: 'commit' }>, months: [string, string]) {
    const ms = op.months === 2 ? months : [months[op.months]!];
    const fs = op.half === 2 ? firms : firms.filter((_, i) => i % 2 === op.half);
    const lines = ['统一社会信用代码,统计月份,工业总产值(万元)'];
    const keys: string[] = [];
    for (const m of ms)
      for (const f of fs) {
        lines.push(`${f.uscc},${m},${op.value}`);
        keys.push(`${f.id}|${m}`);
      }
    return { csv: Buffer.from(lines.join('\n') + '\n'), keys };
  }

  async function preview(csv: Buffer, name: string): Promise<ImportDetail> {
    const m = multipartFile(name, csv);
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=monthly',
      headers: { ...m.headers, cookie: admin },
      payload: m.payload,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const body = json<ImportDetail>(res);
    await waitForJobs(body.id);
    return body;
  }

  it('ends with the newest surviving import’s values and intact lineage, in any interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(roundsArb, async (rounds) => {
        // each run its own two months, so runs do not touch each other's facts
        const base = 2019 * 12 + run * 2;
        run++;
        const month = (k: number) => `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
        const months: [string, string] = [month(base), month(base + 1)];
        const fileKeys = new Map<number, { keys: string[]; value: number }>();
        const ours: number[] = [];
        for (const round of rounds) {
          // uploads and previews first, then every commit and rollback of the round at once
          const committable = [...ours];
          const actions: (() => Promise<void>)[] = [];
          for (const op of round) {
            if (op.type === 'commit') {
              const { csv, keys } = fileOf(op, months);
              const up = await preview(csv, `run${run}-${ours.length}.csv`);
              if (up.duplicateOf) continue; // the same content committed before: nothing to do
              fileKeys.set(up.id, { keys, value: op.value });
              ours.push(up.id);
              actions.push(async () => {
                const res = await post(`/api/imports/${up.id}/commit`);
                expect(res.statusCode, res.body).toBe(202);
              });
            } else if (committable.length) {
              const id = committable[op.pick % committable.length]!;
              actions.push(async () => {
                const res = await post(`/api/imports/${id}/rollback`);
                // done, or refused with a reason (a later import changed its rows / not committed)
                expect([200, 409], res.body).toContain(res.statusCode);
                if (res.statusCode === 409) expect(json<{ detailZh: string }>(res).detailZh).toBeTruthy();
              });
            }
          }
          await Promise.all(actions.map((a) => a()));
          await waitForJobs();
        }

        // replay what the database did, in the order it did it
        const events = await queryRows<{ action: string; entity_id: string }>(
          d.db,
          sql`select action, entity_id from audit_log where action in ('import.commit', 'import.rollback')
              and entity_id = any(${pgList(ours)}::text[]) order by id`,
        );
        const stacks = new Map<string, { importId: number; value: number }[]>();
        const history = new Map<number, Set<string>>();
        const status = new Map<number, string>();
        for (const e of events) {
          const id = Number(e.entity_id);
          if (e.action === 'import.commit') {
            const f = fileKeys.get(id)!;
            const h = new Set<string>();
            for (const k of f.keys) {
              const s = stacks.get(k) ?? [];
              const top = s[s.length - 1];
              if (top && top.value === f.value) continue; // unchanged: the row keeps its import
              if (top) h.add(`${k}>${top.importId}`);
              s.push({ importId: id, value: f.value });
              stacks.set(k, s);
            }
            history.set(id, h);
            status.set(id, 'committed');
          } else {
            // allowed only when no committed import replaced its values
            for (const [other, h] of history)
              if (status.get(other) === 'committed')
                for (const entry of h)
                  expect(entry.endsWith(`>${id}`), `${other} replaced ${id}`).toBe(false);
            for (const s of stacks.values()) {
              if (s[s.length - 1]?.importId === id) s.pop();
              expect(s.some((x) => x.importId === id)).toBe(false);
            }
            status.set(id, 'rolled_back');
          }
        }

        const facts = await queryRows<{ k: string; v: string | number; import_id: number | string }>(
          d.db,
          sql`select enterprise_id || '|' || to_char(month, 'YYYY-MM') as k, output_value as v, import_id
              from monthly_stats where month = any(${pgList(months.map((m) => `${m}-01`))}::date[])`,
        );
        const expected = new Map<string, string>();
        for (const [k, s] of stacks) {
          const top = s[s.length - 1];
          if (top) expected.set(k, `${top.value}@${top.importId}`);
        }
        const actual = new Map(facts.map((f) => [f.k, `${Number(f.v)}@${Number(f.import_id)}`]));
        expect(actual).toEqual(expected);

        const replaced = await queryRows<{
          import_id: number | string;
          k: string;
          old: number | string | null;
        }>(
          d.db,
          sql`select h.import_id, h.enterprise_id || '|' || h.period as k, h.old_import_id as old
              from import_replaced_values h join imports i on i.id = h.import_id
              where i.status = 'committed' and h.import_id = any(${pgList(ours)}::bigint[])`,
        );
        const actualHistory = new Map<number, Set<string>>();
        for (const r of replaced) {
          const id = Number(r.import_id);
          actualHistory.set(id, (actualHistory.get(id) ?? new Set()).add(`${r.k}>${Number(r.old)}`));
        }
        for (const [id, h] of history) {
          if (status.get(id) !== 'committed') continue;
          expect(actualHistory.get(id) ?? new Set(), `history of import ${id}`).toEqual(h);
        }
        const rows = await queryRows<{ id: number | string; status: string }>(
          d.db,
          sql`select id, status from imports where id = any(${pgList(ours)}::bigint[])`,
        );
        for (const r of rows) {
          const model = status.get(Number(r.id));
          // a file committed twice at once: the second is no commit (refused or duplicate), never written
          if (model) expect(r.status, `import ${r.id}`).toBe(model);
          else expect(['committed', 'rolled_back'], `import ${r.id}`).not.toContain(r.status);
        }
      }),
      { numRuns: t.kind === 'postgres' ? 10 : 4, endOnFailure: true },
    );
  }, 600_000);
});
