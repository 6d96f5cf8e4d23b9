// HTTP surface of enterprise cultivation (企业培育, issue 20).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { actorOf } from '../../server/auth-context.ts';
import { authorize } from '../../server/policy.ts';
import { DOCUMENT_BODY_LIMIT, sendDocument } from '../documents/index.ts';
import { ladder } from './ladder.ts';
import { createEntry, getDocument, getEntry, listEntries, moveEntry } from './pipeline.ts';
import {
  candidatesAnswerSchema,
  candidatesQuery,
  entryCreateBody,
  entryListQuery,
  entryListSchema,
  entryMoveBody,
  entrySchema,
  firmAnswerSchema,
  ladderAnswerSchema,
  ladderQuery,
  librariesAnswerSchema,
  yearQuery,
} from './schemas.ts';
import { candidates, firmOutcomes, librarySummaries } from './screening.ts';

const tags = ['cultivation'];
const idParams = z.object({ id: queryId() });

export const cultivationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/cultivation/libraries',
    {
      config: { policy: { resource: 'cultivation.library', action: 'read' } },
      schema: {
        tags,
        summary: 'Cultivation libraries with recognised, candidate and pipeline counts in your scope',
        querystring: yearQuery,
        response: { 200: librariesAnswerSchema },
      },
    },
    async (request) =>
      librarySummaries(app.db, authorize(request, 'cultivation.library', 'read').scope, request.query),
  );
  app.get(
    '/api/cultivation/candidates',
    {
      config: { policy: { resource: 'cultivation.screening', action: 'read' } },
      schema: {
        tags,
        summary: 'Firms meeting (or missing one of) a library’s data-testable entry criteria',
        querystring: candidatesQuery,
        response: { 200: candidatesAnswerSchema },
      },
    },
    async (request) =>
      candidates(app.db, authorize(request, 'cultivation.screening', 'read').scope, request.query),
  );
  app.get(
    '/api/cultivation/firms/:id',
    {
      config: { policy: { resource: 'cultivation.screening', action: 'read' } },
      schema: {
        tags,
        summary: 'One firm against every library: criteria met, missed (by how much), to be checked by hand',
        params: idParams,
        querystring: yearQuery.pick({ year: true }),
        response: { 200: firmAnswerSchema },
      },
    },
    async (request) =>
      firmOutcomes(
        app.db,
        authorize(request, 'cultivation.screening', 'read').scope,
        request.params.id,
        request.query.year,
      ),
  );
  app.get(
    '/api/cultivation/ladder',
    {
      config: { policy: { resource: 'cultivation.library', action: 'read' } },
      schema: {
        tags,
        summary: 'Firms at or above 10/50/100/500/1000 亿元 per cluster and year, targets and movers',
        querystring: ladderQuery,
        response: { 200: ladderAnswerSchema },
      },
    },
    async (request) => ladder(app.db, authorize(request, 'cultivation.library', 'read').scope, request.query),
  );
  app.get(
    '/api/cultivation/entries',
    {
      config: { policy: { resource: 'cultivation.pipeline', action: 'read' } },
      schema: {
        tags,
        summary: 'Pipeline entries (入库培育, 申报, 认定, 未通过) in your scope',
        querystring: entryListQuery,
        response: { 200: entryListSchema },
      },
    },
    async (request) => listEntries(app.db, authorize(request, 'cultivation.pipeline', 'read'), request.query),
  );
  app.get(
    '/api/cultivation/entries/:id',
    {
      config: { policy: { resource: 'cultivation.pipeline', action: 'read' } },
      schema: {
        tags,
        summary: 'A pipeline entry with its history',
        params: idParams,
        response: { 200: entrySchema },
      },
    },
    async (request) =>
      getEntry(app.db, authorize(request, 'cultivation.pipeline', 'read'), request.params.id),
  );
  app.post(
    '/api/cultivation/entries',
    {
      config: { policy: { resource: 'cultivation.pipeline', action: 'create' } },
      schema: {
        tags,
        summary: 'Take a candidate into a library’s pipeline (入库培育)',
        body: entryCreateBody,
        response: { 200: entrySchema },
      },
    },
    async (request) =>
      createEntry(
        app.db,
        authorize(request, 'cultivation.pipeline', 'create'),
        request.body,
        actorOf(request),
      ),
  );
  app.post(
    '/api/cultivation/entries/:id/move',
    {
      config: { policy: { resource: 'cultivation.pipeline', action: 'update' } },
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Move an entry one stage (申报 and 认定 need an evidence file; 未通过 a reason)',
        params: idParams,
        body: entryMoveBody,
        response: { 200: entrySchema },
      },
    },
    async (request) =>
      moveEntry(
        app.db,
        authorize(request, 'cultivation.pipeline', 'update'),
        request.params.id,
        request.body,
        actorOf(request),
      ),
  );
  app.get(
    '/api/cultivation/documents/:id',
    {
      config: { policy: { resource: 'cultivation.pipeline', action: 'read' } },
      schema: { tags, summary: 'Download an evidence file of an entry you may see', params: idParams },
    },
    async (request, reply) =>
      sendDocument(
        reply,
        await getDocument(app.db, authorize(request, 'cultivation.pipeline', 'read'), request.params.id),
      ),
  );
};
