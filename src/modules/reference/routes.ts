import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cityInfoSchema,
  clusterSchema,
  industryQuery,
  industrySchema,
  regionSchema,
  zoneSchema,
} from './schemas.ts';
import { cityInfo, listClusters, listIndustries, listRegions, listZones } from './service.ts';
import { requireUser } from '../../server/auth-context.ts';

export const referenceRoutes: FastifyPluginAsyncZod = async (app) => {
  // Public: the login page shows the city name and whether the data is synthetic.
  app.get(
    '/api/city',
    {
      config: { public: true },
      schema: {
        tags: ['reference'],
        summary: 'City and demo-data flag (public)',
        response: { 200: cityInfoSchema },
      },
    },
    async () => cityInfo(app.db),
  );
  app.get(
    '/api/regions',
    {
      config: { policy: { resource: 'reference.data', action: 'read' } },
      schema: {
        tags: ['reference'],
        summary: 'Regions (GB/T 2260 and towns)',
        response: { 200: z.array(regionSchema) },
      },
    },
    async (request) => {
      requireUser(request);
      return listRegions(app.db);
    },
  );
  app.get(
    '/api/zones',
    {
      config: { policy: { resource: 'reference.data', action: 'read' } },
      schema: {
        tags: ['reference'],
        summary: 'Functional zones with host county',
        response: { 200: z.array(zoneSchema) },
      },
    },
    async (request) => {
      requireUser(request);
      return listZones(app.db);
    },
  );
  app.get(
    '/api/industries',
    {
      config: { policy: { resource: 'reference.data', action: 'read' } },
      schema: {
        tags: ['reference'],
        summary: 'GB/T 4754-2017 industries',
        querystring: industryQuery,
        response: { 200: z.array(industrySchema) },
      },
    },
    async (request) => {
      requireUser(request);
      return listIndustries(app.db, request.query);
    },
  );
  app.get(
    '/api/clusters',
    {
      config: { policy: { resource: 'reference.data', action: 'read' } },
      schema: {
        tags: ['reference'],
        summary: 'The clusters with targets and industry mapping',
        response: { 200: z.array(clusterSchema) },
      },
    },
    async (request) => {
      requireUser(request);
      return listClusters(app.db);
    },
  );
};
