// Enterprise cultivation (issue 20) through the API on every database: screening against hand-made
// firms, counts that agree with direct SQL, scope, and a pipeline move from 入库培育 to 认定 with evidence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { queryRows, type Database } from '../../src/db/client.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { bumpRollupVersion } from '../../src/modules/monitoring/rollup.ts';
import { PDF_BASE64 as PDF, seedCultivation } from '../helpers/cultivation.ts';

interface Lib {
  library: { key: string };
  recognised: number;
  candidates: number;
  nearCandidates: number;
  pipeline: Record<string, number>;
}

describe.each(testDatabases())('cultivation on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookies: Record<string, string> = {};
  const get = (who: string, url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
  const post = (who: string, url: string, payload: object) =>
    app.inject({ method: 'POST', url, payload, headers: { cookie: cookies[who]! } });
  const lib = async (who: string, key: string) =>
    json<{ libraries: Lib[] }>(await get(who, '/api/cultivation/libraries?year=2025')).libraries.find(
      (l) => l.library.key === key,
    )!;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    await seedCultivation(d, fx);
    app = await testApp(d);
    for (const u of ['fx_admin', 'fx_analyst', 'fx_nanhu', 'fx_tongxiang', 'fx_enterprise', 'fx_auditor'])
      cookies[u] = await loginCookie(app, u);
  });
  afterAll(async () => {
    await app?.close();
    await t.dispose(d);
  });

  it('screens hand-made firms: meets all, misses one by a little, and a criterion only a person can check', async () => {
    const res = await get('fx_admin', `/api/cultivation/firms/${fx.ids.nanhuTextile}?year=2025`);
    expect(res.statusCode).toBe(200);
    const firm = json<{
      metrics: Record<string, number>;
      libraries: {
        library: { key: string };
        meetsAll: boolean;
        outcomes: { key: string; status: string; gap?: number }[];
      }[];
    }>(res);
    expect(firm.metrics.revenue).toBe(11400);
    expect(firm.metrics.rdIntensity).toBeCloseTo((400 / 11400) * 100, 10);
    const zj = firm.libraries.find((l) => l.library.key === 'zhuanjingtexin')!;
    expect(zj.meetsAll).toBe(true);
    expect(zj.outcomes.find((o) => o.key === 'score')!.status).toBe('manual');
    const pool = await get('fx_admin', '/api/cultivation/candidates?year=2025&library=pool10&maxMissing=1');
    const items = json<{ items: { enterpriseId: number; missing: number; outcomes: { gap?: number }[] }[] }>(
      pool,
    ).items;
    expect(items.map((i) => [i.enterpriseId, i.missing])).toEqual([
      [fx.ids.tongxiangTextile, 0],
      [fx.ids.pinghuChem, 1],
    ]);
    expect(items[1]!.outcomes[0]!.gap).toBeCloseTo(0.4, 10);
  });

  it('candidate counts agree with a direct SQL count', async () => {
    const [direct] = await queryRows<{ n: number }>(
      d.db,
      sql`
        select count(*)::int as n from (
          select enterprise_id from monthly_stats where month >= '2025-01-01' and month < '2026-01-01'
          group by enterprise_id having sum(output_value) >= 100000 and sum(revenue) is not null) x`,
    );
    const pool = await lib('fx_admin', 'pool10');
    expect(pool.candidates).toBe(direct!.n);
    expect(pool.nearCandidates).toBe(1);
  });

  it('keeps each user to their scope', async () => {
    const nanhu = json<{ items: unknown[] }>(
      await get('fx_nanhu', '/api/cultivation/candidates?year=2025&library=pool10'),
    );
    expect(nanhu.items).toHaveLength(0);
    expect(
      (await get('fx_nanhu', `/api/cultivation/firms/${fx.ids.tongxiangTextile}?year=2025`)).statusCode,
    ).toBe(404);
    expect(
      (await get('fx_enterprise', `/api/cultivation/firms/${fx.ids.nanhuTextile}?year=2025`)).statusCode,
    ).toBe(200);
    expect(
      (await get('fx_enterprise', `/api/cultivation/firms/${fx.ids.pinghuChem}?year=2025`)).statusCode,
    ).toBe(404);
    expect((await get('fx_auditor', '/api/cultivation/libraries')).statusCode).toBe(403);
    const refused = await post('fx_analyst', '/api/cultivation/entries', {
      enterpriseId: fx.ids.nanhuTextile,
      library: 'zhuanjingtexin',
    });
    expect(refused.statusCode).toBe(403);
    expect(json<{ detailZh: string }>(refused).detailZh).toContain('无权限');
    expect((await get('fx_admin', '/api/cultivation/entries')).statusCode).toBe(200);
  });

  it('moves a candidate to 入库培育, 申报 and 认定 with evidence; the library counts and the tier follow', async () => {
    const before = await lib('fx_nanhu', 'zhuanjingtexin');
    expect(before.candidates).toBe(1);
    const created = await post('fx_nanhu', '/api/cultivation/entries', {
      enterpriseId: fx.ids.nanhuTextile,
      library: 'zhuanjingtexin',
      note: '研发强度达标',
    });
    expect(created.statusCode).toBe(200);
    const entry = json<{ id: number; stage: string; moves: string[] }>(created);
    expect(entry.stage).toBe('nurturing');
    expect(entry.moves).toEqual(['applying']);
    const noEvidence = await post('fx_nanhu', `/api/cultivation/entries/${entry.id}/move`, {
      to: 'applying',
    });
    expect(noEvidence.statusCode).toBe(400);
    const skip = await post('fx_nanhu', `/api/cultivation/entries/${entry.id}/move`, {
      to: 'recognised',
      evidence: { fileName: 'x.pdf', contentBase64: PDF },
    });
    expect(skip.statusCode).toBe(409);
    const applied = await post('fx_nanhu', `/api/cultivation/entries/${entry.id}/move`, {
      to: 'applying',
      evidence: { fileName: '申报书.pdf', contentBase64: PDF },
    });
    expect(applied.statusCode).toBe(200);
    // another county's officer cannot see the entry or its evidence
    const docId = json<{ events: { documentId: number | null }[] }>(applied).events.find(
      (e) => e.documentId,
    )!.documentId!;
    expect((await get('fx_tongxiang', `/api/cultivation/entries/${entry.id}`)).statusCode).toBe(404);
    // refused as a file that is not there (status and body)
    const absent = await get('fx_nanhu', `/api/cultivation/documents/${docId + 1000}`);
    const refused = await get('fx_tongxiang', `/api/cultivation/documents/${docId}`);
    expect([refused.statusCode, refused.body]).toEqual([404, absent.body]);
    const doc = await get('fx_nanhu', `/api/cultivation/documents/${docId}`);
    expect(doc.statusCode).toBe(200);
    expect(doc.rawPayload.toString('base64')).toBe(PDF);
    expect(doc.headers['content-disposition']).toContain('attachment');
    const done = await post('fx_nanhu', `/api/cultivation/entries/${entry.id}/move`, {
      to: 'recognised',
      evidence: { fileName: '认定文件.pdf', contentBase64: PDF },
    });
    expect(done.statusCode).toBe(200);
    const after = await lib('fx_nanhu', 'zhuanjingtexin');
    expect(after.candidates).toBe(0);
    expect(after.recognised).toBe(before.recognised + 1);
    const tiers = await queryRows(
      d.db,
      sql`select tier from enterprise_tiers where enterprise_id = ${fx.ids.nanhuTextile} and tier = 'zhuanjingtexin'`,
    );
    expect(tiers).toHaveLength(1);
    const audit = (
      await queryRows<{ action: string }>(
        d.db,
        sql`select action from audit_log where entity = 'cultivation_entry' and entity_id = ${String(entry.id)} order by id`,
      )
    ).map((r) => r.action);
    expect(audit).toEqual(['cultivation.enter', 'cultivation.applying', 'cultivation.recognised']);
  });

  it('counts tier targets from the tiers data, a recognition included', async () => {
    const targets = async () =>
      json<{ targets: { code: string; actual: number | null; status: string }[] }>(
        await get('fx_admin', '/api/monitoring/targets?targetSet=five-clusters-2020'),
      ).targets;
    const before = await targets();
    // the fixture's 桐乡化纤 was listed in 2021, after the 2019 baseline
    expect(before.find((x) => x.code === 'enterprises-new-listed')!.actual).toBe(1);
    const giants = before.find((x) => x.code === 'enterprises-little-giants')!;
    expect(giants.status).not.toBe('not_measured');
    expect(giants.actual).toBe(0);
    await d.db.execute(
      sql`insert into enterprise_tiers (enterprise_id, tier, year, level, source)
          values (${fx.ids.pinghuChem}, 'little_giant', 2025, 'national', 'test')`,
    );
    // inserted behind the API's back: mark the facts changed as an import would
    await bumpRollupVersion(d.db);
    await expect
      .poll(async () => (await targets()).find((x) => x.code === 'enterprises-little-giants')!.actual, {
        timeout: 10_000,
      })
      .toBe(1);
  });

  it('counts the ladder "at least" per rung and names movers only in scope', async () => {
    const res = await get('fx_nanhu', '/api/cultivation/ladder');
    expect(res.statusCode).toBe(200);
    const body = json<{
      years: number[];
      clusters: { code: string; counts: number[][]; movers: unknown[]; moversHidden: number }[];
    }>(res);
    const textile = body.clusters.find((c) => c.code === 'textile')!;
    const y2025 = body.years.indexOf(2025);
    // 桐乡化纤 10.8 亿元 in 2025: one firm at the 10 亿 rung, none above
    expect(textile.counts[y2025]).toEqual([1, 0, 0, 0, 0]);
    // it moved up from nothing in 2024, outside 南湖's scope: counted, not named
    expect(textile.movers).toHaveLength(0);
    expect(textile.moversHidden).toBe(1);
  });
});
