// Evidence files of every capability in one table (issue 11: one mechanism, no copies): a project stage's
// scans, a reported target value's evidence, a cultivation move's recognition notice, a service request's
// attachments, an 亩均 objection's evidence. Kept in the database so that backups and both database kinds carry them; the allow-list, the
// size cap and the download headers live once in src/modules/documents. Each row names its owner
// (owner_kind + owner_id); the owner's module decides who may see it and asks this table through
// src/modules/documents/index.ts.
import { bigint, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './bytea.ts';

export const documents = pgTable(
  'documents',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** project | target_report | cultivation_entry | service_request | evaluation_objection */
    ownerKind: text('owner_kind').notNull(),
    /** the project, reported value, cultivation entry, service request or objection the file belongs to */
    ownerId: bigint('owner_id', { mode: 'number' }).notNull(),
    /** a project's stage (立项 …) or a request's step (intake, supplement, answer, assist) */
    stage: text('stage'),
    /** the revision of a reported target value the file came with */
    revision: integer('revision'),
    /** the county (or city) of a reported value, so its scope check needs no second join */
    regionCode: text('region_code'),
    /** the firm of a cultivation entry or an objection, so its scope check goes through the registry */
    enterpriseId: bigint('enterprise_id', { mode: 'number' }),
    fileName: text('file_name').notNull(),
    /** derived from the file name's extension from an allow-list, never taken from the client */
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    userId: bigint('user_id', { mode: 'number' }),
    /** the uploader's user name as it was then */
    userName: text('user_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('documents_owner_idx').on(t.ownerKind, t.ownerId)],
);
