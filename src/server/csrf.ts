// Cross-site request forgery: every state-changing API request must prove it comes from the app.
// SameSite=Lax cookies stop other *sites* only; a page on the same host at another port (or on a
// sibling subdomain) is the same site, and its multipart form posts and bodyless POSTs carried the
// officer's session. Two checks, both required:
//   1. the custom header `X-Requested-With: clusterscope`, which the web client sends on every
//      request: a form cannot set it, and a script on another origin cannot send it without a CORS
//      preflight, which this server never grants;
//   2. when the browser names where the request comes from (Origin, else Referer), that must be the
//      app's own origin: CLUSTERSCOPE_ORIGIN (comma-separated, e.g. https://cluster.jx.gov.cn) when
//      set, else the origin the request was addressed to (its Host header).
// Clients that are not browsers (scripts, the CLI's HTTP calls) send the header and no Origin.
import { settings } from '../settings.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'clusterscope';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The origins the app is served from, when configured. */
export function configuredOrigins(env?: NodeJS.ProcessEnv): string[] {
  // no env given: settings() reads the process's own
  return (settings(env).CLUSTERSCOPE_ORIGIN ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, '').toLowerCase())
    .filter(Boolean);
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`.toLowerCase();
  } catch {
    return null;
  }
}

/** The path the router matched (or the decoded path): `/%61pi/…` is an API path too. */
export function routedPath(request: FastifyRequest): string {
  if (request.routeOptions.url) return request.routeOptions.url;
  const raw = request.url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const refused = (detail: string, detailZh: string) => new AppError(403, 'csrf', detail, detailZh);

/**
 * Refuses (403 csrf) a state-changing API request that does not come from the app. The configured origins
 * are read only for a request that names its origin: read as a default argument, they parsed the whole
 * environment for every GET as well (5% of a download's server thread, issue 13).
 */
export function checkCsrf(request: FastifyRequest, origins?: string[]): void {
  if (!UNSAFE.has(request.method) || !routedPath(request).startsWith('/api/')) return;
  if (request.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE) {
    throw refused(
      `The request did not come from the clusterscope app (the ${CSRF_HEADER} header is missing); refused.`,
      `请求并非来自本系统页面（缺少 ${CSRF_HEADER} 请求头），已拒绝。`,
    );
  }
  const claimed = request.headers.origin ?? request.headers.referer;
  if (claimed === undefined) return;
  const from = claimed === 'null' ? 'null' : originOf(claimed);
  const configured = origins ?? configuredOrigins();
  const own = configured.length
    ? configured
    : [`${request.protocol}://${request.headers.host ?? ''}`.toLowerCase()];
  if (!from || !own.includes(from)) {
    throw refused(
      `The request came from another origin (${String(from ?? claimed)}); refused.`,
      `请求来自其他来源（${String(from ?? claimed)}），已拒绝。`,
    );
  }
}

/** Registers the check for every request, before the session is looked up. */
export function registerCsrfCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => checkCsrf(request));
}
