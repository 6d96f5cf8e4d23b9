import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { KINDS } from '../../domain/imports/columns.ts';
import { actorOf, requireUser } from '../../server/auth-context.ts';
import { badRequest } from '../../server/errors.ts';
import {
  exportQuery,
  importDetailSchema,
  importKindSchema,
  importListQuery,
  importListSchema,
  kindListSchema,
  problemListQuery,
  problemListSchema,
} from './schemas.ts';
import {
  brokenUpload,
  getImport,
  importerOf,
  kindInfos,
  listImports,
  listProblems,
  rollbackImport,
  saveUpload,
  startCommit,
  startUpload,
} from './service.ts';
import { exportRows, writeKindWorkbook } from './xlsx.ts';
import { fullProblemReport } from './report.ts';
import { importLifecycleRoutes } from './routes-lifecycle.ts';
import { importBatchRoutes } from './batch-routes.ts';

const idParams = z.object({ id: queryId() });
const kindParams = z.object({ kind: importKindSchema });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_UPLOAD = 200 * 1024 * 1024;

function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD, files: 1, fields: 5 } });
  // preview again, discard (recovery and the uploads sweep are started by src/composition.ts)
  await app.register(importLifecycleRoutes);
  // several files previewed and committed together (batch-routes.ts)
  await app.register(importBatchRoutes);

  app.get(
    '/api/imports/kinds',
    {
      config: { policy: { resource: 'imports.import', action: 'read' } },
      schema: {
        tags: ['imports'],
        summary: 'The import kinds and their template columns',
        response: { 200: kindListSchema },
      },
    },
    async (request) => {
      requireUser(request);
      return kindInfos();
    },
  );

  app.get(
    '/api/imports/templates/:kind',
    {
      config: { policy: { resource: 'imports.import', action: 'import' } },
      schema: {
        tags: ['imports'],
        summary: 'Download the xlsx template of a kind (with a notes sheet)',
        params: kindParams,
      },
    },
    async (request, reply) => {
      requireUser(request);
      const kind = request.params.kind;
      const out = new PassThrough();
      void writeKindWorkbook(out, kind, []).catch((e: Error) => out.destroy(e));
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment(`${KINDS[kind].zh}-模板.xlsx`))
        .send(out);
    },
  );

  app.get(
    '/api/imports/export/:kind',
    {
      config: { policy: { resource: 'enterprises.facts', action: 'export' } },
      schema: {
        tags: ['imports'],
        summary: 'Export a list within your scope, in its import template',
        params: kindParams,
        querystring: exportQuery,
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const kind = request.params.kind;
      const out = new PassThrough();
      void writeKindWorkbook(out, kind, exportRows(app.db, user.scope, kind, request.query)).catch(
        (e: Error) => out.destroy(e),
      );
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment(`${KINDS[kind].zh}-导出.xlsx`))
        .send(out);
    },
  );

  app.post(
    '/api/imports',
    {
      config: { policy: { resource: 'imports.import', action: 'import' } },
      schema: {
        tags: ['imports'],
        summary:
          'Upload a file (multipart, field "file"; kind in the query or a field) and start its preview',
        querystring: z.object({ kind: importKindSchema.optional() }),
        response: { 202: importDetailSchema, 200: importDetailSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      importerOf(user); // refuse before reading the upload
      if (!request.isMultipart())
        throw badRequest('Upload the file as multipart/form-data.', '请以 multipart/form-data 上传文件。');
      // every part is read before the import starts: a second file is refused, not left unread (its
      // sender would think it imported); the file saved by then goes with the refusal
      let data: MultipartFile | undefined;
      let saved: Awaited<ReturnType<typeof saveUpload>> | undefined;
      // an upload no import keeps (refused at once, or a file committed before) is removed now
      const drop = () => (saved ? fs.promises.rm(saved.path, { force: true }) : Promise.resolve());
      try {
        // (two files let through busboy's limit, so that the second arrives as a part and is answered here)
        for await (const part of request.parts({ limits: { fileSize: MAX_UPLOAD, files: 2, fields: 5 } })) {
          if (part.type !== 'file') continue;
          if (data) {
            part.file.resume();
            throw badRequest(
              'One file per upload; use a batch import (POST /api/imports/batches) for several files.',
              '一次只能上传一个文件；多个文件请用批量导入。',
            );
          }
          data = part;
          saved = await saveUpload(part.file, part.filename);
          if (part.file.truncated) throw badRequest('The file is larger than 200 MB.', '文件超过 200 MB。');
        }
      } catch (error) {
        await drop();
        throw brokenUpload(error, { files: 1, fileBytes: MAX_UPLOAD });
      }
      if (!data || !saved) throw badRequest('No file in the upload.', '上传内容中没有文件。');
      const field = data.fields.kind as { value?: unknown } | undefined;
      const kind = request.query.kind ?? String(field?.value ?? '');
      const detail = await startUpload(
        app.database,
        user,
        kind,
        { ...saved, fileName: data.filename },
        actorOf(request),
      ).catch(async (error: unknown) => {
        await drop();
        throw error;
      });
      if (detail.duplicateOf) await drop();
      reply.code(detail.duplicateOf ? 200 : 202);
      return detail;
    },
  );

  app.get(
    '/api/imports',
    {
      config: { policy: { resource: 'imports.import', action: 'read' } },
      schema: {
        tags: ['imports'],
        summary: 'Import history (a county officer sees their county’s imports)',
        querystring: importListQuery,
        response: { 200: importListSchema },
      },
    },
    async (request) => listImports(app.db, requireUser(request), request.query),
  );

  app.get(
    '/api/imports/:id',
    {
      config: { policy: { resource: 'imports.import', action: 'read' } },
      schema: {
        tags: ['imports'],
        summary: 'One import: status, job progress, first problems, lineage',
        params: idParams,
        response: { 200: importDetailSchema },
      },
    },
    async (request) => getImport(app.db, requireUser(request), request.params.id),
  );

  app.get(
    '/api/imports/:id/problems',
    {
      config: { policy: { resource: 'imports.import', action: 'read' } },
      schema: {
        tags: ['imports'],
        summary: 'The problems of an import, paged',
        params: idParams,
        querystring: problemListQuery,
        response: { 200: problemListSchema },
      },
    },
    async (request) => listProblems(app.db, requireUser(request), request.params.id, request.query),
  );

  app.get(
    '/api/imports/:id/report',
    {
      config: { policy: { resource: 'imports.import', action: 'read' } },
      schema: {
        tags: ['imports'],
        summary: 'Problem report as xlsx, offending rows marked',
        params: idParams,
      },
    },
    async (request, reply) => {
      const report = await fullProblemReport(app.database, requireUser(request), request.params.id);
      const data = report;
      const buffer = report.buffer;
      return reply
        .header('content-type', XLSX)
        .header('x-report-complete', String(report.complete))
        .header(
          'content-disposition',
          attachment(`问题报告-${request.params.id}-${data.fileName.replace(/\.[^.]+$/, '')}.xlsx`),
        )
        .send(buffer);
    },
  );

  app.post(
    '/api/imports/:id/commit',
    {
      config: { policy: { resource: 'imports.import', action: 'import' } },
      schema: {
        tags: ['imports'],
        summary: 'Commit a previewed import (background job; poll the import)',
        params: idParams,
        response: { 202: importDetailSchema },
      },
    },
    async (request, reply) => {
      const detail = await startCommit(
        app.database,
        requireUser(request),
        request.params.id,
        actorOf(request),
      );
      reply.code(202);
      return detail;
    },
  );

  app.post(
    '/api/imports/:id/rollback',
    {
      config: { policy: { resource: 'imports.import', action: 'rollback' } },
      schema: {
        tags: ['imports'],
        summary: 'Roll back a committed import (administrators)',
        params: idParams,
        response: { 200: importDetailSchema },
      },
    },
    async (request) =>
      rollbackImport(app.database, requireUser(request), request.params.id, actorOf(request)),
  );
};
