// Targets counted from registers (issue 16 item 3): platform counts by kind and level, platforms added
// since the baseline, clusters covered by an 产业创新服务综合体 — on every database, hand-counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { platforms } from '../../src/db/schema.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { seedFixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

describe.each(testDatabases())('register-counted targets on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let cookie: string;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await seedFixture(d);
    await d.db.insert(platforms).values([
      {
        name: '国家示范基地甲',
        kind: 'demonstration_base',
        level: 'national',
        clusterCode: 'chem_materials',
        year: 2016,
      },
      {
        name: '省示范基地乙',
        kind: 'demonstration_base',
        level: 'provincial',
        clusterCode: 'textile',
        year: 2018,
      },
      { name: '特色园一', kind: 'feature_park', level: 'city', clusterCode: 'textile', year: 2018 },
      { name: '特色园二', kind: 'feature_park', level: 'provincial', clusterCode: 'new_energy', year: 2021 },
      { name: '特色园三', kind: 'feature_park', level: 'city', clusterCode: 'automotive', year: 2022 },
      { name: '综合体', kind: 'innovation_complex', level: 'provincial', clusterCode: 'textile', year: 2022 },
      {
        name: '综合体二',
        kind: 'innovation_complex',
        level: 'provincial',
        clusterCode: 'textile',
        year: 2023,
      },
    ]);
    app = await testApp(d);
    cookie = await loginCookie(app, 'fx_analyst');
  });
  afterAll(async () => {
    await app?.close();
    await t.dispose(d);
  });

  it('counts platforms by kind and level, those added after the baseline, and covered clusters', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/monitoring/targets?targetSet=five-clusters-2020',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    const byCode = new Map(
      json<{ targets: { code: string; actual: number | null; status: string }[] }>(res).targets.map((x) => [
        x.code,
        x,
      ]),
    );
    expect(byCode.get('platform-national-demo-base')!.actual).toBe(1);
    expect(byCode.get('platform-provincial-demo-base')!.actual).toBe(1);
    // the 2018 park predates the 2019 baseline: two added since
    expect(byCode.get('platform-new-feature-parks')!.actual).toBe(2);
    expect(byCode.get('platform-new-micro-parks')!.actual).toBe(0);
    expect(byCode.get('innovation-complex-coverage')!.actual).toBe(1);
    for (const code of ['platform-new-micro-parks', 'innovation-centres', 'integration-iip'])
      expect(byCode.get(code)!.status).not.toBe('not_measured');
  });
});
