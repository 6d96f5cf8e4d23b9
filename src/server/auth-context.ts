// Who is asking: the session cookie is resolved once per request into request.user (or null).
import type { FastifyRequest } from 'fastify';
import type { Database, Db } from '../db/client.ts';
import type { CurrentUser, Role } from '../modules/auth/schemas.ts';
import { forbidden, unauthorized } from './errors.ts';
import { scopeOf, type Scope } from './scope.ts';
import type { Actor } from '../modules/audit/index.ts';
import type { Action, Resource } from '../domain/policy/index.ts';

/** A registered route, with what it declared (for the route × role matrix and the audit test). */
export interface RouteEntry {
  method: string;
  url: string;
  public: boolean;
  policy?: RoutePolicy;
}

/** What a route serves, in the policy's words: the server refuses roles without the grant (403). */
export interface RoutePolicy {
  resource: Resource;
  action: Action;
}

export interface AuthedUser extends CurrentUser {
  scope: Scope;
  sessionTokenHash: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    database: Database;
    routeList: RouteEntry[];
  }
  interface FastifyRequest {
    user: AuthedUser | null;
  }
  interface FastifyContextConfig {
    /** the route answers without a session (health, city name, login) */
    public?: boolean;
    /**
     * The resource and action the route serves (src/domain/policy). One hook refuses a role the policy
     * does not grant it (403, with the reason) before the handler runs; the handler then limits rows to
     * the user's scope. Every non-public API route declares one (the route × role matrix test checks).
     */
    policy?: RoutePolicy;
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
