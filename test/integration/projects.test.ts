// Project library and major-project tracking (issue 7) on every test database: scope, stage rules,
// delay rules through the API, monthly reports, risks, growth against a direct SQL sum, the
// spreadsheet import, exports, and an audit row for every write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { auditLog, projectStageChanges, projects } from '../../src/db/schema.ts';
import { generateDemoProjects } from '../../src/modules/projects/demo.ts';
import { loadChains } from '../../src/modules/chains/index.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PINGHU, seedFixture, TONGXIANG, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { cityToday, isCodeConflict, withCodeRetry } from '../../src/modules/projects/service.ts';
import { AppError } from '../../src/server/errors.ts';
import { addMonths } from '../../src/domain/periods.ts';
import { MAX_DOCUMENT_BYTES } from '../../src/modules/projects/schemas.ts';
import { DIGEST_TTL_MS } from '../../src/modules/projects/answers.ts';
import type {
  Growth,
  ImportResult,
  Kanban,
  ProjectDetail,
  ProjectList,
  CountySummary,
  Gantt,
} from '../../src/modules/projects/schemas.ts';

const dayOffset = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe.each(testDatabases())('projects API on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookies: Record<string, string> = {};
  const today = cityToday();
  const thisMonth = today.slice(0, 7);
  const year = Number(today.slice(0, 4));

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    // projects link to the chain nodes of the chains capability (loaded from config, as at migrate)
    await loadChains(d.db, await loadCityConfig(resolveCityDir()));
    fx = await seedFixture(d);
    app = await testApp(d);
    for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const req = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    who: string,
    payload?: unknown,
  ) => app.inject({ method, url, headers: { cookie: cookies[who]! }, payload: payload as never });
  const auditRows = (action: string, entityId?: string | number) =>
    d.db
      .select()
      .from(auditLog)
      .where(
        entityId == null
          ? eq(auditLog.action, action)
          : and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))),
      );

  const base = {
    kind: 'investment',
    investorName: '示例新材料（嘉兴）有限公司',
    plannedTotalInvestment: 12_000,
    plannedFixedInvestment: 10_000,
    priority: 'high',
    likelihood: 'medium',
  };
  const create = async (who: string, body: Record<string, unknown>) => {
    const res = await req('POST', '/api/projects', who, { ...base, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return json<ProjectDetail>(res);
  };

  let nanhuProject: ProjectDetail;

  it('registers a project in the officer’s own county, audited, and refuses another county', async () => {
    nanhuProject = await create('nanhu', {
      name: '年产10万吨差别化纤维项目',
      regionCode: NANHU,
      clusterCode: 'textile',
      chainNodeId: 'polyester',
      stage: 'signed',
      plannedDates: {
        land: dayOffset(today, 30),
        started: dayOffset(today, 90),
        completed: dayOffset(today, 450),
      },
      actualDates: { signed: dayOffset(today, -20) },
    });
    expect(nanhuProject.code).toMatch(new RegExp(`^XM-${NANHU}-${year}-0001$`));
    expect(nanhuProject.chainNodeName).toBeTruthy();
    expect(nanhuProject.canEdit).toBe(true);
    expect(nanhuProject.canSkip).toBe(false);
    expect(nanhuProject.stages.find((s) => s.stage === 'signed')?.actualDate).toBe(dayOffset(today, -20));
    expect(await auditRows('project.create', nanhuProject.id)).toHaveLength(1);

    const refused = await req('POST', '/api/projects', 'tongxiang', {
      ...base,
      name: '越权项目',
      regionCode: NANHU,
    });
    expect(refused.statusCode).toBe(403);
    const analyst = await req('POST', '/api/projects', 'analyst', {
      ...base,
      name: '分析员项目',
      regionCode: NANHU,
    });
    expect(analyst.statusCode).toBe(403);
    const badNode = await req('POST', '/api/projects', 'nanhu', {
      ...base,
      name: '错误环节项目',
      regionCode: NANHU,
      clusterCode: 'textile',
      chainNodeId: 'no_such_node',
    });
    expect(badNode.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(badNode).errors.map((e) => e.field)).toContain(
      'chainNodeId',
    );
  });

  it('scopes reads: the other county sees nothing, city roles see all, a firm its own investments', async () => {
    expect((await req('GET', `/api/projects/${nanhuProject.id}`, 'tongxiang')).statusCode).toBe(404);
    expect((await req('GET', `/api/projects/${nanhuProject.id}`, 'analyst')).statusCode).toBe(200);
    expect(json<ProjectDetail>(await req('GET', `/api/projects/${nanhuProject.id}`, 'analyst')).canEdit).toBe(
      false,
    );
    expect((await req('GET', `/api/projects/${nanhuProject.id}`, 'textileAgency')).statusCode).toBe(200);
    expect((await req('GET', `/api/projects/${nanhuProject.id}`, 'enterprise')).statusCode).toBe(404);
    // the auditor has no project rights at all: refused by the policy before any lookup
    expect((await req('GET', `/api/projects/${nanhuProject.id}`, 'auditor')).statusCode).toBe(403);
    const upgrade = await create('admin', {
      name: '示例纺织智能化技改项目',
      kind: 'upgrade',
      regionCode: NANHU,
      clusterCode: 'textile',
      investorEnterpriseId: fx.ids.nanhuTextile,
      stage: 'started',
    });
    expect((await req('GET', `/api/projects/${upgrade.id}`, 'enterprise')).statusCode).toBe(200);
    const mine = json<ProjectList>(await req('GET', '/api/projects', 'enterprise'));
    expect(mine.items.map((p) => p.id)).toEqual([upgrade.id]);
    const tx = json<ProjectList>(await req('GET', '/api/projects', 'tongxiang'));
    expect(tx.total).toBe(0);
    // The other county may not write either: 404, revealing nothing.
    expect(
      (await req('PATCH', `/api/projects/${nanhuProject.id}`, 'tongxiang', { owner: '某人' })).statusCode,
    ).toBe(404);
    expect(
      (await req('PATCH', `/api/projects/${nanhuProject.id}`, 'analyst', { owner: '某人' })).statusCode,
    ).toBe(403);
  });

  it('edits a project, audited with before and after', async () => {
    const res = await req('PATCH', `/api/projects/${nanhuProject.id}`, 'nanhu', {
      owner: '张三',
      department: '南湖区经信局',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<ProjectDetail>(res).owner).toBe('张三');
    const [row] = await auditRows('project.update', nanhuProject.id);
    expect(row?.before).toMatchObject({ owner: null });
    expect(row?.after).toMatchObject({ owner: '张三' });
    expect(
      (await req('PATCH', `/api/projects/${nanhuProject.id}`, 'nanhu', { regionCode: TONGXIANG })).statusCode,
    ).toBe(403);
  });

  it('applies the stage rules: one step forward, skips only for the permitted with a reason, never back', async () => {
    const id = nanhuProject.id;
    const step = await req('POST', `/api/projects/${id}/transitions`, 'nanhu', {
      action: 'advance',
      to: 'land',
      evidence: [{ title: '国有建设用地使用权出让合同' }],
    });
    expect(step.statusCode, step.body).toBe(200);
    const p = json<ProjectDetail>(step);
    expect(p.stage).toBe('land');
    expect(p.stages.find((s) => s.stage === 'land')).toMatchObject({
      actualDate: today,
      evidence: [{ title: '国有建设用地使用权出让合同' }],
    });
    expect(await auditRows('project.stage.advance', id)).toHaveLength(1);

    const skipByCounty = await req('POST', `/api/projects/${id}/transitions`, 'nanhu', {
      action: 'advance',
      to: 'completed',
      reason: '利用既有厂房直接竣工',
    });
    expect(skipByCounty.statusCode).toBe(403);
    const skipNoReason = await req('POST', `/api/projects/${id}/transitions`, 'admin', {
      action: 'advance',
      to: 'completed',
    });
    expect(skipNoReason.statusCode).toBe(400);
    const back = await req('POST', `/api/projects/${id}/transitions`, 'admin', {
      action: 'advance',
      to: 'signed',
    });
    expect(back.statusCode).toBe(409);

    const skip = await req('POST', `/api/projects/${id}/transitions`, 'admin', {
      action: 'advance',
      to: 'completed',
      reason: '收购既有厂房改造，开工与竣工同月',
    });
    expect(skip.statusCode, skip.body).toBe(200);
    const skipped = json<ProjectDetail>(skip);
    expect(skipped.stage).toBe('completed');
    expect(skipped.changes.at(-1)).toMatchObject({
      fromStage: 'land',
      toStage: 'completed',
      skipped: ['started'],
      reason: '收购既有厂房改造，开工与竣工同月',
      username: 'fx_admin',
    });
    const [audit] = await auditRows('project.stage.skip', id);
    expect(audit?.after).toMatchObject({ skipped: ['started'], reason: '收购既有厂房改造，开工与竣工同月' });
    const changes = await d.db
      .select()
      .from(projectStageChanges)
      .where(eq(projectStageChanges.projectId, id));
    expect(changes).toHaveLength(2);

    const pause = await req('POST', `/api/projects/${id}/transitions`, 'nanhu', {
      action: 'pause',
      reason: '投资方资金暂未到位',
    });
    expect(pause.statusCode).toBe(200);
    expect(json<ProjectDetail>(pause)).toMatchObject({ status: 'paused', stalled: true });
    expect(await auditRows('project.stage.pause', id)).toHaveLength(1);
    const resume = await req('POST', `/api/projects/${id}/transitions`, 'nanhu', { action: 'resume' });
    expect(json<ProjectDetail>(resume).status).toBe('active');
    expect(await auditRows('project.stage.resume', id)).toHaveLength(1);
  });

  it('sets stage dates and evidence, audited; a stage not reached has no actual date', async () => {
    const id = nanhuProject.id;
    const ok = await req('PUT', `/api/projects/${id}/stages/production`, 'nanhu', {
      plannedDate: dayOffset(today, 200),
      note: '设备进场',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json<ProjectDetail>(ok).stages.find((s) => s.stage === 'production')).toMatchObject({
      plannedDate: dayOffset(today, 200),
      note: '设备进场',
    });
    expect(await auditRows('project.stage.update', id)).toHaveLength(1);
    const bad = await req('PUT', `/api/projects/${id}/stages/production`, 'nanhu', { actualDate: today });
    expect(bad.statusCode).toBe(400);
    const evidence = await req('PUT', `/api/projects/${id}/stages/completed`, 'nanhu', {
      evidence: [{ title: '竣工验收备案表', url: 'https://example.org/a.pdf' }],
    });
    expect(json<ProjectDetail>(evidence).stages.find((s) => s.stage === 'completed')?.evidence).toEqual([
      { title: '竣工验收备案表', url: 'https://example.org/a.pdf' },
    ]);
  });

  it('edits details with per-field problems: fixed > total, a zone outside the county, a node without cluster', async () => {
    const id = nanhuProject.id;
    const zones = json<{ code: string; hostRegionCode: string }[]>(await req('GET', '/api/zones', 'nanhu'));
    const nanhuZone = zones.find((z) => z.hostRegionCode === NANHU)!;
    const otherZone = zones.find((z) => z.hostRegionCode !== NANHU)!;
    const fieldsOf = (res: { body: string }) =>
      json<{ errors: { field: string; messageZh?: string }[] }>(res as never).errors.map((e) => e.field);

    const tooMuch = await req('PATCH', `/api/projects/${id}`, 'nanhu', { plannedFixedInvestment: 99_999 });
    expect(tooMuch.statusCode).toBe(400);
    expect(fieldsOf(tooMuch)).toEqual(['plannedFixedInvestment']);
    const badZone = await req('PATCH', `/api/projects/${id}`, 'nanhu', { zoneCode: otherZone.code });
    expect(badZone.statusCode).toBe(400);
    expect(fieldsOf(badZone)).toEqual(['zoneCode']);
    const noCluster = await req('PATCH', `/api/projects/${id}`, 'nanhu', { clusterCode: null });
    expect(noCluster.statusCode).toBe(400);
    expect(fieldsOf(noCluster)).toEqual(['chainNodeId']);
    const invalid = await req('PATCH', `/api/projects/${id}`, 'nanhu', { name: 'x', expectedJobs: -1 });
    expect(invalid.statusCode).toBe(400);
    expect(fieldsOf(invalid).sort()).toEqual(['expectedJobs', 'name']);
    // nothing of the refused edits was written
    const unchanged = json<ProjectDetail>(await req('GET', `/api/projects/${id}`, 'nanhu'));
    expect(unchanged).toMatchObject({
      plannedFixedInvestment: 10_000,
      zoneCode: null,
      clusterCode: 'textile',
    });

    const ok = await req('PATCH', `/api/projects/${id}`, 'nanhu', {
      zoneCode: nanhuZone.code,
      plannedTotalInvestment: 15_000,
      expectedJobs: 120,
      description: '  年产10万吨差别化纤维  ',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json<ProjectDetail>(ok)).toMatchObject({
      zoneCode: nanhuZone.code,
      plannedTotalInvestment: 15_000,
      expectedJobs: 120,
      description: '年产10万吨差别化纤维',
    });
    const audits = await auditRows('project.update', id);
    expect(audits.at(-1)?.after).toMatchObject({ zoneCode: nanhuZone.code, plannedTotalInvestment: 15_000 });
    // an administrator moving the project must also move it out of the old county's zone
    const moved = await req('PATCH', `/api/projects/${id}`, 'admin', { regionCode: TONGXIANG });
    expect(moved.statusCode).toBe(400);
    expect(fieldsOf(moved)).toEqual(['zoneCode']);
    expect(json<ProjectDetail>(await req('GET', `/api/projects/${id}`, 'nanhu')).regionCode).toBe(NANHU);

    // the form's chain node choices come from the city's chains
    const nodes = json<{ items: { clusterCode: string; id: string; name: string }[] }>(
      await req('GET', '/api/projects/chain-nodes', 'nanhu'),
    );
    expect(nodes.items.some((n) => n.clusterCode === 'textile' && n.id === 'polyester')).toBe(true);
  });

  it('allocates distinct project codes to simultaneous registrations, and a lost code race is a 409', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        req('POST', '/api/projects', 'nanhu', { ...base, name: `并发登记示例项目${i}`, regionCode: NANHU }),
      ),
    );
    for (const r of results) expect(r.statusCode, r.body).toBe(201);
    const codes = results.map((r) => json<ProjectDetail>(r).code);
    expect(new Set(codes).size).toBe(6);
    for (const code of codes) expect(code).toMatch(new RegExp(`^XM-${NANHU}-${year}-\\d{4}$`));

    // the database's own duplicate error is recognised (drizzle wraps the driver's error) …
    const [row] = await d.db.select().from(projects).where(eq(projects.code, codes[0]!));
    const { id: _id, ...copy } = row!;
    const duplicate = await d.db
      .insert(projects)
      .values(copy)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(duplicate).not.toBeNull();
    expect(isCodeConflict(duplicate)).toBe(true);
    expect(isCodeConflict(new Error('boom'))).toBe(false);
    // … retried, and when every attempt loses, answered as a 409 problem naming the field
    let tries = 0;
    const lost = await withCodeRetry(async () => {
      tries++;
      throw duplicate;
    }, 3).then(
      () => null,
      (e: unknown) => e,
    );
    expect(tries).toBe(3);
    expect(lost).toBeInstanceOf(AppError);
    expect(lost).toMatchObject({ status: 409, errors: [{ field: 'code' }] });
    let second = 0;
    expect(
      await withCodeRetry(async () => {
        if (second++ === 0) throw duplicate;
        return 'ok';
      }),
    ).toBe('ok');
  });

  it('attaches evidence files to a stage: stored, downloadable within scope, limited, audited, removable', async () => {
    const id = nanhuProject.id;
    const pdf = Buffer.from('%PDF-1.4\n% 竣工验收备案表\n%%EOF\n');
    const up = await req('POST', `/api/projects/${id}/stages/completed/documents`, 'nanhu', {
      fileName: 'C:\\scans\\竣工验收备案表.pdf',
      contentBase64: pdf.toString('base64'),
      note: '盖章扫描件',
    });
    expect(up.statusCode, up.body).toBe(200);
    const evidence = json<ProjectDetail>(up).stages.find((s) => s.stage === 'completed')!.evidence;
    const entry = evidence.at(-1)!;
    expect(entry).toMatchObject({ title: '竣工验收备案表.pdf', note: '盖章扫描件' });
    expect(evidence[0]).toMatchObject({ title: '竣工验收备案表', url: 'https://example.org/a.pdf' });
    const docId = entry.documentId!;
    const [audit] = await auditRows('project.document.upload', docId);
    expect(audit?.after).toMatchObject({
      projectId: id,
      stage: 'completed',
      fileName: '竣工验收备案表.pdf',
      sizeBytes: pdf.length,
      contentType: 'application/pdf',
    });

    const down = await req('GET', `/api/projects/${id}/documents/${docId}`, 'analyst');
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(down.headers['content-disposition']).toContain('attachment');
    expect(down.headers['content-disposition']).toContain(encodeURIComponent('竣工验收备案表.pdf'));
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(down.rawPayload, pdf)).toBe(0);
    // outside the scope, or under another project, it does not exist: the very answer of a file that is not
    // there (status and body), whoever asks
    const absent = await req('GET', `/api/projects/${id}/documents/${docId + 1000}`, 'nanhu');
    expect(absent.statusCode).toBe(404);
    for (const who of ['tongxiang', 'enterprise']) {
      const refused = await req('GET', `/api/projects/${id}/documents/${docId}`, who);
      expect([refused.statusCode, refused.body]).toEqual([404, absent.body]);
    }
    const other = await create('nanhu', { name: '另一个示例项目', regionCode: NANHU });
    const elsewhere = await req('GET', `/api/projects/${other.id}/documents/${docId}`, 'nanhu');
    expect([elsewhere.statusCode, elsewhere.body]).toEqual([404, absent.body]);
    // a project moved to another county (SQL by hand): refused to the old county and downloadable by the
    // new one within the projects' digest time (the kept ids of each scope follow the projects' version)
    await d.db.execute(sql`update projects set region_code = ${TONGXIANG} where id = ${id}`);
    await new Promise((r) => setTimeout(r, DIGEST_TTL_MS + 50));
    const moved = await req('GET', `/api/projects/${id}/documents/${docId}`, 'nanhu');
    expect([moved.statusCode, moved.body]).toEqual([404, absent.body]);
    expect((await req('GET', `/api/projects/${id}/documents/${docId}`, 'tongxiang')).statusCode).toBe(200);
    await d.db.execute(sql`update projects set region_code = ${NANHU} where id = ${id}`);
    await new Promise((r) => setTimeout(r, DIGEST_TTL_MS + 50));
    expect((await req('GET', `/api/projects/${id}/documents/${docId}`, 'nanhu')).statusCode).toBe(200);

    // only the project's editors upload; types and size are limited; the content must be base64
    const upload = (who: string, body: Record<string, unknown>) =>
      req('POST', `/api/projects/${id}/stages/completed/documents`, who, body);
    expect((await upload('analyst', { fileName: 'a.pdf', contentBase64: 'JVBERg==' })).statusCode).toBe(403);
    expect((await upload('tongxiang', { fileName: 'a.pdf', contentBase64: 'JVBERg==' })).statusCode).toBe(
      404,
    );
    const html = await upload('nanhu', { fileName: 'x.html', contentBase64: 'PGh0bWw+' });
    expect(html.statusCode).toBe(415);
    expect(json<{ errors: { field: string }[] }>(html).errors[0]?.field).toBe('fileName');
    expect((await upload('nanhu', { fileName: 'a.pdf', contentBase64: '***' })).statusCode).toBe(400);
    const big = Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 1).toString('base64');
    expect((await upload('nanhu', { fileName: 'big.pdf', contentBase64: big })).statusCode).toBe(413);
    expect(await auditRows('project.document.upload')).toHaveLength(1);

    // an evidence list may not point at another project's or stage's file
    const foreign = await req('PUT', `/api/projects/${other.id}/stages/signed`, 'nanhu', {
      evidence: [{ title: '借用', documentId: docId }],
    });
    expect(foreign.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(foreign).errors[0]?.field).toBe('evidence');
    const keep = await req('PUT', `/api/projects/${id}/stages/completed`, 'nanhu', { evidence });
    expect(keep.statusCode, keep.body).toBe(200);

    expect((await req('DELETE', `/api/projects/${id}/documents/${docId}`, 'analyst')).statusCode).toBe(403);
    const del = await req('DELETE', `/api/projects/${id}/documents/${docId}`, 'nanhu');
    expect(del.statusCode, del.body).toBe(200);
    expect(
      json<ProjectDetail>(del)
        .stages.find((s) => s.stage === 'completed')!
        .evidence.map((e) => e.title),
    ).toEqual(['竣工验收备案表']);
    const [gone] = await auditRows('project.document.delete', docId);
    expect(gone?.before).toMatchObject({ fileName: '竣工验收备案表.pdf', sizeBytes: pdf.length });
    expect((await req('GET', `/api/projects/${id}/documents/${docId}`, 'nanhu')).statusCode).toBe(404);
  });

  it('flags a project that passed its planned 开工 date the next day, and lists it as stalled for the city', async () => {
    const late = await create('nanhu', {
      name: '逾期未开工示例项目',
      regionCode: NANHU,
      clusterCode: 'textile',
      stage: 'land',
      plannedDates: { started: dayOffset(today, -1) },
    });
    const onTime = await create('nanhu', {
      name: '今日计划开工示例项目',
      regionCode: NANHU,
      clusterCode: 'textile',
      stage: 'land',
      plannedDates: { started: today },
    });
    expect(late).toMatchObject({ delayed: true, stalled: true, delayReasons: ['overdue'], daysLate: 1 });
    expect(late.assessment.overdue).toEqual([
      { stage: 'started', plannedDate: dayOffset(today, -1), daysLate: 1 },
    ]);
    expect(onTime.delayed).toBe(false);
    const stalled = json<ProjectList>(await req('GET', '/api/projects/stalled', 'analyst'));
    const ids = stalled.items.map((p) => p.id);
    expect(ids).toContain(late.id);
    expect(ids).not.toContain(onTime.id);
    expect(stalled.items.find((p) => p.id === late.id)?.delayMessages[0]?.zh).toContain('开工');
    // filters of the library agree
    const delayed = json<ProjectList>(await req('GET', '/api/projects?delayed=true&pageSize=100', 'nanhu'));
    expect(delayed.items.map((p) => p.id)).toContain(late.id);
    expect(delayed.items.every((p) => p.delayed)).toBe(true);
    // the other county's stalled list does not show it
    expect(
      json<ProjectList>(await req('GET', '/api/projects/stalled', 'tongxiang')).items.map((p) => p.id),
    ).not.toContain(late.id);
  });

  it('files monthly reports: 累计 filled in or checked, the future refused, missing-report flag cleared', async () => {
    const p = await create('nanhu', {
      name: '月报示例项目',
      regionCode: NANHU,
      clusterCode: 'textile',
      stage: 'started',
      plannedDates: { started: dayOffset(today, -60), completed: dayOffset(today, 300) },
    });
    expect(p.missingReport).toBe(true);
    const last = addMonths(thisMonth, -1);
    const r1 = await req('PUT', `/api/projects/${p.id}/progress/${last}`, 'nanhu', {
      investmentMonth: 500,
      statusNote: '主体结构施工',
    });
    expect(r1.statusCode, r1.body).toBe(200);
    expect(json<ProjectDetail>(r1).progress).toEqual([
      expect.objectContaining({
        month: last,
        investmentMonth: 500,
        investmentCumulative: 500,
        statusNote: '主体结构施工',
        reportedBy: 'fx_nanhu',
      }),
    ]);
    const bad = await req('PUT', `/api/projects/${p.id}/progress/${thisMonth}`, 'nanhu', {
      investmentMonth: 300,
      investmentCumulative: 900,
    });
    expect(bad.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(bad).errors[0]?.field).toBe('investmentCumulative');
    const future = await req('PUT', `/api/projects/${p.id}/progress/${addMonths(thisMonth, 1)}`, 'nanhu', {
      investmentMonth: 1,
    });
    expect(future.statusCode).toBe(400);
    const r2 = await req('PUT', `/api/projects/${p.id}/progress/${thisMonth}`, 'nanhu', {
      investmentMonth: 300,
      investmentCumulative: 800,
    });
    expect(r2.statusCode).toBe(200);
    expect(json<ProjectDetail>(r2)).toMatchObject({
      missingReport: false,
      investmentCumulative: 800,
      lastReportMonth: thisMonth,
    });
    expect(await auditRows('project.progress', p.id)).toHaveLength(2);
    expect(
      (await req('PUT', `/api/projects/${p.id}/progress/${thisMonth}`, 'tongxiang', { investmentMonth: 1 }))
        .statusCode,
    ).toBe(404);
    const negotiation = await create('nanhu', {
      name: '洽谈中示例项目',
      regionCode: NANHU,
      stage: 'negotiation',
    });
    expect(
      (
        await req('PUT', `/api/projects/${negotiation.id}/progress/${thisMonth}`, 'nanhu', {
          investmentMonth: 1,
        })
      ).statusCode,
    ).toBe(400);
  });

  it('logs and closes risks, audited', async () => {
    const id = nanhuProject.id;
    const res = await req('POST', `/api/projects/${id}/risks`, 'nanhu', {
      kind: 'issue',
      title: '环评批复延迟',
      severity: 'high',
      dueDate: dayOffset(today, 14),
    });
    expect(res.statusCode, res.body).toBe(200);
    const risk = json<ProjectDetail>(res).risks.at(-1)!;
    expect(risk).toMatchObject({
      kind: 'issue',
      title: '环评批复延迟',
      status: 'open',
      raisedOn: today,
      createdBy: 'fx_nanhu',
    });
    expect(await auditRows('project.risk.create', risk.id)).toHaveLength(1);
    const closed = await req('PATCH', `/api/projects/${id}/risks/${risk.id}`, 'nanhu', {
      status: 'closed',
      resolution: '已取得批复',
    });
    expect(json<ProjectDetail>(closed).risks.at(-1)).toMatchObject({
      status: 'closed',
      closedOn: today,
      resolution: '已取得批复',
    });
    expect(await auditRows('project.risk.update', risk.id)).toHaveLength(1);
    expect(
      (await req('PATCH', `/api/projects/${id}/risks/999999`, 'nanhu', { status: 'closed' })).statusCode,
    ).toBe(404);
  });

  it('computes investment growth per cluster and county that agrees with a direct SQL sum over progress reports', async () => {
    const mk = async (who: string, regionCode: string, clusterCode: string, name: string) =>
      create(who, { name, regionCode, clusterCode, stage: 'started' });
    const a = await mk('nanhu', NANHU, 'textile', '增长示例甲');
    const b = await mk('admin', TONGXIANG, 'textile', '增长示例乙');
    const c = await mk('admin', PINGHU, 'chem_materials', '增长示例丙');
    const put = async (who: string, id: number, month: string, amount: number) => {
      const res = await req('PUT', `/api/projects/${id}/progress/${month}`, who, { investmentMonth: amount });
      expect(res.statusCode, res.body).toBe(200);
    };
    const prev = year - 1;
    // textile: last year 1 000 + 1 000 (Jan, Feb), this year 1 200 + 1 100 (Jan, Feb) → +15 %
    await put('nanhu', a.id, `${prev}-01`, 1_000);
    await put('admin', b.id, `${prev}-02`, 1_000);
    await put('nanhu', a.id, `${year}-01`, 1_200);
    await put('admin', b.id, `${year}-02`, 1_100);
    // chem: 2 000 → 1 800 (−10 %)
    await put('admin', c.id, `${prev}-02`, 2_000);
    await put('admin', c.id, `${year}-01`, 1_800);
    const through = `${year}-02`;
    const g = json<Growth>(await req('GET', `/api/projects/growth?by=cluster&through=${through}`, 'analyst'));
    const direct = await queryRows<{ cluster: string; cur: number; prev: number }>(
      d.db,
      sql`select p.cluster_code as cluster,
            coalesce(sum(r.investment_month) filter (where r.month between ${`${year}-01-01`}::date and ${`${year}-02-01`}::date), 0)::float8 as cur,
            coalesce(sum(r.investment_month) filter (where r.month between ${`${prev}-01-01`}::date and ${`${prev}-02-01`}::date), 0)::float8 as prev
          from project_progress r join projects p on p.id = r.project_id group by p.cluster_code`,
    );
    for (const row of direct) {
      const mine = g.rows.find((r) => r.group === row.cluster);
      if (row.cur === 0 && row.prev === 0) continue;
      expect(mine, row.cluster).toBeDefined();
      expect(mine!.current).toBeCloseTo(row.cur, 9);
      expect(mine!.previous).toBeCloseTo(row.prev, 9);
    }
    const textile = g.rows.find((r) => r.group === 'textile')!;
    expect(textile).toMatchObject({ current: 2_300, previous: 2_000, meetsGoal: true, name: '现代纺织' });
    expect(textile.growth).toBeCloseTo(0.15, 12);
    expect(g.rows.find((r) => r.group === 'chem_materials')).toMatchObject({
      current: 1_800,
      previous: 2_000,
      meetsGoal: false,
    });
    expect(g.monthly).toEqual([
      { month: `${year}-01`, current: 3_000, previous: 1_000 },
      { month: `${year}-02`, current: 1_100, previous: 3_000 },
    ]);
    // by county, and a county officer sees only their county
    const byCounty = json<Growth>(
      await req('GET', `/api/projects/growth?by=county&through=${through}`, 'analyst'),
    );
    expect(byCounty.rows.find((r) => r.group === PINGHU)).toMatchObject({ current: 1_800, previous: 2_000 });
    const nanhuOnly = json<Growth>(
      await req('GET', `/api/projects/growth?by=county&through=${through}`, 'nanhu'),
    );
    expect(nanhuOnly.rows.map((r) => r.group)).toEqual([NANHU]);

    // official statistics: city staff only, audited, then reconciled
    const stat = {
      regionCode: PINGHU,
      clusterCode: 'chem_materials',
      month: through,
      ytdInvestment: 1_850,
      source: '平湖市统计局',
    };
    expect((await req('PUT', '/api/projects/investment-statistics', 'nanhu', stat)).statusCode).toBe(403);
    // the analyst reads but never writes (issue 12 item 8): official statistics are the administrator's
    expect((await req('PUT', '/api/projects/investment-statistics', 'analyst', stat)).statusCode).toBe(403);
    // a month still to come has no statistics; year 0000 was a server error (the database refused the date)
    const future = await req('PUT', '/api/projects/investment-statistics', 'admin', {
      ...stat,
      month: '2099-01',
    });
    expect(future.statusCode, future.body).toBe(400);
    expect(json<{ errors: { field: string; messageZh: string }[] }>(future).errors).toEqual([
      expect.objectContaining({ field: 'month', messageZh: '2099-01 尚未到来，还没有该月的统计数据' }),
    ]);
    for (const month of ['0000-01', '2026-13']) {
      const bad = await req('PUT', '/api/projects/investment-statistics', 'admin', { ...stat, month });
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.body).toContain('须为 YYYY-MM 格式的月份');
    }
    const saved = await req('PUT', '/api/projects/investment-statistics', 'admin', stat);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(await auditRows('project.statistics', `${PINGHU}/chem_materials/${through}`)).toHaveLength(1);
    const again = json<Growth>(
      await req('GET', `/api/projects/growth?by=cluster&through=${through}`, 'analyst'),
    );
    expect(again.rows.find((r) => r.group === 'chem_materials')).toMatchObject({
      statistics: 1_850,
      reconcileStatus: 'agrees',
    });
    expect(again.rows.find((r) => r.group === 'textile')).toMatchObject({
      statistics: null,
      reconcileStatus: 'noStatistics',
    });
  });

  it('imports monthly progress from a spreadsheet: all-or-nothing, idempotent, problems located', async () => {
    const p = await create('nanhu', {
      name: '导入示例项目',
      regionCode: NANHU,
      clusterCode: 'textile',
      stage: 'started',
    });
    const last = addMonths(thisMonth, -1);
    const book = async (rows: unknown[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('进度');
      ws.addRow(['南湖区重大项目月度进度表']);
      ws.addRow(['项目编号', '项目名称', '月份', '本月完成投资（万元）', '累计完成投资（万元）', '进展情况']);
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    };
    const good = await book([
      [p.code, p.name, last, 400, 400, '桩基施工'],
      [p.code, p.name, thisMonth, 350, null, '主体施工'],
    ]);
    const dry = json<ImportResult>(
      await req('POST', '/api/projects/progress-import', 'nanhu', {
        fileName: 'nanhu.xlsx',
        contentBase64: good,
        dryRun: true,
      }),
    );
    expect(dry).toMatchObject({ status: 'checked', rows: 2, written: 0 });
    expect(json<ProjectDetail>(await req('GET', `/api/projects/${p.id}`, 'nanhu')).progress).toHaveLength(0);

    const res = await req('POST', '/api/projects/progress-import', 'nanhu', {
      fileName: 'nanhu.xlsx',
      contentBase64: good,
    });
    expect(res.statusCode, res.body).toBe(200);
    const done = json<ImportResult>(res);
    expect(done).toMatchObject({ status: 'committed', rows: 2, written: 2 });
    const after = json<ProjectDetail>(await req('GET', `/api/projects/${p.id}`, 'nanhu'));
    expect(after.progress.map((r) => [r.month, r.investmentMonth, r.investmentCumulative])).toEqual([
      [last, 400, 400],
      [thisMonth, 350, 750],
    ]);
    expect(after.progress[0]?.importId).toBe(done.importId);
    expect(await auditRows('project.progress.import', done.importId!)).toHaveLength(1);
    const twice = json<ImportResult>(
      await req('POST', '/api/projects/progress-import', 'nanhu', {
        fileName: 'again.xlsx',
        contentBase64: good,
      }),
    );
    expect(twice).toMatchObject({ status: 'duplicate', importId: done.importId, written: 0 });

    // one bad row refuses the file: nothing is written, each problem says where
    const mixed = await book([
      [p.code, p.name, last, 999, null, '改写'],
      [p.code, p.name, '2025年13月', 1, null, ''],
      [nanhuProject.code, '', thisMonth, 'abc', null, ''],
      ['XM-NOPE', '', thisMonth, 1, null, ''],
    ]);
    const refused = json<ImportResult>(
      await req('POST', '/api/projects/progress-import', 'nanhu', {
        fileName: 'mixed.xlsx',
        contentBase64: mixed,
      }),
    );
    expect(refused.status).toBe('refused');
    expect(refused.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'mixed.xlsx',
          sheet: '进度',
          row: 4,
          column: '月份',
          value: '2025年13月',
        }),
        expect.objectContaining({
          file: 'mixed.xlsx',
          sheet: '进度',
          row: 5,
          column: '本月完成投资（万元）',
          value: 'abc',
        }),
        expect.objectContaining({
          row: 6,
          column: '项目编号',
          value: 'XM-NOPE',
          messageZh: expect.stringContaining('不存在'),
        }),
      ]),
    );
    expect(
      json<ProjectDetail>(await req('GET', `/api/projects/${p.id}`, 'nanhu')).progress[0]?.investmentMonth,
    ).toBe(400);

    // an inconsistent 累计 found while writing also rolls back the rows written before it
    const chain = await book([
      [p.code, p.name, addMonths(thisMonth, -3), 10, null, ''],
      [p.code, p.name, addMonths(thisMonth, -2), 10, 99_999, ''],
    ]);
    const rolled = json<ImportResult>(
      await req('POST', '/api/projects/progress-import', 'nanhu', {
        fileName: 'chain.xlsx',
        contentBase64: chain,
      }),
    );
    expect(rolled.status).toBe('refused');
    expect(rolled.issues[0]).toMatchObject({ row: 4, column: '累计完成投资' });
    expect(json<ProjectDetail>(await req('GET', `/api/projects/${p.id}`, 'nanhu')).progress).toHaveLength(2);

    // another county's project in the file is refused
    const foreign = await book([[p.code, p.name, last, 1, null, '']]);
    const other = json<ImportResult>(
      await req('POST', '/api/projects/progress-import', 'tongxiang', {
        fileName: 'tx.xlsx',
        contentBase64: foreign,
      }),
    );
    expect(other.status).toBe('refused');
    expect(other.issues[0]?.messageZh).toContain('不属于您的区县');
  });

  it('serves kanban, Gantt, county table, exports and the reporting template', async () => {
    const k = json<Kanban>(await req('GET', '/api/projects/kanban', 'analyst'));
    expect(k.columns.map((c) => c.key)).toEqual([
      'negotiation',
      'signed',
      'land',
      'started',
      'completed',
      'production',
      'full_production',
      'paused',
      'terminated',
    ]);
    const all = json<ProjectList>(await req('GET', '/api/projects?pageSize=500', 'analyst'));
    expect(k.columns.reduce((s, c) => s + c.count, 0)).toBe(all.total);
    const g = json<Gantt>(await req('GET', '/api/projects/gantt', 'nanhu'));
    expect(g.items.length).toBeGreaterThan(0);
    // The Gantt leaves terminated projects out and says how many: with them it adds up to the list.
    const gAll = json<Gantt>(await req('GET', '/api/projects/gantt', 'analyst'));
    expect(gAll.total + gAll.terminated).toBe(all.total);
    expect(gAll.terminated).toBe(all.items.filter((p) => p.status === 'terminated').length);
    expect(g.items[0]!.milestones).toHaveLength(7);
    const c = json<CountySummary>(await req('GET', '/api/projects/by-county', 'analyst'));
    expect(c.rows.find((r) => r.regionCode === NANHU)!.projects).toBe(
      all.items.filter((p) => p.regionCode === NANHU).length,
    );

    const x = await req('GET', `/api/projects/export.xlsx?county=${NANHU}`, 'analyst');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['项目库', '月度进度', '风险问题']);
    expect(wb.getWorksheet('项目库')!.rowCount - 1).toBe(
      all.items.filter((p) => p.regionCode === NANHU).length,
    );

    const tpl = await req('GET', '/api/projects/progress-template.xlsx', 'nanhu');
    const tw = new ExcelJS.Workbook();
    await tw.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const sheet = tw.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('项目编号');
    expect(sheet.getRow(2).getCell(3).value).toBe(thisMonth);
  });

  it('keeps read answers per scope at a version: a write shows at once, a change by hand within a second, an unchanged answer is a 304', async () => {
    const list = () => req('GET', `/api/projects?county=${NANHU}&pageSize=500`, 'nanhu');
    const first = await list();
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    // revalidation of an unchanged answer: no body
    const again = await app.inject({
      method: 'GET',
      url: `/api/projects?county=${NANHU}&pageSize=500`,
      headers: { cookie: cookies.nanhu!, 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // another county's kept answer is its own: never this one
    const other = await req('GET', `/api/projects?county=${NANHU}&pageSize=500`, 'tongxiang');
    expect(json<ProjectList>(other).total).toBe(0);

    // a write through the application: the stamp moves in the same transaction, the next read has it
    const stamp = async () =>
      (
        await queryRows<{ v: string }>(
          d.db,
          sql`select value::text as v from meta where key = 'projects_version'`,
        )
      )[0]?.v;
    const before = await stamp();
    const owner = `负责人${Date.now() % 10_000}`;
    const res = await req('PATCH', `/api/projects/${nanhuProject.id}`, 'nanhu', { owner });
    expect(res.statusCode, res.body).toBe(200);
    expect(await stamp()).not.toBe(before);
    const written = await list();
    expect(json<ProjectList>(written).items.find((p) => p.id === nanhuProject.id)!.owner).toBe(owner);
    expect(written.headers.etag).not.toBe(etag);

    // a change made outside the application (SQL by hand) shows within the digest's time
    await d.db.execute(sql`update projects set owner = '手工修改' where id = ${nanhuProject.id}`);
    await new Promise((r) => setTimeout(r, DIGEST_TTL_MS + 50));
    const byHand = json<ProjectList>(await list());
    expect(byHand.items.find((p) => p.id === nanhuProject.id)!.owner).toBe('手工修改');
    const page = json<ProjectDetail>(await req('GET', `/api/projects/${nanhuProject.id}`, 'nanhu'));
    expect(page.owner).toBe('手工修改');
    expect(page.canEdit).toBe(true);
    // the same kept page, another reader of the same scope with other rights: its own canEdit
    const city = json<ProjectDetail>(await req('GET', `/api/projects/${nanhuProject.id}`, 'analyst'));
    expect(city.canEdit).toBe(false);
  });

  it('generates deterministic demo projects, replacing only demo ones', async () => {
    const before = json<ProjectList>(await req('GET', '/api/projects?pageSize=500', 'analyst')).total;
    const first = await generateDemoProjects(d.db, 7);
    const snapshot = async () =>
      (await d.db.select().from(projects).where(eq(projects.source, 'demo')).orderBy(projects.code)).map(
        (p) => [p.code, p.name, p.stage, p.status, p.plannedTotalInvestment],
      );
    const a = await snapshot();
    const second = await generateDemoProjects(d.db, 7);
    expect(second).toEqual(first);
    expect(await snapshot()).toEqual(a);
    expect(first.projects).toBeGreaterThan(200);
    const after = json<ProjectList>(await req('GET', '/api/projects?pageSize=500', 'analyst')).total;
    expect(after).toBe(before + first.projects);
    const stalled = json<ProjectList>(await req('GET', '/api/projects/stalled', 'analyst')).total;
    expect(stalled).toBeGreaterThan(0);
  });

  it('every projects write route is audited by a test above', () => {
    const covered = new Set([
      'POST /api/projects',
      'PATCH /api/projects/:id',
      'POST /api/projects/:id/transitions',
      'PUT /api/projects/:id/stages/:stage',
      'PUT /api/projects/:id/progress/:month',
      'POST /api/projects/:id/risks',
      'PATCH /api/projects/:id/risks/:riskId',
      'PUT /api/projects/investment-statistics',
      'POST /api/projects/progress-import',
      'POST /api/projects/:id/stages/:stage/documents',
      'DELETE /api/projects/:id/documents/:documentId',
    ]);
    const writes = app.routeList.filter(
      (r) => r.url.startsWith('/api/projects') && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method),
    );
    for (const r of writes)
      expect(covered, `${r.method} ${r.url} has no audit test`).toContain(`${r.method} ${r.url}`);
  });
});
