// Routes of the monthly bulletin (issue 21). Reads are scoped by the service (404 outside the scope);
// every write is audited there. The preview is the very page Chromium prints, served as HTML that runs
// no script, framed only by the app itself.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { actorOf } from '../../server/auth-context.ts';
import { authorize } from '../../server/policy.ts';
import { DOCUMENT_TYPES, sendDocument } from '../documents/index.ts';
import {
  bulletinListQuery,
  bulletinListSchema,
  bulletinOptionsSchema,
  bulletinRequestBody,
  bulletinSchema,
  commentaryBody,
  returnBody,
} from './schemas.ts';
import {
  bulletinFile,
  bulletinOptions,
  editCommentary,
  getBulletin,
  listBulletins,
  publishBulletin,
  requestBulletin,
  retryBulletin,
  returnBulletin,
  submitBulletin,
  visibleRow,
} from './service.ts';
import { pageOf } from './render.ts';
import { startBulletinWorker, stopBulletinWorker } from './jobs.ts';

const tags = ['bulletin'];
const idParams = z.object({ id: queryId() });
const fileParams = idParams.extend({ format: z.enum(['pdf', 'xlsx']) });
const R = 'bulletin.report' as const;

export const bulletinRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onReady', async () => startBulletinWorker(app.db));
  app.addHook('onClose', async () => stopBulletinWorker());

  app.get(
    '/api/bulletins',
    {
      config: { policy: { resource: R, action: 'read' } },
      schema: {
        tags,
        summary: 'Generated bulletins within your scope',
        querystring: bulletinListQuery,
        response: { 200: bulletinListSchema },
      },
    },
    async (request) => ({ items: await listBulletins(app.db, authorize(request, R, 'read'), request.query) }),
  );
  app.get(
    '/api/bulletins/options',
    {
      config: { policy: { resource: R, action: 'read' } },
      schema: {
        tags,
        summary: 'Months and scopes you may generate',
        response: { 200: bulletinOptionsSchema },
      },
    },
    async (request) => bulletinOptions(app.db, authorize(request, R, 'read')),
  );
  app.post(
    '/api/bulletins',
    {
      config: { policy: { resource: R, action: 'create' } },
      schema: {
        tags,
        summary: 'Generate a bulletin (background job)',
        body: bulletinRequestBody,
        response: { 202: bulletinSchema },
      },
    },
    async (request, reply) => {
      const user = authorize(request, R, 'create');
      return reply.code(202).send(await requestBulletin(app.db, user, actorOf(request), request.body));
    },
  );
  app.get(
    '/api/bulletins/:id',
    {
      config: { policy: { resource: R, action: 'read' } },
      schema: {
        tags,
        summary: 'One bulletin: status, job progress, files',
        params: idParams,
        response: { 200: bulletinSchema },
      },
    },
    async (request) => getBulletin(app.db, authorize(request, R, 'read'), request.params.id),
  );
  app.get(
    '/api/bulletins/:id/preview',
    {
      config: { policy: { resource: R, action: 'read' } },
      schema: { tags, summary: 'The bulletin page (HTML) that is printed to PDF', params: idParams },
    },
    async (request, reply) => {
      const row = await visibleRow(app.db, authorize(request, R, 'read'), request.params.id);
      if (!row.data)
        return reply.code(409).type('application/problem+json').send({
          status: 409,
          title: 'not generated yet',
          detail: 'Not generated yet.',
          detailZh: '月报尚在生成中。',
        });
      const html = await pageOf(row);
      // No script at all, styles inline; framed by the app's own page only.
      return reply
        .type('text/html; charset=utf-8')
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
        )
        .header('x-frame-options', 'SAMEORIGIN')
        .header('cache-control', 'private, no-store')
        .send(html);
    },
  );
  app.get(
    '/api/bulletins/:id/files/:format',
    {
      config: { policy: { resource: R, action: 'export' } },
      schema: { tags, summary: 'Download the PDF or the xlsx', params: fileParams },
    },
    async (request, reply) => {
      const { id, format } = request.params;
      const { row, content } = await bulletinFile(app.db, authorize(request, R, 'export'), id, format);
      const name = `${row.scopeName}运行监测月报-${row.month}${row.status === 'published' ? '' : '-草稿'}.${format}`;
      return sendDocument(reply, { fileName: name, contentType: DOCUMENT_TYPES[format]!, content });
    },
  );
  app.put(
    '/api/bulletins/:id/commentary',
    {
      config: { policy: { resource: R, action: 'update' } },
      schema: {
        tags,
        summary: 'Edit the commentary of a draft (the files are printed again)',
        params: idParams,
        body: commentaryBody,
        response: { 200: bulletinSchema },
      },
    },
    async (request) =>
      editCommentary(
        app.db,
        authorize(request, R, 'update'),
        actorOf(request),
        request.params.id,
        request.body.commentary,
      ),
  );
  app.post(
    '/api/bulletins/:id/submit',
    {
      config: { policy: { resource: R, action: 'submit' } },
      schema: {
        tags,
        summary: 'Submit a draft for publication',
        params: idParams,
        response: { 200: bulletinSchema },
      },
    },
    async (request) =>
      submitBulletin(app.db, authorize(request, R, 'submit'), actorOf(request), request.params.id),
  );
  app.post(
    '/api/bulletins/:id/return',
    {
      config: { policy: { resource: R, action: 'update' } },
      schema: {
        tags,
        summary: 'Send a submitted bulletin back to draft',
        params: idParams,
        body: returnBody,
        response: { 200: bulletinSchema },
      },
    },
    async (request) =>
      returnBulletin(
        app.db,
        authorize(request, R, 'update'),
        actorOf(request),
        request.params.id,
        request.body.note,
      ),
  );
  app.post(
    '/api/bulletins/:id/retry',
    {
      config: { policy: { resource: R, action: 'create' } },
      schema: {
        tags,
        summary: 'Generate a failed bulletin again (the failure reason is in `error` until then)',
        params: idParams,
        response: { 200: bulletinSchema },
      },
    },
    async (request) =>
      retryBulletin(app.db, authorize(request, R, 'create'), actorOf(request), request.params.id),
  );
  app.post(
    '/api/bulletins/:id/publish',
    {
      config: { policy: { resource: R, action: 'publish' } },
      schema: {
        tags,
        summary: 'Publish (a second person: not the submitter)',
        params: idParams,
        response: { 200: bulletinSchema },
      },
    },
    async (request) =>
      publishBulletin(app.db, authorize(request, R, 'publish'), actorOf(request), request.params.id),
  );
};
