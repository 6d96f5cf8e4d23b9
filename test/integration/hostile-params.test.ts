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

interface ParamSchema {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
}
interface Operation {
  parameters?: { in: string; name: string; schema?: ParamSchema }[];
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
  // (a month of year 0 passed the old pattern and failed in the database: a 500 on the cockpit)
  '0000-01',
  "x'; drop table t;--",
  '%',
  '\u0000',
];
const FIELD_VALUES: unknown[] = [null, -1, 1e300, 'x'.repeat(100_000), [], {}, true, '\u0000', '2025-13-45'];

/**
 * Texts each kind of query or path value must refuse (400 naming the parameter) rather than read as something
 * (found by probing: z.coerce.boolean read clustered=false as true, z.coerce.number read "" as 0, "0x10" as 16
 * and "1e3" as 1000). A value given twice is refused too.
 */
const LAX_VALUES: Record<'boolean' | 'integer' | 'number' | 'month', string[]> = {
  boolean: ['', 'yes', 'TRUE', 'on', '2'],
  integer: ['', ' ', '0x10', '0b11', '1e3', '+5', ' 5', '5.0', 'Infinity'],
  number: ['', ' ', '0x1', '1e-1', '.5', 'Infinity', 'NaN'],
  // (found by probing: the service statistics took from=2026-13 and compared it as text)
  month: ['2026-13', '2026-00', '2026-1', '202613', '2026-01-01', ' 2026-01', '0000-01', '9999-12'],
};

/** A value the schema takes, for the path parameters beside the one probed (they are validated first). */
function sound(schema: ParamSchema | undefined): string {
  if (schema?.enum?.length) return String(schema.enum[0]);
  if (schema?.type === 'integer' || schema?.type === 'number')
    return String(Math.max(schema.minimum ?? 1, 1));
  const pattern = schema?.pattern ? new RegExp(schema.pattern) : null;
  return ['x', '330402', '2024-01', '1'].find((v) => !pattern || pattern.test(v)) ?? 'x';
}

function kindOf(schema: ParamSchema | undefined): keyof typeof LAX_VALUES | null {
  if (schema?.type === 'boolean' || schema?.enum?.includes('true')) return 'boolean';
  if (schema?.type === 'integer' || schema?.type === 'number') return schema.type;
  // a month: a text whose documented pattern takes 2024-01 (and not a date or a year)
  const pattern = schema?.pattern ? new RegExp(schema.pattern) : null;
  if (pattern?.test('2024-01') && !pattern.test('2024-01-01') && !pattern.test('2024')) return 'month';
  return null;
}

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

  it("reads clustered=false (and 0) as every industry, true (and 1) as the clusters' only", async () => {
    const cookie = await loginCookie(app, fx.users.admin!.username);
    const codes = async (query: string) => {
      const res = await app.inject({ url: `/api/industries${query}`, headers: { cookie } });
      expect(res.statusCode, res.body).toBe(200);
      return (JSON.parse(res.body) as { code: string }[]).map((r) => r.code);
    };
    const all = await codes('');
    const clustered = await codes('?clustered=true');
    expect(clustered.length).toBeGreaterThan(0);
    expect(clustered.length).toBeLessThan(all.length);
    expect(await codes('?clustered=false')).toEqual(all);
    expect(await codes('?clustered=0')).toEqual(all);
    expect(await codes('?clustered=1')).toEqual(clustered);
    expect(await codes('?level=class&clustered=false')).toEqual(await codes('?level=class'));
  });

  it('refuses a yes/no, number or month parameter it cannot read exactly with a 400 naming it, Chinese first, never a default', async () => {
    // the administrator, or for a route only another role may use (an objection is filed by its firm) that role
    const cookies = await Promise.all(
      [fx.users.admin!, fx.users.enterprise!, fx.users.nanhu!].map((u) => loginCookie(app, u.username)),
    );
    const wrong: string[] = [];
    let asked = 0;
    const months = new Set<string>();
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const p of op.parameters ?? []) {
          const kind = kindOf(p.schema);
          // (a write validates its body before its query: its query is asked through the GET sharing it)
          if (!kind || !(p.in === 'path' || (p.in === 'query' && method === 'get'))) continue;
          if (kind === 'month') months.add(`${method} ${path} ${p.name}`);
          const at = (value: string) =>
            path.replace(/\{(\w+)\}/g, (_, name: string) =>
              name === p.name
                ? encodeURIComponent(value)
                : sound(op.parameters?.find((x) => x.in === 'path' && x.name === name)?.schema),
            );
          const base = at('1');
          const urls =
            p.in === 'query'
              ? [
                  ...LAX_VALUES[kind].map((v) => `${base}?${p.name}=${encodeURIComponent(v)}`),
                  `${base}?${p.name}=1&${p.name}=1`,
                ]
              : LAX_VALUES[kind].filter((v) => v.trim() !== '').map(at);
          for (const url of urls) {
            asked++;
            let res!: Awaited<ReturnType<typeof app.inject>>;
            for (const cookie of cookies) {
              res = await app.inject({
                method: method.toUpperCase() as 'GET',
                url,
                headers: { cookie },
                ...(method === 'get' || method === 'delete' ? {} : { payload: {} }),
              });
              if (res.statusCode !== 403) break;
            }
            // (a download answered to a value it should have refused is no JSON)
            const json = /json/.test(String(res.headers['content-type'] ?? ''));
            const body = JSON.parse((json && res.body) || '{}') as {
              detailZh?: string;
              errors?: { field: string; messageZh?: string }[];
            };
            const named = body.errors?.find((e) => e.field === p.name);
            if (
              res.statusCode !== 400 ||
              !named?.messageZh?.startsWith(`字段 ${p.name} 不符合要求：`) ||
              // the reason itself in Chinese (not the English message repeated)
              !/^字段 \S+ 不符合要求：\P{Script=Latin}*\p{Script=Han}/u.test(named.messageZh) ||
              !/^请求内容有误/.test(body.detailZh ?? '')
            )
              wrong.push(`${method} ${url.slice(0, 100)} → ${res.statusCode} ${res.body.slice(0, 120)}`);
          }
        }
      }
    }
    expect(asked).toBeGreaterThan(1000);
    // every month a query or path takes is probed: the statistics' period, the export's, monitoring,
    // bulletins, the imports' export and a project's monthly progress
    expect([...months].sort()).toEqual(
      expect.arrayContaining([
        'get /api/service/stats from',
        'get /api/service/stats to',
        'get /api/service/recurring from',
        'get /api/service/requests/export.xlsx from',
        'get /api/monitoring/cockpit month',
        'get /api/monitoring/figures from',
        'get /api/bulletins month',
        'get /api/imports/export/{kind} month',
        'get /api/projects/growth through',
        'put /api/projects/{id}/progress/{month} month',
      ]),
    );
    expect(wrong).toEqual([]);
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
