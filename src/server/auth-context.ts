// Who is asking: the session cookie is resolved once per request into request.user (or null).
import type { FastifyRequest } from 'fastify';
import type { Database, Db } from '../db/client.ts';
import type { CurrentUser, Role } from '../modules/auth/schemas.ts';
import { forbidden, unauthorized } from './errors.ts';
import { scopeOf, type Scope } from './scope.ts';
import type { Actor } from '../modules/audit/service.ts';

export interface AuthedUser extends CurrentUser {
  scope: Scope;
  sessionTokenHash: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    database: Database;
    routeList: { method: string; url: string }[];
  }
  interface FastifyRequest {
    user: AuthedUser | null;
  }
  interface FastifyContextConfig {
    /** the route answers without a session (health, city name, login) */
    public?: boolean;
  }
}

export const SESSION_COOKIE = 'cs_session';

export function requireUser(request: FastifyRequest): AuthedUser {
  if (!request.user) throw unauthorized();
  return request.user;
}

export function requireRole(request: FastifyRequest, roles: readonly Role[]): AuthedUser {
  const user = requireUser(request);
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

export function actorOf(request: FastifyRequest): Actor {
  const user = request.user;
  return { id: user?.id ?? null, username: user?.username ?? 'anonymous', ip: request.ip };
}

export { scopeOf };
