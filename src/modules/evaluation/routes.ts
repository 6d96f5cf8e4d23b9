import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId, queryInt } from '../../domain/query-params.ts';
import { sendKeptJson } from '../../server/kept-reply.ts';
import { actorOf, requireUser } from '../../server/auth-context.ts';
import { okSchema } from '../auth/schemas.ts';
import { evaluationFlagRoutes } from './routes-flags.ts';
import { evaluationEditorRoutes } from './routes-editor.ts';
import { evaluationEvidenceRoutes } from './routes-evidence.ts';
import { DEPARTMENT_ZH, ledgerXlsx, policyPage } from './policy-ledger.ts';
import { classTrend } from './trends.ts';
import {
  aggregateQuery,
  aggregateSchema,
  classCountsQuery,
  classCountsSchema,
  explanationSchema,
  objectionBody,
  objectionListSchema,
  objectionQuery,
  objectionResolveBody,
  objectionSchema,
  classTrendSchema,
  evaluationYearsSchema,
  ledgerQuery,
  policyListQuery,
  policyListSchema,
  resultListSchema,
  resultQuery,
  ruleSetListSchema,
  ruleSetSchema,
  ruleSetVersionBody,
  runCorrectBody,
  runCreateBody,
  runListSchema,
  runSchema,
  simulateQuery,
  simulationSchema,
  watchHandlingBody,
  watchListSchema,
  watchQuery,
} from './schemas.ts';
import {
  aggregates,
  classCounts,
  correctRun,
  createRuleSetVersion,
  createRun,
  evaluationYears,
  explainResult,
  fileObjection,
  getRuleSet,
  getRun,
  listObjections,
  listResults,
  listRuleSets,
  listRuns,
  publishRun,
  resolveObjection,
  setWatchHandling,
  simulateRuleSets,
  submitRun,
  watchList,
} from './service.ts';

const id = z.object({ id: queryId() });
const runEnterprise = z.object({
  id: queryId(),
  enterpriseId: queryId(),
});
const tags = ['evaluation'];

export const evaluationRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(evaluationFlagRoutes);
  await app.register(evaluationEditorRoutes);
  await app.register(evaluationEvidenceRoutes);
  app.get(
    '/api/evaluation/rule-sets',
    {
      config: { policy: { resource: 'evaluation.ruleSet', action: 'read' } },
      schema: {
        tags,
        summary: 'Rule sets (every version; presets seeded)',
        response: { 200: ruleSetListSchema },
      },
    },
    // kept per scope (service.ts): sent as its kept JSON
    async (req, reply) =>
      sendKeptJson(reply, await listRuleSets(app.db, requireUser(req), actorOf(req)), ruleSetListSchema),
  );
  app.get(
    '/api/evaluation/rule-sets/:id',
    {
      config: { policy: { resource: 'evaluation.ruleSet', action: 'read' } },
      schema: { tags, summary: 'One rule-set version', params: id, response: { 200: ruleSetSchema } },
    },
    // kept per scope (service.ts): sent as its kept JSON
    async (req, reply) =>
      sendKeptJson(reply, await getRuleSet(app.db, requireUser(req), req.params.id), ruleSetSchema),
  );
  app.post(
    '/api/evaluation/rule-sets/:id/versions',
    {
      config: { policy: { resource: 'evaluation.ruleSet', action: 'manage' } },
      schema: {
        tags,
        summary: 'Edit a rule set: creates its next version',
        params: id,
        body: ruleSetVersionBody,
        response: { 201: ruleSetSchema },
      },
    },
    async (req, reply) => {
      const out = await createRuleSetVersion(app.db, requireUser(req), req.params.id, req.body, actorOf(req));
      reply.code(201);
      return out;
    },
  );
  app.get(
    '/api/evaluation/runs',
    {
      config: { policy: { resource: 'evaluation.run', action: 'read' } },
      schema: {
        tags,
        summary: 'Evaluation runs you may see',
        querystring: z.object({ year: queryInt().optional() }),
        response: { 200: runListSchema },
      },
    },
    // kept per role and scope (service.ts): sent as its kept JSON
    async (req, reply) =>
      sendKeptJson(reply, await listRuns(app.db, requireUser(req), req.query.year), runListSchema),
  );
  app.get(
    '/api/evaluation/years',
    {
      config: { policy: { resource: 'evaluation.run', action: 'read' } },
      schema: {
        tags,
        summary: 'Years with annual inputs or a run you may see, newest first (the year pages open on)',
        response: { 200: evaluationYearsSchema },
      },
    },
    async (req) => evaluationYears(app.db, requireUser(req)),
  );
  app.post(
    '/api/evaluation/runs',
    {
      config: { policy: { resource: 'evaluation.run', action: 'create' } },
      schema: {
        tags,
        summary: 'Evaluate a year: a draft run',
        body: runCreateBody,
        response: { 201: runSchema },
      },
    },
    async (req, reply) => {
      const out = await createRun(app.database, requireUser(req), actorOf(req), req.body);
      reply.code(201);
      return out;
    },
  );
  app.get(
    '/api/evaluation/runs/:id',
    {
      config: { policy: { resource: 'evaluation.run', action: 'read' } },
      schema: { tags, summary: 'One run', params: id, response: { 200: runSchema } },
    },
    // kept per run (service.ts), the reader's right checked each time: sent as its kept JSON
    async (req, reply) =>
      sendKeptJson(reply, await getRun(app.db, requireUser(req), req.params.id), runSchema),
  );
  app.post(
    '/api/evaluation/runs/:id/submit',
    {
      config: { policy: { resource: 'evaluation.run', action: 'submit' } },
      schema: { tags, summary: 'Draft → review', params: id, response: { 200: runSchema } },
    },
    async (req) => submitRun(app.db, requireUser(req), req.params.id, actorOf(req)),
  );
  app.post(
    '/api/evaluation/runs/:id/publish',
    {
      config: { policy: { resource: 'evaluation.run', action: 'publish' } },
      schema: {
        tags,
        summary: 'Review → published (results never change again)',
        params: id,
        response: { 200: runSchema },
      },
    },
    async (req) => publishRun(app.db, requireUser(req), req.params.id, actorOf(req)),
  );
  app.post(
    '/api/evaluation/runs/:id/correct',
    {
      config: { policy: { resource: 'evaluation.run', action: 'update' } },
      schema: {
        tags,
        summary: 'Correct a published run: a new draft version with the reason',
        params: id,
        body: runCorrectBody,
        response: { 201: runSchema },
      },
    },
    async (req, reply) => {
      const out = await correctRun(app.database, requireUser(req), req.params.id, req.body, actorOf(req));
      reply.code(201);
      return out;
    },
  );
  app.get(
    '/api/evaluation/runs/:id/results',
    {
      config: { policy: { resource: 'evaluation.result', action: 'read' } },
      schema: {
        tags,
        summary: 'Results within your scope, by class, county, cluster',
        params: id,
        querystring: resultQuery,
        response: { 200: resultListSchema },
      },
    },
    // a published run's page is kept (service.ts): sent as its kept JSON
    async (req, reply) =>
      sendKeptJson(
        reply,
        await listResults(app.db, requireUser(req), req.params.id, req.query),
        resultListSchema,
      ),
  );
  app.get(
    '/api/evaluation/runs/:id/results/:enterpriseId/explanation',
    {
      config: { policy: { resource: 'evaluation.result', action: 'read' } },
      schema: {
        tags,
        summary: 'Why this class, and what would move the enterprise up',
        params: runEnterprise,
        response: { 200: explanationSchema },
      },
    },
    async (req, reply) =>
      sendKeptJson(
        reply,
        await explainResult(app.db, requireUser(req), req.params.id, req.params.enterpriseId),
        explanationSchema,
      ),
  );
  app.get(
    '/api/evaluation/runs/:id/class-counts',
    {
      config: { policy: { resource: 'evaluation.aggregate', action: 'read' } },
      schema: {
        tags,
        summary: 'Class counts per county or cluster',
        params: id,
        querystring: classCountsQuery,
        response: { 200: classCountsSchema },
      },
    },
    // a published run's counts are kept (service.ts): sent as their kept JSON
    async (req, reply) =>
      sendKeptJson(
        reply,
        await classCounts(app.db, requireUser(req), req.params.id, req.query.by),
        classCountsSchema,
      ),
  );
  app.get(
    '/api/evaluation/runs/:id/policies',
    {
      config: { policy: { resource: 'evaluation.policyList', action: 'read' } },
      schema: {
        tags,
        summary: 'Policy list per class, one page (with totals per policy over the whole list)',
        params: id,
        querystring: policyListQuery,
        response: { 200: policyListSchema },
      },
    },
    // one page of the kept list, already the bytes of its JSON through this schema (policy-pages.ts; the
    // whole list is the department's ledger download)
    async (req, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send((await policyPage(app.db, requireUser(req), req.params.id, req.query)) as never),
  );
  app.get(
    '/api/evaluation/runs/:id/ledger.xlsx',
    {
      config: { policy: { resource: 'evaluation.policyList', action: 'export' } },
      schema: {
        tags,
        summary: "One department's policy ledger (电力, 水务, 税务, 自然资源, 生态环境, 经信) as Excel",
        params: id,
        querystring: ledgerQuery,
      },
    },
    async (req, reply) => {
      const data = await ledgerXlsx(app.db, requireUser(req), req.params.id, req.query.department);
      const name = `政策台账-${DEPARTMENT_ZH[req.query.department].replace(/（.*）/, '')}-${req.params.id}.xlsx`;
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="ledger-${req.query.department}-${req.params.id}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        );
      return reply.send(data);
    },
  );
  app.post(
    '/api/evaluation/runs/:id/objections',
    {
      config: { policy: { resource: 'evaluation.objection', action: 'create' } },
      schema: {
        tags,
        summary: 'File an objection (异议) to a published result',
        params: id,
        body: objectionBody,
        response: { 201: objectionSchema },
      },
    },
    async (req, reply) => {
      const out = await fileObjection(app.db, requireUser(req), req.params.id, req.body, actorOf(req));
      reply.code(201);
      return out;
    },
  );
  app.get(
    '/api/evaluation/objections',
    {
      config: { policy: { resource: 'evaluation.objection', action: 'read' } },
      schema: {
        tags,
        summary: 'Objections within your scope',
        querystring: objectionQuery,
        response: { 200: objectionListSchema },
      },
    },
    // a kept list (service.ts): sent as its kept JSON
    async (req, reply) =>
      sendKeptJson(reply, await listObjections(app.db, requireUser(req), req.query), objectionListSchema),
  );
  app.post(
    '/api/evaluation/objections/:id/resolve',
    {
      config: { policy: { resource: 'evaluation.objection', action: 'handle' } },
      schema: {
        tags,
        summary: 'Resolve an objection',
        params: id,
        body: objectionResolveBody,
        response: { 200: objectionSchema },
      },
    },
    async (req) => resolveObjection(app.db, requireUser(req), req.params.id, req.body, actorOf(req)),
  );
  app.get(
    '/api/evaluation/class-trend',
    {
      config: { policy: { resource: 'evaluation.aggregate', action: 'read' } },
      schema: {
        tags,
        summary: 'Class mix (A+/A/B/C/D) by region, zone or cluster and year, from the published results',
        querystring: aggregateQuery,
        response: { 200: classTrendSchema },
      },
    },
    async (req, reply) =>
      sendKeptJson(reply, await classTrend(app.db, requireUser(req), req.query.by), classTrendSchema),
  );
  app.get(
    '/api/evaluation/aggregates',
    {
      config: { policy: { resource: 'evaluation.aggregate', action: 'read' } },
      schema: {
        tags,
        summary: '亩均税收 and 亩均增加值 by region, zone or cluster and year',
        querystring: aggregateQuery,
        response: { 200: aggregateSchema },
      },
    },
    async (req, reply) =>
      sendKeptJson(reply, await aggregates(app.db, requireUser(req), req.query), aggregateSchema),
  );
  app.get(
    '/api/evaluation/watch',
    {
      config: { policy: { resource: 'evaluation.watchList', action: 'read' } },
      schema: {
        tags,
        summary: 'The 低散乱 watch list with handling status',
        querystring: watchQuery,
        response: { 200: watchListSchema },
      },
    },
    // a kept page (service.ts): sent as its kept JSON
    async (req, reply) =>
      sendKeptJson(reply, await watchList(app.db, requireUser(req), req.query), watchListSchema),
  );
  app.put(
    '/api/evaluation/watch/:year/:enterpriseId',
    {
      config: { policy: { resource: 'evaluation.watchList', action: 'update' } },
      schema: {
        tags,
        summary: 'Set the handling status of a watch-list enterprise',
        params: z.object({
          year: queryInt({ min: 2000, max: 2100 }),
          enterpriseId: queryId(),
        }),
        body: watchHandlingBody,
        response: { 200: okSchema },
      },
    },
    async (req) =>
      setWatchHandling(
        app.db,
        requireUser(req),
        req.params.year,
        req.params.enterpriseId,
        req.body,
        actorOf(req),
      ),
  );
  app.get(
    '/api/evaluation/simulate',
    {
      config: { policy: { resource: 'evaluation.simulation', action: 'read' } },
      schema: {
        tags,
        summary: 'Compare two rule sets on the same year',
        querystring: simulateQuery,
        response: { 200: simulationSchema },
      },
    },
    async (req, reply) =>
      sendKeptJson(
        reply,
        await simulateRuleSets(app.db, requireUser(req), actorOf(req), req.query),
        simulationSchema,
      ),
  );
};
