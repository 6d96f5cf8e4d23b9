// The answer cache's own rules, apart from any database: the version function stands for the owner's
// stamp query (a counter here) and the database handle is only the key the answers are kept under.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerCache } from './answer-cache.ts';
import type { Db } from './client.ts';

const handle = () => ({}) as Db;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('answerCache', () => {
  afterEach(() => void vi.restoreAllMocks());

  it('computes once for every reader asking at the same time, and keeps the answer while the version holds', async () => {
    let versionReads = 0;
    const cache = answerCache({ version: async () => (versionReads++, 'v1'), ttlMs: 60_000 });
    const db = handle();
    let computed = 0;
    const compute = async () => (await tick(), ++computed);
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.answer(db, 'k', compute)));
    expect(new Set(answers)).toEqual(new Set([1]));
    expect(computed).toBe(1);
    expect(versionReads).toBe(1); // one shared version read
    expect(await cache.answer(db, 'k', compute)).toBe(1);
    expect(await cache.answer(db, 'other', compute)).toBe(2); // the key separates answers
  });

  it('drops the answers when the version read changes (another process wrote), at most once per ttl', async () => {
    let version = 'v1';
    let versionReads = 0;
    const cache = answerCache({ version: async () => (versionReads++, version), ttlMs: 0 });
    const db = handle();
    let computed = 0;
    const compute = async () => ++computed;
    expect(await cache.answer(db, 'k', compute)).toBe(1);
    expect(await cache.answer(db, 'k', compute)).toBe(1);
    version = 'v2';
    expect(await cache.answer(db, 'k', compute)).toBe(2);
    expect(versionReads).toBe(3);

    const slow = answerCache({ version: async () => version, ttlMs: 60_000 });
    expect(await slow.answer(db, 'k', compute)).toBe(3);
    version = 'v3'; // within the ttl the version is not read again: the kept answer stands
    expect(await slow.answer(db, 'k', compute)).toBe(3);
    slow.forget(); // this process's own write: at once
    expect(await slow.answer(db, 'k', compute)).toBe(4);
  });

  it('does not trust a version read while a write of this process was under way', async () => {
    let release: (v: string) => void = () => {};
    let versionReads = 0;
    const cache = answerCache({
      ttlMs: 60_000,
      version: () => {
        versionReads++;
        // the first read overlaps the write (old stamp); the write's commit leaves a new one
        return versionReads === 1 ? new Promise<string>((r) => (release = r)) : Promise.resolve('v2');
      },
    });
    const db = handle();
    const first = cache.answer(db, 'k', async () => 'before');
    await tick();
    cache.forget(); // a write happens while the version is being read
    release('v1');
    expect(await first).toBe('before');
    // the version read that overlapped the write is not trusted for the ttl: read again, it has moved on,
    // and the answer is made again
    expect(await cache.answer(db, 'k', async () => 'after')).toBe('after');
    expect(versionReads).toBe(2);
  });

  it('reads the version again in the background past half the ttl; only a reader past the ttl waits for it', async () => {
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    let release: (v: string) => void = () => {};
    let versionReads = 0;
    const cache = answerCache({
      ttlMs: 1000,
      version: () => {
        versionReads++;
        // the first read answers at once; later ones wait until released (a slow stamp query)
        return versionReads === 1 ? Promise.resolve('v1') : new Promise<string>((r) => (release = r));
      },
    });
    const db = handle();
    let computed = 0;
    const compute = async () => ++computed;
    expect(await cache.answer(db, 'k', compute)).toBe(1);
    now += 400; // under half the ttl: no read
    expect(await cache.answer(db, 'k', compute)).toBe(1);
    expect(versionReads).toBe(1);
    now += 200; // past half: a read starts, and the reader is answered without waiting for it
    expect(await cache.answer(db, 'k', compute)).toBe(1);
    expect(versionReads).toBe(2);
    now += 300; // still within the ttl, the read still under way: answered, and the read is shared
    expect(await cache.answer(db, 'k', compute)).toBe(1);
    expect(versionReads).toBe(2);
    now += 200; // past the ttl: this reader waits for the read, which finds another process's write
    let waited = false;
    const late = cache.answer(db, 'k', compute).then((v) => ((waited = true), v));
    await tick();
    expect(waited).toBe(false);
    release('v2');
    expect(await late).toBe(2);
    expect(versionReads).toBe(2);
  });

  it('keeps no failed answer, and separates databases', async () => {
    const cache = answerCache({ version: async () => 'v', ttlMs: 60_000 });
    const a = handle();
    const b = handle();
    await expect(cache.answer(a, 'k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.answer(a, 'k', async () => 'ok')).toBe('ok');
    expect(await cache.answer(b, 'k', async () => 'other database')).toBe('other database');
  });

  it('past maxEntries drops the least recently asked answer alone, not every answer', async () => {
    const cache = answerCache({ version: async () => 'v', ttlMs: 60_000, maxEntries: 3 });
    const db = handle();
    const computed: string[] = [];
    const ask = (key: string) => cache.answer(db, key, async () => (computed.push(key), key));
    for (const key of ['list', 'page 1', 'page 2']) await ask(key);
    await ask('list'); // asked again: now the most recent
    await ask('page 3'); // full: 'page 1' goes
    await ask('page 4'); // full: 'page 2' goes
    await ask('list');
    await ask('page 3');
    expect(computed).toEqual(['list', 'page 1', 'page 2', 'page 3', 'page 4']);
    await ask('page 1');
    expect(computed.at(-1)).toBe('page 1'); // dropped before, computed again
  });
});
