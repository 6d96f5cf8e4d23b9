// The migration that makes evidence files one mechanism (issue 11) moves every row of the four former file
// tables into `documents` on a database that had them filled before it ran: no file lost, bytes unchanged,
// and the references that name a file by id (a project stage's evidence list, a cultivation move) follow
// the file to its new id. The database is migrated up to just before that migration, filled through the
// old tables, then migrated to the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { queryRows, runMigrations, type Database } from '../../src/db/client.ts';
import { findDocument } from '../../src/modules/documents/index.ts';
import { testDatabases } from '../helpers/databases.ts';

const DRIZZLE = path.resolve(import.meta.dirname, '../../drizzle');

/** A copy of the migrations folder whose journal stops before the migration named `*_documents`. */
function migrationsBeforeDocuments(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-docs-mig-'));
  fs.cpSync(DRIZZLE, dir, { recursive: true });
  const file = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => /_documents$/.test(e.tag));
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(file, JSON.stringify(journal));
  return dir;
}

const hex = (s: string) => Buffer.from(s).toString('hex');

describe.each(testDatabases())('the documents migration moves every file ($kind)', (t) => {
  let d: Database;
  let folder: string;

  beforeAll(async () => {
    d = await t.open();
    folder = migrationsBeforeDocuments();
    if (d.kind === 'pglite') await migratePglite(d.db as never, { migrationsFolder: folder });
    else await migratePg(d.db as never, { migrationsFolder: folder });
    // filled through the old tables, ids overlapping across them as they did
    const seed = `
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
    `;
    // one statement at a time (PGlite's extended protocol takes one per call)
    for (const stmt of seed
      .split(/;\s*\n/)
      .map((x) => x.trim())
      .filter(Boolean))
      await d.db.execute(sql.raw(stmt.replace(/;$/, '')));
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
