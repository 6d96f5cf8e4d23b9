import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditListSchema, auditQuery } from './schemas.ts';
import { listAudit } from './service.ts';
import { authorize } from '../../server/policy.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit',
    {
      config: { policy: { resource: 'audit.entry', action: 'read' } },
      schema: {
        tags: ['audit'],
        summary: 'Audit log (admin, auditor)',
        querystring: auditQuery,
        response: { 200: auditListSchema },
      },
    },
    async (request) => {
      authorize(request, 'audit.entry', 'read');
      return listAudit(app.db, request.query);
    },
  );
};
