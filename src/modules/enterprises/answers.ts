// The registry list (企业列表) kept per reader's scope, filters and page at the registry's data version
// (src/db/answer-cache.ts). Each answer counts every firm matching in the scope and decorates a page with
// names, clusters, tiers and a year of output: 3–25 ms of database time on city data, and at 50
// connections on 2 cores the readers queue behind each other (p95 117–210 ms measured, issue 13). Readers
// mostly ask the same few pages (the first page of their scope, a filter), so one computation serves all.
//
// The version covers every input of an answer: the registry's change stamps (firms, memberships, tiers)
// and the facts' stamp (every committed or rolled-back import, the newest month: the year's output and the
// reference year). It is read at most once a second, so another server process's write shows within a
// second (1.25 s at most: the registry's stamps are one read shared by the caches, stamps.ts); this
// process's own writes forget the answers at once (registry edits here, every import through the
// facts-changed hook, tiers other capabilities record).
import { sql } from 'drizzle-orm';
import { answerCache } from '../../db/answer-cache.ts';
import { queryRows, type Db } from '../../db/client.ts';
import type { Scope } from '../../server/scope.ts';
import { factsChangeStamp, onFactsChanged } from '../imports/index.ts';
import { readRegistryStamps, registryWritten } from './stamps.ts';
import { enterpriseProfile } from './profile.ts';
import { listEnterprises } from './repo.ts';
import type { EnterpriseListQuery } from './schemas.ts';

async function dataVersion(db: Db): Promise<string> {
  const [registry, [row]] = await Promise.all([
    readRegistryStamps(db),
    queryRows<{ f: string }>(db, sql`select ${factsChangeStamp()} as f`),
  ]);
  return JSON.stringify([registry.enterprises, registry.memberships, registry.tiers, row?.f]);
}

// a page is up to 200 rows (≈ 80 KB kept): at most 500 answers keep memory bounded
const cache = answerCache({ version: dataVersion, ttlMs: 1000, maxEntries: 500 });
// One firm's answers (a profile, a firm user's own list: a few kB each) apart from the shared lists, so
// thousands of them never push the lists out: the profile is one statement of 1–1.5 ms database time that
// every reader of a firm asked again (issue 13: 78–134 ms p95 at 50 connections on a quiet machine).
const perFirm = answerCache({ version: dataVersion, ttlMs: 1000, maxEntries: 5000 });

/** Forgets the kept lists and profiles of this process: called by each registry, membership or tier write here. */
export function forgetEnterpriseAnswers(): void {
  registryWritten();
  cache.forget();
  perFirm.forget();
}

let registered = false;
/**
 * Every import (registry, facts, tiers; commit or rollback) forgets the kept lists inside its transaction,
 * as the monitoring answers are. Idempotent; called by the composition root's facts hooks.
 */
export function registerEnterpriseHooks(): void {
  if (registered) return;
  registered = true;
  onFactsChanged(async () => forgetEnterpriseAnswers(), 'enterprise list answers');
}

/**
 * One page of the registry within the scope (repo.ts listEnterprises), kept: the key names the scope and
 * every filter, sort and page of the (parsed, defaulted) query, so it separates readers and pages. A
 * firm's own list (one row) is kept among the firms' answers, never pushing the shared lists out.
 */
export function enterpriseList(db: Db, scope: Scope, q: EnterpriseListQuery) {
  const kept = scope.kind === 'enterprise' ? perFirm : cache;
  return kept.answer(db, `list:${JSON.stringify(scope)}:${JSON.stringify(q)}`, () =>
    listEnterprises(db, scope, q),
  );
}

/**
 * A firm's profile in the reader's scope (profile.ts; undefined outside it), kept per firm and scope at
 * the registry's and facts' version: every input of it (registry row, names, clusters, tiers, a year of
 * months, the annual inputs, the reference year) is stamped in dataVersion.
 */
export function keptProfile(db: Db, scope: Scope, id: number) {
  return perFirm.answer(db, `profile:${id}:${JSON.stringify(scope)}`, () => enterpriseProfile(db, scope, id));
}
