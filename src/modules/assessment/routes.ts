// HTTP routes of the county assessment (目标考核, issue 16 items 6–8). Every route states its resource and
// action; the handler narrows to what the user may see (drafts to their drafters and reviewers, a county's
// detail to the city and that county).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { actorOf } from '../../server/auth-context.ts';
import { authorize } from '../../server/policy.ts';
import { AppError } from '../../server/errors.ts';
import { assessmentWorkbook, countyReportPdf } from './export.ts';
import {
  assessmentEditionSchema,
  assessmentYearsSchema,
  assessmentListSchema,
  countyDetailSchema,
  createBody,
  editionTransitionBody,
  processQuery,
  processSchema,
  updateBody,
} from './schemas.ts';
import {
  assessmentEdition,
  assessmentYears,
  countyDetail,
  createAssessment,
  listAssessments,
  moveAssessment,
  processView,
  recomputeAssessment,
  seesCounty,
  updateAssessment,
  visibleEdition,
} from './service.ts';

const tags = ['assessment'];
const id = z.object({ id: queryId() });
const countyParams = z.object({ id: queryId(), code: z.string().regex(/^\d{6}$/) });
const E = 'assessment.edition' as const;
const C = 'assessment.county' as const;
const attachment = (ascii: string, zh: string) =>
  `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(zh)}`;

export const assessmentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/assessment/editions',
    {
      config: { policy: { resource: E, action: 'read' } },
      schema: {
        tags,
        summary: 'County assessments (readers: published ones)',
        response: { 200: assessmentListSchema },
      },
    },
    async (req) => listAssessments(app.db, authorize(req, E, 'read')),
  );
  app.post(
    '/api/assessment/editions',
    {
      config: { policy: { resource: E, action: 'manage' } },
      schema: {
        tags,
        summary:
          'New draft assessment of a year, computed at once (a correction of a published one needs its reason)',
        body: createBody,
        response: { 201: assessmentEditionSchema },
      },
    },
    async (req, reply) => {
      const user = authorize(req, E, 'manage');
      reply.code(201);
      return createAssessment(app.db, user, actorOf(req), req.body);
    },
  );
  app.get(
    '/api/assessment/editions/:id',
    {
      config: { policy: { resource: E, action: 'read' } },
      schema: {
        tags,
        summary: 'One assessment: scheme, ranking, 先进单位, 红黑榜, sensitivity',
        params: id,
        response: { 200: assessmentEditionSchema },
      },
    },
    async (req) => assessmentEdition(app.db, authorize(req, E, 'read'), req.params.id),
  );
  app.put(
    '/api/assessment/editions/:id',
    {
      config: { policy: { resource: E, action: 'manage' } },
      schema: {
        tags,
        summary: 'Change a draft’s scheme or 加扣分 (computed again)',
        params: id,
        body: updateBody,
        response: { 200: assessmentEditionSchema },
      },
    },
    async (req) =>
      updateAssessment(app.db, authorize(req, E, 'manage'), actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/assessment/editions/:id/recompute',
    {
      config: { policy: { resource: E, action: 'manage' } },
      schema: {
        tags,
        summary: 'Compute a draft again on today’s data',
        params: id,
        response: { 200: assessmentEditionSchema },
      },
    },
    async (req) => recomputeAssessment(app.db, authorize(req, E, 'manage'), actorOf(req), req.params.id),
  );
  app.post(
    '/api/assessment/editions/:id/transition',
    {
      // the gate: whoever may submit; the step's own action is checked next (review, publish …)
      config: { policy: { resource: E, action: 'submit' } },
      schema: {
        tags,
        summary: 'submit | return | review | publish | withdraw (review and publish by a second person)',
        params: id,
        body: editionTransitionBody,
        response: { 200: assessmentEditionSchema },
      },
    },
    async (req) => {
      const a = req.body.action;
      const action =
        a === 'review' || a === 'publish' || a === 'submit' ? a : a === 'return' ? 'review' : 'manage';
      const user = authorize(req, E, action);
      return moveAssessment(app.db, user, actorOf(req), req.params.id, a, req.body.note);
    },
  );
  app.get(
    '/api/assessment/editions/:id/counties/:code',
    {
      config: { policy: { resource: C, action: 'read' } },
      schema: {
        tags,
        summary: 'A county’s page: every point with value, base, target, weight, source, evidence',
        params: countyParams,
        response: { 200: countyDetailSchema },
      },
    },
    async (req) => countyDetail(app.db, authorize(req, C, 'read'), req.params.id, req.params.code),
  );
  app.get(
    '/api/assessment/editions/:id/export.xlsx',
    {
      config: { policy: { resource: E, action: 'export' } },
      schema: {
        tags,
        summary: 'The assessment table as xlsx (indicator detail for the counties you may see)',
        params: id,
      },
    },
    async (req, reply) => {
      const user = authorize(req, E, 'export');
      const e = await assessmentEdition(app.db, user, req.params.id);
      const full = await visibleEdition(app.db, user, req.params.id);
      const details = full.body.result.counties.filter((c) => seesCounty(user, c.regionCode));
      reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      reply.header(
        'content-disposition',
        attachment(`assessment-${e.year}-v${e.version}.xlsx`, `${e.title}（第${e.version}版）.xlsx`),
      );
      return assessmentWorkbook(e, details);
    },
  );
  app.get(
    '/api/assessment/editions/:id/counties/:code/report.pdf',
    {
      config: { policy: { resource: C, action: 'export' } },
      schema: {
        tags,
        summary: 'A county’s one-page report as PDF (printed by headless Chromium)',
        params: countyParams,
      },
    },
    async (req, reply) => {
      const d = await countyDetail(app.db, authorize(req, C, 'export'), req.params.id, req.params.code);
      const pdf = await countyReportPdf(d).catch((e: unknown) => {
        if (e instanceof AppError && e.code === 'printer-busy') reply.header('retry-after', '5');
        throw e;
      });
      reply.type('application/pdf');
      reply.header(
        'content-disposition',
        attachment(
          `assessment-${d.year}-${d.county.regionCode}.pdf`,
          `${d.county.name}${d.year}年度考核.pdf`,
        ),
      );
      return pdf;
    },
  );
  app.get(
    '/api/assessment/years',
    {
      config: { policy: { resource: E, action: 'read' } },
      schema: {
        tags,
        summary: 'Years with facts up to their latest full year, newest first (the draft year offered first)',
        response: { 200: assessmentYearsSchema },
      },
    },
    async (req) => {
      authorize(req, E, 'read');
      return assessmentYears(app.db);
    },
  );
  app.get(
    '/api/assessment/process',
    {
      config: { policy: { resource: E, action: 'read' } },
      schema: {
        tags,
        summary: 'Monthly process view: process indicators of 1–N月 per county with 红黑榜 (live)',
        querystring: processQuery,
        response: { 200: processSchema },
      },
    },
    async (req) => {
      authorize(req, E, 'read');
      return processView(app.db, req.query);
    },
  );
};
