// Routes of the rule-set editor: preview a definition's class changes before saving it as a version.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { authorize } from '../../server/policy.ts';
import type { RuleSet } from '../../domain/evaluation/index.ts';
import { previewBody, previewSchema } from './schemas.ts';
import { previewRuleSet } from './service-editor.ts';

const tags = ['evaluation'];

export const evaluationEditorRoutes: FastifyPluginAsyncZod = async (app) => {
  // POST because the definition is a body; nothing is written
  app.post(
    '/api/evaluation/rule-sets/:id/preview',
    {
      config: { policy: { resource: 'evaluation.ruleSet', action: 'manage' } },
      schema: {
        tags,
        summary: 'Preview an edited rule set: class changes on the latest year (nothing saved)',
        params: z.object({ id: queryId() }),
        body: previewBody,
        response: { 200: previewSchema },
      },
    },
    async (req) =>
      previewRuleSet(app.db, authorize(req, 'evaluation.ruleSet', 'manage'), req.params.id, {
        ...req.body,
        definition: req.body.definition as RuleSet,
      }),
  );
};
