// Login, sessions, password change and user administration. Sessions live in the database; the
// cookie carries a random token and the table only its sha256, so a leaked table opens no session.
import { settings } from '../../settings.ts';
import crypto from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { clusters, regions, sessions, users } from '../../db/schema.ts';
import { AppError, badRequest, conflict } from '../../server/errors.ts';
import { scopeOf } from '../../server/scope.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { registryRows } from '../enterprises/relations.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { attemptFailed, attemptSucceeded, reserveAttempt } from './login-limits.ts';
import { ROLES, type Role } from './schemas.ts';

export const SESSION_HOURS = settings().CLUSTERSCOPE_SESSION_HOURS;
export { LOGIN_MAX_FAILURES, LOGIN_WINDOW_MINUTES } from './login-limits.ts';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export async function login(
  db: Db,
  input: { username: string; password: string; ip: string; userAgent?: string },
): Promise<{ token: string; user: AuthedUser; expiresAt: Date }> {
  // recorded before the password is checked: simultaneous attempts cannot all slip under the limit
  const attempt = await reserveAttempt(db, input.username, input.ip);
  const [row] = await db.select().from(users).where(eq(users.username, input.username));
  // Verify against a dummy hash when the user is unknown so timing does not reveal which names exist.
  const ok =
    row && row.active
      ? await verifyPassword(row.passwordHash, input.password)
      : await dummyVerify(input.password);
  if (!row || !ok) {
    await attemptFailed(db, attempt);
    throw new AppError(401, 'bad-credentials', 'Wrong username or password.', '用户名或密码错误。');
  }
  await attemptSucceeded(db, attempt);
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await db.insert(sessions).values({
    tokenHash: sha256(token),
    userId: row.id,
    expiresAt,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
  const user = await userForSession(db, token);
  if (!user) throw new Error('session vanished right after login');
  await writeAudit(
    db,
    { id: row.id, username: row.username, ip: input.ip },
    { action: 'login', entity: 'session', entityId: row.id },
  );
  return { token, user, expiresAt };
}

let dummyHash: Promise<string> | undefined;
async function dummyVerify(password: string): Promise<false> {
  dummyHash ??= hashPassword('clusterscope-dummy-password');
  await verifyPassword(await dummyHash, password);
  return false;
}

// ---------------------------------------------------------------- session cache
//
// Every API request resolves its cookie (app.ts, onRequest). A short-lived cache of token hash →
// user spares the database that lookup on a busy dashboard. Bounds:
// - In this process, logout, password change and password set (and anything else calling
//   forgetSessions) drop the entries at once, before they return; an entry read from the database
//   while such a change was under way is not kept (the epoch check below).
// - Another process (the CLI's `user set-password`, a second server) or a direct edit of the
//   database is seen after at most `sessionCache.ttlMs` (5 s by default, CLUSTERSCOPE_SESSION_CACHE_MS;
//   0 turns the cache off): until then a session ended elsewhere still opens this process's API.
// - On the embedded database there is no "elsewhere": its data folder takes one process at a time
//   (db/client.ts, lockDataDir), so every change goes through this process and its forgetSessions.
//   There entries live `sessionCache.soleProcessTtlMs` (10 min unless CLUSTERSCOPE_SESSION_CACHE_MS
//   says otherwise), which keeps requests answering while a long import holds the database in one
//   transaction (the progress bar keeps moving).
// - No entry outlives its session's expiry. At most `sessionCache.maxEntries` entries (oldest go first).

export const sessionCache = {
  ttlMs: settings().CLUSTERSCOPE_SESSION_CACHE_MS ?? 5000,
  soleProcessTtlMs: settings().CLUSTERSCOPE_SESSION_CACHE_MS ?? 10 * 60_000,
  maxEntries: 5000,
};

interface CachedSession {
  user: AuthedUser;
  /** ms epoch after which the entry is not used */
  until: number;
}
interface SessionCacheState {
  entries: Map<string, CachedSession>;
  /** bumped by every invalidation: a lookup that started before one does not fill the cache */
  epoch: number;
  /** no other process can change this database (embedded PGlite) */
  soleProcess: boolean;
}
const sessionCaches = new WeakMap<Db, SessionCacheState>();

function sessionCacheOf(db: Db): SessionCacheState {
  let state = sessionCaches.get(db);
  if (!state) sessionCaches.set(db, (state = { entries: new Map(), epoch: 0, soleProcess: false }));
  return state;
}

/** Declares that only this process can change the database (the embedded one): longer-lived cache entries. */
export function cacheSessionsAsSoleProcess(db: Db): void {
  sessionCacheOf(db).soleProcess = true;
}

/**
 * Drops cached sessions of this process at once: one session (by token hash), all of a user's, or
 * all. Call it with (or right after) any change that ends sessions or alters what a user may see.
 */
export function forgetSessions(db: Db, which: { tokenHash?: string; userId?: number } = {}): void {
  const state = sessionCacheOf(db);
  state.epoch++;
  if (which.tokenHash === undefined && which.userId === undefined) {
    state.entries.clear();
    return;
  }
  if (which.tokenHash !== undefined) state.entries.delete(which.tokenHash);
  if (which.userId !== undefined)
    for (const [hash, entry] of state.entries) if (entry.user.id === which.userId) state.entries.delete(hash);
}

/** Whether this process holds a cached entry for the session token (tests). */
export function isSessionCached(db: Db, token: string): boolean {
  const entry = sessionCacheOf(db).entries.get(sha256(token));
  return entry !== undefined && entry.until > Date.now();
}

export async function userForSession(db: Db, token: string): Promise<AuthedUser | null> {
  const tokenHash = sha256(token);
  const state = sessionCacheOf(db);
  const hit = state.entries.get(tokenHash);
  if (hit) {
    if (hit.until > Date.now()) return { ...hit.user };
    state.entries.delete(tokenHash);
  }
  const epoch = state.epoch;
  const user = await lookUpSession(db, tokenHash);
  const ttlMs = state.soleProcess ? sessionCache.soleProcessTtlMs : sessionCache.ttlMs;
  if (user && ttlMs > 0 && state.epoch === epoch) {
    if (state.entries.size >= sessionCache.maxEntries) {
      const oldest = state.entries.keys().next().value;
      if (oldest !== undefined) state.entries.delete(oldest);
    }
    state.entries.set(tokenHash, {
      user: user.user,
      until: Math.min(Date.now() + ttlMs, user.expiresAt.getTime()),
    });
  }
  return user ? { ...user.user } : null;
}

async function lookUpSession(
  db: Db,
  tokenHash: string,
): Promise<{ user: AuthedUser; expiresAt: Date } | null> {
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      regionCode: users.regionCode,
      regionName: regions.name,
      clusterCode: users.clusterCode,
      enterpriseId: users.enterpriseId,
      active: users.active,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(regions, eq(regions.code, users.regionCode))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date())));
  const r = rows[0];
  if (!r || !r.active) return null;
  const role = r.role as Role;
  const base = {
    id: r.id,
    username: r.username,
    displayName: r.displayName,
    role,
    regionCode: r.regionCode,
    regionName: r.regionName ?? null,
    clusterCode: r.clusterCode,
    enterpriseId: r.enterpriseId,
  };
  return {
    user: { ...base, scope: scopeOf(base), sessionTokenHash: tokenHash },
    expiresAt: r.expiresAt,
  };
}

export async function logout(db: Db, user: AuthedUser, actor: Actor): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      await tx.delete(sessions).where(eq(sessions.tokenHash, user.sessionTokenHash));
      await writeAudit(tx, actor, { action: 'logout', entity: 'session', entityId: user.id });
    });
  } finally {
    // After the commit (a lookup racing it cannot refill the cache: the epoch moved on).
    forgetSessions(db, { tokenHash: user.sessionTokenHash });
  }
}

export function checkPasswordStrength(password: string): string | null {
  if (password.length < 10) return 'too-short';
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return 'letters-and-digits';
  return null;
}

function weakPasswordError(reason: string): AppError {
  return badRequest(
    reason === 'too-short'
      ? 'The new password needs at least 10 characters.'
      : 'The new password needs both letters and digits.',
    reason === 'too-short' ? '新密码至少需要 10 个字符。' : '新密码需同时包含字母和数字。',
    [{ field: 'newPassword', message: 'weak password', messageZh: '密码强度不足' }],
  );
}

export async function changePassword(
  db: Db,
  user: AuthedUser,
  input: { currentPassword: string; newPassword: string },
  actor: Actor,
): Promise<void> {
  const [row] = await db.select().from(users).where(eq(users.id, user.id));
  if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    throw badRequest('The current password is wrong.', '当前密码不正确。', [
      { field: 'currentPassword', message: 'wrong password', messageZh: '当前密码不正确' },
    ]);
  }
  const weak = checkPasswordStrength(input.newPassword);
  if (weak) throw weakPasswordError(weak);
  const passwordHash = await hashPassword(input.newPassword);
  try {
    await db.transaction(async (tx) => {
      await tx
        .update(users)
        .set({ passwordHash, passwordChangedAt: new Date() })
        .where(eq(users.id, user.id));
      // Other sessions of this user end: a changed password should lock out whoever knew the old one.
      await tx
        .delete(sessions)
        .where(and(eq(sessions.userId, user.id), sql`${sessions.tokenHash} <> ${user.sessionTokenHash}`));
      await writeAudit(tx, actor, { action: 'password.change', entity: 'user', entityId: user.id });
    });
  } finally {
    forgetSessions(db, { userId: user.id });
  }
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  regionCode?: string | null;
  clusterCode?: string | null;
  enterpriseId?: number | null;
}

/** Checks that the scope fields match the role, so no user is created who would see too much. */
export function validateUserScope(
  u: Pick<NewUser, 'role' | 'regionCode' | 'clusterCode' | 'enterpriseId'>,
): string | null {
  if (!ROLES.includes(u.role)) return `unknown role ${u.role}`;
  if (u.role === 'county' && !u.regionCode) return 'a county officer needs --region';
  if (u.role === 'cluster_agency' && !u.clusterCode) return 'a cluster agency needs --cluster';
  if (u.role === 'enterprise' && u.enterpriseId == null) return 'an enterprise user needs --enterprise';
  return null;
}

async function assertScopeTargetsExist(db: Db, u: NewUser) {
  if (u.regionCode) {
    const [r] = await db
      .select()
      .from(regions)
      .where(and(eq(regions.code, u.regionCode), eq(regions.level, 'county')));
    if (!r) throw badRequest(`No county with code ${u.regionCode}.`, `区县代码 ${u.regionCode} 不存在。`);
  }
  if (u.clusterCode) {
    const [c] = await db.select().from(clusters).where(eq(clusters.code, u.clusterCode));
    if (!c) throw badRequest(`No cluster ${u.clusterCode}.`, `产业集群 ${u.clusterCode} 不存在。`);
  }
  if (u.enterpriseId != null) {
    const [e] = await queryRows<{ id: unknown }>(
      db,
      sql`select e.id from ${registryRows()} e where e.id = ${u.enterpriseId}`,
    );
    if (!e) throw badRequest(`No enterprise with id ${u.enterpriseId}.`, `企业 ${u.enterpriseId} 不存在。`);
  }
}

export async function createUser(db: Db, input: NewUser, actor: Actor): Promise<number> {
  const scopeProblem = validateUserScope(input);
  if (scopeProblem) throw badRequest(scopeProblem, scopeProblem);
  await assertScopeTargetsExist(db, input);
  const existing = await db.select({ id: users.id }).from(users).where(eq(users.username, input.username));
  if (existing.length)
    throw conflict(`User ${input.username} exists already.`, `用户 ${input.username} 已存在。`);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        role: input.role,
        regionCode: input.regionCode ?? null,
        clusterCode: input.clusterCode ?? null,
        enterpriseId: input.enterpriseId ?? null,
        passwordChangedAt: new Date(),
      })
      .returning({ id: users.id });
    const id = row!.id;
    const { password: _password, ...visible } = input;
    await writeAudit(tx, actor, { action: 'user.create', entity: 'user', entityId: id, after: visible });
    return id;
  });
}

export async function setPassword(db: Db, username: string, password: string, actor: Actor): Promise<void> {
  const weak = checkPasswordStrength(password);
  if (weak) throw weakPasswordError(weak);
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  if (!row) throw badRequest(`No user ${username}.`, `用户 ${username} 不存在。`);
  const passwordHash = await hashPassword(password);
  try {
    await db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash, passwordChangedAt: new Date() }).where(eq(users.id, row.id));
      await tx.delete(sessions).where(eq(sessions.userId, row.id));
      await writeAudit(tx, actor, { action: 'password.set', entity: 'user', entityId: row.id });
    });
  } finally {
    forgetSessions(db, { userId: row.id });
  }
}
