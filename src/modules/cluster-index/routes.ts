// HTTP routes of the cluster index. Every route states its resource and action (authorize); the public
// view is the one route without a session, and answers 404 unless the bureau turned it on.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { actorOf } from '../../server/auth-context.ts';
import { authorize } from '../../server/policy.ts';
import { sendDownload } from './routes-helpers.ts';
import {
  compareQuery,
  compareSchema,
  editionCreateBody,
  editionListSchema,
  editionTransitionBody,
  editionUpdateBody,
  firmListSchema,
  firmQuery,
  indexEditionSchema,
  publicIndexSchema,
  resultListSchema,
  resultQuery,
  settingsBody,
  settingsSchema,
  negativeEventBody,
  negativeListSchema,
  reportedListSchema,
  reportedQuery,
  reportedValueBody,
  reportedValueSchema,
} from './schemas.ts';
import { listNegative, listReported, putNegative, putReported } from './inputs.ts';
import {
  createIndexEdition,
  indexEdition,
  listIndexEditions,
  moveIndexEdition,
  recomputeIndexEdition,
  updateIndexEdition,
} from './service.ts';
import { compareEditions, firmsBehind, listResults, publicIndex, setSettings, settings } from './results.ts';
import { editionCsv, editionWorkbook } from './export.ts';

const id = z.object({ id: queryId() });
const tags = ['index'];

export const clusterIndexRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/index/editions',
    {
      config: { policy: { resource: 'index.edition', action: 'read' } },
      schema: {
        tags,
        summary: 'Editions of the cluster index (readers: published ones)',
        response: { 200: editionListSchema },
      },
    },
    async (req) => listIndexEditions(app.db, authorize(req, 'index.edition', 'read')),
  );
  app.get(
    '/api/index/editions/:id',
    {
      config: { policy: { resource: 'index.edition', action: 'read' } },
      schema: {
        tags,
        summary: 'One edition: method, computations, what it changes',
        params: id,
        response: { 200: indexEditionSchema },
      },
    },
    async (req) => indexEdition(app.db, authorize(req, 'index.edition', 'read'), req.params.id),
  );
  app.post(
    '/api/index/editions',
    {
      config: { policy: { resource: 'index.edition', action: 'manage' } },
      schema: {
        tags,
        summary: 'New draft edition, computed at once (a correction of a published index needs its reason)',
        body: editionCreateBody,
        response: { 201: indexEditionSchema },
      },
    },
    async (req, reply) => {
      const user = authorize(req, 'index.edition', 'manage');
      reply.code(201);
      return createIndexEdition(app.db, user, actorOf(req), req.body);
    },
  );
  app.put(
    '/api/index/editions/:id',
    {
      config: { policy: { resource: 'index.edition', action: 'manage' } },
      schema: {
        tags,
        summary: 'Change a draft (recomputed)',
        params: id,
        body: editionUpdateBody,
        response: { 200: indexEditionSchema },
      },
    },
    async (req) =>
      updateIndexEdition(
        app.db,
        authorize(req, 'index.edition', 'manage'),
        actorOf(req),
        req.params.id,
        req.body,
      ),
  );
  app.post(
    '/api/index/editions/:id/recompute',
    {
      config: { policy: { resource: 'index.edition', action: 'manage' } },
      schema: {
        tags,
        summary: 'Compute a draft again on today’s data',
        params: id,
        response: { 200: indexEditionSchema },
      },
    },
    async (req) =>
      recomputeIndexEdition(app.db, authorize(req, 'index.edition', 'manage'), actorOf(req), req.params.id),
  );
  app.post(
    '/api/index/editions/:id/transition',
    {
      // the gate: whoever may submit; the handler then checks the step's own action (review, publish …)
      config: { policy: { resource: 'index.edition', action: 'submit' } },
      schema: {
        tags,
        summary: 'submit | return | review | publish | withdraw (review and publish by a second person)',
        params: id,
        body: editionTransitionBody,
        response: { 200: indexEditionSchema },
      },
    },
    async (req) => {
      const a = req.body.action;
      const action =
        a === 'review' || a === 'publish' || a === 'submit' ? a : a === 'return' ? 'review' : 'manage';
      const user = authorize(req, 'index.edition', action);
      return moveIndexEdition(app.db, user, actorOf(req), req.params.id, a, req.body.note);
    },
  );
  app.get(
    '/api/index/editions/:id/results',
    {
      config: { policy: { resource: 'index.edition', action: 'read' } },
      schema: {
        tags,
        summary: 'Results of an edition by frequency and level',
        params: id,
        querystring: resultQuery,
        response: { 200: resultListSchema },
      },
    },
    async (req) => listResults(app.db, authorize(req, 'index.edition', 'read'), req.params.id, req.query),
  );
  app.get(
    '/api/index/editions/:id/firms',
    {
      config: { policy: { resource: 'index.firms', action: 'read' } },
      schema: {
        tags,
        summary: 'The firms behind a unit’s figures (your scope)',
        params: id,
        querystring: firmQuery,
        response: { 200: firmListSchema },
      },
    },
    async (req) => firmsBehind(app.db, authorize(req, 'index.firms', 'read'), req.params.id, req.query),
  );
  app.get(
    '/api/index/compare',
    {
      config: { policy: { resource: 'index.edition', action: 'read' } },
      schema: {
        tags,
        summary: 'Two editions side by side',
        querystring: compareQuery,
        response: { 200: compareSchema },
      },
    },
    async (req) => compareEditions(app.db, authorize(req, 'index.edition', 'read'), req.query),
  );
  app.get(
    '/api/index/editions/:id/export.xlsx',
    {
      config: { policy: { resource: 'index.edition', action: 'export' } },
      schema: {
        tags,
        summary: 'The edition as an xlsx workbook (method, results, indicators, sensitivity)',
        params: id,
      },
    },
    async (req, reply) => {
      const user = authorize(req, 'index.edition', 'export');
      const e = await indexEdition(app.db, user, req.params.id);
      const [cluster, county, quarter] = await Promise.all([
        listResults(app.db, user, e.id, { frequency: 'year', level: 'cluster' }),
        listResults(app.db, user, e.id, { frequency: 'year', level: 'county' }),
        listResults(app.db, user, e.id, { frequency: 'quarter', level: 'cluster' }),
      ]);
      const body = await editionWorkbook(e, { cluster, county, quarter });
      return sendDownload(
        reply,
        body,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        `集群指数-第${e.version}版.xlsx`,
      );
    },
  );
  app.get(
    '/api/index/editions/:id/export.csv',
    {
      config: { policy: { resource: 'index.edition', action: 'export' } },
      schema: {
        tags,
        summary: 'Results as CSV (one frequency and level)',
        params: id,
        querystring: resultQuery,
      },
    },
    async (req, reply) => {
      const user = authorize(req, 'index.edition', 'export');
      const e = await indexEdition(app.db, user, req.params.id);
      const list = await listResults(app.db, user, e.id, req.query);
      return sendDownload(
        reply,
        editionCsv(e.body.framework, list),
        'text/csv; charset=utf-8',
        `集群指数-第${e.version}版-${req.query.frequency}-${req.query.level}.csv`,
      );
    },
  );
  app.get(
    '/api/index/editions/:id/export.json',
    {
      config: { policy: { resource: 'index.edition', action: 'export' } },
      schema: { tags, summary: 'The edition and all its results as JSON', params: id },
    },
    async (req, reply) => {
      const user = authorize(req, 'index.edition', 'export');
      const e = await indexEdition(app.db, user, req.params.id);
      const results = await Promise.all(
        (['year', 'quarter'] as const).flatMap((frequency) =>
          (['cluster', 'county'] as const).map((level) =>
            listResults(app.db, user, e.id, { frequency, level }),
          ),
        ),
      );
      return sendDownload(
        reply,
        JSON.stringify({ edition: e, results }),
        'application/json; charset=utf-8',
        `集群指数-第${e.version}版.json`,
      );
    },
  );
  app.get(
    '/api/index/settings',
    {
      config: { policy: { resource: 'index.settings', action: 'read' } },
      schema: { tags, summary: 'Whether the public view is on', response: { 200: settingsSchema } },
    },
    async (req) => {
      authorize(req, 'index.settings', 'read');
      return settings(app.db);
    },
  );
  app.put(
    '/api/index/settings',
    {
      config: { policy: { resource: 'index.settings', action: 'manage' } },
      schema: {
        tags,
        summary: 'Turn the public view, or the negative list as maintained, on or off',
        body: settingsBody,
        response: { 200: settingsSchema },
      },
    },
    async (req) => {
      authorize(req, 'index.settings', 'manage');
      return setSettings(app.db, actorOf(req), req.body);
    },
  );
  app.get(
    '/api/index/reported',
    {
      config: { policy: { resource: 'index.inputs', action: 'read' } },
      schema: {
        tags,
        summary: 'Reported values (填报值) read by indicators whose metric is reported:<code>',
        querystring: reportedQuery,
        response: { 200: reportedListSchema },
      },
    },
    async (req) => {
      authorize(req, 'index.inputs', 'read');
      return listReported(app.db, req.query);
    },
  );
  app.put(
    '/api/index/reported',
    {
      config: { policy: { resource: 'index.inputs', action: 'manage' } },
      schema: {
        tags,
        summary: 'Enter or correct one reported value, with its source (audited)',
        body: reportedValueBody,
        response: { 200: reportedValueSchema },
      },
    },
    async (req) => {
      authorize(req, 'index.inputs', 'manage');
      return putReported(app.db, actorOf(req), req.body);
    },
  );
  app.get(
    '/api/index/negative-events',
    {
      config: { policy: { resource: 'index.inputs', action: 'read' } },
      schema: {
        tags,
        summary: 'The negative list (负面清单) behind the index gate, and whether it is maintained',
        response: { 200: negativeListSchema },
      },
    },
    async (req) => {
      authorize(req, 'index.inputs', 'read');
      return listNegative(app.db);
    },
  );
  app.put(
    '/api/index/negative-events',
    {
      config: { policy: { resource: 'index.inputs', action: 'manage' } },
      schema: {
        tags,
        summary: 'Enter, correct or withdraw a firm’s negative-list event, with its source (audited)',
        body: negativeEventBody,
        response: { 200: negativeListSchema },
      },
    },
    async (req) => {
      authorize(req, 'index.inputs', 'manage');
      return putNegative(app.db, actorOf(req), req.body);
    },
  );
  app.get(
    '/api/public/index',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'Published cluster-level index without login, when the bureau turned it on (small cells withheld)',
        response: { 200: publicIndexSchema },
      },
    },
    async () => publicIndex(app.db),
  );
};
