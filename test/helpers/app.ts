import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import type { Database } from '../../src/db/client.ts';
import { PASSWORD } from './fixtures.ts';

export async function testApp(d: Database): Promise<FastifyInstance> {
  const app = await buildApp({ database: d, logger: false });
  await app.ready();
  return app;
}

/** Logs in through the API and returns the session cookie header value. */
export async function loginCookie(
  app: FastifyInstance,
  username: string,
  password = PASSWORD,
): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('cs_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

export function json<T = unknown>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T;
}
