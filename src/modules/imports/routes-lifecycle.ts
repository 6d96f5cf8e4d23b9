// Routes of an import's life after its upload: preview again, discard. Recovery of jobs a stopped
// server left behind and the uploads sweep are background work the composition root starts
// (startBackgroundJobs in src/composition.ts), not this plugin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { actorOf, requireUser } from '../../server/auth-context.ts';
import { discardImport, rerunPreview } from './lifecycle.ts';
import { importDetailSchema } from './schemas.ts';

const idParams = z.object({ id: queryId() });

export const importLifecycleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/imports/:id/preview',
    {
      config: { policy: { resource: 'imports.import', action: 'import' } },
      schema: {
        tags: ['imports'],
        summary: 'Run the preview of an interrupted or failed import again (background job; poll the import)',
        params: idParams,
        response: { 202: importDetailSchema },
      },
    },
    async (request, reply) => {
      const detail = await rerunPreview(
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
    '/api/imports/:id/discard',
    {
      config: { policy: { resource: 'imports.import', action: 'import' } },
      schema: {
        tags: ['imports'],
        summary: 'Discard an import that was not committed (its uploaded file is removed)',
        params: idParams,
        response: { 200: importDetailSchema },
      },
    },
    async (request) => discardImport(app.database, requireUser(request), request.params.id, actorOf(request)),
  );
};
