// Fastify wiring: sessions → request.user, Zod validation, problem+json errors, OpenAPI at /api/docs,
// the built web app as static files. Routes live with their capability in src/modules/<capability>.
import { settings } from '../settings.ts';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyContextConfig, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Database } from '../db/client.ts';
import { REPO_ROOT } from '../db/client.ts';
import { AppError, problemBody, unauthorized } from './errors.ts';
import { SESSION_COOKIE, type RouteEntry } from './auth-context.ts';
import { assertAllowed } from './policy.ts';
import { cacheSessionsAsSoleProcess, userForSession } from '../modules/auth/index.ts';
import {
  connectCapabilities,
  registerFactsHooks,
  ROUTE_PLUGINS,
  startBackgroundJobs,
} from '../composition.ts';
import { registerCsrfCheck, routedPath } from './csrf.ts';
import { registerRequestGuards } from './request-guards.ts';
import {
  registerExportLimit,
  registerHeavyRouteLimit,
  registerReadStatementCeiling,
  statementTimeoutProblem,
} from './limits.ts';
import { isStatementTimeout } from '../db/statement-ceiling.ts';
import { VERSION } from './version.ts';
import { closePrinter } from '../print.ts';

export interface AppOptions {
  database: Database;
  /** pino logger options, or false for none (tests) */
  logger?: boolean | object;
  /** folder of the built web app; default web/dist in the repo */
  webDist?: string;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: settings().LOG_LEVEL },
    trustProxy: settings().CLUSTERSCOPE_TRUST_PROXY,
    bodyLimit: 50 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('database', options.database);
  app.decorate('db', options.database.db);
  // the embedded database's folder takes one process at a time: nothing else can end a session
  if (options.database.kind === 'pglite') cacheSessionsAsSoleProcess(options.database.db);
  app.decorateRequest('user', null);
  // Every route, so tests can prove each write route is audited and each read route is scoped.
  const routeList: RouteEntry[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    const config = route.config as FastifyContextConfig | undefined;
    for (const method of [route.method].flat())
      if (method !== 'HEAD')
        routeList.push({ method, url: route.url, public: config?.public === true, policy: config?.policy });
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'clusterscope API',
        version: VERSION,
        description: 'Industrial-cluster monitoring platform',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  registerCsrfCheck(app);
  await registerRequestGuards(app);
  registerHeavyRouteLimit(app);
  registerExportLimit(app);
  registerReadStatementCeiling(app);
  // Security by default: every API route needs a session unless it says `config: { public: true }`.
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.user = await userForSession(app.db, token);
    const config = request.routeOptions.config as FastifyContextConfig | undefined;
    // the path the router matched: `/%61pi/auth/logout` is /api/auth/logout too
    const routed = routedPath(request);
    if (
      routed.startsWith('/api/') &&
      !routed.startsWith('/api/docs') &&
      request.routeOptions.url &&
      !config?.public
    ) {
      if (!request.user) throw unauthorized();
      // The route's declared resource and action (src/domain/policy): a role without the grant is
      // refused here with the policy's reason; rows are then limited to the scope by the handler.
      if (config?.policy) assertAllowed(request.user, config.policy.resource, config.policy.action);
    }
  });

  // Writes must be JSON (or multipart uploads): a cross-site form post cannot send either without a
  // CORS preflight, which together with SameSite cookies shuts out CSRF.
  app.addHook('preValidation', async (request) => {
    if (
      ['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method) &&
      routedPath(request).startsWith('/api/')
    ) {
      const type = request.headers['content-type'] ?? '';
      if (request.body !== undefined && !/^(application\/json|multipart\/form-data)/.test(type)) {
        throw new AppError(
          415,
          'unsupported-media-type',
          'Send JSON (application/json).',
          '请以 JSON 格式提交。',
        );
      }
    }
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) {
      return reply
        .code(error.status)
        .type('application/problem+json')
        .send(problemBody(error.status, error.code, error.detail, error.detailZh, error.errors));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => {
        const field =
          String(v.instancePath ?? '')
            .replace(/^\//, '')
            .replace(/\//g, '.') ||
          String((v.params as { issue?: { path?: unknown[] } })?.issue?.path?.join('.') ?? '');
        // a schema that gives its reason in Chinese too puts it in the issue's params (src/domain/query-params.ts)
        const zh = (v.params as { params?: { zh?: unknown } })?.params?.zh;
        return {
          field,
          message: v.message ?? 'invalid',
          messageZh: `字段 ${field || '(请求)'} 不符合要求：${typeof zh === 'string' ? zh : (v.message ?? '')}`,
          zh: typeof zh === 'string' ? zh : (v.message ?? ''),
        };
      });
      return reply
        .code(400)
        .type('application/problem+json')
        .send(
          problemBody(
            400,
            'validation',
            `The request is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
            `请求内容有误：${errors.map((e) => `${e.field} ${e.zh}`).join('；')}`,
            errors.map(({ zh: _zh, ...e }) => e),
          ),
        );
    }
    if (isStatementTimeout(error)) {
      const cut = statementTimeoutProblem(settings().CLUSTERSCOPE_STATEMENT_TIMEOUT_MS);
      request.log.warn({ url: request.url }, 'statement timeout');
      return reply
        .code(cut.status)
        .header('retry-after', '30')
        .type('application/problem+json')
        .send(problemBody(cut.status, cut.code, cut.detail, cut.detailZh));
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) request.log.error(error);
    const message =
      status >= 500 ? 'Something went wrong on the server; it has been logged.' : (error as Error).message;
    return reply
      .code(status)
      .type('application/problem+json')
      .send(
        problemBody(
          status,
          status >= 500 ? 'internal' : 'request',
          message,
          status >= 500 ? '服务器内部错误，已记录。' : requestRefusalZh(error, status),
        ),
      );
  });

  registerFactsHooks();
  connectCapabilities();
  for (const routes of ROUTE_PLUGINS) await app.register(routes);
  // background jobs and sweeps come from the composition root, once the routes are ready
  let jobs: { stop: () => Promise<void> } | null = null;
  app.addHook('onReady', async () => {
    jobs = await startBackgroundJobs(options.database, app.log);
  });
  app.addHook('onClose', async () => {
    await jobs?.stop();
    // the shared PDF browser (county reports print outside the jobs)
    await closePrinter();
  });

  const webDist = options.webDist ?? path.join(REPO_ROOT, 'web', 'dist');
  const indexHtml = path.join(webDist, 'index.html');
  if (fs.existsSync(indexHtml)) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes (/enterprises/12 …) get the app; unknown API paths get a problem.
    if (!request.url.startsWith('/api/') && request.method === 'GET' && fs.existsSync(indexHtml)) {
      return reply.type('text/html').send(fs.createReadStream(indexHtml));
    }
    return reply
      .code(404)
      .type('application/problem+json')
      .send(
        problemBody(
          404,
          'not-found',
          `No such path: ${request.method} ${request.url.split('?')[0]}`,
          `路径不存在：${request.method} ${request.url.split('?')[0]}`,
        ),
      );
  });

  return app;
}

/**
 * The Chinese reason of a request the framework itself refused (its messages are English only): the
 * common ones by their code, any other with its status, the English kept after it for the details.
 */
const FRAMEWORK_REFUSALS_ZH: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    '不支持该内容类型，请以 JSON 格式提交（上传文件请用 multipart/form-data）。',
  FST_ERR_CTP_INVALID_JSON_BODY: '请求内容不是有效的 JSON。',
  FST_ERR_CTP_EMPTY_JSON_BODY: '请求声明为 JSON，但内容为空。',
  FST_ERR_CTP_BODY_TOO_LARGE: '请求内容过大。',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: '请求的长度与内容不符。',
  FST_ERR_CTP_EMPTY_TYPE: '请求缺少内容类型（Content-Type）。',
  FST_ERR_BAD_URL: '请求地址无效。',
};
export function requestRefusalZh(error: unknown, status: number): string {
  const code = (error as { code?: unknown }).code;
  const known = typeof code === 'string' ? FRAMEWORK_REFUSALS_ZH[code] : undefined;
  return known ?? `请求未被接受（HTTP ${status}）：${(error as Error).message}`;
}
