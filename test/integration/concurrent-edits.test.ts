// Concurrent writes never lose or mislabel data (found by probing): edits of one record sent at the same
// time each lock the row they change, so each is checked against, and audited with, the row as it stood
// when it landed — the audit trail of a record is a chain (each entry's "before" is the one before's
// "after") — and a record deleted twice at once is deleted and audited once, the other answered 404.
// On PostgreSQL the requests truly overlap (a pool of connections); on PGlite they queue on its one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { auditLog } from '../../src/db/schema.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadChains } from '../../src/modules/chains/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

const AT_ONCE = 8;

describe.each(testDatabases())('concurrent edits on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  let cookie = '';

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await loadChains(d.db, await loadCityConfig(resolveCityDir()));
    fx = await seedFixture(d);
    app = await testApp(d);
    cookie = await loginCookie(app, fx.users.admin!.username);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const req = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie }, payload: payload as never });
  const audits = (action: string, entityId: number) =>
    d.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))))
      .orderBy(asc(auditLog.id));

  it('audits every one of several edits of one enterprise at once as a chain, ending in the stored row', async () => {
    const id = fx.ids.nanhuOther;
    const names = Array.from({ length: AT_ONCE }, (_, i) => `嘉兴市南湖并发改名第${i + 1}号有限公司`);
    const answers = await Promise.all(names.map((name) => req('PATCH', `/api/enterprises/${id}`, { name })));
    expect(answers.map((a) => a.statusCode)).toEqual(names.map(() => 200));
    const trail = await audits('enterprise.update', id);
    expect(trail).toHaveLength(AT_ONCE);
    const nameOf = (v: unknown) => (v as { name: string }).name;
    for (let i = 1; i < trail.length; i++) expect(nameOf(trail[i]!.before)).toBe(nameOf(trail[i - 1]!.after));
    const stored = json<{ name: string }>(
      await app.inject({ url: `/api/enterprises/${id}`, headers: { cookie } }),
    );
    expect(stored.name).toBe(nameOf(trail.at(-1)!.after));
    expect(new Set(trail.map((a) => nameOf(a.after)))).toEqual(new Set(names));
  });

  it('deletes a platform asked to twice at once once: one 204, one 404, one audit entry', async () => {
    const made = await req('POST', '/api/platforms', {
      name: '南湖并发删除测试园',
      kind: 'feature_park',
      level: 'city',
      regionCode: NANHU,
      zoneCode: null,
      clusterCode: 'automotive',
      year: 2024,
      source: '测试',
    });
    expect(made.statusCode, made.body).toBe(201);
    const { id } = json<{ id: number }>(made);
    const answers = await Promise.all([1, 2].map(() => req('DELETE', `/api/platforms/${id}`)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([204, 404]);
    expect(await audits('platform.delete', id)).toHaveLength(1);
  });

  it('deletes a chain project asked to twice at once once (one 200, one 404), and audits each of its edits at once as a chain', async () => {
    const made = await req('POST', '/api/chains/new_energy/projects', {
      kind: 'fill',
      name: '并发测试补链项目',
      nodeCode: 'pv_cell',
      owner: '秀洲区招商专班',
    });
    expect(made.statusCode, made.body).toBe(201);
    const { id } = json<{ id: number }>(made);
    const owners = Array.from({ length: AT_ONCE }, (_, i) => `招商专班${i + 1}`);
    const edits = await Promise.all(
      owners.map((owner) => req('PATCH', `/api/chain-projects/${id}`, { owner })),
    );
    expect(edits.map((a) => a.statusCode)).toEqual(owners.map(() => 200));
    const trail = await audits('chain.project.update', id);
    expect(trail).toHaveLength(AT_ONCE);
    const ownerOf = (v: unknown) => (v as { owner: string }).owner;
    for (let i = 1; i < trail.length; i++)
      expect(ownerOf(trail[i]!.before)).toBe(ownerOf(trail[i - 1]!.after));
    const deletes = await Promise.all([1, 2].map(() => req('DELETE', `/api/chain-projects/${id}`)));
    expect(deletes.map((a) => a.statusCode).sort()).toEqual([200, 404]);
    expect(await audits('chain.project.delete', id)).toHaveLength(1);
  });
});
