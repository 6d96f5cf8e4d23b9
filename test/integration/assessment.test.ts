// The county assessment (issue 16 items 6–8) on every test database, over the small fixture with
// hand-computed values: growth from the monitoring rollups, 亩均 from a published evaluation run, the
// scores worked out below; four eyes through the API; a published assessment never changes and a
// correction is a new version with its reason; a county officer sees the ranking and its own county's
// page only; exports (xlsx, and the one-page PDF printed by Chromium); the monthly process view.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { annualInputs, auditLog, monthlyStats, targetReports } from '../../src/db/schema.ts';
import { cityConfig } from '../../src/modules/monitoring/index.ts';
import { measurementOf, setsCovering, splitOf } from '../../src/modules/targets/progress.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import type { AssessmentEdition, CountyDetail, ProcessView } from '../../src/modules/assessment/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PASSWORD, TONGXIANG, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { PRINT_PAGES, PRINT_WAITING, printLoad } from '../../src/print.ts';

const months = (y: number, f: (i: number) => number) =>
  Array.from({ length: 12 }, (_, i) => ({
    month: `${y}-${String(i + 1).padStart(2, '0')}-01`,
    outputValue: f(i),
  }));

describe.each(testDatabases())('county assessment on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookies: Record<string, string> = {};
  let v1: AssessmentEdition;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    const { nanhuTextile: a, tongxiangTextile: c } = fx.ids;
    // 南湖 textile: 2025 is 1000 + 10i per month (12,660 万元), 2024 1000 a month (12,000): growth 5.5 %.
    // 桐乡 textile: 2,400 a month against 2,000: growth 20 % (capped at the 10 % target).
    await d.db
      .insert(monthlyStats)
      .values([
        ...months(2024, () => 1000).map((m) => ({ enterpriseId: a, ...m })),
        ...months(2024, () => 2000).map((m) => ({ enterpriseId: c, ...m })),
        ...months(2025, () => 2400).map((m) => ({ enterpriseId: c, ...m })),
      ]);
    // 亩均: 南湖 3000/50 = 60 万元/亩 (below the base 100), tax 480/50 = 9.6 (below 20), R&D 0 of 11,000.
    // 桐乡 30000/100 = 300 (≥ target 200), tax 5000/100 = 50 (≥ 40), R&D 2000/50000 = 4 % (≥ 3).
    await d.db.insert(annualInputs).values({
      enterpriseId: c,
      year: 2025,
      landMu: 100,
      taxPaid: 5000,
      valueAdded: 30000,
      revenue: 50000,
      rdExpense: 2000,
      avgEmployees: 300,
    });
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    await createUser(
      d.db,
      { username: 'fx_admin2', displayName: '第二管理员', role: 'admin', password: PASSWORD },
      { id: null, username: 'fixture' },
    );
    app = await testApp(d);
    for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
    cookies.admin2 = await loginCookie(app, 'fx_admin2');
    // a published 亩均 evaluation of 2025 (four eyes: one admin submits, the other publishes)
    const run = json<{ id: number }>(await req('POST', '/api/evaluation/runs', 'admin', { year: 2025 }));
    expect((await req('POST', `/api/evaluation/runs/${run.id}/submit`, 'admin')).statusCode).toBe(200);
    const pub = await req('POST', `/api/evaluation/runs/${run.id}/publish`, 'admin2');
    expect(pub.statusCode, pub.body).toBe(200);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const req = (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie: cookies[who]! }, payload: payload as never });
  const audits = (action: string, id: number) =>
    d.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(id))));

  it('the analyst drafts 2025: hand-computed scores, ranks within the size tier, sensitivity', async () => {
    const res = await req('POST', '/api/assessment/editions', 'analyst', { year: 2025 });
    expect(res.statusCode, res.body).toBe(201);
    v1 = json<AssessmentEdition>(res);
    expect(v1.status).toBe('draft');
    expect(v1.throughMonth).toBe(12);
    const nanhu = v1.ranking.find((r) => r.regionCode === NANHU)!;
    const tongxiang = v1.ranking.find((r) => r.regionCode === TONGXIANG)!;
    // 南湖: 质量 (0.55 + 0)/2 = 27.5 % × 20 = 5.5; 效率 0; 动力 0 (R&D 0 %, investment missing); 工作 0 → 5.5
    expect(nanhu.dimensions.map((x) => x.score)).toEqual([27.5, 0, 0, 0].map((x) => expect.closeTo(x, 9)));
    expect(nanhu.total).toBeCloseTo(5.5, 9);
    // 桐乡: 质量 (1 + 0)/2 = 50 % → 10; 效率 100 % → 20; 动力 (1 + 0)/2 → 10; 工作 0 → 40
    expect(tongxiang.total).toBeCloseTo(40, 9);
    // both below 500 亿元 last year: one tier; 桐乡 first, 南湖 second, the counties without data share 3rd
    expect(tongxiang.tier).toBe('<500');
    expect([tongxiang.rank, nanhu.rank]).toEqual([1, 2]);
    expect(v1.ranking.filter((r) => r.rank === 3).length).toBe(v1.ranking.length - 2);
    // 先进单位 needs ≥ 60 points: none here
    expect(v1.ranking.some((r) => r.advanced)).toBe(false);
    expect(v1.sensitivity).toHaveLength(8);
    expect(
      v1.sensitivity.every((s) => Object.values(s.weights).reduce((x, y) => x + y, 0) - 100 < 1e-9),
    ).toBe(true);
    expect(tongxiang.sensitivity).toEqual({ best: 1, worst: 1 });
    expect((await audits('definition.create', v1.id)).length).toBe(1);
  });

  it('the county page shows where every point came from', async () => {
    const res = await req('GET', `/api/assessment/editions/${v1.id}/counties/${NANHU}`, 'admin');
    expect(res.statusCode, res.body).toBe(200);
    const p = json<CountyDetail>(res);
    const growth = p.county.indicators.find((i) => i.key === 'cluster_output_growth')!;
    expect(growth.value).toBeCloseTo(5.5, 9);
    expect([growth.base, growth.target, growth.weight]).toEqual([0, 10, 10]);
    expect(growth.share).toBeCloseTo(0.55, 9);
    expect(growth.points).toBeCloseTo(5.5, 9);
    expect(growth.provenance.inputs).toEqual({
      '2025年1–12月（万元）': 12660,
      '2024年1–12月（万元）': 12000,
    });
    expect(growth.provenance.source).toContain('月度监测');
    const vaMu = p.county.indicators.find((i) => i.key === 'value_added_per_mu')!;
    expect(vaMu.value).toBeCloseTo(60, 9);
    expect(vaMu.provenance.refs[0]).toMatch(/^亩均评价 #\d+（第 1 版，已发布）$/);
    const inv = p.county.indicators.find((i) => i.key === 'investment_growth')!;
    expect(inv.value).toBeNull();
    expect(inv.missing).toBe('上年同期无项目投资填报');
    expect(p.county.indicators.reduce((a, i) => a + i.points, 0)).toBeCloseTo(p.county.total, 9);
  });

  it('adjustments and a veto: 加扣分 move the total, 一票否决 ranks last', async () => {
    const res = await req('PUT', `/api/assessment/editions/${v1.id}`, 'analyst', {
      adjustments: [
        { regionCode: NANHU, kind: 'bonus', points: 2, reason: '获评省级示范' },
        {
          regionCode: TONGXIANG,
          kind: 'veto',
          points: 0,
          reason: '未完成节能减排任务',
          item: 'energy_saving_missed',
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    v1 = json<AssessmentEdition>(res);
    const nanhu = v1.ranking.find((r) => r.regionCode === NANHU)!;
    const tongxiang = v1.ranking.find((r) => r.regionCode === TONGXIANG)!;
    expect(nanhu.total).toBeCloseTo(7.5, 9);
    expect(nanhu.rank).toBe(1);
    expect(tongxiang.vetoed).toBe(true);
    expect(tongxiang.rank).toBe(v1.ranking.length);
    // undo the veto for the rest of the suite, keep the bonus
    v1 = json<AssessmentEdition>(
      await req('PUT', `/api/assessment/editions/${v1.id}`, 'analyst', {
        adjustments: [{ regionCode: NANHU, kind: 'bonus', points: 2, reason: '获评省级示范' }],
      }),
    );
    expect((await audits('definition.edit', v1.id)).length).toBe(2);
  });

  it('drafts are hidden from readers; publishing takes a second person', async () => {
    expect((await req('GET', `/api/assessment/editions/${v1.id}`, 'nanhu')).statusCode).toBe(404);
    expect(
      (await req('POST', `/api/assessment/editions/${v1.id}/transition`, 'analyst', { action: 'submit' }))
        .statusCode,
    ).toBe(200);
    // the analyst may not review or publish at all; the admin (who neither drafted nor submitted) may
    expect(
      (await req('POST', `/api/assessment/editions/${v1.id}/transition`, 'analyst', { action: 'review' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await req('POST', `/api/assessment/editions/${v1.id}/transition`, 'admin', { action: 'review' }))
        .statusCode,
    ).toBe(200);
    const pub = await req('POST', `/api/assessment/editions/${v1.id}/transition`, 'admin', {
      action: 'publish',
    });
    expect(pub.statusCode, pub.body).toBe(200);
    v1 = json<AssessmentEdition>(pub);
    expect(v1.status).toBe('published');
    expect((await audits('definition.publish', v1.id)).length).toBe(1);
    // an admin who drafts and submits a correction cannot review it
    const bad = await req('POST', '/api/assessment/editions', 'admin', { year: 2025 });
    expect(bad.statusCode).toBe(400); // a correction needs its reason
    const v2 = json<AssessmentEdition>(
      await req('POST', '/api/assessment/editions', 'admin', { year: 2025, reason: '补录桐乡数据' }),
    );
    expect(v2.version).toBe(2);
    expect(
      (await req('POST', `/api/assessment/editions/${v2.id}/transition`, 'admin', { action: 'submit' }))
        .statusCode,
    ).toBe(200);
    const self = await req('POST', `/api/assessment/editions/${v2.id}/transition`, 'admin', {
      action: 'review',
    });
    expect(self.statusCode).toBe(403);
    expect(self.body).toContain('第二人');
    await req('POST', `/api/assessment/editions/${v2.id}/transition`, 'admin', { action: 'withdraw' });
  });

  it('a published assessment never changes: no edit, no recompute, and new data leave it as it was', async () => {
    expect(
      (await req('PUT', `/api/assessment/editions/${v1.id}`, 'analyst', { adjustments: [] })).statusCode,
    ).toBe(409);
    expect((await req('POST', `/api/assessment/editions/${v1.id}/recompute`, 'analyst')).statusCode).toBe(
      409,
    );
    // 南湖 output of 2025 doubles in the data …
    await d.db
      .update(monthlyStats)
      .set({ outputValue: 2000 })
      .where(and(eq(monthlyStats.enterpriseId, fx.ids.nanhuTextile), eq(monthlyStats.month, '2025-06-01')));
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    const again = json<AssessmentEdition>(await req('GET', `/api/assessment/editions/${v1.id}`, 'admin'));
    expect(again.ranking).toEqual(v1.ranking);
    // … and a correction, a new version with its reason, reads it: 12,660 − 1,050 + 2,000 = 13,610 → 13.4 %, capped
    const v3 = json<AssessmentEdition>(
      await req('POST', '/api/assessment/editions', 'analyst', { year: 2025, reason: '南湖6月产值更正' }),
    );
    expect(v3.version).toBe(3);
    expect(v3.reason).toBe('南湖6月产值更正');
    expect(v3.ranking.find((r) => r.regionCode === NANHU)!.dimensions[0]!.score).toBeCloseTo(50, 9);
    expect(v3.adjustments).toEqual(v1.adjustments); // the 加扣分 carried over from the edition in force
  });

  it('a county officer sees the ranking and its own county’s page only; the agency the ranking only', async () => {
    const list = await req('GET', '/api/assessment/editions', 'nanhu');
    expect(list.json().items.map((e: { id: number }) => e.id)).toEqual([v1.id]);
    const e = json<AssessmentEdition>(await req('GET', `/api/assessment/editions/${v1.id}`, 'nanhu'));
    expect(e.ranking.length).toBeGreaterThan(2);
    expect(e.ranking.filter((r) => r.detail).map((r) => r.regionCode)).toEqual([NANHU]);
    expect(e.adjustments).toEqual([]);
    expect(JSON.stringify(e)).not.toContain('provenance');
    expect(
      (await req('GET', `/api/assessment/editions/${v1.id}/counties/${NANHU}`, 'nanhu')).statusCode,
    ).toBe(200);
    const other = await req('GET', `/api/assessment/editions/${v1.id}/counties/${TONGXIANG}`, 'nanhu');
    expect(other.statusCode).toBe(404);
    expect((await req('GET', `/api/assessment/editions/${v1.id}`, 'textileAgency')).statusCode).toBe(200);
    expect(
      (await req('GET', `/api/assessment/editions/${v1.id}/counties/${NANHU}`, 'textileAgency')).statusCode,
    ).toBe(403);
    expect((await req('GET', `/api/assessment/editions/${v1.id}`, 'enterprise')).statusCode).toBe(403);
  });

  it('exports the table as xlsx (a county gets its own indicator rows) and a county page as PDF', async () => {
    const load = async (who: string) => {
      const res = await req('GET', `/api/assessment/editions/${v1.id}/export.xlsx`, who);
      expect(res.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      return wb;
    };
    const city = await load('admin');
    const rank = city.getWorksheet('考核排名')!;
    expect(rank.rowCount).toBe(v1.ranking.length + 1);
    const tx = v1.ranking.find((r) => r.regionCode === TONGXIANG)!;
    const row = rank.getRows(2, rank.rowCount - 1)!.find((r) => r.getCell(2).value === TONGXIANG)!;
    expect(row.getCell(9).value).toBeCloseTo(tx.total, 2);
    const county = await load('nanhu');
    const names = new Set(
      county
        .getWorksheet('指标明细')!
        .getRows(2, 100)!
        .map((r) => r.getCell(1).value)
        .filter(Boolean),
    );
    expect([...names]).toEqual(['南湖区']);
    const pdf = await req('GET', `/api/assessment/editions/${v1.id}/counties/${NANHU}/report.pdf`, 'nanhu');
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // one page: a single page object in the document
    expect(pdf.rawPayload.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)).toHaveLength(1);
    expect(
      (await req('GET', `/api/assessment/editions/${v1.id}/counties/${TONGXIANG}/report.pdf`, 'nanhu'))
        .statusCode,
    ).toBe(404);
  }, 60_000);

  it('county PDFs asked at once share one browser: at most its pages print, the queue waits, the rest get 503', async () => {
    // each report once launched a browser of its own: 20 at once ran 225 Chromium processes
    const url = `/api/assessment/editions/${v1.id}/counties/${NANHU}/report.pdf`;
    let browsers = 0;
    let most = 0;
    const sample = setInterval(() => {
      most = Math.max(most, printLoad().active);
      // the Chromium processes this test process started itself (each browser is one such child)
      const ps = spawnSync('ps', ['-o', 'comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
      browsers = Math.max(browsers, ps.stdout.split('\n').filter((c) => /chrom/i.test(c)).length);
    }, 50);
    const asked = PRINT_PAGES + PRINT_WAITING + 6;
    const answers = await Promise.all(Array.from({ length: asked }, () => req('GET', url, 'nanhu')));
    clearInterval(sample);
    const ok = answers.filter((a) => a.statusCode === 200);
    const busy = answers.filter((a) => a.statusCode === 503);
    expect(ok.length + busy.length).toBe(asked);
    // everything the printer took (its pages and its queue) printed; only the ones past it were refused
    expect(ok.length).toBeGreaterThanOrEqual(PRINT_PAGES + PRINT_WAITING);
    for (const a of ok) expect(a.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    for (const b of busy) {
      expect(b.json()).toMatchObject({
        type: expect.stringContaining('printer-busy'),
        detailZh: expect.stringContaining('PDF 打印繁忙'),
      });
      expect(b.headers['retry-after']).toBe('5');
    }
    expect(most).toBeLessThanOrEqual(PRINT_PAGES);
    expect(browsers).toBeLessThanOrEqual(1);
    expect(printLoad()).toEqual({ active: 0, waiting: 0 });
    // and the printer still prints
    expect((await req('GET', url, 'nanhu')).statusCode).toBe(200);
  }, 120_000);

  it('the monthly process view: 1–N月 process indicators and 红黑榜', async () => {
    const res = await req('GET', '/api/assessment/process?year=2025&month=6', 'nanhu');
    expect(res.statusCode, res.body).toBe(200);
    const p = json<ProcessView>(res);
    expect(p.month).toBe(6);
    expect(p.indicators.map((i) => i.key)).toContain('cluster_output_growth');
    // 1–6月: 南湖 6,150 + 950 (June corrected to 2,000) = 7,100 against 6,000 → 18.33 %; 桐乡 20 %
    const g = Object.fromEntries(p.counties.map((c) => [c.regionCode, c.values.cluster_output_growth]));
    expect(g[NANHU]).toBeCloseTo((7100 / 6000 - 1) * 100, 3);
    expect(g[TONGXIANG]).toBeCloseTo(20, 9);
    const list = p.redBlack.find((l) => l.indicator === 'cluster_output_growth')!;
    expect(list.red.map((x) => x.regionCode)).toEqual([TONGXIANG, NANHU]);
    expect(list.black).toEqual([]); // both met the 10 % target
  });

  it('an approved reported value changes the county’s score (填报目标按期完成率 from the targets capability)', async () => {
    const e = json<AssessmentEdition>(await req('GET', `/api/assessment/editions/${v1.id}`, 'admin'));
    const before = json<CountyDetail>(
      await req('GET', `/api/assessment/editions/${v1.id}/counties/${NANHU}`, 'admin'),
    );
    const line = before.county.indicators.find((i) => i.key === 'reported_targets_done')!;
    // due reported values exist and none is approved: 0 %, below the base 60 %
    expect(line.value).toBe(0);
    expect(Number(line.provenance.inputs['应填报'])).toBeGreaterThan(0);
    // 南湖 reports every due value on time and the city approves them (the review's outcome, as stored)
    const config = await cityConfig();
    const due = setsCovering(config.targetSets, 2025).flatMap((set) =>
      set.targets
        .filter(
          (x) =>
            measurementOf(x) === 'reported' &&
            splitOf(x) !== 'none' &&
            Number(x.deadline.slice(0, 4)) >= 2025,
        )
        .map((x) => ({ setCode: set.code, targetCode: x.code })),
    );
    expect(due.length).toBe(Number(line.provenance.inputs['应填报']));
    await d.db.insert(targetReports).values(
      due.map((x) => ({
        ...x,
        regionCode: NANHU,
        year: 2025,
        value: 1,
        status: 'approved',
        dueOn: '2026-01-31',
        firstSubmittedAt: new Date('2026-01-20T02:00:00Z'),
        submittedAt: new Date('2026-01-20T02:00:00Z'),
        reviewedAt: new Date('2026-01-25T02:00:00Z'),
        reviewedByName: 'fx_admin',
      })),
    );
    // the published assessment keeps its score; a correction reads the approved values: 100 % → full 10 points
    // (工作评价's 40 over its four indicators)
    const published = json<CountyDetail>(
      await req('GET', `/api/assessment/editions/${v1.id}/counties/${NANHU}`, 'admin'),
    );
    expect(published.county.total).toBeCloseTo(before.county.total, 9);
    const list = json<{ items: { id: number; status: string }[] }>(
      await req('GET', '/api/assessment/editions', 'analyst'),
    );
    const draft = list.items.find((x) => x.status === 'draft')!;
    const r = await req('POST', `/api/assessment/editions/${draft.id}/recompute`, 'analyst');
    expect(r.statusCode, r.body).toBe(200);
    expect((await audits('assessment.recompute', draft.id)).length).toBe(1);
    const after = json<CountyDetail>(
      await req('GET', `/api/assessment/editions/${draft.id}/counties/${NANHU}`, 'admin'),
    );
    const done = after.county.indicators.find((i) => i.key === 'reported_targets_done')!;
    expect(done.value).toBe(100);
    expect(done.points).toBeCloseTo(10, 9);
    // the same approved values against 南湖's county goals: each min(1 ÷ goal, 1), averaged
    const prog = after.county.indicators.find((i) => i.key === 'reported_targets_progress')!;
    const was = before.county.indicators.find((i) => i.key === 'reported_targets_progress')!;
    expect(was.value).toBe(0);
    expect(prog.value).toBeGreaterThan(0);
    expect(prog.provenance.inputs['已通过']).toBe(prog.provenance.inputs['县级目标数']);
    expect(prog.points).toBeCloseTo((prog.value! / 100) * 10, 9);
    // v3 (the draft) had 南湖 at 10 (质量 50 % × 20) + 2 (加分); now 10 + the progress points more
    expect(after.county.total).toBeCloseTo(12 + 10 + prog.points, 9);
    expect(e.ranking.find((x) => x.regionCode === NANHU)!.total).toBeCloseTo(before.county.total, 9);
  });
});
