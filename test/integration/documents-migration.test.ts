// The migrations that make evidence files one mechanism (issue 11) move every row of the former file tables
// into `documents` on a database that had them filled before they ran: no file lost, bytes unchanged, and
// the references that name a file by id (a project stage's evidence list, a cultivation move) follow the file
// to its new id. Each database is migrated up to just before the migration, filled through the old tables,
// then migrated to the end. The first moved four tables (0029, dropped by 0030); the second an objection's
// evidence files (evaluation_objection_files), which the objection routes then list and serve as before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { queryRows, runMigrations, type Database } from '../../src/db/client.ts';
import { findDocument } from '../../src/modules/documents/index.ts';
import { getObjectionFile, listObjectionFiles } from '../../src/modules/evaluation/evidence.ts';
import type { AuthedUser } from '../../src/server/auth-context.ts';
import { testDatabases } from '../helpers/databases.ts';

const DRIZZLE = path.resolve(import.meta.dirname, '../../drizzle');

/** A copy of the migrations folder whose journal stops before the migration whose tag matches `tag`. */
function migrationsBefore(tag: RegExp): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-docs-mig-'));
  fs.cpSync(DRIZZLE, dir, { recursive: true });
  const file = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => tag.test(e.tag));
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(file, JSON.stringify(journal));
  return dir;
}

/** Migrates `d` with the migrations of `folder` only. */
async function migrateWith(d: Database, folder: string) {
  if (d.kind === 'pglite') await migratePglite(d.db as never, { migrationsFolder: folder });
  else await migratePg(d.db as never, { migrationsFolder: folder });
}

/** Runs a seed script one statement at a time (PGlite's extended protocol takes one per call). */
async function seed(d: Database, script: string) {
  for (const stmt of script
    .split(/;\s*\n/)
    .map((x) => x.trim())
    .filter(Boolean))
    await d.db.execute(sql.raw(stmt.replace(/;$/, '')));
}

const hex = (s: string) => Buffer.from(s).toString('hex');

describe.each(testDatabases())('the documents migration moves every file ($kind)', (t) => {
  let d: Database;
  let folder: string;

  beforeAll(async () => {
    d = await t.open();
    folder = migrationsBefore(/_documents$/);
    await migrateWith(d, folder);
    // filled through the old tables, ids overlapping across them as they did
    await seed(
      d,
      `
      insert into users (username, display_name, password_hash, role) values ('officer', '区县专员', 'x', 'admin');
      insert into project_documents (id, project_id, stage, file_name, content_type, size_bytes, sha256, content, user_id, uploaded_by)
        overriding system value values
        (1, 10, 'approval', '立项批复.pdf', 'application/pdf', 4, 'p1', decode('${hex('pdf1')}', 'hex'), null, 'admin'),
        (2, 10, 'approval', '用地证明.jpg', 'image/jpeg', 4, 'p2', decode('${hex('jpg2')}', 'hex'), null, 'admin'),
        (3, 11, 'construction', '开工照片.png', 'image/png', 4, 'p3', decode('${hex('png3')}', 'hex'), null, 'county1');
      insert into project_stages (project_id, stage, evidence) values
        (10, 'approval', '[{"title":"批复","note":null,"documentId":1},{"title":"链接","url":"https://example.org/x"},{"title":"用地","documentId":2},{"title":"已删","documentId":99}]'),
        (11, 'construction', '[{"title":"照片","documentId":3}]'),
        (12, 'operation', '[]');
      insert into target_report_documents (id, report_id, revision, region_code, file_name, content_type, size_bytes, sha256, content, user_id)
        overriding system value values
        (1, 5, 2, '330402', '统计报表.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 4, 't1', decode('${hex('xls1')}', 'hex'),
         (select id from users where username = 'officer'));
      insert into cultivation_documents (id, entry_id, enterprise_id, file_name, content_type, size_bytes, sha256, content, user_id)
        overriding system value values (2, 7, 70, '认定通知.pdf', 'application/pdf', 4, 'c2', decode('${hex('pdfc')}', 'hex'), null);
      insert into cultivation_events (entry_id, enterprise_id, from_stage, to_stage, document_id) values
        (7, 70, 'applied', 'recognised', 2), (7, 70, null, 'applied', null);
      insert into service_request_files (id, request_id, stage, file_name, content_type, size_bytes, sha256, content, uploaded_by, uploaded_by_name)
        overriding system value values
        (1, 3, 'intake', '诉求材料.pdf', 'application/pdf', 4, 's1', decode('${hex('req1')}', 'hex'), 42, 'enterprise#9'),
        (2, 3, 'answer', '答复.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 4, 's2', decode('${hex('ans2')}', 'hex'), 43, 'county1');
    `,
    );
    await runMigrations(d);
  }, 300_000);
  afterAll(async () => {
    if (d) await t.dispose(d);
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('every file is in documents with its owner, place, uploader and bytes; the old tables are gone', async () => {
    const rows = await queryRows<Record<string, unknown>>(
      d.db,
      sql`select owner_kind, owner_id::int, stage, revision, region_code, enterprise_id::int, file_name,
            content_type, size_bytes, sha256, encode(content, 'escape') as content, user_name
          from documents order by id`,
    );
    expect(rows).toEqual([
      {
        owner_kind: 'project',
        owner_id: 10,
        stage: 'approval',
        revision: null,
        region_code: null,
        enterprise_id: null,
        file_name: '立项批复.pdf',
        content_type: 'application/pdf',
        size_bytes: 4,
        sha256: 'p1',
        content: 'pdf1',
        user_name: 'admin',
      },
      {
        owner_kind: 'project',
        owner_id: 10,
        stage: 'approval',
        revision: null,
        region_code: null,
        enterprise_id: null,
        file_name: '用地证明.jpg',
        content_type: 'image/jpeg',
        size_bytes: 4,
        sha256: 'p2',
        content: 'jpg2',
        user_name: 'admin',
      },
      {
        owner_kind: 'project',
        owner_id: 11,
        stage: 'construction',
        revision: null,
        region_code: null,
        enterprise_id: null,
        file_name: '开工照片.png',
        content_type: 'image/png',
        size_bytes: 4,
        sha256: 'p3',
        content: 'png3',
        user_name: 'county1',
      },
      {
        owner_kind: 'target_report',
        owner_id: 5,
        stage: null,
        revision: 2,
        region_code: '330402',
        enterprise_id: null,
        file_name: '统计报表.xlsx',
        content_type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        size_bytes: 4,
        sha256: 't1',
        content: 'xls1',
        user_name: 'officer',
      },
      {
        owner_kind: 'cultivation_entry',
        owner_id: 7,
        stage: null,
        revision: null,
        region_code: null,
        enterprise_id: 70,
        file_name: '认定通知.pdf',
        content_type: 'application/pdf',
        size_bytes: 4,
        sha256: 'c2',
        content: 'pdfc',
        user_name: null,
      },
      {
        owner_kind: 'service_request',
        owner_id: 3,
        stage: 'intake',
        revision: null,
        region_code: null,
        enterprise_id: null,
        file_name: '诉求材料.pdf',
        content_type: 'application/pdf',
        size_bytes: 4,
        sha256: 's1',
        content: 'req1',
        user_name: 'enterprise#9',
      },
      {
        owner_kind: 'service_request',
        owner_id: 3,
        stage: 'answer',
        revision: null,
        region_code: null,
        enterprise_id: null,
        file_name: '答复.docx',
        content_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        size_bytes: 4,
        sha256: 's2',
        content: 'ans2',
        user_name: 'county1',
      },
    ]);
    const [gone] = await queryRows<Record<string, string | null>>(
      d.db,
      sql`select to_regclass('project_documents')::text as p, to_regclass('target_report_documents')::text as t,
            to_regclass('cultivation_documents')::text as c, to_regclass('service_request_files')::text as s,
            (select count(*) from information_schema.columns where table_name = 'documents' and column_name = 'legacy_id')::text as legacy`,
    );
    expect(gone).toEqual({ p: null, t: null, c: null, s: null, legacy: '0' });
  });

  it('a stage’s evidence list and a cultivation move point at the moved files (a missing file: null)', async () => {
    const stages = await queryRows<{
      project_id: number;
      evidence: { title: string; documentId?: number | null }[];
    }>(d.db, sql`select project_id::int, evidence from project_stages order by project_id`);
    const idOf = async (sha: string) =>
      (await queryRows<{ id: number }>(d.db, sql`select id::int from documents where sha256 = ${sha}`))[0]!
        .id;
    expect(stages).toEqual([
      {
        project_id: 10,
        evidence: [
          { title: '批复', note: null, documentId: await idOf('p1') },
          { title: '链接', url: 'https://example.org/x' },
          { title: '用地', documentId: await idOf('p2') },
          { title: '已删', documentId: null },
        ],
      },
      { project_id: 11, evidence: [{ title: '照片', documentId: await idOf('p3') }] },
      { project_id: 12, evidence: [] },
    ]);
    const events = await queryRows<{ document_id: number | null }>(
      d.db,
      sql`select document_id::int from cultivation_events order by id`,
    );
    expect(events).toEqual([{ document_id: await idOf('c2') }, { document_id: null }]);
    // the files are served through the one store, by owner: a project's file under its project only
    const doc = await findDocument(d.db, 'project', await idOf('p2'), { ownerId: 10 });
    expect(doc?.content.toString()).toBe('jpg2');
    expect(await findDocument(d.db, 'project', await idOf('p2'), { ownerId: 11 })).toBeUndefined();
    expect(await findDocument(d.db, 'target_report', await idOf('p2'))).toBeUndefined();
  });

  it('new files get ids after the moved ones', async () => {
    const [row] = await queryRows<{ id: number; max: number }>(
      d.db,
      sql`with n as (insert into documents (owner_kind, owner_id, file_name, content_type, size_bytes, sha256, content)
            values ('project', 10, 'x.pdf', 'application/pdf', 1, 'x', '\\x00'::bytea) returning id)
          select n.id::int, (select max(id) from documents where sha256 <> 'x')::int as max from n`,
    );
    expect(row!.id).toBeGreaterThan(row!.max);
  });
});

const as = (scope: AuthedUser['scope']): AuthedUser => ({
  id: 1,
  username: 'reader',
  displayName: 'reader',
  role: scope.kind === 'region' ? 'county' : 'admin',
  regionCode: scope.kind === 'region' ? scope.regionCode : null,
  regionName: null,
  clusterCode: null,
  enterpriseId: null,
  scope,
  sessionTokenHash: '',
});

describe.each(testDatabases())('the objection files migration moves every file ($kind)', (t) => {
  let d: Database;
  let folder: string;

  beforeAll(async () => {
    d = await t.open();
    folder = migrationsBefore(/_objection_files_to_documents$/);
    await migrateWith(d, folder);
    // a file already in documents (id 1), and objection files whose ids overlap it: two of a 南湖 firm's
    // objection, one of a 桐乡 firm's
    await seed(
      d,
      `
      insert into documents (owner_kind, owner_id, file_name, content_type, size_bytes, sha256, content)
        values ('project', 10, '立项批复.pdf', 'application/pdf', 4, 'p1', decode('${hex('pdf1')}', 'hex'));
      insert into enterprises (id, uscc, name, region_code, industry_code, scale) overriding system value values
        (70, '91330402MA2B000001', '南湖示例纺织有限公司', '330402', 'C1751', 'above'),
        (71, '91330483MA2B000002', '桐乡示例纺织有限公司', '330483', 'C1751', 'above');
      insert into evaluation_objections (id, run_id, enterprise_id, filed_by_name, text, evidence) overriding system value values
        (5, 9, 70, '南湖示例', '用地面积有误', '不动产权证'),
        (6, 9, 71, '桐乡示例', '税收漏报', '完税证明');
      insert into evaluation_objection_files (id, objection_id, file_name, content_type, size_bytes, sha256, content, user_id, uploaded_by, created_at)
        overriding system value values
        (1, 5, '不动产权证.pdf', 'application/pdf', 4, 'o1', decode('${hex('obj1')}', 'hex'), 42, '南湖示例', '2025-06-01T08:00:00Z'),
        (2, 5, '测绘图.png', 'image/png', 4, 'o2', decode('${hex('obj2')}', 'hex'), 42, '南湖示例', '2025-06-01T08:05:00Z'),
        (3, 6, '完税证明.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 4, 'o3', decode('${hex('obj3')}', 'hex'), null, null, '2025-06-02T09:00:00Z');
    `,
    );
    await runMigrations(d);
  }, 300_000);
  afterAll(async () => {
    if (d) await t.dispose(d);
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('every file is in documents under its objection, with its firm, uploader, time and bytes; the table is gone', async () => {
    const rows = await queryRows<Record<string, unknown>>(
      d.db,
      sql`select owner_id::int, enterprise_id::int, file_name, content_type, size_bytes, sha256,
            encode(content, 'escape') as content, user_id::int, user_name, created_at
          from documents where owner_kind = 'evaluation_objection' order by id`,
    );
    expect(rows.map((r) => ({ ...r, created_at: new Date(r.created_at as string).toISOString() }))).toEqual([
      {
        owner_id: 5,
        enterprise_id: 70,
        file_name: '不动产权证.pdf',
        content_type: 'application/pdf',
        size_bytes: 4,
        sha256: 'o1',
        content: 'obj1',
        user_id: 42,
        user_name: '南湖示例',
        created_at: '2025-06-01T08:00:00.000Z',
      },
      {
        owner_id: 5,
        enterprise_id: 70,
        file_name: '测绘图.png',
        content_type: 'image/png',
        size_bytes: 4,
        sha256: 'o2',
        content: 'obj2',
        user_id: 42,
        user_name: '南湖示例',
        created_at: '2025-06-01T08:05:00.000Z',
      },
      {
        owner_id: 6,
        enterprise_id: 71,
        file_name: '完税证明.xlsx',
        content_type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        size_bytes: 4,
        sha256: 'o3',
        content: 'obj3',
        user_id: null,
        user_name: null,
        created_at: '2025-06-02T09:00:00.000Z',
      },
    ]);
    const [gone] = await queryRows<{ t: string | null; project: string }>(
      d.db,
      sql`select to_regclass('evaluation_objection_files')::text as t,
            (select file_name from documents where id = 1) as project`,
    );
    // the file that was there keeps its id
    expect(gone).toEqual({ t: null, project: '立项批复.pdf' });
  });

  it('the objection routes list and serve the moved files, within the reader’s scope only', async () => {
    const idOf = async (sha: string) =>
      (await queryRows<{ id: number }>(d.db, sql`select id::int from documents where sha256 = ${sha}`))[0]!
        .id;
    const [o1, o2, o3] = [await idOf('o1'), await idOf('o2'), await idOf('o3')];
    expect(Math.min(o1, o2, o3)).toBeGreaterThan(1);
    const city = await listObjectionFiles(d.db, as({ kind: 'all' }), { runId: 9 });
    expect(city.items).toEqual([
      {
        id: o3,
        objectionId: 6,
        fileName: '完税证明.xlsx',
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        sizeBytes: 4,
        sha256: 'o3',
        uploadedBy: null,
        createdAt: '2025-06-02T09:00:00.000Z',
      },
      {
        id: o1,
        objectionId: 5,
        fileName: '不动产权证.pdf',
        contentType: 'application/pdf',
        sizeBytes: 4,
        sha256: 'o1',
        uploadedBy: '南湖示例',
        createdAt: '2025-06-01T08:00:00.000Z',
      },
      {
        id: o2,
        objectionId: 5,
        fileName: '测绘图.png',
        contentType: 'image/png',
        sizeBytes: 4,
        sha256: 'o2',
        uploadedBy: '南湖示例',
        createdAt: '2025-06-01T08:05:00.000Z',
      },
    ]);
    const nanhu = as({ kind: 'region', regionCode: '330402' });
    expect((await listObjectionFiles(d.db, nanhu, {})).items.map((f) => f.id)).toEqual([o1, o2]);
    expect((await getObjectionFile(d.db, nanhu, 5, o2)).content.toString()).toBe('obj2');
    // another county's objection, and a file asked under the wrong objection: 404
    await expect(getObjectionFile(d.db, nanhu, 6, o3)).rejects.toMatchObject({ status: 404 });
    await expect(getObjectionFile(d.db, as({ kind: 'all' }), 6, o1)).rejects.toMatchObject({
      status: 404,
    });
    // the files are documents of their objection only
    expect(await findDocument(d.db, 'project', o1)).toBeUndefined();
  });
});
