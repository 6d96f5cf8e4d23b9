// The project pages' answers (list, stalled, kanban, Gantt, by county, growth, a project's page), kept per
// reader's scope, query and day at the projects' answer version, as the bytes a route sends (issue 13: 144–454
// ms p95 at 50 connections for city roles while the loaded projects were already kept — each request still
// waited for a digest of every project, stage and progress row (≈ 100 ms under load), then assessed, sorted,
// validated and serialised every project of its scope again).
//
// The answer version has two parts:
// - a stamp (meta `projects_version`) that every write of this capability sets inside its transaction, read
//   on every request (one primary-key row): a write through the application shows in the very next read of
//   any server process;
// - a digest of the tables the answers are computed from, read at most once per DIGEST_TTL_MS by one query
//   shared by every reader: a change made outside the application (SQL by hand, another tool) shows within
//   that time, as with the other capabilities' kept answers.
import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { answerCache } from '../../db/answer-cache.ts';
import { queryRows, type Db } from '../../db/client.ts';
import {
  clusters,
  investmentStatistics,
  meta,
  projectProgress,
  projectRisks,
  projectStageChanges,
  projectStages,
  projects,
  regions,
  zones,
} from '../../db/schema.ts';
import { clusterNodeList } from '../chains/index.ts';

const PROJECTS_VERSION_KEY = 'projects_version';
/** How long a digest read is trusted (a change made outside the application shows within it). */
export const DIGEST_TTL_MS = 1000;

const digestSum = (t: PgTable, alias: string) =>
  sql`(select count(*)::text || '/' || coalesce(sum(hashtext(${sql.raw(alias)}::text)), 0)::text from ${t} ${sql.raw(alias)})`;

async function readDigest(db: Db): Promise<string> {
  const [[row], nodes] = await Promise.all([
    queryRows<{ v: string }>(
      db,
      sql`select ${digestSum(projects, 'p')} || ':' || ${digestSum(projectStages, 's')} || ':' ||
                 ${digestSum(projectProgress, 'g')} || ':' || ${digestSum(projectRisks, 'k')} || ':' ||
                 ${digestSum(projectStageChanges, 'c')} || ':' || ${digestSum(investmentStatistics, 'i')} || ':' ||
                 ${digestSum(regions, 'r')} || ':' || ${digestSum(zones, 'z')} || ':' ||
                 ${digestSum(clusters, 'l')} as v`,
    ),
    // chain node names (a project page names its node) belong to the chains capability: read through it
    clusterNodeList(db),
  ]);
  return `${row!.v}:${nodes.length}/${hash(JSON.stringify(nodes))}`;
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

interface Digest {
  value: string;
  at: number;
  pending: Promise<string> | null;
}
const digests = new WeakMap<Db, Digest>();
/** Digest reads and the readers that waited for one, for the reads bench's trace (BENCH_READS_TRACE). */
export const digestCounts = { reads: 0, waits: 0 };

function digest(db: Db): Promise<string> {
  let d = digests.get(db);
  if (!d) digests.set(db, (d = { value: '', at: 0, pending: null }));
  if (Date.now() - d.at < DIGEST_TTL_MS) return Promise.resolve(d.value);
  const kept = d;
  const started = Date.now();
  digestCounts.waits++;
  if (!kept.pending) digestCounts.reads++;
  kept.pending ??= readDigest(db)
    .then((v) => {
      kept.value = v;
      kept.at = started;
      return v;
    })
    .finally(() => {
      kept.pending = null;
    });
  return kept.pending;
}

/**
 * The answer version: the write stamp (read on every request) and the tables' digest (at most once a
 * second). Also the version of the loaded projects (repo.ts), so recomputing a kept answer does not digest
 * every project, stage and progress row again.
 */
export async function answerVersion(db: Db): Promise<string> {
  const [[row], d] = await Promise.all([
    queryRows<{ v: string | null }>(
      db,
      sql`select value::text as v from ${meta} where key = ${PROJECTS_VERSION_KEY}`,
    ),
    digest(db),
  ]);
  return `${row?.v ?? ''}|${d}`;
}

const cache = answerCache({ version: answerVersion, ttlMs: 0, maxEntries: 1000 });
// Built workbooks (the library export: 0.5 MB and ≈ 0.8 s of one core for the city's 480 projects and
// 15,000 progress rows) are kept apart, at most 16 at once, so a run of filters cannot hold hundreds of
// them (the answers above are each a few kB).
const files = answerCache({ version: answerVersion, ttlMs: 0, maxEntries: 16 });

/**
 * Marks every kept project answer stale, in this process at once and (through the stamp, at the caller's
 * commit) in every other. The first statement of each write transaction of this capability: every writer
 * takes the stamp's row lock first, so writers queue on it in one order and never deadlock over it.
 */
export async function bumpProjectsVersion(tx: Db): Promise<void> {
  const value = { at: new Date().toISOString(), nonce: Math.random().toString(36).slice(2) };
  await tx
    .insert(meta)
    .values({ key: PROJECTS_VERSION_KEY, value })
    .onConflictDoUpdate({ target: meta.key, set: { value } });
  cache.forget();
  files.forget();
}

/**
 * The kept answer for `key` at the current answer version, or `compute()` once for every reader asking
 * meanwhile. The key names every input: the route, its query, the reader's scope and the day.
 */
export function projectAnswer<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  return cache.answer(db, key, compute);
}

/** projectAnswer for a built workbook's bytes (a cache of its own, bounded to 16 files). */
export function projectFile(db: Db, key: string, compute: () => Promise<Buffer>): Promise<Buffer> {
  return files.answer(db, key, compute);
}
