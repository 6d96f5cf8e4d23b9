// Login limits that cannot be raced and cannot lock an owner out. Each attempt is recorded BEFORE the
// password is checked and the counts are read after: of N simultaneous attempts the k-th recorded
// sees at least k, so no more than the limit are ever checked (300 parallel wrong passwords were all
// checked when the count came first). Limits are per (username, address) and per address, so a
// stranger's failures for `nanhu` elsewhere never keep nanhu out from their own desk. Guessing one
// name from many addresses (which no per-address limit stops) is written to the audit log for the
// administrators, once per window.
import { settings } from '../../settings.ts';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { loginAttempts } from '../../db/schema.ts';
import { AppError } from '../../server/errors.ts';
import { auditedSince, writeAudit } from '../audit/index.ts';

/** Failed logins allowed per username and address in the window (CLUSTERSCOPE_LOGIN_MAX_FAILURES). */
export const LOGIN_MAX_FAILURES = settings().CLUSTERSCOPE_LOGIN_MAX_FAILURES;
/** Failed logins allowed per address, whatever the usernames. */
export const ADDRESS_MAX_FAILURES = LOGIN_MAX_FAILURES * 4;
/** Failures for one username from all addresses together that are reported as distributed guessing. */
export const DISTRIBUTED_ALERT = LOGIN_MAX_FAILURES * 4;
export const LOGIN_WINDOW_MINUTES = 15;

export interface Attempt {
  id: number;
  username: string;
  ip: string;
}

/** Attempts older than this are never read again (every count looks one window back). */
export const LOGIN_ATTEMPT_RETENTION_MINUTES = 2 * LOGIN_WINDOW_MINUTES;

/**
 * Forgets attempts past the retention: one set-based DELETE, run as each attempt is recorded, so the
 * table holds at most the attempts of the last half hour whatever the traffic (without it, every wrong
 * password ever typed stayed).
 */
export async function sweepLoginAttempts(db: Db, now = Date.now()): Promise<void> {
  await db
    .delete(loginAttempts)
    .where(lt(loginAttempts.at, new Date(now - LOGIN_ATTEMPT_RETENTION_MINUTES * 60_000)));
}

/** Records the attempt, then refuses it (429) when it is beyond a limit. */
export async function reserveAttempt(db: Db, username: string, ip: string): Promise<Attempt> {
  await sweepLoginAttempts(db);
  const [row] = await db.insert(loginAttempts).values({ username, ip }).returning({ id: loginAttempts.id });
  const attempt = { id: row!.id, username, ip };
  const since = new Date(Date.now() - LOGIN_WINDOW_MINUTES * 60_000);
  const [counts] = await db
    .select({
      pair: sql<number>`count(*) filter (where ${loginAttempts.username} = ${username})::int`,
      address: sql<number>`count(*)::int`,
    })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.ip, ip), gt(loginAttempts.at, since)));
  if ((counts?.pair ?? 0) > LOGIN_MAX_FAILURES || (counts?.address ?? 0) > ADDRESS_MAX_FAILURES) {
    throw new AppError(
      429,
      'too-many-attempts',
      `Too many failed logins from this address. Try again in ${LOGIN_WINDOW_MINUTES} minutes.`,
      `该地址登录失败次数过多，请 ${LOGIN_WINDOW_MINUTES} 分钟后再试。`,
    );
  }
  return attempt;
}

/** The password was right: the attempt and this address's earlier failures for the name are forgotten. */
export async function attemptSucceeded(db: Db, a: Attempt): Promise<void> {
  await db
    .delete(loginAttempts)
    .where(and(eq(loginAttempts.username, a.username), eq(loginAttempts.ip, a.ip)));
}

/** The password was wrong: the attempt stays counted; many addresses failing one name are reported. */
export async function attemptFailed(db: Db, a: Attempt): Promise<void> {
  const since = new Date(Date.now() - LOGIN_WINDOW_MINUTES * 60_000);
  const [c] = await db
    .select({
      n: sql<number>`count(*)::int`,
      addresses: sql<number>`count(distinct ${loginAttempts.ip})::int`,
    })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.username, a.username), gt(loginAttempts.at, since)));
  if ((c?.n ?? 0) < DISTRIBUTED_ALERT || (c?.addresses ?? 0) < 2) return;
  if (await auditedSince(db, { action: 'login.distributed-guessing', entityId: a.username, since })) return;
  await writeAudit(
    db,
    { id: null, username: a.username, ip: a.ip },
    {
      action: 'login.distributed-guessing',
      entity: 'user',
      entityId: a.username,
      after: { failures: c!.n, addresses: c!.addresses, windowMinutes: LOGIN_WINDOW_MINUTES },
    },
  );
}
