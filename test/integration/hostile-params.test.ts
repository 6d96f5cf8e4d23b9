// No request, however hostile, is a server error (issue 13, found by probing the running platform): every
// route the server documents (its own OpenAPI list, so a route added later is probed without editing this
// file) is asked with path parameters and query values out of every range — a number past any integer, a
// negative id, text for a number, a cut percent escape, a 3,000-character segment — and every write with
// bodies of the wrong shape: the wrong type for each field, a string of 100,000 characters, a number past
// any range, an object nested 2,000 deep, `__proto__` keys. No answer is a 5xx; the server still answers
// afterwards, and the registry, the facts, the accounts and the imports are as they were (a body valid for a
// route — an empty one where every field is optional — may still do its work).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { loginCookie, testApp } from '../helpers/app.ts';

interface Operation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}
type Spec = { paths: Record<string, Record<string, Operation>> };

const PATH_VALUES = ['1e300', '-1', '0', '99999999999999999999', 'abc', '%E4%B8', 'x'.repeat(3000), "'"];
const QUERY_VALUES = [
  '1e300',
  '9007199254740993',
  '-1',
  '0',
  '2025-13',
  "x'; drop table t;--",
  '%',
  '\u0000',
];
const FIELD_VALUES: unknown[] = [null, -1, 1e300, 'x'.repeat(100_000), [], {}, true, '\u0000', '2025-13-45'];

function nested(depth: number): unknown {
  let v: unknown = {};
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Bodies of the wrong shape: whole, and each documented field in turn given a wrong value. */
function bodies(op: Operation): unknown[] {
  const fields = Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {});
  const out: unknown[] = [{}, [], 'text', 12, nested(2000), JSON.parse('{"__proto__": {"admin": true}}')];
  for (const f of fields)
    for (const v of FIELD_VALUES) out.push({ ...Object.fromEntries(fields.map((k) => [k, 1])), [f]: v });
  return out;
}

describe.each(testDatabases())('hostile parameters and bodies on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  let spec: Spec;
  const counts = async () =>
    JSON.stringify(
      await queryRows(
        d.db,
        sql`select (select count(*) from enterprises)::int as firms, (select count(*) from monthly_stats)::int as facts,
          (select count(*) from users)::int as users, (select count(*) from imports)::int as imports`,
      ),
    );

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    app = await testApp(d);
    spec = JSON.parse((await app.inject({ url: '/api/docs/json' })).body) as Spec;
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  it('answers every GET route with out-of-range parameters with no server error, for each kind of user', async () => {
    const errors: string[] = [];
    let asked = 0;
    for (const who of [fx.users.admin!, fx.users.nanhu!, fx.users.enterprise!]) {
      const cookie = await loginCookie(app, who.username);
      for (const [path, ops] of Object.entries(spec.paths)) {
        if (!ops.get) continue;
        const query = (ops.get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        // (every query value for the administrator, who sees every route; the others' scopes differ by
        // the records a path names)
        const urls = path.includes('{')
          ? PATH_VALUES.map((v) => path.replace(/\{\w+\}/g, v))
          : who === fx.users.admin
            ? query.flatMap((q) => QUERY_VALUES.map((v) => `${path}?${q}=${encodeURIComponent(v)}`))
            : [];
        for (const url of urls) {
          asked++;
          const res = await app.inject({ url, headers: { cookie } });
          if (res.statusCode >= 500)
            errors.push(`${who.username} GET ${url.slice(0, 120)} → ${res.statusCode}`);
        }
      }
    }
    expect(asked).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
  });

  it('answers every write with a body of the wrong shape with no server error, and leaves the registry, facts, accounts and imports as they were', async () => {
    const before = await counts();
    const cookie = await loginCookie(app, fx.users.admin!.username);
    const errors: string[] = [];
    let asked = 0;
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const method of ['post', 'put', 'patch', 'delete'] as const) {
        const op = ops[method];
        // (logging out ends the session the rest of the probe uses)
        if (!op || path.endsWith('/logout')) continue;
        const url = path.replace(/\{\w+\}/g, '1');
        const tries = [
          ...bodies(op).map((body) => ({ url, body })),
          ...PATH_VALUES.slice(0, 4).map((v) => ({ url: path.replace(/\{\w+\}/g, v), body: {} })),
        ];
        for (const { url: u, body } of path.includes('{') ? tries : tries.slice(0, -4)) {
          asked++;
          const res = await app.inject({
            method: method.toUpperCase() as 'POST',
            url: u,
            headers: { cookie },
            payload: body as object,
          });
          if (res.statusCode >= 500)
            errors.push(
              `${method} ${u.slice(0, 100)} ${JSON.stringify(body).slice(0, 80)} → ${res.statusCode}`,
            );
        }
      }
    }
    expect(asked).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
    expect(await counts()).toBe(before);
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });
});
