// 亩均效益 evaluation API on every test database: runs reproduce the hand-computed examples, the run
// life cycle, scope, explanations, objections, rule-set versions, watch list — and each write's audit row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { auditLog, evaluationResults } from '../../src/db/schema.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import {
  HAND_EXPECTED,
  seedHandExample,
  seedZeroExample,
  X,
  Y,
  Z,
  ZERO_EXPECTED,
} from '../helpers/evaluation.ts';
import { DEFAULT_V2_REASON, DEFAULT_V3_REASON } from '../../src/domain/evaluation/presets.ts';
import type {
  ExplanationDto,
  Objection,
  ResultRow,
  Run,
  RuleSetRow,
} from '../../src/modules/evaluation/schemas.ts';

const YEAR = 2024;
const ZERO_YEAR = 2023;

describe.each(testDatabases())('evaluation API on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let ids: Record<string, number>;
  const cookies: Record<string, string> = {};
  let run: Run;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    ids = await seedHandExample(d, YEAR);
    // the 嘉善 group of blanks and zeros, in a year of its own so the hand example's counts stay as they are
    Object.assign(ids, await seedZeroExample(d, ZERO_YEAR));
    const actor = { id: null, username: 'fixture' };
    const users = [
      { username: 'ev_admin', displayName: 'Admin', role: 'admin' as const },
      { username: 'ev_reviewer', displayName: '复核人', role: 'admin' as const },
      { username: 'ev_analyst', displayName: '分析员', role: 'analyst' as const },
      { username: 'ev_nanhu', displayName: '南湖专员', role: 'county' as const, regionCode: X },
      { username: 'ev_tongxiang', displayName: '桐乡专员', role: 'county' as const, regionCode: Y },
      { username: 'ev_f2', displayName: '示例乙', role: 'enterprise' as const, enterpriseId: ids.F2! },
      { username: 'ev_f1', displayName: '示例甲', role: 'enterprise' as const, enterpriseId: ids.F1! },
    ];
    for (const u of users) await createUser(d.db, { ...u, password: PASSWORD }, actor);
    app = await testApp(d);
    for (const u of users) cookies[u.username] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie: cookies[who]! }, payload: payload as never });
  const audits = (action: string, entityId?: string | number) =>
    d.db
      .select()
      .from(auditLog)
      .where(
        entityId == null
          ? eq(auditLog.action, action)
          : and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))),
      );
  const labelOf = (id: number) => Object.entries(ids).find(([, v]) => v === id)![0];
  const results = async (runId: number, who: string, query = '') =>
    json<{ items: ResultRow[]; total: number }>(
      await call('GET', `/api/evaluation/runs/${runId}/results?pageSize=500${query}`, who),
    );

  it('seeds the default rule set and presets, and lists them', async () => {
    const res = await call('GET', '/api/evaluation/rule-sets', 'ev_admin');
    expect(res.statusCode).toBe(200);
    const codes = json<{ items: RuleSetRow[] }>(res).items.map((r) => r.code);
    expect(codes).toEqual(
      expect.arrayContaining(['default', 'huangyan-2022', 'wenling-2022', 'minmax-20', 'twice-mean']),
    );
    expect((await audits('evaluation.rule_set.seed')).length).toBeGreaterThanOrEqual(7);
    // issue 15: default version 3 (version 2's classes + the policy table) is the latest; versions 1
    // and 2 stay for the runs made with them
    const defaults = json<{ items: RuleSetRow[] }>(res).items.filter((r) => r.code === 'default');
    expect(defaults.map((r) => [r.version, r.latest])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    expect(defaults[0]!.reason).toBe(DEFAULT_V3_REASON);
    expect(defaults[1]!.reason).toBe(DEFAULT_V2_REASON);
    expect(defaults[0]!.definition).toMatchObject({ blanks: 'zero', zeroTotalIsD: true });
    expect(defaults[0]!.definition.policies.map((p) => p.kind)).toEqual(
      expect.arrayContaining(['water_surcharge', 'sewage_surcharge', 'energy_quota', 'emission_quota']),
    );
    expect(defaults[2]!.definition.blanks).toBeUndefined();
  });

  it('creates a draft run that reproduces every hand-computed example (audited)', async () => {
    const res = await call('POST', '/api/evaluation/runs', 'ev_admin', { year: YEAR });
    expect(res.statusCode, res.body).toBe(201);
    run = json<Run>(res);
    expect(run.status).toBe('draft');
    expect(run.summary).toMatchObject({
      population: 12,
      evaluated: 7,
      excluded: 5,
      classes: { A: 3, B: 3, C: 0, D: 1 },
    });
    expect(run.ruleSetVersion).toBe(3);
    expect(run.summary.exclusions).toEqual({ utility: 2, land_missing: 2, small_land: 1 });
    expect((await audits('evaluation.run.create', run.id)).length).toBe(1);
    const rows = (await results(run.id, 'ev_admin')).items;
    expect(rows).toHaveLength(12);
    for (const r of rows) {
      const exp = HAND_EXPECTED[labelOf(r.enterpriseId)]!;
      expect(r.class, labelOf(r.enterpriseId)).toBe(exp.class);
      expect(r.exclusion).toBe(exp.reason);
      if (exp.total != null) expect(r.total).toBeCloseTo(exp.total, 9);
      r.indicators.forEach((x, j) => expect(x.score).toBeCloseTo(exp.scores[j]!, 9));
    }
  });

  it('scopes results: a county officer sees their county, an enterprise nothing of a draft', async () => {
    expect((await results(run.id, 'ev_nanhu')).total).toBe(10);
    expect((await results(run.id, 'ev_tongxiang')).items.map((r) => labelOf(r.enterpriseId)).sort()).toEqual([
      'S1',
      'S2',
    ]);
    expect((await call('GET', `/api/evaluation/runs/${run.id}/results`, 'ev_f2')).statusCode).toBe(404);
    expect(
      (await call('GET', `/api/evaluation/runs/${run.id}/results/${ids.F1}/explanation`, 'ev_tongxiang'))
        .statusCode,
    ).toBe(404);
    expect(
      (await results(run.id, 'ev_admin', '&class=A')).items.map((r) => labelOf(r.enterpriseId)).sort(),
    ).toEqual(['B1', 'F1', 'S1']);
  });

  it('explains a result: values, benchmarks, ranks, rules, and what would move it up', async () => {
    const res = await call('GET', `/api/evaluation/runs/${run.id}/results/${ids.B2}/explanation`, 'ev_nanhu');
    expect(res.statusCode, res.body).toBe(200);
    const e = json<ExplanationDto>(res);
    expect(e.class).toBe('B');
    // blanks counted as 0: 亩均税收 (2 + 4 + 0)/3, 单位电耗税收 (3 + 0 + 0)/3
    expect(e.indicators.map((i) => i.benchmark)).toEqual([2, 1]);
    expect(e.indicators[1]!.rule.code).toBe('denominator_zero_counted');
    expect(e.ruleSet).toMatchObject({ code: 'default', version: 3 });
    const f2 = json<ExplanationDto>(
      await call('GET', `/api/evaluation/runs/${run.id}/results/${ids.F2}/explanation`, 'ev_nanhu'),
    );
    expect(f2.moveUp.find((m) => m.lever === 'taxPaid')!.required).toBeCloseTo(594.4, 4);
    const b3 = json<ExplanationDto>(
      await call('GET', `/api/evaluation/runs/${run.id}/results/${ids.B3}/explanation`, 'ev_nanhu'),
    );
    expect(b3).toMatchObject({ class: 'D', classRule: { code: 'zero_total_d' } });
    const b4 = json<ExplanationDto>(
      await call('GET', `/api/evaluation/runs/${run.id}/results/${ids.B4}/explanation`, 'ev_nanhu'),
    );
    expect(b4.exclusion?.code).toBe('small_land');
  });

  it('draft → review → published, each step audited; only an administrator other than the submitter publishes', async () => {
    expect((await call('POST', `/api/evaluation/runs/${run.id}/publish`, 'ev_admin')).statusCode).toBe(409);
    const sub = await call('POST', `/api/evaluation/runs/${run.id}/submit`, 'ev_admin');
    expect(json<Run>(sub).status).toBe('review');
    expect((await audits('evaluation.run.submit', run.id)).length).toBe(1);
    expect((await call('POST', `/api/evaluation/runs/${run.id}/publish`, 'ev_nanhu')).statusCode).toBe(403);
    // the analyst reads but never writes (issue 12 item 8)
    const byAnalyst = await call('POST', `/api/evaluation/runs/${run.id}/publish`, 'ev_analyst');
    expect(byAnalyst.statusCode).toBe(403);
    expect(json<{ detailZh: string }>(byAnalyst).detailZh).toContain('无权限');
    // four eyes: the administrator who submitted may not publish; a second one does
    const own = await call('POST', `/api/evaluation/runs/${run.id}/publish`, 'ev_admin');
    expect(own.statusCode).toBe(403);
    expect(json<{ detailZh: string }>(own).detailZh).toContain('双人复核');
    expect(json<Run>(await call('GET', `/api/evaluation/runs/${run.id}`, 'ev_admin')).status).toBe('review');
    const pub = await call('POST', `/api/evaluation/runs/${run.id}/publish`, 'ev_reviewer');
    expect(json<Run>(pub).status).toBe('published');
    expect((await audits('evaluation.run.publish', run.id)).length).toBe(1);
  });

  it('an enterprise user sees only its own published result and explanation', async () => {
    const mine = await results(run.id, 'ev_f2');
    expect(mine.items.map((r) => r.enterpriseId)).toEqual([ids.F2]);
    const e = await call('GET', `/api/evaluation/runs/${run.id}/results/${ids.F2}/explanation`, 'ev_f2');
    expect(e.statusCode).toBe(200);
    expect(json<ExplanationDto>(e).policies.map((p) => p.value)).toEqual([80]); // B: land-tax relief 80 %
    expect(
      (await call('GET', `/api/evaluation/runs/${run.id}/results/${ids.F1}/explanation`, 'ev_f2')).statusCode,
    ).toBe(404);
    expect((await call('GET', `/api/evaluation/runs/${run.id}/class-counts`, 'ev_f2')).statusCode).toBe(403);
  });

  it('objections: filed by the enterprise with evidence, resolved by its county officer, both audited', async () => {
    const bad = await call('POST', `/api/evaluation/runs/${run.id}/objections`, 'ev_f2', {
      enterpriseId: ids.F1,
      text: '数据有误',
      evidence: '见附件',
    });
    expect(bad.statusCode).toBe(404);
    expect(
      (
        await call('POST', `/api/evaluation/runs/${run.id}/objections`, 'ev_nanhu', {
          enterpriseId: ids.F2,
          text: '数据有误',
          evidence: '见附件',
        })
      ).statusCode,
    ).toBe(403);
    const res = await call('POST', `/api/evaluation/runs/${run.id}/objections`, 'ev_f2', {
      enterpriseId: ids.F2,
      text: '用地面积应为15亩',
      evidence: '不动产权证书编号 浙(2024)嘉兴市不动产权第0001号',
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = json<Objection>(res);
    expect((await audits('evaluation.objection.file', o.id)).length).toBe(1);
    expect(
      json<{ items: Objection[] }>(await call('GET', '/api/evaluation/objections', 'ev_tongxiang')).items,
    ).toHaveLength(0);
    expect(
      (
        await call('POST', `/api/evaluation/objections/${o.id}/resolve`, 'ev_tongxiang', {
          status: 'upheld',
          resolution: '同意',
        })
      ).statusCode,
    ).toBe(404);
    const done = await call('POST', `/api/evaluation/objections/${o.id}/resolve`, 'ev_nanhu', {
      status: 'upheld',
      resolution: '核实无误，将更正',
    });
    expect(json<Objection>(done).status).toBe('upheld');
    expect((await audits('evaluation.objection.resolve', o.id)).length).toBe(1);
    expect(
      json<{ items: Objection[] }>(await call('GET', '/api/evaluation/objections', 'ev_f2')).items.map(
        (x) => x.id,
      ),
    ).toEqual([o.id]);
  });

  it('objections take evidence files: pdf/jpg/png/xlsx, size-limited, checked, scoped, audited', async () => {
    const res = await call('POST', `/api/evaluation/runs/${run.id}/objections`, 'ev_f2', {
      enterpriseId: ids.F2,
      text: '税收数据漏报一笔',
      evidence: '见完税证明',
    });
    const o = json<Objection>(res);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const attach = (who: string, fileName: string, content: Buffer) =>
      call('POST', `/api/evaluation/objections/${o.id}/files`, who, {
        fileName,
        contentBase64: content.toString('base64'),
      });
    const up = await attach('ev_f2', '完税证明.pdf', pdf);
    expect(up.statusCode, up.body).toBe(201);
    const file = json<{ id: number; contentType: string; sizeBytes: number }>(up);
    expect(file).toMatchObject({ contentType: 'application/pdf', sizeBytes: pdf.length });
    expect((await audits('evaluation.objection.file_upload', file.id)).length).toBe(1);
    // type by extension and signature; size; who may attach
    expect((await attach('ev_f2', 'x.exe', pdf)).statusCode).toBe(415);
    expect((await attach('ev_f2', 'fake.pdf', Buffer.from('<html>'))).statusCode).toBe(415);
    expect((await attach('ev_f2', 'big.png', Buffer.alloc(5 * 1024 * 1024 + 1, 0x89))).statusCode).toBe(413);
    expect((await attach('ev_f1', 'a.pdf', pdf)).statusCode).toBe(404);
    expect((await attach('ev_nanhu', 'a.pdf', pdf)).statusCode).toBe(403);
    // listed and downloaded within scope only, always as an attachment
    const list = (who: string) =>
      call('GET', `/api/evaluation/objection-files?runId=${run.id}`, who).then(
        (r) => json<{ items: { id: number }[] }>(r).items,
      );
    expect((await list('ev_nanhu')).map((f) => f.id)).toEqual([file.id]);
    expect(await list('ev_tongxiang')).toEqual([]);
    expect(await list('ev_f1')).toEqual([]);
    const dl = await call('GET', `/api/evaluation/objections/${o.id}/files/${file.id}`, 'ev_nanhu');
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(pdf)).toBe(true);
    // the download's own headers, byte for byte (an attachment, never sniffed, never kept by a shared cache)
    expect({
      type: dl.headers['content-type'],
      disposition: dl.headers['content-disposition'],
      sniff: dl.headers['x-content-type-options'],
      cache: dl.headers['cache-control'],
      length: dl.headers['content-length'],
    }).toEqual({
      type: 'application/pdf',
      disposition: `attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('完税证明.pdf')}`,
      sniff: 'nosniff',
      cache: 'private, no-store',
      length: String(pdf.length),
    });
    // 404 for a reader outside the objection's scope (the objection), and for a file not of this
    // objection (the file) — never 403, which would say the objection exists
    const missing = async (who: string, objectionId: number, fileId: number) => {
      const r = await call('GET', `/api/evaluation/objections/${objectionId}/files/${fileId}`, who);
      return [r.statusCode, json<{ detail: string }>(r).detail];
    };
    expect(await missing('ev_tongxiang', o.id, file.id)).toEqual([
      404,
      'The objection does not exist or is not visible to you.',
    ]);
    expect(await missing('ev_f1', o.id, file.id)).toEqual([
      404,
      'The objection does not exist or is not visible to you.',
    ]);
    expect(await missing('ev_nanhu', o.id, file.id + 1000)).toEqual([
      404,
      'The file does not exist or is not visible to you.',
    ]);
    expect(await missing('ev_nanhu', o.id + 1000, file.id)).toEqual([
      404,
      'The objection does not exist or is not visible to you.',
    ]);
    // the kept file lists show a file attached at once
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const second = json<{ id: number }>(await attach('ev_f2', '宗地图.png', png));
    expect((await list('ev_nanhu')).map((f) => f.id)).toEqual([file.id, second.id]);
    const dl2 = await call('GET', `/api/evaluation/objections/${o.id}/files/${second.id}`, 'ev_f2');
    expect([dl2.statusCode, dl2.headers['content-type'], dl2.rawPayload.equals(png)]).toEqual([
      200,
      'image/png',
      true,
    ]);
  });

  it('editing a rule set makes a new version; a correction is a new run version and the published results never change', async () => {
    const sets = json<{ items: RuleSetRow[] }>(
      await call('GET', '/api/evaluation/rule-sets', 'ev_admin'),
    ).items;
    const def = sets.find((s) => s.code === 'default' && s.version === 1)!;
    const edited = structuredClone(def.definition);
    edited.groups.above.indicators[0]!.weight = 40;
    const v = await call('POST', `/api/evaluation/rule-sets/${def.id}/versions`, 'ev_admin', {
      definition: edited,
      reason: '权重调整',
    });
    expect(v.statusCode, v.body).toBe(201);
    const v2 = json<RuleSetRow>(v);
    expect(v2.version).toBe(4);
    // the list (kept per scope) shows the new version at once, as the newest of its code
    const listed = json<{ items: RuleSetRow[] }>(
      await call('GET', '/api/evaluation/rule-sets', 'ev_admin'),
    ).items;
    expect(listed.length).toBe(sets.length + 1);
    expect(listed.filter((s) => s.code === 'default' && s.latest).map((s) => s.id)).toEqual([v2.id]);
    expect((await audits('evaluation.rule_set.version', v2.id)).length).toBe(1);
    expect(
      json<RuleSetRow>(await call('GET', `/api/evaluation/rule-sets/${def.id}`, 'ev_admin')).definition.groups
        .above.indicators[0]!.weight,
    ).toBe(30);

    const before = await d.db.select().from(evaluationResults).where(eq(evaluationResults.runId, run.id));
    const c = await call('POST', `/api/evaluation/runs/${run.id}/correct`, 'ev_admin', {
      reason: '企业异议成立：示例乙用地面积更正',
      ruleSetId: v2.id,
    });
    expect(c.statusCode, c.body).toBe(201);
    const corr = json<Run>(c);
    expect(corr).toMatchObject({
      status: 'draft',
      version: 2,
      supersedesRunId: run.id,
      reason: '企业异议成立：示例乙用地面积更正',
      ruleSetId: v2.id,
    });
    expect((await audits('evaluation.run.correct', corr.id)).length).toBe(1);
    await call('POST', `/api/evaluation/runs/${corr.id}/submit`, 'ev_admin');
    await call('POST', `/api/evaluation/runs/${corr.id}/publish`, 'ev_reviewer');
    const old = json<Run>(await call('GET', `/api/evaluation/runs/${run.id}`, 'ev_admin'));
    const latestDefault = sets.find((s) => s.code === 'default' && s.latest)!;
    expect(old).toMatchObject({
      status: 'published',
      supersededByRunId: corr.id,
      ruleSetId: latestDefault.id,
    });
    const after = await d.db.select().from(evaluationResults).where(eq(evaluationResults.runId, run.id));
    expect(after).toEqual(before);
    expect(
      (await call('POST', `/api/evaluation/runs/${run.id}/correct`, 'ev_admin', { reason: '再次更正' }))
        .statusCode,
    ).toBe(409);
    // the enterprise now sees both published runs, each with its own result
    expect(
      json<{ items: Run[] }>(await call('GET', '/api/evaluation/runs', 'ev_f2'))
        .items.map((r) => r.id)
        .sort(),
    ).toEqual([run.id, corr.id].sort());
  });

  it('class lists per county and cluster, policy lists per class, aggregates', async () => {
    const counts = json<{ items: { code: string; scale: string; A: number; B: number; excluded: number }[] }>(
      await call('GET', `/api/evaluation/runs/${run.id}/class-counts?by=county`, 'ev_admin'),
    );
    expect(counts.items.find((c) => c.code === X && c.scale === 'above')).toMatchObject({
      A: 1,
      B: 2,
      excluded: 3,
    });
    expect(
      (await call('GET', `/api/evaluation/runs/${run.id}/class-counts?by=cluster`, 'ev_admin')).statusCode,
    ).toBe(200);
    const pol = json<{ items: { enterpriseId: number; policies: { id: string; value: number }[] }[] }>(
      await call('GET', `/api/evaluation/runs/${run.id}/policies?class=A`, 'ev_admin'),
    );
    expect(pol.items.map((p) => labelOf(p.enterpriseId)).sort()).toEqual(['B1', 'F1', 'S1']);
    expect(pol.items[0]!.policies[0]!.value).toBe(100);
    // the list is paged by the server; the summary sums each policy over the whole list, not the page
    const polPage = json<{
      items: { enterpriseId: number; policies: { id: string }[] }[];
      total: number;
      summary: { policy: { id: string }; firms: number }[];
    }>(await call('GET', `/api/evaluation/runs/${run.id}/policies?class=A&page=2&pageSize=2`, 'ev_admin'));
    expect(polPage.total).toBe(3);
    expect(polPage.items.map((p) => p.enterpriseId)).toEqual([pol.items[2]!.enterpriseId]);
    const pairs = new Map<string, number>();
    for (const it of pol.items) for (const p of it.policies) pairs.set(p.id, (pairs.get(p.id) ?? 0) + 1);
    expect(new Map(polPage.summary.map((s) => [s.policy.id, s.firms]))).toEqual(pairs);
    const agg = json<{ items: { code: string; year: number; taxPerMu: number }[] }>(
      await call('GET', '/api/evaluation/aggregates?by=region', 'ev_admin'),
    );
    // 桐乡: only S1 counts (S2 is a utility): 500 / 50
    expect(agg.items.find((a) => a.code === Y)!.taxPerMu).toBeCloseTo(10, 9);
    expect(
      json<{ items: unknown[] }>(await call('GET', '/api/evaluation/aggregates?by=region', 'ev_tongxiang'))
        .items,
    ).toHaveLength(1);
  });

  it('the 低散乱 watch list and its handling status (audited)', async () => {
    const w = json<{ items: { enterpriseId: number; reasons: string[]; handling: unknown }[] }>(
      await call('GET', `/api/evaluation/watch?year=${YEAR}`, 'ev_nanhu'),
    );
    // 规上 < 10 万元/亩: F2 (5), F3 (−3), L2? no land; 规下 < 3: B1 (2), B3 (0), B4 (50/2.99 ≥ 3 → no)
    expect(w.items.map((i) => labelOf(i.enterpriseId)).sort()).toEqual(['B1', 'B3', 'F2', 'F3']);
    // paged by the server: the pages together are the list, in its order, with the total beside each
    const page = (n: number) =>
      call('GET', `/api/evaluation/watch?year=${YEAR}&page=${n}&pageSize=3`, 'ev_nanhu').then((r) =>
        json<{ items: { enterpriseId: number }[]; total: number; page: number }>(r),
      );
    const [p1, p2] = [await page(1), await page(2)];
    expect([p1.total, p2.total, p2.page]).toEqual([4, 4, 2]);
    expect([...p1.items, ...p2.items].map((i) => i.enterpriseId)).toEqual(w.items.map((i) => i.enterpriseId));
    const put = await call('PUT', `/api/evaluation/watch/${YEAR}/${ids.F3}`, 'ev_nanhu', {
      status: 'in_progress',
      owner: '南湖区经信局 张三',
      deadline: '2025-06-30',
      progress: '已制定提升方案',
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await audits('evaluation.watch.handle', `${YEAR}:${ids.F3}`)).length).toBe(1);
    expect(
      (await call('PUT', `/api/evaluation/watch/${YEAR}/${ids.S1}`, 'ev_nanhu', { status: 'done' }))
        .statusCode,
    ).toBe(404);
    const again = json<{ items: { enterpriseId: number; handling: { owner: string } | null }[] }>(
      await call('GET', `/api/evaluation/watch?year=${YEAR}`, 'ev_admin'),
    );
    expect(again.items.find((i) => i.enterpriseId === ids.F3)!.handling!.owner).toBe('南湖区经信局 张三');
    expect((await call('GET', `/api/evaluation/watch?year=${YEAR}`, 'ev_f2')).statusCode).toBe(403);
  });

  it('previews an edited rule set on the latest year before saving: the class changes, nothing stored', async () => {
    const sets = () =>
      call('GET', '/api/evaluation/rule-sets', 'ev_admin').then(
        (r) => json<{ items: RuleSetRow[] }>(r).items,
      );
    const before = await sets();
    const v2 = before.find((r) => r.code === 'default' && r.version === 2)!;
    const same = json<{ year: number; moverCount: number; base: { version: number } }>(
      await call('POST', `/api/evaluation/rule-sets/${v2.id}/preview`, 'ev_admin', {
        definition: v2.definition,
      }),
    );
    expect(same).toMatchObject({ year: YEAR, moverCount: 0, base: { version: 2 } });
    const edited = { ...structuredClone(v2.definition), zeroTotalIsD: false };
    const res = await call('POST', `/api/evaluation/rule-sets/${v2.id}/preview`, 'ev_admin', {
      definition: edited,
    });
    expect(res.statusCode, res.body).toBe(200);
    const p = json<{ matrix: number[][]; movers: { enterpriseId: number; from: string; to: string }[] }>(res);
    expect(p.movers.map((m) => [labelOf(m.enterpriseId), m.from, m.to])).toEqual([['B3', 'D', 'B']]);
    expect(p.matrix[3]![1]).toBe(1); // D → B
    expect((await sets()).length).toBe(before.length);
    expect(
      (await call('POST', `/api/evaluation/rule-sets/${v2.id}/preview`, 'ev_f2', { definition: edited }))
        .statusCode,
    ).toBe(403);
    const bad = structuredClone(v2.definition);
    bad.groups.above.classification.cuts = { A: 0.9, B: 0.5, C: 0.95 };
    expect(
      (await call('POST', `/api/evaluation/rule-sets/${v2.id}/preview`, 'ev_admin', { definition: bad }))
        .statusCode,
    ).toBe(400);
  });

  it('a group with blanks and zeros side by side, zero totals 40 %: hand-computed through the API', async () => {
    // (an earlier test saved an edit of version 1 as version 4: name version 2 explicitly)
    const v2 = json<{ items: RuleSetRow[] }>(
      await call('GET', '/api/evaluation/rule-sets', 'ev_admin'),
    ).items.find((r) => r.code === 'default' && r.version === 2)!;
    const res = await call('POST', '/api/evaluation/runs', 'ev_admin', { year: ZERO_YEAR, ruleSetId: v2.id });
    expect(res.statusCode, res.body).toBe(201);
    const zr = json<Run>(res);
    expect(zr.summary).toMatchObject({ evaluated: 5, classes: { A: 1, B: 2, C: 0, D: 2 } });
    const rows = (await results(zr.id, 'ev_admin')).items;
    expect(rows.map((r) => r.regionCode)).toEqual([Z, Z, Z, Z, Z]);
    for (const r of rows) {
      const exp = ZERO_EXPECTED[labelOf(r.enterpriseId)]!;
      expect(r.class, labelOf(r.enterpriseId)).toBe(exp.class);
      expect(r.total).toBeCloseTo(exp.total, 9);
      r.indicators.forEach((x, j) => expect(x.score).toBeCloseTo(exp.scores[j]!, 9));
    }
    const byLabel = new Map(rows.map((r) => [labelOf(r.enterpriseId), r]));
    // a typed 0 and a blank give identical results
    expect(byLabel.get('Z2')!.indicators).toEqual(byLabel.get('Z3')!.indicators);
    expect(byLabel.get('Z4')!.total).toBe(byLabel.get('Z5')!.total);
  });

  it('simulates two rule sets: 2× mean moves nobody; changed weights report movers and sensitivity', async () => {
    const sets = json<{ items: RuleSetRow[] }>(
      await call('GET', '/api/evaluation/rule-sets', 'ev_admin'),
    ).items;
    const id = (code: string, version = 1) => sets.find((s) => s.code === code && s.version === version)!.id;
    const same = json<{ moverCount: number; matrix: number[][] }>(
      await call(
        'GET',
        `/api/evaluation/simulate?year=${YEAR}&a=${id('default')}&b=${id('twice-mean')}`,
        'ev_admin',
      ),
    );
    expect(same.moverCount).toBe(0);
    expect(same.matrix[0]![0]).toBe(3);
    // default version 1 → 2 on the hand example: B3 (total 0) moves from B to D, nobody else moves
    const fix = json<{ moverCount: number; movers: { enterpriseId: number; from: string; to: string }[] }>(
      await call(
        'GET',
        `/api/evaluation/simulate?year=${YEAR}&a=${id('default')}&b=${id('default', 2)}`,
        'ev_admin',
      ),
    );
    expect(fix.movers.map((m) => [labelOf(m.enterpriseId), m.from, m.to])).toEqual([['B3', 'B', 'D']]);
    const res = await call(
      'GET',
      `/api/evaluation/simulate?year=${YEAR}&a=${id('default')}&b=${id('huangyan-2022')}`,
      'ev_admin',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ sensitivity: unknown[] }>(res).sensitivity).toHaveLength(8);
    expect((await call('GET', `/api/evaluation/simulate?year=${YEAR}&a=1&b=2`, 'ev_f2')).statusCode).toBe(
      403,
    );
  });
});
