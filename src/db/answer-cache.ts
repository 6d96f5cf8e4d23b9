// Answers kept per reader's scope and data version (issue 13: reads at 50 connections). Some read answers
// are computed from many rows (a chain's atlas, the monitoring cockpit, the 亩均 aggregates): fifty
// readers at once must not each recompute them. A cache made here keeps them in memory, per database,
// per key (the key names every input: route inputs and the reader's scope) and per data version — a
// GET writes nothing, and nothing outside the process is trusted to say "unchanged".
//
// The data version is a string the owner reads from the database (stamps, counts), so a second server
// process sees another's writes; it is trusted for `ttlMs` (so another process's write shows within that
// time) and read again, by one query shared by every reader, once half of that has passed — in the
// background, so that readers do not wait for it while the version they are answered by is younger than
// `ttlMs`. This process's own writes call `forget()`: the answers go at once, and a version read while
// such a write was under way (perhaps before its commit) is not trusted, so the next reader reads it again.
//
//   const cache = answerCache({ version: (db) => myStamp(db) });
//   const answer = await cache.answer(db, `aggregates:${by}:${JSON.stringify(scope)}`, () => compute());
//   // in each write that changes the inputs (after or inside its transaction): cache.forget()
//
// What a cache keeps must already be what the reader may see (scope applied, disclosure control applied):
// the key separates readers, never a filter after the lookup.
import { createHash } from 'node:crypto';
import type { Db } from './client.ts';

export interface AnswerCacheOptions {
  /** The data version the answers depend on: a text that changes with every write to their inputs. */
  version: (db: Db) => Promise<string>;
  /** How long a version read is trusted before it is read again (default 1000 ms). */
  ttlMs?: number;
  /**
   * At most this many answers per database; past it the least recently asked answer is dropped (default
   * 1000). It used to drop every answer: a reader paging through a province's results (one answer a page)
   * then dropped the kept 亩均 policy lists beside them too, and the next readers of those waited seconds
   * for a recomputation of data that had not changed (issue 13).
   */
  maxEntries?: number;
}

export interface AnswerCache {
  /**
   * The kept answer for `key` at the current data version, or `compute()` once for every reader asking
   * at the same time. A failed computation is not kept.
   */
  answer<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T>;
  /** Forgets every kept answer of this process, on every database (a write of this process). */
  forget(): void;
}

/**
 * Counts of this process's kept-answer work, for the reads bench's trace (BENCH_READS_TRACE): a p95 spike
 * is told from a refill by the difference of these around the cell. Plain counters, no cost worth naming.
 */
export const answerCacheCounts = {
  /** data-version reads started */
  versionReads: 0,
  /** readers that waited for a version read (the version older than its ttl) */
  versionWaits: 0,
  /** answers computed (a miss) */
  computes: 0,
  /** milliseconds the computations took, from start to settling */
  computeMs: 0,
  /** data versions read that differed from the one trusted (its answers dropped) */
  versionChanges: 0,
  /** answers dropped to make room (a cache at its maxEntries) */
  evictions: 0,
  /** computations that failed (not kept: the next reader computes again) */
  failures: 0,
};

interface State {
  version: string;
  /** when the version now trusted was read (its read's start) */
  checkedAt: number;
  /** counts this process's writes: a version read while one happened is not trusted */
  writes: number;
  /** the version read under way, shared by every reader meanwhile */
  refreshing: Promise<void> | null;
  answers: Map<string, Promise<unknown>>;
}

export function answerCache(options: AnswerCacheOptions): AnswerCache {
  const ttlMs = options.ttlMs ?? 1000;
  const maxEntries = options.maxEntries ?? 1000;
  const states = new WeakMap<Db, State>();
  // the states of every database this cache answered for, so forget() reaches them all
  const live = new Set<State>();

  function refresh(db: Db, state: State): Promise<void> {
    state.refreshing ??= (async () => {
      const checked = Date.now();
      const writes = state.writes;
      answerCacheCounts.versionReads++;
      try {
        const version = await options.version(db);
        // a write in this process while the version was being read: read it again next time
        if (state.writes === writes) state.checkedAt = checked;
        if (version !== state.version) {
          if (state.version !== '') answerCacheCounts.versionChanges++;
          state.version = version;
          state.answers.clear();
        }
      } finally {
        state.refreshing = null;
      }
    })();
    return state.refreshing;
  }

  // The version is read again once half the ttl has passed, while readers are still answered from the
  // version read less than ttl ago: a busy server's readers never wait for that read (every reader in
  // flight used to wait for it once a second: 50–250 ms on a loaded database, a 1-second bench cell's p95).
  // Only a reader finding the version older than the ttl waits, so another process's write still shows
  // within the ttl as before.
  async function current(db: Db, state: State): Promise<void> {
    const age = Date.now() - state.checkedAt;
    if (age < ttlMs / 2) return;
    const read = refresh(db, state);
    if (age < ttlMs) {
      read.catch(() => {}); // a failed read is made again by the next reader; this one is answered
      return;
    }
    answerCacheCounts.versionWaits++;
    await read;
  }

  return {
    async answer<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
      let state = states.get(db);
      if (!state) {
        state = { version: '', checkedAt: 0, writes: 0, refreshing: null, answers: new Map() };
        states.set(db, state);
        live.add(state);
      }
      await current(db, state);
      const hit = state.answers.get(key);
      if (hit) {
        // most recently asked last: a Map keeps insertion order, so the first key is the one to drop
        state.answers.delete(key);
        state.answers.set(key, hit);
        return hit as Promise<T>;
      }
      for (const oldest of state.answers.keys()) {
        if (state.answers.size < maxEntries) break;
        state.answers.delete(oldest);
        answerCacheCounts.evictions++;
      }
      const started = performance.now();
      answerCacheCounts.computes++;
      const answer = compute();
      answer.then(
        () => (answerCacheCounts.computeMs += performance.now() - started),
        () => {},
      );
      state.answers.set(key, answer);
      const kept = state;
      answer.catch(() => {
        answerCacheCounts.failures++;
        if (kept.answers.get(key) === answer) kept.answers.delete(key);
      });
      return answer;
    },
    forget(): void {
      for (const s of live) {
        s.checkedAt = 0;
        s.writes++;
        s.answers.clear();
      }
    },
  };
}

const serialized = new WeakMap<object, string>();
/**
 * A kept answer as JSON, checked against its schema once and kept beside it: a route sends this string,
 * so a kept answer costs neither validation nor serialisation per request.
 */
export function keptJson(answer: object, schema: { parse(value: unknown): unknown }): string {
  let text = serialized.get(answer);
  if (text === undefined) {
    text = answerText(answer, schema);
    serialized.set(answer, text);
  }
  return text;
}

/** An answer as JSON, not kept: what the route's response schema lets out (as the serialiser it replaces: unknown keys dropped). */
export function answerText(answer: object, schema: { parse(value: unknown): unknown }): string {
  return JSON.stringify(schema.parse(answer));
}

export interface KeptBytes {
  body: Buffer;
  etag: string;
}
const encoded = new WeakMap<object, KeptBytes>();
/**
 * keptJson as the bytes a route sends, with an entity tag, kept beside the answer: a large kept answer (84 kB
 * for the city's stalled projects) costs no UTF-8 encoding per request, and a browser can revalidate it.
 */
export function keptBytes(answer: object, schema: { parse(value: unknown): unknown }): KeptBytes {
  let kept = encoded.get(answer);
  if (!kept) {
    const body = Buffer.from(keptJson(answer, schema));
    kept = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    encoded.set(answer, kept);
  }
  return kept;
}
