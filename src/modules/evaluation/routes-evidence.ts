// Routes of objection evidence files: the enterprise attaches files to its open objection; whoever may
// read the objection lists and downloads them (always as a download, never rendered in the app).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { actorOf } from '../../server/auth-context.ts';
import { authorize } from '../../server/policy.ts';
import { sendDocument } from '../documents/index.ts';
import { attachObjectionFile, getObjectionFile, listObjectionFiles } from './evidence.ts';
import {
  MAX_OBJECTION_FILE_BYTES,
  objectionFileBody,
  objectionFileListSchema,
  objectionFileQuery,
  objectionFileSchema,
} from './schemas-evidence.ts';

const tags = ['evaluation'];
const id = z.object({ id: queryId() });

export const evaluationEvidenceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/evaluation/objections/:id/files',
    {
      config: { policy: { resource: 'evaluation.objection', action: 'create' } },
      // base64 of at most MAX_OBJECTION_FILE_BYTES, plus the JSON around it
      bodyLimit: Math.ceil(MAX_OBJECTION_FILE_BYTES / 3) * 4 + 64 * 1024,
      schema: {
        tags,
        summary: `Attach an evidence file to your open objection (pdf, jpg, png, xlsx; at most ${MAX_OBJECTION_FILE_BYTES / 1024 / 1024} MB, base64)`,
        params: id,
        body: objectionFileBody,
        response: { 201: objectionFileSchema },
      },
    },
    async (req, reply) => {
      const out = await attachObjectionFile(
        app.db,
        authorize(req, 'evaluation.objection', 'create'),
        req.params.id,
        req.body,
        actorOf(req),
      );
      reply.code(201);
      return out;
    },
  );
  app.get(
    '/api/evaluation/objection-files',
    {
      config: { policy: { resource: 'evaluation.objection', action: 'read' } },
      schema: {
        tags,
        summary: 'Evidence files of the objections within your scope',
        querystring: objectionFileQuery,
        response: { 200: objectionFileListSchema },
      },
    },
    async (req) => listObjectionFiles(app.db, authorize(req, 'evaluation.objection', 'read'), req.query),
  );
  app.get(
    '/api/evaluation/objections/:id/files/:fileId',
    {
      config: { policy: { resource: 'evaluation.objection', action: 'read' } },
      schema: {
        tags,
        summary: 'Download an evidence file of an objection you may see',
        params: id.extend({ fileId: queryId() }),
      },
    },
    async (req, reply) => {
      const f = await getObjectionFile(
        app.db,
        authorize(req, 'evaluation.objection', 'read'),
        req.params.id,
        req.params.fileId,
      );
      return sendDocument(reply, f);
    },
  );
};
