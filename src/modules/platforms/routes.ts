// HTTP routes of the platforms register (平台载体, issue 16 item 4).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { actorOf } from '../../server/auth-context.ts';
import { authorize } from '../../server/policy.ts';
import { MAX_IMPORT_WORKBOOK_BYTES } from '../../server/uploads.ts';
import { platformsWorkbook } from './export.ts';
import { importPlatforms } from './import.ts';
import {
  platformBody,
  platformImportBody,
  platformImportResultSchema,
  platformListSchema,
  platformQuery,
  platformSchema,
} from './schemas.ts';
import { createPlatform, deletePlatform, getPlatform, listPlatforms, updatePlatform } from './service.ts';

const tags = ['platforms'];
const id = z.object({ id: queryId() });
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (ascii: string, zh: string) =>
  `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(zh)}`;

export const platformRoutes: FastifyPluginAsyncZod = async (app) => {
  const R = 'platforms.platform' as const;
  app.get(
    '/api/platforms',
    {
      config: { policy: { resource: R, action: 'read' } },
      schema: {
        tags,
        summary: 'Platforms and carriers in your scope',
        querystring: platformQuery,
        response: { 200: platformListSchema },
      },
    },
    async (req) => listPlatforms(app.db, authorize(req, R, 'read'), req.query),
  );
  app.get(
    '/api/platforms/export.xlsx',
    {
      config: { policy: { resource: R, action: 'export' } },
      schema: {
        tags,
        summary: 'The register in your scope as xlsx (the import template’s columns)',
        querystring: platformQuery,
      },
    },
    async (req, reply) => {
      const list = await listPlatforms(app.db, authorize(req, R, 'export'), req.query);
      reply.type(XLSX_TYPE).header('content-disposition', attachment('platforms.xlsx', '平台载体.xlsx'));
      return platformsWorkbook(list.items);
    },
  );
  app.get(
    '/api/platforms/template.xlsx',
    {
      config: { policy: { resource: R, action: 'import' } },
      schema: { tags, summary: 'Empty import template' },
    },
    async (req, reply) => {
      authorize(req, R, 'import');
      reply
        .type(XLSX_TYPE)
        .header('content-disposition', attachment('platforms-template.xlsx', '平台载体导入模板.xlsx'));
      return platformsWorkbook([], true);
    },
  );
  app.get(
    '/api/platforms/:id',
    {
      config: { policy: { resource: R, action: 'read' } },
      schema: { tags, summary: 'One platform', params: id, response: { 200: platformSchema } },
    },
    async (req) => getPlatform(app.db, authorize(req, R, 'read'), req.params.id),
  );
  app.post(
    '/api/platforms',
    {
      config: { policy: { resource: R, action: 'create' } },
      schema: { tags, summary: 'Register a platform', body: platformBody, response: { 201: platformSchema } },
    },
    async (req, reply) => {
      const user = authorize(req, R, 'create');
      reply.code(201);
      return createPlatform(app.db, user, actorOf(req), req.body);
    },
  );
  app.put(
    '/api/platforms/:id',
    {
      config: { policy: { resource: R, action: 'update' } },
      schema: {
        tags,
        summary: 'Change a platform',
        params: id,
        body: platformBody,
        response: { 200: platformSchema },
      },
    },
    async (req) => updatePlatform(app.db, authorize(req, R, 'update'), actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/platforms/:id',
    {
      config: { policy: { resource: R, action: 'delete' } },
      schema: { tags, summary: 'Remove a platform', params: id },
    },
    async (req, reply) => {
      await deletePlatform(app.db, authorize(req, R, 'delete'), actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );
  app.post(
    '/api/platforms/import',
    {
      config: { policy: { resource: R, action: 'import' } },
      bodyLimit: Math.ceil(MAX_IMPORT_WORKBOOK_BYTES / 3) * 4 + 64 * 1024,
      schema: {
        tags,
        summary: 'Import platforms from xlsx: all or nothing, problems name file/row/column/reason',
        body: platformImportBody,
        response: { 200: platformImportResultSchema },
      },
    },
    async (req) => importPlatforms(app.db, authorize(req, R, 'import'), actorOf(req), req.body),
  );
};
