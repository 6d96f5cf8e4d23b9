// HTTP surface of the home page: the signed-in user's to-do counts (resource 'home.todos', every role).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authorize } from '../../server/policy.ts';
import { todosSchema } from './schemas.ts';
import { todosOf } from './service.ts';

export const homeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/home/todos',
    {
      config: { policy: { resource: 'home.todos', action: 'read' } },
      schema: {
        tags: ['home'],
        summary:
          'Your to-dos: per group you may act on, the open items, the overdue ones and the page listing them',
        response: { 200: todosSchema },
      },
    },
    async (request) => todosOf(app.db, authorize(request, 'home.todos', 'read')),
  );
};
