// Enforcement of the one access policy (src/domain/policy) on the server: a route states the resource
// and action it serves, and the refusal carries the policy's reason (无权限：…).
import type { FastifyRequest } from 'fastify';
import { decide, fourEyes, type Action, type Resource } from '../domain/policy/index.ts';
import { requireUser, type AuthedUser } from './auth-context.ts';
import { forbidden } from './errors.ts';

/** The user, if the policy lets their role take this action on this resource; 401/403 otherwise. */
export function authorize(request: FastifyRequest, resource: Resource, action: Action): AuthedUser {
  const user = requireUser(request);
  assertAllowed(user, resource, action);
  return user;
}

/** The same check for services that receive the user rather than the request. */
export function assertAllowed(user: AuthedUser, resource: Resource, action: Action): void {
  const d = decide(user, resource, action);
  if (!d.allowed) throw forbidden(`Forbidden: ${d.reasonEn}.`, `无权限：${d.reasonZh}。`);
}

/** Publishing is a second person's act: refuse when the publisher submitted the thing themself. */
export function assertFourEyes(user: AuthedUser, submittedBy: number | null | undefined): void {
  const d = fourEyes(submittedBy, user.id);
  if (d) throw forbidden(`Forbidden: ${d.reasonEn}.`, `无权限：${d.reasonZh}。`);
}
