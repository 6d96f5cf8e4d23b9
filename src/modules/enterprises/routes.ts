import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import {
  enterpriseCreateBody,
  enterpriseListQuery,
  enterpriseListSchema,
  enterpriseProfileSchema,
  enterpriseUpdateBody,
} from './schemas.ts';
import { createEnterprise, enterpriseList, getEnterpriseProfile, updateEnterprise } from './service.ts';
import { sendKeptJson } from '../../server/kept-reply.ts';
import { actorOf, requireUser } from '../../server/auth-context.ts';

const idParams = z.object({ id: queryId() });

export const enterpriseRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/enterprises',
    {
      config: { policy: { resource: 'enterprises.enterprise', action: 'read' } },
      schema: {
        tags: ['enterprises'],
        summary: 'Search and filter enterprises within your scope',
        querystring: enterpriseListQuery,
        response: { 200: enterpriseListSchema },
      },
    },
    // a kept answer (answers.ts) is sent as its kept JSON: fifty readers of one page serialise it once
    async (request, reply) => {
      const list = await enterpriseList(app.db, requireUser(request).scope, request.query);
      return sendKeptJson(reply, list, enterpriseListSchema);
    },
  );
  app.get(
    '/api/enterprises/:id',
    {
      config: { policy: { resource: 'enterprises.enterprise', action: 'read' } },
      schema: {
        tags: ['enterprises'],
        summary: 'Enterprise profile: registry data and latest statistics',
        params: idParams,
        response: { 200: enterpriseProfileSchema },
      },
    },
    // kept per firm and scope (answers.ts): sent as its kept JSON
    async (request, reply) =>
      sendKeptJson(
        reply,
        await getEnterpriseProfile(app.db, requireUser(request).scope, request.params.id),
        enterpriseProfileSchema,
      ),
  );
  app.post(
    '/api/enterprises',
    {
      config: { policy: { resource: 'enterprises.enterprise', action: 'create' } },
      schema: {
        tags: ['enterprises'],
        summary: 'Register an enterprise (admin, county officer)',
        body: enterpriseCreateBody,
        response: { 201: enterpriseProfileSchema },
      },
    },
    async (request, reply) => {
      const profile = await createEnterprise(app.db, requireUser(request), request.body, actorOf(request));
      reply.code(201);
      return profile;
    },
  );
  app.patch(
    '/api/enterprises/:id',
    {
      config: { policy: { resource: 'enterprises.enterprise', action: 'update' } },
      schema: {
        tags: ['enterprises'],
        summary: 'Edit an enterprise within your scope',
        params: idParams,
        body: enterpriseUpdateBody,
        response: { 200: enterpriseProfileSchema },
      },
    },
    async (request) =>
      updateEnterprise(app.db, requireUser(request), request.params.id, request.body, actorOf(request)),
  );
};
