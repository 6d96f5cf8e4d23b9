// Routes of import batches (registered by importRoutes, inside its multipart scope): upload several
// files at once — each multipart file field is named by its kind (enterprises, monthly, annual,
// tiers) — then poll the batch, commit it, and (administrators) roll it back; preview an interrupted
// or failed batch again, or discard one that was not committed.
import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { isImportKind, IMPORT_KINDS } from '../../domain/imports/columns.ts';
import { actorOf, requireUser } from '../../server/auth-context.ts';
import { AppError, badRequest } from '../../server/errors.ts';
import {
  batchKindsProblem,
  getBatch,
  MAX_BATCH_FILES,
  rollbackBatch,
  startBatchCommit,
  startBatchUpload,
} from './batches.ts';
import { discardBatch, rerunBatchPreview } from './lifecycle.ts';
import { importBatchSchema } from './schemas.ts';
import { brokenUpload, importerOf, saveUpload, type UploadedFile } from './service.ts';

const idParams = z.object({ id: queryId() });
const MAX_UPLOAD = 200 * 1024 * 1024;

export const importBatchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/imports/batches',
    {
      config: { policy: { resource: 'imports.import', action: 'import' } },
      schema: {
        tags: ['imports'],
        summary: `Upload an import batch (multipart: up to ${MAX_BATCH_FILES} files, each field named by its kind — ${IMPORT_KINDS.join(', ')}; at most one enterprises file) and start its preview`,
        response: { 202: importBatchSchema, 200: importBatchSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      importerOf(user); // refuse before reading the upload
      if (!request.isMultipart())
        throw badRequest('Upload the files as multipart/form-data.', '请以 multipart/form-data 上传文件。');
      const files: { kind: string; file: UploadedFile }[] = [];
      // the files saved before the batch is refused (a field naming no kind, a file too large, a body cut
      // off, two registry files …) are named by no import: they go with the refusal, not at a sweep
      const dropSaved = () =>
        Promise.all(files.map((f) => fs.promises.rm(f.file.path, { force: true }))).then(() => undefined);
      let starting = false;
      let batch;
      try {
        for await (const part of request.files({
          limits: { fileSize: MAX_UPLOAD, files: MAX_BATCH_FILES, fields: 10 },
        })) {
          if (!isImportKind(part.fieldname)) {
            part.file.resume();
            throw badRequest(
              `Name each file field by its kind (${IMPORT_KINDS.join(', ')}); "${part.fieldname}" is none.`,
              `每个文件字段须以导入类型命名（${IMPORT_KINDS.join('、')}），“${part.fieldname}”不是。`,
            );
          }
          const saved = await saveUpload(part.file, part.filename);
          files.push({ kind: part.fieldname, file: { ...saved, fileName: part.filename } });
          if (part.file.truncated) throw badRequest('A file is larger than 200 MB.', '有文件超过 200 MB。');
        }
        const problem = batchKindsProblem(files.map((f) => f.kind));
        if (problem) throw badRequest(problem.en, problem.zh);
        starting = true;
        batch = await startBatchUpload(app.database, user, files, actorOf(request));
      } catch (error) {
        // (startBatchUpload refuses with an AppError before it records anything: the same file twice …)
        if (!starting || error instanceof AppError) await dropSaved();
        throw brokenUpload(error, { files: MAX_BATCH_FILES, fileBytes: MAX_UPLOAD });
      }
      reply.code(batch.status === 'previewing' ? 202 : 200);
      return batch;
    },
  );

  app.get(
    '/api/imports/batches/:id',
    {
      config: { policy: { resource: 'imports.import', action: 'read' } },
      schema: {
        tags: ['imports'],
        summary: 'One import batch: status, job progress, and each file with its first problems',
        params: idParams,
        response: { 200: importBatchSchema },
      },
    },
    async (request) => getBatch(app.db, requireUser(request), request.params.id),
  );

  app.post(
    '/api/imports/batches/:id/commit',
    {
      config: { policy: { resource: 'imports.import', action: 'import' } },
      schema: {
        tags: ['imports'],
        summary: 'Commit a previewed import batch: all its files in one transaction (background job)',
        params: idParams,
        response: { 202: importBatchSchema },
      },
    },
    async (request, reply) => {
      const batch = await startBatchCommit(
        app.database,
        requireUser(request),
        request.params.id,
        actorOf(request),
      );
      reply.code(202);
      return batch;
    },
  );

  app.post(
    '/api/imports/batches/:id/rollback',
    {
      config: { policy: { resource: 'imports.import', action: 'rollback' } },
      schema: {
        tags: ['imports'],
        summary:
          'Roll back every file of a committed batch, newest first, in one transaction (administrators)',
        params: idParams,
        response: { 200: importBatchSchema },
      },
    },
    async (request) => rollbackBatch(app.database, requireUser(request), request.params.id, actorOf(request)),
  );

  app.post(
    '/api/imports/batches/:id/preview',
    {
      config: { policy: { resource: 'imports.import', action: 'import' } },
      schema: {
        tags: ['imports'],
        summary:
          'Run the preview of an interrupted or failed import batch again, over all its files (background job; poll the batch)',
        params: idParams,
        response: { 202: importBatchSchema, 200: importBatchSchema },
      },
    },
    async (request, reply) => {
      const batch = await rerunBatchPreview(
        app.database,
        requireUser(request),
        request.params.id,
        actorOf(request),
      );
      reply.code(batch.status === 'previewing' ? 202 : 200);
      return batch;
    },
  );

  app.post(
    '/api/imports/batches/:id/discard',
    {
      config: { policy: { resource: 'imports.import', action: 'import' } },
      schema: {
        tags: ['imports'],
        summary: 'Discard an import batch that was not committed: all its files (their uploads are removed)',
        params: idParams,
        response: { 200: importBatchSchema },
      },
    },
    async (request) => discardBatch(app.database, requireUser(request), request.params.id, actorOf(request)),
  );
};
