// HTTP surface of target responsibility (目标考核, issue 16): the ledger, county breakdowns and goals,
// reported values with their review, evidence downloads and the import of reported values.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { actorOf } from '../../server/auth-context.ts';
import { authorize } from '../../server/policy.ts';
import { DOCUMENT_BODY_LIMIT, sendDocument } from '../documents/index.ts';
import { importReports, reportTemplate } from './import.ts';
import { breakdown, ledger, setCountyGoals } from './ledger.ts';
import { getEvidence, getReport, listReports, reviewReport, submitReport } from './reports.ts';
import {
  breakdownAnswerSchema,
  breakdownQuery,
  countyGoalsBody,
  importBody,
  importResultSchema,
  ledgerAnswerSchema,
  ledgerQuery,
  reportDetailSchema,
  reportListQuery,
  reportListSchema,
  reportReviewBody,
  reportSubmitBody,
} from './schemas.ts';

const tags = ['targets'];
const idParams = z.object({ id: queryId() });
const okSchema = z.object({ ok: z.literal(true) });

export const targetRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/targets/ledger',
    {
      config: { policy: { resource: 'targets.ledger', action: 'read' } },
      schema: {
        tags,
        summary: 'Every target of a set: responsible units, source, reviewer, measurement and its figure',
        querystring: ledgerQuery,
        response: { 200: ledgerAnswerSchema },
      },
    },
    async (request) => {
      authorize(request, 'targets.ledger', 'read');
      return ledger(app.db, request.query);
    },
  );
  app.get(
    '/api/targets/breakdown',
    {
      config: { policy: { resource: 'targets.ledger', action: 'read' } },
      schema: {
        tags,
        summary: 'A city target split into county targets, each county’s progress by the same method',
        querystring: breakdownQuery,
        response: { 200: breakdownAnswerSchema },
      },
    },
    async (request) => {
      authorize(request, 'targets.ledger', 'read');
      return breakdown(app.db, request.query);
    },
  );
  app.put(
    '/api/targets/county-goals',
    {
      config: { policy: { resource: 'targets.ledger', action: 'manage' } },
      schema: {
        tags,
        summary: 'Enter (or clear) county goals of a target; entered goals win over the split by share',
        body: countyGoalsBody,
        response: { 200: okSchema },
      },
    },
    async (request) => {
      await setCountyGoals(
        app.db,
        authorize(request, 'targets.ledger', 'manage'),
        request.body,
        actorOf(request),
      );
      return { ok: true as const };
    },
  );
  app.get(
    '/api/targets/reports',
    {
      config: { policy: { resource: 'targets.report', action: 'read' } },
      schema: {
        tags,
        summary: 'Reported values you may see (your county’s and the city-wide ones)',
        querystring: reportListQuery,
        response: { 200: reportListSchema },
      },
    },
    async (request) => listReports(app.db, authorize(request, 'targets.report', 'read'), request.query),
  );
  app.get(
    '/api/targets/reports/:id',
    {
      config: { policy: { resource: 'targets.report', action: 'read' } },
      schema: {
        tags,
        summary: 'A reported value with every revision, its evidence and the review history',
        params: idParams,
        response: { 200: reportDetailSchema },
      },
    },
    async (request) => getReport(app.db, authorize(request, 'targets.report', 'read'), request.params.id),
  );
  app.post(
    '/api/targets/reports',
    {
      config: { policy: { resource: 'targets.report', action: 'create' } },
      bodyLimit: DOCUMENT_BODY_LIMIT * 5,
      schema: {
        tags,
        summary: 'Report (or correct) a target’s value for a region and year, with evidence files',
        body: reportSubmitBody,
        response: { 200: reportDetailSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'targets.report', 'create');
      const id = await submitReport(app.db, user, request.body, actorOf(request));
      return getReport(app.db, user, id);
    },
  );
  app.post(
    '/api/targets/reports/:id/review',
    {
      config: { policy: { resource: 'targets.report', action: 'review' } },
      schema: {
        tags,
        summary: 'Review a reported value: 通过 (approve) or 退回 (return, with a reason)',
        params: idParams,
        body: reportReviewBody,
        response: { 200: reportDetailSchema },
      },
    },
    async (request) =>
      reviewReport(
        app.db,
        authorize(request, 'targets.report', 'review'),
        request.params.id,
        request.body,
        actorOf(request),
      ),
  );
  app.get(
    '/api/targets/documents/:id',
    {
      config: { policy: { resource: 'targets.report', action: 'read' } },
      schema: {
        tags,
        summary: 'Download an evidence file of a reported value you may see',
        params: idParams,
      },
    },
    async (request, reply) =>
      sendDocument(
        reply,
        await getEvidence(app.db, authorize(request, 'targets.report', 'read'), request.params.id),
      ),
  );
  app.get(
    '/api/targets/reports-template',
    {
      config: { policy: { resource: 'targets.report', action: 'import' } },
      schema: { tags, summary: 'The xlsx template for importing reported values' },
    },
    async (request, reply) => {
      authorize(request, 'targets.report', 'import');
      return sendDocument(reply, await reportTemplate());
    },
  );
  app.post(
    '/api/targets/reports/import',
    {
      config: { policy: { resource: 'targets.report', action: 'import' } },
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Import reported values from the xlsx template: all rows or none',
        body: importBody,
        response: { 200: importResultSchema },
      },
    },
    async (request) =>
      importReports(
        app.db,
        authorize(request, 'targets.report', 'import'),
        request.body.file,
        actorOf(request),
      ),
  );
};
