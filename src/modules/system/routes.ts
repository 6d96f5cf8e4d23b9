import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { healthSchema } from './schemas.ts';
import { appliedMigrationCount, latestMigrationTag } from '../../db/client.ts';
import { cityInfo } from '../reference/index.ts';
import { VERSION } from '../../server/version.ts';

export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Liveness, database kind and schema version (public)',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const schemaVersion = latestMigrationTag();
      let migrationsApplied = 0;
      let city = { name: '', demoData: false };
      let ok = true;
      try {
        migrationsApplied = await appliedMigrationCount(app.db);
        city = await cityInfo(app.db);
      } catch {
        ok = false;
      }
      const body = {
        status: ok && migrationsApplied > 0 ? ('ok' as const) : ('degraded' as const),
        database: app.database.kind,
        schemaVersion,
        migrationsApplied,
        city: city.name,
        demoData: city.demoData,
        version: VERSION,
      };
      if (body.status !== 'ok') reply.code(503);
      return body;
    },
  );
};
