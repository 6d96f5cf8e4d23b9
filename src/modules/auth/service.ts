// Login, sessions, password change and user administration. Sessions live in the database; the
// cookie carries a random token and the table only its sha256, so a leaked table opens no session.
import crypto from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { clusters, enterprises, loginAttempts, regions, sessions, users } from '../../db/schema.ts';
import { AppError, badRequest, conflict } from '../../server/errors.ts';
import { scopeOf } from '../../server/scope.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { writeAudit, type Actor } from '../audit/service.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { ROLES, type Role } from './schemas.ts';

export const SESSION_HOURS = Number(process.env.CLUSTERSCOPE_SESSION_HOURS ?? 12);
/** Failed logins allowed per username (and 4× per address) in the window before 429. */
export const LOGIN_MAX_FAILURES = Number(process.env.CLUSTERSCOPE_LOGIN_MAX_FAILURES ?? 5);
export const LOGIN_WINDOW_MINUTES = 15;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export async function login(
  db: Db,
  input: { username: string; password: string; ip: string; userAgent?: string },
): Promise<{ token: string; user: AuthedUser; expiresAt: Date }> {
  const since = new Date(Date.now() - LOGIN_WINDOW_MINUTES * 60_000);
  const [byUser, byIp] = await Promise.all([
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.username, input.username), gt(loginAttempts.at, since))),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.ip, input.ip), gt(loginAttempts.at, since))),
  ]);
  if ((byUser[0]?.n ?? 0) >= LOGIN_MAX_FAILURES || (byIp[0]?.n ?? 0) >= LOGIN_MAX_FAILURES * 4) {
    throw new AppError(
      429,
      'too-many-attempts',
      `Too many failed logins. Try again in ${LOGIN_WINDOW_MINUTES} minutes.`,
      `登录失败次数过多，请 ${LOGIN_WINDOW_MINUTES} 分钟后再试。`,
    );
  }
  const [row] = await db.select().from(users).where(eq(users.username, input.username));
  // Verify against a dummy hash when the user is unknown so timing does not reveal which names exist.
  const ok =
    row && row.active
      ? await verifyPassword(row.passwordHash, input.password)
      : await dummyVerify(input.password);
  if (!row || !ok) {
    await db.insert(loginAttempts).values({ username: input.username, ip: input.ip });
    throw new AppError(401, 'bad-credentials', 'Wrong username or password.', '用户名或密码错误。');
  }
  await db.delete(loginAttempts).where(eq(loginAttempts.username, input.username));
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

export async function userForSession(db: Db, token: string): Promise<AuthedUser | null> {
  const tokenHash = sha256(token);
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
  return { ...base, scope: scopeOf(base), sessionTokenHash: tokenHash };
}

export async function logout(db: Db, user: AuthedUser, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.tokenHash, user.sessionTokenHash));
    await writeAudit(tx, actor, { action: 'logout', entity: 'session', entityId: user.id });
  });
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
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: new Date() }).where(eq(users.id, user.id));
    // Other sessions of this user end: a changed password should lock out whoever knew the old one.
    await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, user.id), sql`${sessions.tokenHash} <> ${user.sessionTokenHash}`));
    await writeAudit(tx, actor, { action: 'password.change', entity: 'user', entityId: user.id });
  });
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
    const [e] = await db
      .select({ id: enterprises.id })
      .from(enterprises)
      .where(eq(enterprises.id, u.enterpriseId));
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
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: new Date() }).where(eq(users.id, row.id));
    await tx.delete(sessions).where(eq(sessions.userId, row.id));
    await writeAudit(tx, actor, { action: 'password.set', entity: 'user', entityId: row.id });
  });
}
