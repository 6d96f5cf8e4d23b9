// Kept read answers stay fresh (issue 13, reads at 50 connections): a run, the runs, a rule-set version,
// a run's results, the objection lists, a watch-list page and an enterprise's profile and own list are
// kept per data version; each is read, its input changed through the API, and read again — the second
// read shows the change at once.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { seedHandExample } from '../helpers/evaluation.ts';
import type { Run, RuleSetRow } from '../../src/modules/evaluation/schemas.ts';

const YEAR = 2024;

describe.each(testDatabases())('kept read answers on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let ids: Record<string, number>;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    ids = await seedHandExample(d, YEAR);
    const actor = { id: null, username: 'fixture' };
    const users = [
      { username: 'rk_admin', displayName: 'Admin', role: 'admin' as const },
      { username: 'rk_reviewer', displayName: '复核人', role: 'admin' as const },
      { username: 'rk_f2', displayName: '示例乙', role: 'enterprise' as const, enterpriseId: ids.F2! },
    ];
    for (const u of users) await createUser(d.db, { ...u, password: PASSWORD }, actor);
    app = await testApp(d);
    for (const u of users) cookies[u.username] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, who: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie: cookies[who]! }, payload: payload as never });
  const get = async <T>(url: string, who: string) => {
    const res = await call('GET', url, who);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return json<T>(res);
  };
  const runs = (who: string) => get<{ items: Run[] }>('/api/evaluation/runs', who);

  it('a run, the runs and a run’s results follow the run through review and publication', async () => {
    expect((await runs('rk_f2')).items).toEqual([]);
    const created = await call('POST', '/api/evaluation/runs', 'rk_admin', { year: YEAR });
    expect(created.statusCode, created.body).toBe(201);
    const run = json<Run>(created);
    // read (and kept) as a draft, by every reader
    expect((await get<Run>(`/api/evaluation/runs/${run.id}`, 'rk_admin')).status).toBe('draft');
    expect((await runs('rk_admin')).items.map((r) => [r.id, r.status])).toEqual([[run.id, 'draft']]);
    expect((await runs('rk_f2')).items).toEqual([]);
    expect((await call('GET', `/api/evaluation/runs/${run.id}`, 'rk_f2')).statusCode).toBe(404);
    expect((await call('GET', `/api/evaluation/runs/${run.id}/results`, 'rk_f2')).statusCode).toBe(404);

    expect((await call('POST', `/api/evaluation/runs/${run.id}/submit`, 'rk_admin')).statusCode).toBe(200);
    expect((await get<Run>(`/api/evaluation/runs/${run.id}`, 'rk_admin')).status).toBe('review');
    expect((await runs('rk_admin')).items.map((r) => r.status)).toEqual(['review']);

    expect((await call('POST', `/api/evaluation/runs/${run.id}/publish`, 'rk_reviewer')).statusCode).toBe(
      200,
    );
    const published = await get<Run>(`/api/evaluation/runs/${run.id}`, 'rk_admin');
    expect(published.status).toBe('published');
    expect(published.publishedAt).not.toBeNull();
    expect((await runs('rk_admin')).items.map((r) => r.status)).toEqual(['published']);
    // the firm now sees the run and its own result
    expect((await runs('rk_f2')).items.map((r) => r.id)).toEqual([run.id]);
    expect((await get<Run>(`/api/evaluation/runs/${run.id}`, 'rk_f2')).status).toBe('published');
    const mine = await get<{ items: { enterpriseId: number }[] }>(
      `/api/evaluation/runs/${run.id}/results`,
      'rk_f2',
    );
    expect(mine.items.map((r) => r.enterpriseId)).toEqual([ids.F2]);

    // a correction: a new draft run listed beside the published one, the old one superseded on publication
    const c = await call('POST', `/api/evaluation/runs/${run.id}/correct`, 'rk_admin', { reason: '更正' });
    expect(c.statusCode, c.body).toBe(201);
    const corr = json<Run>(c);
    expect((await runs('rk_admin')).items.map((r) => [r.id, r.status])).toEqual([
      [corr.id, 'draft'],
      [run.id, 'published'],
    ]);
    await call('POST', `/api/evaluation/runs/${corr.id}/submit`, 'rk_admin');
    await call('POST', `/api/evaluation/runs/${corr.id}/publish`, 'rk_reviewer');
    expect((await get<Run>(`/api/evaluation/runs/${run.id}`, 'rk_f2')).supersededByRunId).toBe(corr.id);
  });

  it('the objection lists show an objection filed and resolved at once', async () => {
    type Objections = { items: { id: number; status: string }[] };
    const lists = ['/api/evaluation/objections', '/api/evaluation/objections?status=open'];
    const read = async (who: string) =>
      Promise.all(lists.map(async (u) => (await get<Objections>(u, who)).items.map((o) => o.status)));
    expect(await read('rk_admin')).toEqual([[], []]);
    expect(await read('rk_f2')).toEqual([[], []]);
    const run = (await runs('rk_f2')).items.find((r) => r.supersededByRunId === null)!;
    const filed = await call('POST', `/api/evaluation/runs/${run.id}/objections`, 'rk_f2', {
      enterpriseId: ids.F2,
      text: '用地面积应为 32 亩',
      evidence: '不动产权证书',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(await read('rk_admin')).toEqual([['open'], ['open']]);
    expect(await read('rk_f2')).toEqual([['open'], ['open']]);
    const id = json<{ id: number }>(filed).id;
    const done = await call('POST', `/api/evaluation/objections/${id}/resolve`, 'rk_admin', {
      status: 'rejected',
      resolution: '核实后维持原结果',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(await read('rk_admin')).toEqual([['rejected'], []]);
    expect(await read('rk_f2')).toEqual([['rejected'], []]);
  });

  it('a rule-set version is no longer the newest once a later version is saved', async () => {
    const sets = (await get<{ items: RuleSetRow[] }>('/api/evaluation/rule-sets', 'rk_admin')).items;
    const newest = sets.find((s) => s.code === 'default' && s.latest)!;
    expect((await get<RuleSetRow>(`/api/evaluation/rule-sets/${newest.id}`, 'rk_admin')).latest).toBe(true);
    const edited = structuredClone(newest.definition);
    edited.groups.above.indicators[0]!.weight = 40;
    const v = await call('POST', `/api/evaluation/rule-sets/${newest.id}/versions`, 'rk_admin', {
      definition: edited,
      reason: '权重调整',
    });
    expect(v.statusCode, v.body).toBe(201);
    expect((await get<RuleSetRow>(`/api/evaluation/rule-sets/${newest.id}`, 'rk_admin')).latest).toBe(false);
    const next = json<RuleSetRow>(v);
    expect((await get<RuleSetRow>(`/api/evaluation/rule-sets/${next.id}`, 'rk_admin')).latest).toBe(true);
  });

  it('sends a large kept answer gzip-compressed to a client that accepts it, the same JSON once decoded', async () => {
    // the rule sets with their whole definitions (two versions after the test above): above 8 kB
    const url = '/api/evaluation/rule-sets';
    const plain = await call('GET', url, 'rk_admin');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');
    expect(plain.rawPayload.length).toBeGreaterThan(8 * 1024);
    const zipped = await app.inject({
      method: 'GET',
      url,
      headers: { cookie: cookies.rk_admin!, 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload)).toBe(true);
    // a small kept answer (a run) is sent as it is
    const runId = (await runs('rk_admin')).items[0]!.id;
    const small = await app.inject({
      method: 'GET',
      url: `/api/evaluation/runs/${runId}`,
      headers: { cookie: cookies.rk_admin!, 'accept-encoding': 'gzip' },
    });
    expect(small.statusCode).toBe(200);
    expect(small.rawPayload.length).toBeLessThan(8 * 1024);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('a watch-list page shows a handling saved at once', async () => {
    type Page = {
      items: { enterpriseId: number; handling: { status: string; owner: string | null } | null }[];
    };
    const url = `/api/evaluation/watch?year=${YEAR}`;
    const before = await get<Page>(url, 'rk_admin');
    expect(before.items.find((i) => i.enterpriseId === ids.F3)?.handling).toBeNull();
    const put = (status: string) =>
      call('PUT', `/api/evaluation/watch/${YEAR}/${ids.F3}`, 'rk_admin', { status, owner: '经信局 张三' });
    expect((await put('in_progress')).statusCode).toBe(200);
    const handling = async () =>
      (await get<Page>(url, 'rk_admin')).items.find((i) => i.enterpriseId === ids.F3)!.handling;
    expect(await handling()).toMatchObject({ status: 'in_progress', owner: '经信局 张三' });
    expect((await put('done')).statusCode).toBe(200);
    expect((await handling())?.status).toBe('done');
  });

  it('an enterprise’s profile and its own list show an edit at once', async () => {
    type Profile = { name: string; address: string | null };
    const url = `/api/enterprises/${ids.F2}`;
    const before = await get<Profile>(url, 'rk_admin');
    expect((await get<Profile>(url, 'rk_f2')).name).toBe(before.name);
    const own = () => get<{ items: { id: number; name: string }[] }>('/api/enterprises', 'rk_f2');
    expect((await own()).items.map((e) => e.name)).toEqual([before.name]);
    const edit = await call('PATCH', url, 'rk_admin', {
      name: `${before.name}（更名）`,
      address: '新地址 1 号',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    for (const who of ['rk_admin', 'rk_f2']) {
      const after = await get<Profile>(url, who);
      expect(after.name).toBe(`${before.name}（更名）`);
      expect(after.address).toBe('新地址 1 号');
    }
    expect((await own()).items.map((e) => e.name)).toEqual([`${before.name}（更名）`]);
    // another firm's profile stays out of the firm's reach, kept or not
    expect((await call('GET', `/api/enterprises/${ids.F1}`, 'rk_f2')).statusCode).toBe(404);
  });
});
