import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId, queryMonth } from '../../domain/query-params.ts';
import { actorOf, requireUser } from '../../server/auth-context.ts';
import { DOCUMENT_BODY_LIMIT, sendDocument } from '../documents/index.ts';
import { STAGES } from '../../domain/projects/stages.ts';
import {
  chainNodeListSchema,
  countySummarySchema,
  documentUploadBody,
  MAX_DOCUMENT_BYTES,
  ganttSchema,
  growthQuery,
  growthSchema,
  idParams,
  importBody,
  importResultSchema,
  kanbanSchema,
  progressBody,
  projectCreateBody,
  projectDetailSchema,
  projectListQuery,
  projectListSchema,
  projectUpdateBody,
  riskCreateBody,
  riskUpdateBody,
  stageUpdateBody,
  statisticsBody,
  transitionBody,
} from './schemas.ts';
import {
  byCounty,
  chainNodeList,
  changeStage,
  cityToday,
  createProject,
  createRisk,
  deleteDocument,
  gantt,
  getDocument,
  getProject,
  investmentGrowthReport,
  kanban,
  listProjects,
  reportProgress,
  stalledProjects,
  updateProject,
  updateRisk,
  updateStage,
  uploadDocument,
  upsertStatistics,
} from './service.ts';
import { exportProjectsXlsx, progressTemplateXlsx } from './export.ts';
import { importProgress } from './import.ts';
import { projectAnswer } from './answers.ts';
import { keptBytes } from '../../db/answer-cache.ts';
import type { Db } from '../../db/client.ts';
import type { Scope } from '../../server/scope.ts';

const tags = ['projects'];

/**
 * Sends a kept answer (answers.ts) as its bytes: computed once per reader's scope, query and day at the
 * projects' answer version, validated and serialised once, not per request. The entity tag lets a browser
 * revalidate (private: answers differ by reader) and get a 304 without the body.
 */
async function kept<T extends object>(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  route: string,
  scope: Scope | null,
  query: object,
  schema: { parse(value: unknown): unknown },
  compute: (today: string) => Promise<T>,
) {
  const today = cityToday();
  const key = `${route}:${JSON.stringify(scope)}:${JSON.stringify(query)}:${today}`;
  return sendKept(request, reply, await projectAnswer(db, key, () => compute(today)), schema);
}

function sendKept(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: object,
  schema: { parse(value: unknown): unknown },
) {
  const { body, etag } = keptBytes(answer, schema);
  reply.header('etag', etag).header('cache-control', 'private, no-cache');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
}

const filterQuery = projectListQuery.omit({ sort: true, order: true, page: true, pageSize: true });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/projects',
    {
      config: { policy: { resource: 'projects.project', action: 'read' } },
      schema: {
        tags,
        summary: 'Project library: search and filter within your scope, with delay flags',
        querystring: projectListQuery,
        response: { 200: projectListSchema },
      },
    },
    async (request, reply) =>
      kept(
        request,
        reply,
        app.db,
        'list',
        requireUser(request).scope,
        request.query,
        projectListSchema,
        (today) => listProjects(app.db, requireUser(request).scope, request.query, today),
      ),
  );
  app.get(
    '/api/projects/stalled',
    {
      config: { policy: { resource: 'projects.project', action: 'read' } },
      schema: {
        tags,
        summary: 'Stalled list: delayed or paused projects, the longest overdue first',
        response: { 200: projectListSchema },
      },
    },
    async (request, reply) =>
      kept(request, reply, app.db, 'stalled', requireUser(request).scope, {}, projectListSchema, (today) =>
        stalledProjects(app.db, requireUser(request).scope, today),
      ),
  );
  app.get(
    '/api/projects/kanban',
    {
      config: { policy: { resource: 'projects.project', action: 'read' } },
      schema: {
        tags,
        summary: 'Projects by stage (kanban columns)',
        querystring: filterQuery,
        response: { 200: kanbanSchema },
      },
    },
    async (request, reply) =>
      kept(
        request,
        reply,
        app.db,
        'kanban',
        requireUser(request).scope,
        request.query,
        kanbanSchema,
        (today) => kanban(app.db, requireUser(request).scope, request.query, today),
      ),
  );
  app.get(
    '/api/projects/gantt',
    {
      config: { policy: { resource: 'projects.project', action: 'read' } },
      schema: {
        tags,
        summary: 'Milestones of the largest and delayed projects (Gantt)',
        querystring: filterQuery,
        response: { 200: ganttSchema },
      },
    },
    async (request, reply) =>
      kept(request, reply, app.db, 'gantt', requireUser(request).scope, request.query, ganttSchema, (today) =>
        gantt(app.db, requireUser(request).scope, request.query, today),
      ),
  );
  app.get(
    '/api/projects/by-county',
    {
      config: { policy: { resource: 'projects.project', action: 'read' } },
      schema: {
        tags,
        summary: 'Project counts, delays and investment by county',
        querystring: filterQuery,
        response: { 200: countySummarySchema },
      },
    },
    async (request, reply) =>
      kept(
        request,
        reply,
        app.db,
        'by-county',
        requireUser(request).scope,
        request.query,
        countySummarySchema,
        (today) => byCounty(app.db, requireUser(request).scope, request.query, today),
      ),
  );
  app.get(
    '/api/projects/chain-nodes',
    {
      config: { policy: { resource: 'projects.project', action: 'read' } },
      schema: {
        tags,
        summary: 'Chain nodes a project can be linked to, by cluster (from the city configuration)',
        response: { 200: chainNodeListSchema },
      },
    },
    async (request, reply) => {
      requireUser(request);
      // configuration, the same for every reader: kept once for all
      return kept(request, reply, app.db, 'chain-nodes', null, {}, chainNodeListSchema, async () => ({
        items: await chainNodeList(app.db),
      }));
    },
  );
  app.get(
    '/api/projects/growth',
    {
      config: { policy: { resource: 'projects.statistics', action: 'read' } },
      schema: {
        tags,
        summary:
          'Industrial investment year on year by cluster or county vs the ≥ 15 % goal, reconciled with statistics',
        querystring: growthQuery,
        response: { 200: growthSchema },
      },
    },
    async (request, reply) =>
      kept(
        request,
        reply,
        app.db,
        'growth',
        requireUser(request).scope,
        request.query,
        growthSchema,
        (today) =>
          investmentGrowthReport(
            app.db,
            requireUser(request).scope,
            request.query.by,
            request.query.through,
            today,
          ),
      ),
  );
  app.get(
    '/api/projects/export.xlsx',
    {
      config: { policy: { resource: 'projects.project', action: 'export' } },
      schema: {
        tags,
        summary: 'Export the filtered library, progress and risks as Excel',
        querystring: filterQuery,
      },
    },
    async (request, reply) => {
      const data = await exportProjectsXlsx(app.db, requireUser(request).scope, request.query);
      reply
        .header('content-type', XLSX)
        .header(
          'content-disposition',
          `attachment; filename="projects.xlsx"; filename*=UTF-8''${encodeURIComponent('项目库.xlsx')}`,
        );
      return reply.send(data);
    },
  );
  app.get(
    '/api/projects/progress-template.xlsx',
    {
      config: { policy: { resource: 'projects.project', action: 'import' } },
      schema: { tags, summary: 'Monthly progress template, one row per project that must report' },
    },
    async (request, reply) => {
      const data = await progressTemplateXlsx(app.db, requireUser(request).scope);
      reply
        .header('content-type', XLSX)
        .header(
          'content-disposition',
          `attachment; filename="progress-template.xlsx"; filename*=UTF-8''${encodeURIComponent('项目月度进度填报.xlsx')}`,
        );
      return reply.send(data);
    },
  );
  app.post(
    '/api/projects/progress-import',
    {
      config: { policy: { resource: 'projects.project', action: 'import' } },
      schema: {
        tags,
        summary: 'Import monthly progress from a spreadsheet (all-or-nothing, idempotent by sha256)',
        body: importBody,
        response: { 200: importResultSchema },
      },
    },
    async (request) => importProgress(app.db, requireUser(request), request.body, actorOf(request)),
  );
  app.put(
    '/api/projects/investment-statistics',
    {
      config: { policy: { resource: 'projects.statistics', action: 'manage' } },
      schema: {
        tags,
        summary: 'Enter official 1–N月 industrial investment statistics (city staff)',
        body: statisticsBody,
        response: { 200: statisticsBody },
      },
    },
    async (request) => upsertStatistics(app.db, requireUser(request), request.body, actorOf(request)),
  );
  app.get(
    '/api/projects/:id',
    {
      config: { policy: { resource: 'projects.project', action: 'read' } },
      schema: {
        tags,
        summary: 'Project page: stages, progress, risks, delay assessment',
        params: idParams,
        response: { 200: projectDetailSchema },
      },
    },
    async (request, reply) => {
      // a kept page (service.ts getProject), sent as its kept bytes
      const page = await getProject(app.db, requireUser(request), request.params.id);
      return sendKept(request, reply, page, projectDetailSchema);
    },
  );
  app.post(
    '/api/projects',
    {
      config: { policy: { resource: 'projects.project', action: 'create' } },
      schema: {
        tags,
        summary: 'Register a project (admin, county officer)',
        body: projectCreateBody,
        response: { 201: projectDetailSchema },
      },
    },
    async (request, reply) => {
      const p = await createProject(app.db, requireUser(request), request.body, actorOf(request));
      reply.code(201);
      return p;
    },
  );
  app.patch(
    '/api/projects/:id',
    {
      config: { policy: { resource: 'projects.project', action: 'update' } },
      schema: {
        tags,
        summary: 'Edit a project of your county',
        params: idParams,
        body: projectUpdateBody,
        response: { 200: projectDetailSchema },
      },
    },
    async (request) =>
      updateProject(app.db, requireUser(request), request.params.id, request.body, actorOf(request)),
  );
  app.post(
    '/api/projects/:id/transitions',
    {
      config: { policy: { resource: 'projects.project', action: 'update' } },
      schema: {
        tags,
        summary: 'Advance, pause, resume or terminate a project (skips need the permission and a reason)',
        params: idParams,
        body: transitionBody,
        response: { 200: projectDetailSchema },
      },
    },
    async (request) =>
      changeStage(app.db, requireUser(request), request.params.id, request.body, actorOf(request)),
  );
  app.put(
    '/api/projects/:id/stages/:stage',
    {
      config: { policy: { resource: 'projects.project', action: 'update' } },
      schema: {
        tags,
        summary: 'Set a stage’s planned and actual dates, note and evidence',
        params: idParams.extend({ stage: z.enum(STAGES) }),
        body: stageUpdateBody,
        response: { 200: projectDetailSchema },
      },
    },
    async (request) =>
      updateStage(
        app.db,
        requireUser(request),
        request.params.id,
        request.params.stage,
        request.body,
        actorOf(request),
      ),
  );
  app.put(
    '/api/projects/:id/progress/:month',
    {
      config: { policy: { resource: 'projects.project', action: 'update' } },
      schema: {
        tags,
        summary: 'File (or correct) the monthly progress report',
        params: idParams.extend({ month: queryMonth() }),
        body: progressBody,
        response: { 200: projectDetailSchema },
      },
    },
    async (request) =>
      reportProgress(
        app.db,
        requireUser(request),
        request.params.id,
        request.params.month,
        request.body,
        actorOf(request),
      ),
  );
  app.post(
    '/api/projects/:id/risks',
    {
      config: { policy: { resource: 'projects.project', action: 'update' } },
      schema: {
        tags,
        summary: 'Log a risk or issue',
        params: idParams,
        body: riskCreateBody,
        response: { 200: projectDetailSchema },
      },
    },
    async (request) =>
      createRisk(app.db, requireUser(request), request.params.id, request.body, actorOf(request)),
  );
  app.patch(
    '/api/projects/:id/risks/:riskId',
    {
      config: { policy: { resource: 'projects.project', action: 'update' } },
      schema: {
        tags,
        summary: 'Update or close a risk or issue',
        params: idParams.extend({ riskId: queryId() }),
        body: riskUpdateBody,
        response: { 200: projectDetailSchema },
      },
    },
    async (request) =>
      updateRisk(
        app.db,
        requireUser(request),
        request.params.id,
        request.params.riskId,
        request.body,
        actorOf(request),
      ),
  );
  app.post(
    '/api/projects/:id/stages/:stage/documents',
    {
      config: { policy: { resource: 'projects.project', action: 'update' } },
      // base64 of at most MAX_DOCUMENT_BYTES, plus the JSON around it
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        tags,
        summary: `Attach an evidence file to a stage (pdf, ofd, images, Word, Excel; at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB, base64)`,
        params: idParams.extend({ stage: z.enum(STAGES) }),
        body: documentUploadBody,
        response: { 200: projectDetailSchema },
      },
    },
    async (request) =>
      uploadDocument(
        app.db,
        requireUser(request),
        request.params.id,
        request.params.stage,
        request.body,
        actorOf(request),
      ),
  );
  app.get(
    '/api/projects/:id/documents/:documentId',
    {
      config: { policy: { resource: 'projects.project', action: 'read' } },
      schema: {
        tags,
        summary: 'Download an evidence file of a project you may see',
        params: idParams.extend({ documentId: queryId() }),
      },
    },
    async (request, reply) => {
      const doc = await getDocument(
        app.db,
        requireUser(request),
        request.params.id,
        request.params.documentId,
      );
      // always a download, never rendered in the app's origin (one way for every capability's files)
      return sendDocument(reply, doc);
    },
  );
  app.delete(
    '/api/projects/:id/documents/:documentId',
    {
      config: { policy: { resource: 'projects.project', action: 'update' } },
      schema: {
        tags,
        summary: 'Remove an evidence file and its entry in the stage’s evidence',
        params: idParams.extend({ documentId: queryId() }),
        response: { 200: projectDetailSchema },
      },
    },
    async (request) =>
      deleteDocument(
        app.db,
        requireUser(request),
        request.params.id,
        request.params.documentId,
        actorOf(request),
      ),
  );
};
