import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { settings } from '../../settings.ts';
import { currentUserSchema, loginBody, okSchema, passwordChangeBody } from './schemas.ts';
import { changePassword, login, logout } from './service.ts';
import { actorOf, requireUser, SESSION_COOKIE } from '../../server/auth-context.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { z } from 'zod';

const publicUser = ({ scope: _s, sessionTokenHash: _t, ...u }: AuthedUser) => u;

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets the session cookie',
        body: loginBody,
        response: { 200: z.object({ user: currentUserSchema }) },
      },
    },
    async (request, reply) => {
      const { token, user, expiresAt } = await login(app.db, {
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: settings().CLUSTERSCOPE_COOKIE_SECURE,
        expires: expiresAt,
      });
      return { user: publicUser(user) };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { policy: { resource: 'auth.session', action: 'update' } },
      schema: { tags: ['auth'], summary: 'Log out', response: { 200: okSchema } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await logout(app.db, user, actorOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { policy: { resource: 'auth.session', action: 'read' } },
      schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: currentUserSchema } },
    },
    async (request) => publicUser(requireUser(request)),
  );

  app.post(
    '/api/auth/password',
    {
      config: { policy: { resource: 'auth.session', action: 'update' } },
      schema: {
        tags: ['auth'],
        summary: 'Change own password',
        body: passwordChangeBody,
        response: { 200: okSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await changePassword(app.db, user, request.body, actorOf(request));
      return { ok: true as const };
    },
  );
};
