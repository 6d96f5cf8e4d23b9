import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../src/server/csrf.ts';
import { buildApp } from '../../src/server/app.ts';
import type { Database } from '../../src/db/client.ts';
import { PASSWORD } from './fixtures.ts';

/**
 * The app, whose inject sends what the web client sends on every request: the anti-CSRF header
 * (src/server/csrf.ts). Tests of the CSRF check itself use a listening server and a browser.
 */
export async function testApp(d: Database): Promise<FastifyInstance> {
  const app = await buildApp({ database: d, logger: false });
  await app.ready();
  const inject = app.inject.bind(app) as (o: InjectOptions) => Promise<LightMyRequestResponse>;
  app.inject = ((o: InjectOptions | string) => {
    const opts: InjectOptions = typeof o === 'string' ? { url: o } : o;
    return inject({ ...opts, headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE, ...opts.headers } });
  }) as FastifyInstance['inject'];
  return app;
}

/** Logs in through the API and returns the session cookie header value. */
export async function loginCookie(
  app: FastifyInstance,
  username: string,
  password = PASSWORD,
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('cs_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

export function json<T = unknown>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T;
}
