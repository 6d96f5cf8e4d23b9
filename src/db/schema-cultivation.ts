// Enterprise cultivation (issue 20): a firm's path through a library (候选 → 入库培育 → 申报 → 认定 /
// 未通过), its history and evidence. Libraries and their criteria are city configuration
// (config/<city>/cultivation.json); screening is computed from the facts, never stored.
import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** One firm in one library's pipeline; the current stage (history in cultivation_events). */
export const cultivationEntries = pgTable(
  'cultivation_entries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    library: text('library').notNull(),
    /** nurturing | applying | recognised | rejected (a candidate has no row until it is taken in) */
    stage: text('stage').notNull(),
    /** the officer who owns the firm's cultivation */
    ownerUserId: bigint('owner_user_id', { mode: 'number' }),
    ownerName: text('owner_name'),
    /** the year of the screening that proposed it */
    year: integer('year').notNull(),
    /** 'demo' for rows the demo generator made (replaced on each run); null for real work */
    source: text('source'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cultivation_entries_key_idx').on(t.enterpriseId, t.library),
    index('cultivation_entries_library_idx').on(t.library, t.stage),
  ],
);

/** Every move of an entry, with who, when, why and the evidence document. */
export const cultivationEvents = pgTable(
  'cultivation_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    entryId: bigint('entry_id', { mode: 'number' }).notNull(),
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    note: text('note'),
    documentId: bigint('document_id', { mode: 'number' }),
    userId: bigint('user_id', { mode: 'number' }),
    username: text('username'),
    createdAt: createdAt(),
  },
  (t) => [index('cultivation_events_entry_idx').on(t.entryId)],
);
