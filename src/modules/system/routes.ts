import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { healthSchema } from './schemas.ts';
import { appliedMigrationCount, latestMigrationTag } from '../../db/client.ts';
import { cityInfo } from '../reference/index.ts';
import { VERSION } from '../../server/version.ts';

/** How long the health check answers from the last database reading while a fresh one runs. */
const FRESH_MS = 2_000;
const STALE_MS = 30_000;

export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  // The database facts are read at most every 2 s and, while a reading runs, the previous one (up to
  // 30 s old) answers: the check stays quick while heavy queries keep the database busy (issue 12).
  type Facts = { ok: boolean; migrationsApplied: number; city: { name: string; demoData: boolean } };
  let last: { at: number; facts: Facts } | null = null;
  let reading: Promise<Facts> | null = null;
  const read = (): Promise<Facts> =>
    (reading ??= (async () => {
      try {
        const facts = {
          ok: true,
          migrationsApplied: await appliedMigrationCount(app.db),
          city: await cityInfo(app.db),
        };
        return facts;
      } catch {
        return { ok: false, migrationsApplied: 0, city: { name: '', demoData: false } };
      }
    })().then((facts) => {
      last = { at: Date.now(), facts };
      reading = null;
      return facts;
    }));
  const databaseFacts = async (): Promise<Facts> => {
    const age = last ? Date.now() - last.at : Infinity;
    if (last && age < FRESH_MS) return last.facts;
    const next = read();
    return last && age < STALE_MS ? last.facts : next;
  };
  // Read once before the server listens: a first start writes the rest of its demo data right after
  // (src/cli/demo-steps.ts), and on PGlite a first reading would wait behind those transactions.
  app.addHook('onReady', async () => {
    await read();
  });
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
      const { ok, migrationsApplied, city } = await databaseFacts();
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
