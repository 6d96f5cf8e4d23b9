// Routes of the adjustment flags (调整标记): list within scope; an officer sets or clears one with evidence.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { keptJson } from '../../db/answer-cache.ts';
import { actorOf } from '../../server/auth-context.ts';
import { authorize } from '../../server/policy.ts';
import { listFlags, setFlag } from './flags.ts';
import { flagListSchema, flagParams, flagQuery, flagSetBody, flagSetSchema } from './schemas-flags.ts';

const tags = ['evaluation'];

export const evaluationFlagRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/evaluation/flags',
    {
      config: { policy: { resource: 'evaluation.flag', action: 'read' } },
      schema: {
        tags,
        summary: 'Adjustment flags (调整标记) within your scope',
        querystring: flagQuery,
        response: { 200: flagListSchema },
      },
    },
    async (req, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send(
          keptJson(
            await listFlags(app.db, authorize(req, 'evaluation.flag', 'read'), req.query),
            flagListSchema,
          ) as never,
        ),
  );
  app.put(
    '/api/evaluation/flags/:enterpriseId/:year/:flag',
    {
      config: { policy: { resource: 'evaluation.flag', action: 'update' } },
      schema: {
        tags,
        summary: 'Set or clear an adjustment flag, with evidence (audited)',
        params: flagParams,
        body: flagSetBody,
        response: { 200: flagSetSchema },
      },
    },
    async (req) =>
      setFlag(app.db, authorize(req, 'evaluation.flag', 'update'), req.params, req.body, actorOf(req)),
  );
};
