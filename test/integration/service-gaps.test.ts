// Enterprise requests, the parts added after the first build (issue 18's gaps), on every test database:
// real files on intake and answers (type by first bytes, scoped download, audited); a 协办 unit's input
// within 3 working days with its marks; statistics limited to the user's scope (a county its county, a
// department its own, the city all) against direct SQL; an alert opening one request (deduplicated); the
// units register edited by an administrator with audit rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { auditLog, documents } from '../../src/db/schema.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture, NANHU, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { ensureServiceUnits, fileRequestForAlert, requestForAlert } from '../../src/modules/service/index.ts';
import { generateDemoRequests, linkDemoUnitMembers } from '../../src/modules/service/demo.ts';
import { assistLevel } from '../../src/modules/service/service.ts';
import { unitByCode } from '../../src/modules/workitems/index.ts';
import type { RequestDetail, Stats } from '../../src/modules/service/schemas.ts';

const cst = (s: string) => new Date(`${s}+08:00`);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const b64 = (b: Buffer) => b.toString('base64');

describe.each(testDatabases())('enterprise request gaps on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookie: Record<string, string> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    const sys = { id: null, username: 'fixture' };
    for (const u of ['service_center', 'supervision', 'dept_economy', 'dept_resources', 'dept_finance'])
      await createUser(d.db, { username: u, displayName: u, role: 'department', password: PASSWORD }, sys);
    await ensureServiceUnits(d.db, sys);
    await linkDemoUnitMembers(d.db);
    app = await testApp(d);
    for (const u of [
      'service_center',
      'supervision',
      'dept_economy',
      'dept_resources',
      'dept_finance',
      'fx_enterprise',
      'fx_tongxiang',
      'fx_nanhu',
      'fx_textile',
      'fx_analyst',
      'fx_admin',
    ])
      cookie[u] = await loginCookie(app, u);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const get = (url: string, who: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: cookie[who]! } });
  const send = (method: 'POST' | 'PATCH', url: string, who: string, payload: unknown) =>
    app.inject({ method, url, headers: { cookie: cookie[who]! }, payload: payload as never });
  const post = (url: string, who: string, payload: unknown) => send('POST', url, who, payload);

  it('keeps real files on intake and answers, checked by their first bytes, downloaded only in scope', async () => {
    // a renamed HTML page is refused and nothing is filed
    const before = await d.db.select().from(documents);
    const bad = await post('/api/service/requests', 'fx_enterprise', {
      nature: 'help',
      category: 'construction',
      title: '厂区道路施工许可',
      description: '厂区道路改造需要施工许可，请协调。',
      files: [{ fileName: '许可.pdf', contentBase64: b64(Buffer.from('<html><script>x</script></html>')) }],
    });
    expect(bad.statusCode).toBe(415);
    expect(json<{ detailZh: string }>(bad).detailZh).toContain('不符');
    expect(await d.db.select().from(documents)).toHaveLength(before.length);

    const filed = await post('/api/service/requests', 'fx_enterprise', {
      nature: 'help',
      category: 'construction',
      title: '厂区道路施工许可',
      description: '厂区道路改造需要施工许可，请协调。',
      files: [
        { fileName: '现场照片.png', contentBase64: b64(PNG) },
        { fileName: '../../申请书.pdf', contentBase64: b64(PDF) },
      ],
    });
    expect(filed.statusCode).toBe(201);
    const detail = json<RequestDetail>(filed);
    expect(detail.files.map((f) => [f.stage, f.fileName, f.sizeBytes])).toEqual([
      ['intake', '现场照片.png', PNG.length],
      ['intake', '申请书.pdf', PDF.length],
    ]);
    const id = detail.request.id;
    const pdf = detail.files[1]!;
    // the firm and its county download it; another county and an unrelated department do not
    const own = await get(`/api/service/requests/${id}/files/${pdf.id}`, 'fx_enterprise');
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('application/pdf');
    expect(own.headers['content-disposition']).toContain('attachment');
    expect(own.headers['x-content-type-options']).toBe('nosniff');
    expect(own.rawPayload.equals(PDF)).toBe(true);
    expect((await get(`/api/service/requests/${id}/files/${pdf.id}`, 'fx_nanhu')).statusCode).toBe(200);
    expect((await get(`/api/service/requests/${id}/files/${pdf.id}`, 'fx_tongxiang')).statusCode).toBe(404);
    expect((await get(`/api/service/requests/${id}/files/${pdf.id}`, 'dept_finance')).statusCode).toBe(404);
    // a file id of another request is not reachable through this one
    const otherFirm = json<RequestDetail>(
      await post('/api/service/requests', 'fx_tongxiang', {
        enterpriseId: fx.ids.tongxiangTextile,
        nature: 'consult',
        category: 'policy',
        channel: 'hotline',
        title: '研发费用加计扣除',
        description: '咨询研发费用加计扣除口径。',
        files: [{ fileName: '财务报表.pdf', contentBase64: b64(PDF) }],
      }),
    );
    const foreign = otherFirm.files[0]!.id;
    expect((await get(`/api/service/requests/${id}/files/${foreign}`, 'fx_enterprise')).statusCode).toBe(404);
    expect(
      (await get(`/api/service/requests/${otherFirm.request.id}/files/${foreign}`, 'fx_enterprise'))
        .statusCode,
    ).toBe(404);

    // the lead unit answers with a file; files on another step are refused
    const resources = (await unitByCode(d.db, 'city.resources'))!;
    expect(
      (
        await post(`/api/service/requests/${id}/actions`, 'service_center', {
          transition: 'assign',
          ownerUnitId: resources.id,
          files: [{ fileName: 'x.pdf', contentBase64: b64(PDF) }],
        })
      ).statusCode,
    ).toBe(400);
    for (const transition of ['assign', 'accept'])
      expect(
        (
          await post(
            `/api/service/requests/${id}/actions`,
            transition === 'assign' ? 'service_center' : 'dept_resources',
            { transition, ownerUnitId: resources.id },
          )
        ).statusCode,
      ).toBe(200);
    const answered = await post(`/api/service/requests/${id}/actions`, 'dept_resources', {
      transition: 'answer',
      reason: '已办理施工许可，见附件批复。',
      files: [{ fileName: '批复.pdf', contentBase64: b64(PDF) }],
    });
    expect(answered.statusCode).toBe(200);
    const answerFile = json<RequestDetail>(answered).files.find((f) => f.stage === 'answer')!;
    expect(answerFile.uploadedByName).toBe('dept_resources');
    expect(
      (await get(`/api/service/requests/${id}/files/${answerFile.id}`, 'fx_enterprise')).statusCode,
    ).toBe(200);
    const audits = await d.db.select().from(auditLog).where(eq(auditLog.action, 'service.request.files'));
    expect(
      audits.filter((a) => a.entityId === String(id)).map((a) => (a.after as { stage: string }).stage),
    ).toEqual(['intake', 'answer']);
  });

  it('takes a 协办 unit’s input within 3 working days, marks it, and shows it to the lead unit', async () => {
    const filed = json<RequestDetail>(
      await post('/api/service/requests', 'service_center', {
        enterpriseId: fx.ids.nanhuTextile,
        nature: 'help',
        category: 'financing',
        channel: 'hotline',
        title: '设备融资租赁',
        description: '新购设备需融资租赁，请协调银行与租赁公司。',
      }),
    );
    const id = filed.request.id;
    const finance = (await unitByCode(d.db, 'city.finance'))!;
    const economy = (await unitByCode(d.db, 'city.economy'))!;
    const assigned = await post(`/api/service/requests/${id}/actions`, 'service_center', {
      transition: 'assign',
      ownerUnitId: finance.id,
      assistUnitIds: [economy.id],
    });
    expect(assigned.statusCode).toBe(200);
    const duty = json<RequestDetail>(assigned).assists[0]!;
    expect(duty.unitName).toBe(economy.name);
    expect(duty.level).toBe('normal');
    // the co-handling unit finds it in its inbox as owed input
    const owed = json<{ items: { id: number; myAssist: { dueAt: string; sla: string } | null }[] }>(
      await get('/api/service/requests?assist=pending', 'dept_economy'),
    );
    expect(owed.items.map((x) => x.id)).toEqual([id]);
    expect(owed.items[0]!.myAssist?.dueAt).toBe(duty.dueAt);
    expect(
      json<{ items: unknown[] }>(await get('/api/service/requests?assist=pending', 'dept_finance')).items,
    ).toEqual([]);
    // only a co-handling unit hands in input
    expect(
      (await post(`/api/service/requests/${id}/assist`, 'dept_finance', { text: '主办单位不是协办' }))
        .statusCode,
    ).toBe(403);
    const handed = await post(`/api/service/requests/${id}/assist`, 'dept_economy', {
      text: '已将该企业列入技改贷款白名单。',
      files: [{ fileName: '白名单.pdf', contentBase64: b64(PDF) }],
    });
    expect(handed.statusCode).toBe(200);
    // the lead unit sees the input, its file and the history note
    const lead = json<RequestDetail>(await get(`/api/service/requests/${id}`, 'dept_finance'));
    expect(lead.assists[0]).toMatchObject({
      note: '已将该企业列入技改贷款白名单。',
      sla: 'green',
      mine: false,
    });
    expect(lead.files.map((f) => f.stage)).toEqual(['assist']);
    expect(lead.history.some((e) => e.type === 'note' && e.reason?.includes('白名单'))).toBe(true);
    expect(
      (await post(`/api/service/requests/${id}/assist`, 'dept_economy', { text: '再交一次' })).statusCode,
    ).toBe(409);
    expect(
      json<{ items: unknown[] }>(await get('/api/service/requests?assist=pending', 'dept_economy')).items,
    ).toEqual([]);
    expect(
      (await d.db.select().from(auditLog).where(eq(auditLog.action, 'workitem.assist_done'))).length,
    ).toBe(1);
  });

  it('marks a 协办 duty like every deadline: due 3 working days later across 国庆, reminder, overdue, 催办, 督办', () => {
    // named on Fri 2025-09-26 10:00: 9.28 (调休 Sunday), 9.29, 9.30 → due 9.30 17:30
    const assignedAt = cst('2025-09-26T10:00:00');
    const dueAt = cst('2025-09-30T17:30:00');
    const p = { assignedAt, dueAt, doneAt: null };
    expect(assistLevel(p, cst('2025-09-29T09:00:00')).level).toBe('normal');
    expect(assistLevel(p, cst('2025-09-30T15:00:00'))).toEqual({ level: 'due_soon', sla: 'yellow' });
    expect(assistLevel(p, cst('2025-10-05T10:00:00'))).toEqual({ level: 'overdue', sla: 'red' });
    // 催办 the next working day after the holiday (10.9), 督办 five working days later (10.16)
    expect(assistLevel(p, cst('2025-10-09T09:00:00')).level).toBe('urged');
    expect(assistLevel(p, cst('2025-10-16T09:00:00'))).toEqual({ level: 'escalated', sla: 'purple' });
    expect(assistLevel({ ...p, doneAt: cst('2025-10-09T10:00:00') }).sla).toBe('red'); // handed in late
  });

  it("limits statistics to the user's scope, each equal to direct SQL", async () => {
    await generateDemoRequests(d.db, 11, { months: 3, perMonth: 15, now: cst('2026-11-20T12:00:00') });
    const q = '/api/service/stats?from=2026-08&to=2026-11&by=month';
    const sqlCount = async (where: ReturnType<typeof sql>) =>
      (
        await queryRows<{ n: number }>(
          d.db,
          sql`select count(*)::int as n from service_requests r
                join work_items w on w.kind = 'service_request' and w.subject_id = cast(r.id as text)
               where w.state <> 'withdrawn' and w.state <> 'merged'
                 and r.received_at >= '2026-08-01T00:00:00+08:00' and r.received_at < '2026-12-01T00:00:00+08:00'
                 and ${where}`,
        )
      )[0]!.n;
    const city = json<Stats>(await get(q, 'fx_analyst'));
    expect(city.scope?.kind).toBe('all');
    expect(city.total.received).toBe(await sqlCount(sql`true`));
    expect(json<Stats>(await get(q, 'supervision')).total.received).toBe(city.total.received);

    const county = json<Stats>(await get(q, 'fx_nanhu'));
    expect(county.scope).toMatchObject({ kind: 'region', key: NANHU });
    const nanhu = await sqlCount(sql`r.region_code = ${NANHU}`);
    expect(county.total.received).toBe(nanhu);
    expect(nanhu).toBeGreaterThan(0);
    expect(nanhu).toBeLessThan(city.total.received);
    // by county, a county officer sees one row: its own
    const byCounty = json<Stats>(await get(q.replace('by=month', 'by=county'), 'fx_nanhu'));
    expect(byCounty.rows.map((r) => r.key)).toEqual([NANHU]);

    const cluster = json<Stats>(await get(q, 'fx_textile'));
    expect(cluster.total.received).toBe(await sqlCount(sql`r.cluster_code = 'textile'`));

    const finance = (await unitByCode(d.db, 'city.finance'))!;
    const dept = json<Stats>(await get(q, 'dept_finance'));
    expect(dept.scope?.kind).toBe('units');
    expect(dept.total.received).toBe(await sqlCount(sql`w.owner_unit_id = ${finance.id}`));
    const byUnit = json<Stats>(await get(q.replace('by=month', 'by=unit'), 'dept_finance'));
    expect(byUnit.rows.map((r) => r.key)).toEqual(dept.total.received ? [String(finance.id)] : []);

    // the 红黑榜 rank every unit city-wide, the same for every reader (published, names no firm)
    const scores = (who: string) => get('/api/service/scores?from=2026-08&to=2026-11', who);
    expect(json<unknown>(await scores('fx_nanhu'))).toEqual(json<unknown>(await scores('fx_analyst')));
    expect((await scores('fx_enterprise')).statusCode).toBe(403);
    // recurring problems counted within the scope too
    const rec = json<{ items: { clusterCode: string | null }[] }>(
      await get('/api/service/recurring?from=2026-08&to=2026-11', 'fx_textile'),
    );
    expect(rec.items.every((r) => r.clusterCode === 'textile')).toBe(true);
  });

  it('files one request per alert, on behalf of the platform', async () => {
    const input = {
      enterpriseId: fx.ids.nanhuTextile,
      alertId: 90_001,
      title: '用电量连续三个月同比下降超过30%',
      description: '预警：2026年8—10月用电指数分别为62、58、55，请属地核实经营情况并帮扶。',
      level: 'orange' as const,
    };
    const first = await fileRequestForAlert(d.db, input);
    expect(first.created).toBe(true);
    const again = await fileRequestForAlert(d.db, { ...input, title: '再次触发' });
    expect(again).toEqual({ id: first.id, code: first.code, created: false });
    expect(await requestForAlert(d.db, input.alertId)).toEqual({ id: first.id, code: first.code });
    const detail = json<RequestDetail>(await get(`/api/service/requests/${first.id}`, 'fx_nanhu'));
    expect(detail.request).toMatchObject({
      channel: 'alert',
      category: 'new_issue',
      nature: 'help',
      level: 'county',
      tags: ['橙色预警'],
    });
    expect(detail.request.item.state).toBe('submitted');
    // the county office is suggested (a county-level request)
    expect(
      json<RequestDetail>(await get(`/api/service/requests/${first.id}`, 'service_center')).suggestedUnit?.zh,
    ).toContain('县级');
    const red = await fileRequestForAlert(d.db, { ...input, alertId: 90_002, level: 'red' });
    expect(json<RequestDetail>(await get(`/api/service/requests/${red.id}`, 'fx_nanhu')).request.level).toBe(
      'city',
    );
  });

  it('lets an administrator edit the units register and its members, audited', async () => {
    const finance = (await unitByCode(d.db, 'city.finance'))!;
    const change = { name: '市金融工作局', duties: ['financing', 'investment'] };
    expect((await send('PATCH', `/api/workitems/units/${finance.id}`, 'fx_analyst', change)).statusCode).toBe(
      403,
    );
    const res = await send('PATCH', `/api/workitems/units/${finance.id}`, 'fx_admin', change);
    expect(res.statusCode).toBe(200);
    expect(json<{ name: string; duties: string[] }>(res)).toMatchObject(change);
    const [audit] = await d.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.action} = 'unit.update' and ${auditLog.entityId} = ${String(finance.id)}`);
    expect(audit?.before).toMatchObject({ name: '市金融办' });
    expect(audit?.after).toMatchObject(change);
    // members by login name
    const add = await post(`/api/workitems/units/${finance.id}/members`, 'fx_admin', {
      username: 'dept_economy',
      duty: 'head',
    });
    expect(add.statusCode).toBe(200);
    const list = json<{ items: { id: number; members: { username: string; duty: string }[] }[] }>(
      await get('/api/workitems/units', 'dept_finance'),
    );
    expect(list.items.find((u) => u.id === finance.id)?.members).toEqual(
      expect.arrayContaining([
        { username: 'dept_economy', duty: 'head', userId: expect.any(Number), displayName: 'dept_economy' },
      ]),
    );
    expect(
      (await post(`/api/workitems/units/${finance.id}/members`, 'fx_admin', { username: 'nobody' }))
        .statusCode,
    ).toBe(404);
    // a stopped unit leaves the routing list but stays in the register
    await send('PATCH', `/api/workitems/units/${finance.id}`, 'fx_admin', { active: false });
    const active = json<{ items: { id: number }[] }>(await get('/api/workitems/units', 'fx_admin'));
    expect(active.items.some((u) => u.id === finance.id)).toBe(false);
    const all = json<{ items: { id: number; active: boolean }[] }>(
      await get('/api/workitems/units?all=true', 'fx_admin'),
    );
    expect(all.items.find((u) => u.id === finance.id)?.active).toBe(false);
    // the flag read as every yes/no query value is: 1 and 0 too, anything else refused
    expect(json(await get('/api/workitems/units?all=1', 'fx_admin'))).toEqual(all);
    expect(json(await get('/api/workitems/units?all=0', 'fx_admin'))).toEqual(active);
    expect((await get('/api/workitems/units?all=yes', 'fx_admin')).statusCode).toBe(400);
    await send('PATCH', `/api/workitems/units/${finance.id}`, 'fx_admin', { active: true });
  });

  it('takes receivedAt only as a time with its offset (null was filed as 1970, "1" as 2001)', async () => {
    const base = {
      enterpriseId: fx.ids.tongxiangTextile,
      nature: 'consult',
      category: 'policy',
      channel: 'hotline',
      title: '研发费用加计扣除',
      description: '咨询研发费用加计扣除口径。',
    };
    for (const receivedAt of [null, 0, true, '1', '2024', '2025-03-04', 'yesterday']) {
      const res = await post('/api/service/requests', 'fx_tongxiang', { ...base, receivedAt });
      expect(res.statusCode, `${JSON.stringify(receivedAt)} ${res.body}`).toBe(400);
      expect(json<{ errors: { field: string }[] }>(res).errors.map((e) => e.field)).toEqual(['receivedAt']);
    }
    const ok = await post('/api/service/requests', 'fx_tongxiang', {
      ...base,
      receivedAt: '2025-03-04T09:30:00+08:00',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json<RequestDetail>(ok).request.receivedAt).toBe('2025-03-04T01:30:00.000Z');
  });
});
