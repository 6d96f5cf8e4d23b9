// The route × role matrix (issue 11): every route in the registry — so a new route is covered without
// anyone listing it — against every role, on every database, with fixtures in two counties and two
// clusters. What each cell must show comes from the one policy (src/domain/policy):
//   no cookie → 401; a role without the grant → 403 with the reason, and nothing changed;
//   a role with the grant reads in-scope objects (200); another county's or cluster's object → 404;
//   no answer to a limited role names a firm outside its scope (lists, exports, aggregates' firm lists).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { alerts, annualInputs, enterprises, evaluationObjections, users } from '../../src/db/schema.ts';
import { decide, ROLES, scopeOf, type Role } from '../../src/domain/policy/index.ts';
import type { AuthedUser } from '../../src/server/auth-context.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadChains } from '../../src/modules/chains/service.ts';
import { createRun, publishRun, submitRun } from '../../src/modules/evaluation/service.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import { seedBulletin } from '../helpers/bulletin.ts';
import { createUnit, setUnitMember } from '../../src/modules/workitems/index.ts';
import { storeDocuments } from '../../src/modules/documents/index.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, PINGHU, seedFixture, TONGXIANG, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFile, multipartFiles } from '../helpers/uploads.ts';

/** The user of each role the matrix signs in as (fixture users: 南湖 county, textile agency …). */
const AS: Record<Role, string> = {
  admin: 'admin',
  analyst: 'analyst',
  county: 'nanhu',
  cluster_agency: 'textileAgency',
  enterprise: 'enterprise',
  auditor: 'auditor',
  department: 'department',
};

type Params = Record<string, string>;
/** the roles whose scope is less than the city */
const LIMITED: readonly Role[] = ['county', 'cluster_agency', 'enterprise'];

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.each(testDatabases())('route × role matrix on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookies: Record<string, string> = {};
  /** in: an object every reader of the route may see; out: one outside the county / cluster / firm */
  const objects: Record<string, { in: Params; out?: Params; inFor?: Partial<Record<Role, Params>> }> = {};
  /** the firms (name and USCC) each limited role must never see */
  const hidden: Partial<Record<Role, string[]>> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await loadChains(d.db, await loadCityConfig(resolveCityDir()));
    fx = await seedFixture(d);
    app = await testApp(d);
    for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
    const as = (who: string, method: string, url: string, payload?: unknown, headers = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { cookie: cookies[who]!, ...headers },
        payload: payload as never,
      });
    const ok = (res: LightMyRequestResponse, what: string) => {
      if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
      return json<{ id: number }>(res);
    };

    // imports and batches in two counties (南湖 in scope, 桐乡 outside the 南湖 officer's)
    const monthly = (uscc: string) =>
      `统一社会信用代码,统计月份,工业总产值(万元)\r\n${uscc},2025-11,1234\r\n`;
    const upload = (who: string, uscc: string, name: string) => {
      const m = multipartFile(name, monthly(uscc));
      return as(who, 'POST', '/api/imports?kind=monthly', m.payload, m.headers);
    };
    const impIn = ok(await upload('nanhu', fixtureUscc(1), 'nanhu-11.csv'), 'nanhu import');
    const impOut = ok(await upload('tongxiang', fixtureUscc(3, TONGXIANG), 'tx-11.csv'), 'tongxiang import');
    const batch = (who: string, uscc: string, name: string) => {
      const m = multipartFiles([{ field: 'monthly', fileName: name, content: monthly(uscc) }]);
      return as(who, 'POST', '/api/imports/batches', m.payload, m.headers);
    };
    const batchIn = ok(await batch('nanhu', fixtureUscc(1), 'b-nanhu.csv'), 'nanhu batch');
    const batchOut = ok(await batch('tongxiang', fixtureUscc(3, TONGXIANG), 'b-tx.csv'), 'tongxiang batch');
    await waitForJobs();

    // evaluation: a published city-wide run (every reader sees it) and a draft of 桐乡 (only the city)
    const fixtureAdmin = (id: number): AuthedUser => {
      const base = {
        id,
        username: `matrix-${id}`,
        displayName: 'matrix',
        role: 'admin' as const,
        regionCode: null,
        regionName: null,
        clusterCode: null,
        enterpriseId: null,
        sessionTokenHash: '',
      };
      return { ...base, scope: scopeOf(base) };
    };
    const actor = { id: null, username: 'matrix' };
    await d.db.insert(annualInputs).values([
      { enterpriseId: fx.ids.tongxiangTextile, year: 2025, landMu: 80, taxPaid: 900, valueAdded: 5000 },
      { enterpriseId: fx.ids.pinghuChem, year: 2025, landMu: 40, taxPaid: 300, valueAdded: 2000 },
    ]);
    const cityRun = await createRun(d, fixtureAdmin(-1), actor, { year: 2025 });
    await submitRun(d.db, fixtureAdmin(-1), cityRun.id, actor);
    await publishRun(d.db, fixtureAdmin(-2), cityRun.id, actor);
    const txRun = await createRun(d, fixtureAdmin(-1), actor, { year: 2025, regionCode: TONGXIANG });

    // projects: 南湖 textile (in scope of the 南湖 officer and the textile agency) and 平湖 chemicals
    const project = (who: string, body: Record<string, unknown>) =>
      as(who, 'POST', '/api/projects', {
        kind: 'investment',
        investorName: '示例投资有限公司',
        plannedTotalInvestment: 12_000,
        plannedFixedInvestment: 10_000,
        priority: 'high',
        likelihood: 'medium',
        stage: 'signed',
        ...body,
      });
    const projIn = ok(
      // the enterprise user's own firm invests in it, so every reader of projects sees it
      await project('nanhu', {
        name: '矩阵测试南湖项目',
        regionCode: NANHU,
        clusterCode: 'textile',
        investorEnterpriseId: fx.ids.nanhuTextile,
      }),
      'nanhu project',
    );
    const projOut = ok(
      await project('admin', { name: '矩阵测试平湖项目', regionCode: PINGHU, clusterCode: 'chem_materials' }),
      'pinghu project',
    );
    const doc = (id: number) =>
      as('admin', 'POST', `/api/projects/${id}/stages/signed/documents`, {
        fileName: '合同.pdf',
        contentBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
      });
    const docOf = (res: LightMyRequestResponse) =>
      String(
        json<{ stages: { stage: string; evidence: { documentId?: number }[] }[] }>(res)
          .stages.find((s) => s.stage === 'signed')!
          .evidence.at(-1)!.documentId,
      );
    const docIn = docOf(await doc(projIn.id));
    const docOut = docOf(await doc(projOut.id));

    // cultivation: an entry of the 南湖 textile firm with evidence (the enterprise user's own firm)
    const entry = ok(
      await as('admin', 'POST', '/api/cultivation/entries', {
        enterpriseId: fx.ids.nanhuTextile,
        library: 'zhuanjingtexin',
      }),
      'cultivation entry',
    );
    const moved = await as('admin', 'POST', `/api/cultivation/entries/${entry.id}/move`, {
      to: 'applying',
      evidence: {
        fileName: '申报书.pdf',
        contentBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
      },
    });
    const cultivationDoc = json<{ events: { documentId: number | null }[] }>(moved).events.find(
      (e) => e.documentId,
    )!.documentId!;
    const entryOut = ok(
      await as('admin', 'POST', '/api/cultivation/entries', {
        enterpriseId: fx.ids.pinghuChem,
        library: 'zhuanjingtexin',
      }),
      'cultivation entry out of scope',
    );

    // service: a request of the 南湖 textile firm (filed by the firm itself) assigned to a department unit
    // the department user acts for, and one of the 平湖 chemicals firm no limited role may read
    const unit = await createUnit(d.db, actor, {
      code: 'matrix.department',
      name: '矩阵测试部门',
      kind: 'department',
      level: 'city',
    });
    const [deptUser] = await d.db
      .select()
      .from(users)
      .where(eq(users.username, fx.users.department!.username));
    await setUnitMember(d.db, actor, { unitId: unit.id, userId: deptUser!.id });
    const serviceRequest = (who: string, body: Record<string, unknown>) =>
      as(who, 'POST', '/api/service/requests', {
        nature: 'help',
        category: 'construction',
        title: '新厂房用电增容',
        description: '新建厂房需要用电增容，请协调供电公司。',
        ...body,
      });
    // each with a file (its download is scoped like the request)
    const withFile = {
      files: [
        { fileName: '用电申请.pdf', contentBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') },
      ],
    };
    const filedIn = json<{ request: { id: number }; files: { id: number }[] }>(
      await serviceRequest('enterprise', withFile),
    );
    const requestIn = filedIn.request;
    ok(
      await as('admin', 'POST', `/api/service/requests/${requestIn.id}/actions`, {
        transition: 'assign',
        ownerUnitId: unit.id,
      }),
      'service request assigned',
    );
    const filedOut = json<{ request: { id: number }; files: { id: number }[] }>(
      await serviceRequest('admin', { enterpriseId: fx.ids.pinghuChem, ...withFile }),
    );
    const requestOut = filedOut.request;
    if (!requestIn?.id || !requestOut?.id) throw new Error('service requests were not filed');
    QUERY['/api/service/requests/duplicates'] =
      `enterpriseId=${fx.ids.nanhuTextile}&title=${encodeURIComponent('用电增容')}`;

    // alerts: one open firm alert in 南湖 textile and one in 平湖 chemicals, as the monthly evaluation
    // raises them (the evaluation itself is tested in alerts.test.ts)
    const alert = (enterpriseId: number, regionCode: string, clusterCode: string) => ({
      subjectKind: 'firm',
      subjectKey: `firm:${enterpriseId}`,
      enterpriseId,
      regionCode,
      clusterCode,
      signal: 'output_yoy',
      ruleId: 'output_drop',
      level: 'yellow',
      ruleSetVersion: 1,
      firstMonth: '2025-11-01',
      lastMonth: '2025-11-01',
      evidence: [{ month: '2025-11', values: { output_yoy: -35 } }],
    });
    const [alertIn, alertOut] = await d.db
      .insert(alerts)
      .values([
        alert(fx.ids.nanhuTextile, NANHU, 'textile'),
        alert(fx.ids.pinghuChem, PINGHU, 'chem_materials'),
      ])
      .returning({ id: alerts.id });

    // cluster index: an edition drafted by the analyst, reviewed and published by the administrator (every
    // reader sees it), and a draft no county or agency sees
    const edition = ok(
      await as('analyst', 'POST', '/api/index/editions', { years: { from: 2024, to: 2025 } }),
      'index edition',
    );
    const move = (who: string, id: number, action: string) =>
      as(who, 'POST', `/api/index/editions/${id}/transition`, { action });
    ok(await move('analyst', edition.id, 'submit'), 'index edition submitted');
    ok(await move('admin', edition.id, 'review'), 'index edition reviewed');
    ok(await move('admin', edition.id, 'publish'), 'index edition published');
    const editionDraft = ok(
      await as('analyst', 'POST', '/api/index/editions', { reason: '矩阵测试：一次更正' }),
      'index draft',
    );
    QUERY['/api/index/compare'] = `a=${edition.id}&b=${edition.id}&period=2025`;

    // platforms: one in 南湖 of the textile cluster (every reader's), one in 平湖 (nobody limited sees it)
    const platform = (name: string, regionCode: string, clusterCode: string) =>
      as('admin', 'POST', '/api/platforms', {
        name,
        kind: 'feature_park',
        level: 'city',
        regionCode,
        zoneCode: null,
        clusterCode,
        year: 2024,
        source: '矩阵测试',
      });
    const platformIn = ok(await platform('南湖纺织特色产业园', NANHU, 'textile'), 'platform');
    const platformOut = ok(await platform('平湖化工特色产业园', PINGHU, 'chem_materials'), 'platform out');

    // county assessment: drafted and submitted by the analyst, reviewed and published by the
    // administrator; a correction draft no reader sees
    const assessment = ok(
      await as('analyst', 'POST', '/api/assessment/editions', { year: 2025 }),
      'assessment',
    );
    const moveA = (who: string, action: string) =>
      as(who, 'POST', `/api/assessment/editions/${assessment.id}/transition`, { action });
    ok(await moveA('analyst', 'submit'), 'assessment submitted');
    ok(await moveA('admin', 'review'), 'assessment reviewed');
    ok(await moveA('admin', 'publish'), 'assessment published');
    const assessmentDraft = ok(
      await as('analyst', 'POST', '/api/assessment/editions', { year: 2025, reason: '矩阵测试：更正' }),
      'assessment draft',
    );

    const [firstRuleSet] = await queryRows<{ id: number }>(
      d.db,
      sql`select min(id)::int as id from evaluation_rule_sets`,
    );
    // targets: a city-wide value the department reports (every reader of reports sees city-wide ones) and
    // a value of 桐乡 (outside the 南湖 officer's reports), each with an evidence file
    const evidence = [
      { fileName: '证明.pdf', contentBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') },
    ];
    const cityReport = json<{ id: number; documents: { id: number }[] }>(
      await as('department', 'POST', '/api/targets/reports', {
        setCode: 'five-clusters-2020',
        targetCode: 'deliverable-statistics-system',
        regionCode: '330400',
        year: 2025,
        value: 1,
        evidence,
      }),
    );
    const txReport = json<{ id: number; documents: { id: number }[] }>(
      await as('tongxiang', 'POST', '/api/targets/reports', {
        setCode: 'five-clusters-2020',
        targetCode: 'brands-global',
        regionCode: TONGXIANG,
        year: 2025,
        value: 1,
        evidence,
      }),
    );
    const ruleSetId = firstRuleSet!.id;
    const ids = fx.ids;
    const I = (n: number) => String(n);
    Object.assign(objects, {
      '/api/enterprises/:id': { in: { id: I(ids.nanhuTextile) }, out: { id: I(ids.pinghuChem) } },
      '/api/imports/:id': { in: { id: I(impIn.id) }, out: { id: I(impOut.id) } },
      '/api/imports/:id/problems': { in: { id: I(impIn.id) }, out: { id: I(impOut.id) } },
      '/api/imports/:id/report': { in: { id: I(impIn.id) }, out: { id: I(impOut.id) } },
      '/api/imports/batches/:id': { in: { id: I(batchIn.id) }, out: { id: I(batchOut.id) } },
      '/api/imports/templates/:kind': { in: { kind: 'monthly' } },
      '/api/imports/export/:kind': { in: { kind: 'monthly' } },
      '/api/monitoring/clusters/:code': { in: { code: 'textile' } },
      '/api/monitoring/regions/:code': { in: { code: NANHU } },
      '/api/evaluation/rule-sets/:id': { in: { id: I(ruleSetId) } },
      '/api/evaluation/runs/:id': { in: { id: I(cityRun.id) }, out: { id: I(txRun.id) } },
      '/api/evaluation/runs/:id/results': { in: { id: I(cityRun.id) }, out: { id: I(txRun.id) } },
      '/api/evaluation/runs/:id/class-counts': { in: { id: I(cityRun.id) }, out: { id: I(txRun.id) } },
      '/api/evaluation/runs/:id/policies': { in: { id: I(cityRun.id) }, out: { id: I(txRun.id) } },
      '/api/evaluation/runs/:id/ledger.xlsx': { in: { id: I(cityRun.id) }, out: { id: I(txRun.id) } },
      '/api/evaluation/runs/:id/results/:enterpriseId/explanation': {
        in: { id: I(cityRun.id), enterpriseId: I(ids.nanhuTextile) },
        out: { id: I(cityRun.id), enterpriseId: I(ids.pinghuChem) },
      },
      '/api/projects/:id': { in: { id: I(projIn.id) }, out: { id: I(projOut.id) } },
      '/api/projects/:id/documents/:documentId': {
        in: { id: I(projIn.id), documentId: docIn },
        out: { id: I(projOut.id), documentId: docOut },
      },
      '/api/cultivation/firms/:id': { in: { id: I(ids.nanhuTextile) }, out: { id: I(ids.pinghuChem) } },
      '/api/cultivation/entries/:id': { in: { id: I(entry.id) }, out: { id: I(entryOut.id) } },
      '/api/cultivation/documents/:id': { in: { id: I(cultivationDoc) } },
      '/api/targets/reports/:id': { in: { id: I(cityReport.id) }, out: { id: I(txReport.id) } },
      '/api/targets/documents/:id': {
        in: { id: I(cityReport.documents[0]!.id) },
        out: { id: I(txReport.documents[0]!.id) },
      },
      '/api/service/requests/:id': { in: { id: I(requestIn.id) }, out: { id: I(requestOut.id) } },
      '/api/service/requests/:id/files/:fileId': {
        in: { id: I(requestIn.id), fileId: I(filedIn.files[0]!.id) },
        out: { id: I(requestOut.id), fileId: I(filedOut.files[0]!.id) },
      },
      '/api/alerts/:id': { in: { id: I(alertIn!.id) }, out: { id: I(alertOut!.id) } },
      '/api/alerts/profile/:key': {
        in: { key: `firm:${ids.nanhuTextile}` },
        out: { key: `firm:${ids.pinghuChem}` },
      },
      ...Object.fromEntries(
        ['', '/results', '/firms', '/export.xlsx', '/export.csv', '/export.json'].map((tail) => [
          `/api/index/editions/:id${tail}`,
          { in: { id: I(edition.id) }, out: { id: I(editionDraft.id) } },
        ]),
      ),
      '/api/platforms/:id': { in: { id: I(platformIn.id) }, out: { id: I(platformOut.id) } },
      '/api/assessment/editions/:id': { in: { id: I(assessment.id) }, out: { id: I(assessmentDraft.id) } },
      '/api/assessment/editions/:id/export.xlsx': {
        in: { id: I(assessment.id) },
        out: { id: I(assessmentDraft.id) },
      },
      ...Object.fromEntries(
        ['', '/report.pdf'].map((tail) => [
          `/api/assessment/editions/:id/counties/:code${tail}`,
          { in: { id: I(assessment.id), code: NANHU }, out: { id: I(assessment.id), code: TONGXIANG } },
        ]),
      ),
      '/api/chains/:code': { in: { code: 'textile' } },
      '/api/chains/:code/gaps': { in: { code: 'textile' } },
      '/api/chains/:code/quadrants': { in: { code: 'textile' } },
      '/api/chains/:code/history': { in: { code: 'textile' } },
      '/api/chains/:code/roadmap': { in: { code: 'textile' } },
      '/api/chains/:code/roadmap.xlsx': { in: { code: 'textile' } },
      '/api/chains/:code/targets': { in: { code: 'textile' } },
      '/api/chains/:code/projects': { in: { code: 'textile' } },
      '/api/chains/:code/nodes/:node/enterprises': { in: { code: 'textile', node: 'polyester' } },
    });

    // evaluation flags, editor, objection files: the enterprise user's objection with an evidence file (in
    // every reader's scope) and one of the 平湖 chemicals firm (outside the 南湖 officer's, the textile
    // agency's and the enterprise user's)
    const objection = ok(
      await as('enterprise', 'POST', `/api/evaluation/runs/${cityRun.id}/objections`, {
        enterpriseId: ids.nanhuTextile,
        text: '用地面积有误',
        evidence: '不动产权证',
      }),
      'objection',
    );
    const fileIn = ok(
      await as('enterprise', 'POST', `/api/evaluation/objections/${objection.id}/files`, {
        fileName: '不动产权证.pdf',
        contentBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
      }),
      'objection file',
    );
    const [objectionOut] = await d.db
      .insert(evaluationObjections)
      .values({
        runId: cityRun.id,
        enterpriseId: ids.pinghuChem,
        filedByName: '平湖企业',
        text: '税收数据有误',
        evidence: '完税证明',
      })
      .returning();
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const [fileOut] = await storeDocuments(
      d.db,
      'evaluation_objection',
      objectionOut!.id,
      [
        {
          fileName: '完税证明.pdf',
          contentType: 'application/pdf',
          content: pdf,
          sha256: createHash('sha256').update(pdf).digest('hex'),
        },
      ],
      { enterpriseId: ids.pinghuChem, userName: '平湖企业' },
    );
    // bulletins: 南湖's (the county officer's), the textile cluster's (the agency's), 桐乡's (neither's)
    const bulletinOf = async (kind: 'county' | 'cluster', code: string) =>
      I(await seedBulletin(d.db, { month: '2025-12', kind, code }));
    const [nanhuBulletin, textileBulletin, tongxiangBulletin] = [
      await bulletinOf('county', NANHU),
      await bulletinOf('cluster', 'textile'),
      await bulletinOf('county', TONGXIANG),
    ];
    for (const url of [
      '/api/bulletins/:id',
      '/api/bulletins/:id/preview',
      '/api/bulletins/:id/files/:format',
    ])
      objects[url] = {
        in: { id: nanhuBulletin, format: 'pdf' },
        inFor: { cluster_agency: { id: textileBulletin, format: 'xlsx' } },
        out: { id: tongxiangBulletin, format: 'pdf' },
      };

    objects['/api/evaluation/objections/:id/files/:fileId'] = {
      in: { id: I(objection.id), fileId: I(fileIn.id) },
      out: { id: I(objectionOut!.id), fileId: I(fileOut!.id) },
    };

    // which firms each limited role must never see
    const firms = await d.db.select().from(enterprises);
    const byId = new Map(firms.map((f) => [f.id, [f.name, f.uscc]]));
    const names = (...list: number[]) => list.flatMap((id) => byId.get(id) ?? []);
    hidden.county = names(ids.tongxiangTextile, ids.pinghuChem);
    hidden.cluster_agency = names(ids.nanhuOther, ids.pinghuChem);
    hidden.enterprise = names(ids.nanhuOther, ids.tongxiangTextile, ids.pinghuChem);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  /** Query strings the read routes need to answer 200 (some name fixture objects: set in beforeAll). */
  const QUERY: Record<string, string> = {
    '/api/evaluation/simulate': 'year=2025&a=1&b=1',
    '/api/evaluation/watch': 'year=2025',
    '/api/evaluation/aggregates': 'by=region',
    '/api/evaluation/class-trend': 'by=region',
    '/api/evaluation/runs/:id/ledger.xlsx': 'department=power',
    '/api/cultivation/candidates': 'library=zhuanjingtexin',
    '/api/assessment/process': 'year=2025',
    '/api/targets/breakdown': 'setCode=five-clusters-2020&targetCode=brands-global&year=2025',
    '/api/index/editions/:id/firms': 'frequency=year&period=2025&cluster=textile',
  };

  const fill = (url: string, params: Params | undefined): string | null => {
    let missing = false;
    const path = url.replace(/:(\w+)/g, (_, name: string) => {
      const v = params?.[name];
      if (v === undefined) missing = true;
      return v ?? '1';
    });
    return missing ? null : path;
  };

  /** Everything a response says, xlsx workbooks included, for the leak check. */
  async function textOf(res: LightMyRequestResponse): Promise<string> {
    if (String(res.headers['content-type'] ?? '').startsWith(XLSX)) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as never);
      const cells: string[] = [];
      wb.eachSheet((ws) => ws.eachRow((row) => cells.push(JSON.stringify(row.values))));
      return cells.join('\n');
    }
    return res.body;
  }

  /** Every row of every table: a refused write must leave all of them as they were. */
  async function snapshot(): Promise<string> {
    const tables = await queryRows<{ name: string }>(
      d.db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    );
    const counts = await queryRows<{ name: string; n: number; h: string }>(
      d.db,
      sql.raw(
        tables
          .map(
            (t) =>
              `select '${t.name}' as name, count(*)::int as n, coalesce(md5(string_agg(md5(x::text), '' order by md5(x::text))), '') as h from "${t.name}" x`,
          )
          .join(' union all '),
      ),
    );
    return JSON.stringify(counts);
  }

  it('every route declares its policy, and every (route, role) cell behaves as the policy says', async () => {
    const routes = app.routeList.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));
    const undeclared = routes.filter((r) => !r.public && !r.policy).map((r) => `${r.method} ${r.url}`);
    expect(undeclared, 'routes without config.policy').toEqual([]);

    const failures: string[] = [];
    let cells = 0;
    let outOfScope = 0;
    const declared = routes.filter((x) => !x.public);
    const send = (method: string, url: string, role?: Role) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: role ? { cookie: cookies[AS[role]]! } : {},
      });
    const inPathOf = (url: string) => fill(url, objects[url]?.in) ?? url.replace(/:(\w+)/g, '1');

    // 1. refusals first: no session → 401; a role without the grant → 403 无权限 — and nothing changed
    const before = await snapshot();
    for (const r of declared) {
      const anon = await send(r.method, inPathOf(r.url));
      if (anon.statusCode !== 401)
        failures.push(`${r.method} ${r.url} without a session: ${anon.statusCode}`);
      for (const role of ROLES) {
        if (decide({ role }, r.policy!.resource, r.policy!.action).allowed) continue;
        cells++;
        const res = await send(r.method, inPathOf(r.url), role);
        const zh = res.statusCode === 403 ? json<{ detailZh?: string }>(res).detailZh : '';
        if (res.statusCode !== 403 || !zh?.includes('无权限'))
          failures.push(`${r.method} ${r.url} as ${role}: expected 403 无权限, got ${res.statusCode}`);
      }
    }
    expect(await snapshot(), 'a refused request changed the database').toBe(before);

    // 2. reads by roles with the grant: in scope 200 naming no hidden firm; another county's object 404
    for (const r of declared.filter((x) => x.method === 'GET')) {
      const o = objects[r.url];
      for (const role of ROLES) {
        if (!decide({ role }, r.policy!.resource, r.policy!.action).allowed) continue;
        // a bulletin is its county's or its cluster's alone: no one object is in every reader's scope
        const path = fill(r.url, o?.inFor?.[role] ?? o?.in);
        if (path === null) {
          failures.push(`${r.method} ${r.url}: no in-scope object in the matrix fixtures`);
          continue;
        }
        cells++;
        const q = QUERY[r.url];
        const res = await send('GET', q ? `${path}?${q}` : path, role);
        if (res.statusCode !== 200)
          failures.push(
            `GET ${path} as ${role}: expected 200, got ${res.statusCode} ${res.body.slice(0, 200)}`,
          );
        const text = await textOf(res);
        for (const secret of hidden[role] ?? [])
          if (text.includes(secret)) failures.push(`GET ${path} as ${role} reveals ${secret}`);
        const outPath = o?.out ? fill(r.url, o.out) : null;
        if (outPath && LIMITED.includes(role)) {
          outOfScope++;
          const out = await send('GET', q ? `${outPath}?${q}` : outPath, role);
          if (out.statusCode !== 404)
            failures.push(`GET ${outPath} as ${role} (out of scope): expected 404, got ${out.statusCode}`);
        }
      }
    }
    console.log(
      `[policy-matrix ${t.kind}] ${routes.length} routes, ${cells} (route, role) cells checked, ${outOfScope} out-of-scope reads, ${failures.length} failures`,
    );
    expect(failures).toEqual([]);
  }, 300_000);
});
