import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../server/auth-context.ts';
import { sendKeptText } from '../../server/kept-reply.ts';
import {
  clusterPageSchema,
  cockpitSchema,
  figuresQuery,
  figuresSchema,
  metaSchema,
  monitoringQuery,
  rankingQuery,
  rankingSchema,
  regionPageSchema,
  structureSchema,
  targetsSchema,
} from './schemas.ts';
import {
  assertMonitoringRole,
  clusterPage,
  cockpit,
  figures,
  monitoringMeta,
  rankings,
  regionPage,
  structure,
  targets,
  answerJson,
} from './service.ts';

const tags = ['monitoring'];

/**
 * Sends an answer serialised once (cached answers keep their JSON) as bytes kept beside it, gzip-compressed
 * once for a client that accepts it (src/server/kept-reply.ts): no per-request serialisation or encoding.
 */
const json = (
  request: FastifyRequest,
  reply: FastifyReply,
  answer: object,
  schema: { parse(value: unknown): unknown },
) => sendKeptText(request, reply, answer, () => answerJson(answer, schema));
const codeParams = z.object({ code: z.string().min(1).max(40) });

/** Read-only: aggregates for every monitoring role; anything naming an enterprise is scoped. */
export const monitoringRoutes: FastifyPluginAsyncZod = async (app) => {
  const staff = (request: Parameters<typeof requireUser>[0]) => {
    const user = requireUser(request);
    assertMonitoringRole(user);
    return user;
  };
  app.get(
    '/api/monitoring/meta',
    {
      config: { policy: { resource: 'monitoring.figures', action: 'read' } },
      schema: {
        tags,
        summary: 'Months on record, clusters, counties, zones and target sets',
        response: { 200: metaSchema },
      },
    },
    async (request, reply) => {
      staff(request);
      return json(request, reply, await monitoringMeta(app.db), metaSchema);
    },
  );
  app.get(
    '/api/monitoring/cockpit',
    {
      config: { policy: { resource: 'monitoring.figures', action: 'read' } },
      schema: {
        tags,
        summary: '驾驶舱: the five clusters, counties, trend and targets',
        querystring: monitoringQuery,
        response: { 200: cockpitSchema },
      },
    },
    async (request, reply) => {
      const user = staff(request);
      return json(request, reply, await cockpit(app.db, request.query, user.scope), cockpitSchema);
    },
  );
  app.get(
    '/api/monitoring/targets',
    {
      config: { policy: { resource: 'monitoring.targets', action: 'read' } },
      schema: {
        tags,
        summary: 'Progress against every target of a target set',
        querystring: monitoringQuery,
        response: { 200: targetsSchema },
      },
    },
    async (request, reply) => {
      const user = staff(request);
      return json(request, reply, await targets(app.db, request.query, user.scope), targetsSchema);
    },
  );
  app.get(
    '/api/monitoring/clusters/:code',
    {
      config: { policy: { resource: 'monitoring.figures', action: 'read' } },
      schema: {
        tags,
        summary: 'One cluster by county and zone, trend, concentration, ladder, targets',
        params: codeParams,
        querystring: monitoringQuery,
        response: { 200: clusterPageSchema },
      },
    },
    async (request, reply) =>
      json(
        request,
        reply,
        await clusterPage(app.db, staff(request).scope, request.params.code, request.query),
        clusterPageSchema,
      ),
  );
  app.get(
    '/api/monitoring/regions/:code',
    {
      config: { policy: { resource: 'monitoring.figures', action: 'read' } },
      schema: {
        tags,
        summary: 'One county or zone: clusters, LQ, zones, trend, shift-share',
        params: codeParams,
        querystring: monitoringQuery,
        response: { 200: regionPageSchema },
      },
    },
    async (request, reply) =>
      json(
        request,
        reply,
        await regionPage(app.db, staff(request).scope, request.params.code, request.query),
        regionPageSchema,
      ),
  );
  app.get(
    '/api/monitoring/figures',
    {
      config: { policy: { resource: 'monitoring.figures', action: 'read' } },
      schema: {
        tags,
        summary: 'Figures by cluster × county (or zone) × month: 本月, 累计, 同比',
        querystring: figuresQuery,
        response: { 200: figuresSchema },
      },
    },
    async (request, reply) => {
      const user = staff(request);
      const answer = await figures(app.db, request.query, user.scope);
      return json(request, reply, answer, figuresSchema);
    },
  );
  app.get(
    '/api/monitoring/structure',
    {
      config: { policy: { resource: 'monitoring.figures', action: 'read' } },
      schema: {
        tags,
        summary: 'Location quotients and concentration (HHI, top-5 share)',
        querystring: monitoringQuery,
        response: { 200: structureSchema },
      },
    },
    async (request, reply) =>
      json(request, reply, await structure(app.db, staff(request).scope, request.query), structureSchema),
  );
  app.get(
    '/api/monitoring/rankings',
    {
      config: { policy: { resource: 'monitoring.figures', action: 'read' } },
      schema: {
        tags,
        summary: 'Enterprise rankings within your scope',
        querystring: rankingQuery,
        response: { 200: rankingSchema },
      },
    },
    async (request, reply) =>
      json(request, reply, await rankings(app.db, staff(request).scope, request.query), rankingSchema),
  );
};
