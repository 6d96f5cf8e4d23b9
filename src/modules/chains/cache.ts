// The chain reads (atlas, gaps, quadrants, roadmap, a node's firms) are computed from every firm on the
// chain and a year of their facts: about a second each on city data. Fifty readers at once must not each
// recompute, so the answers are kept per database, per reader's scope and per data version, in memory
// (a GET writes nothing). The data version is read from the database, so a second server process
// sees another's writes: the chains' own stamp (structure edits, syncs, placement, people's decisions),
// the registry's change stamps and the monitoring rollups' stamp (every import of facts). It is read at
// most once per VERSION_TTL_MS, so another process's write shows within that time; this process's own
// writes forget the answers at once.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { meta } from '../../db/schema.ts';
import { registryChangeStamps } from '../enterprises/index.ts';
import { onRollupsRefreshed, rollupVersion } from '../monitoring/index.ts';

const CHAINS_VERSION_KEY = 'chains_version';
/** How long a read version is trusted before it is read again (as monitoring's answer cache). */
export const VERSION_TTL_MS = 1000;
const MAX_ENTRIES = 1000;

interface State {
  version: string;
  checkedAt: number;
  /** counts this process's writes: a version read while one happened is not trusted */
  writes: number;
  pending: Promise<string> | null;
  answers: Map<string, Promise<unknown>>;
}
const states = new WeakMap<Db, State>();
const live = new Set<State>();

/** Forgets every kept answer of this process (its own write, or a rollup refresh it ran). */
export function forgetChainAnswers(): void {
  for (const s of live) {
    s.checkedAt = 0;
    s.writes++;
    s.answers.clear();
  }
}
onRollupsRefreshed(forgetChainAnswers);

/**
 * Marks every kept chain answer stale, in this process and (through the stamp, inside the caller's
 * transaction) in every other: called by each write that changes what the chain reads compute from.
 */
export async function bumpChainsVersion(tx: Db): Promise<void> {
  const value = { at: new Date().toISOString(), nonce: Math.random().toString(36).slice(2) };
  await tx
    .insert(meta)
    .values({ key: CHAINS_VERSION_KEY, value })
    .onConflictDoUpdate({ target: meta.key, set: { value } });
  forgetChainAnswers();
}

async function dataVersion(db: Db): Promise<string> {
  const stamps = registryChangeStamps();
  const [[row], rollups] = await Promise.all([
    queryRows<{ c: string | null; e: string; m: string }>(
      db,
      sql`select (select value::text from ${meta} where key = ${CHAINS_VERSION_KEY}) as c,
                 ${stamps.enterprises} as e, ${stamps.memberships} as m`,
    ),
    rollupVersion(db),
  ]);
  return JSON.stringify([row?.c ?? null, row?.e ?? null, row?.m ?? null, rollups]);
}

async function currentVersion(db: Db, state: State): Promise<void> {
  if (Date.now() - state.checkedAt < VERSION_TTL_MS) return;
  const checked = Date.now();
  const writes = state.writes;
  state.pending ??= dataVersion(db).finally(() => {
    state.pending = null;
  });
  const version = await state.pending;
  // a write in this process while the version was being read (perhaps before its commit): read it again next time
  if (state.writes === writes) state.checkedAt = checked;
  if (version !== state.version) {
    state.version = version;
    state.answers.clear();
  }
}

/**
 * The kept answer for `key` at the current data version, or `compute()` once for every reader
 * asking at the same time. The key must name every input of the answer: route inputs and the
 * reader's scope.
 */
export async function chainAnswer<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  let state = states.get(db);
  if (!state) {
    state = { version: '', checkedAt: 0, writes: 0, pending: null, answers: new Map() };
    states.set(db, state);
    live.add(state);
  }
  await currentVersion(db, state);
  const hit = state.answers.get(key);
  if (hit) return hit as Promise<T>;
  if (state.answers.size >= MAX_ENTRIES) state.answers.clear();
  const answer = compute();
  state.answers.set(key, answer);
  const kept = state;
  answer.catch(() => {
    if (kept.answers.get(key) === answer) kept.answers.delete(key);
  });
  return answer;
}

const serialized = new WeakMap<object, string>();
/**
 * A kept answer as JSON, checked against its schema once and kept beside it: a route sends this string,
 * so a kept answer costs neither validation nor serialisation per request (a node's firm list is large).
 */
export function keptJson(answer: object, schema: { parse(value: unknown): unknown }): string {
  let text = serialized.get(answer);
  if (text === undefined) {
    // what the route's response schema lets out (as the serialiser it replaces: unknown keys dropped)
    text = JSON.stringify(schema.parse(answer));
    serialized.set(answer, text);
  }
  return text;
}
