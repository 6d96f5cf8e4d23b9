// HTTP surface of enterprise requests (企业诉求 / 96871). Every route states its resource and action
// (src/domain/policy/resources/service.ts); rows are limited by ./access.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { authorize } from '../../server/policy.ts';
import { localDate } from '../../domain/calendar/index.ts';
import {
  CATEGORIES,
  CATEGORY_EN,
  CATEGORY_ZH,
  CHANNELS,
  CHANNEL_EN,
  CHANNEL_ZH,
  LEVELS,
  LEVEL_EN,
  LEVEL_ZH,
  NATURES,
  NATURE_EN,
  NATURE_ZH,
  RATINGS,
  RATING_EN,
  RATING_ZH,
  TIME_LIMITS,
  suggestRoute,
} from '../../domain/service/index.ts';
import { listUnits, toEventView, workItemHistory, workItemParties } from '../workitems/index.ts';
import { visibilityOf } from './access.ts';
import { sendDocument } from '../documents/index.ts';
import { FILES_BODY_LIMIT, filesOf } from './files.ts';
import { statsScope } from './stats-scope.ts';
import { exportRequestsXlsx } from './export.ts';
import { listRequests } from './repo.ts';
import {
  actionBody,
  assistInputBody,
  bulkAssignBody,
  duplicateListSchema,
  duplicatesQuery,
  extendBody,
  listQuery,
  metaSchema,
  newRequestBody,
  recurringSchema,
  requestDetailSchema,
  requestListSchema,
  scoresSchema,
  statsQuery,
  statsSchema,
  supplementBody,
} from './schemas.ts';
import {
  actOn,
  assistLevel,
  availableActions,
  bulkAssign,
  extendRequest,
  fileRequest,
  findDuplicates,
  requestFile,
  requestView,
  submitAssistInput,
  supplementRequest,
} from './service.ts';
import { recurringTags, requestStats, unitScores } from './stats.ts';

const tags = ['service'];
const idParams = z.object({ id: queryId() });
const fileParams = idParams.extend({ fileId: queryId() });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ok = z.object({ ok: z.literal(true) });

function period(q: { from?: string; to?: string }) {
  const today = localDate(new Date());
  const to = q.to ?? today.slice(0, 7);
  const from = q.from ?? `${Number(to.slice(0, 4)) - 1}-${to.slice(5, 7)}`;
  return { from: from <= to ? from : to, to };
}

export const serviceRoutes: FastifyPluginAsyncZod = async (app) => {
  const detail = async (user: Parameters<typeof requestView>[1], id: number) => {
    const { view, row, v } = await requestView(app.db, user, id);
    const [history, assists, actions, units, files] = await Promise.all([
      workItemHistory(app.db, row.item.id),
      workItemParties(app.db, row.item.id),
      availableActions(app.db, user, id),
      listUnits(app.db),
      filesOf(app.db, id),
    ]);
    const now = new Date();
    const canAssign = actions.some((a) => a.assigns);
    const s = canAssign
      ? suggestRoute(
          {
            category: row.r.category as never,
            chainCommon: row.r.chainCommon,
            clusterCode: row.r.clusterCode,
            regionCode: row.r.regionCode,
            level: row.r.level as never,
          },
          units.map((u) => ({ ...u, duties: (u.duties as string[]) ?? [] })),
        )
      : null;
    return {
      request: view,
      history: history.map((e) => toEventView(row.item.kind, e)),
      assists: assists.map((a) => ({
        unitId: a.unitId,
        unitName: a.unitName,
        dueAt: a.dueAt?.toISOString() ?? null,
        doneAt: a.doneAt?.toISOString() ?? null,
        note: a.note,
        ...assistLevel(a, now),
        mine: v.unitIds.includes(a.unitId),
      })),
      files,
      actions,
      suggestedUnit: s ? { unitId: s.leadUnitId, zh: s.why.zh, en: s.why.en } : null,
    };
  };

  app.get(
    '/api/service/meta',
    {
      config: { policy: { resource: 'service.request', action: 'read' } },
      schema: {
        tags,
        summary: 'Natures, categories, channels, units and time limits of enterprise requests',
        response: { 200: metaSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'service.request', 'read');
      const units = await listUnits(app.db);
      const v = await visibilityOf(app.db, user);
      const kv = <K extends string>(keys: readonly K[], zh: Record<K, string>, en: Record<K, string>) =>
        keys.map((key) => ({ key, zh: zh[key], en: en[key] }));
      return {
        natures: kv(NATURES, NATURE_ZH, NATURE_EN),
        categories: kv(CATEGORIES, CATEGORY_ZH, CATEGORY_EN),
        channels: kv(CHANNELS, CHANNEL_ZH, CHANNEL_EN),
        ratings: kv(RATINGS, RATING_ZH, RATING_EN),
        levels: kv(LEVELS, LEVEL_ZH, LEVEL_EN),
        units: units
          .filter((u) => u.kind !== 'coordinator' && u.kind !== 'supervisor')
          .map((u) => ({ id: u.id, name: u.name, kind: u.kind })),
        myUnits: v.units.map((u) => ({ id: u.id, name: u.name, kind: u.kind })),
        unitNamesEn: Object.fromEntries(units.filter((u) => u.nameEn).map((u) => [u.name, u.nameEn!])),
        timeLimits: Object.fromEntries(
          Object.entries(TIME_LIMITS).map(([k, x]) => [k, { value: x.value, source: x.source }]),
        ),
      };
    },
  );

  app.get(
    '/api/service/requests',
    {
      config: { policy: { resource: 'service.request', action: 'read' } },
      schema: {
        tags,
        summary: "The requests the caller sees (pool, inbox, the firm's own), with SLA level",
        querystring: listQuery,
        response: { 200: requestListSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'service.request', 'read');
      const now = new Date();
      return listRequests(app.db, await visibilityOf(app.db, user), request.query, (p) =>
        assistLevel(p, now),
      );
    },
  );

  app.get(
    '/api/service/requests/duplicates',
    {
      config: { policy: { resource: 'service.request', action: 'create' } },
      schema: {
        tags,
        summary: 'Open requests of the same firm with a similar text (shown before saving)',
        querystring: duplicatesQuery,
        response: { 200: duplicateListSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'service.request', 'create');
      return { items: await findDuplicates(app.db, user, request.query) };
    },
  );

  app.get(
    '/api/service/requests/export.xlsx',
    {
      config: { policy: { resource: 'service.request', action: 'export' } },
      schema: {
        tags,
        summary: "Export the filtered requests and the period's statistics as Excel",
        // the period as the statistics take it (months YYYY-MM): a free text here was compared as text
        querystring: listQuery.extend(statsQuery.pick({ from: true, to: true }).shape),
      },
    },
    async (request, reply) => {
      const user = authorize(request, 'service.request', 'export');
      const v = await visibilityOf(app.db, user);
      const data = await exportRequestsXlsx(
        app.db,
        v,
        request.query,
        period(request.query),
        statsScope(user, v.units).sql,
      );
      reply
        .header('content-type', XLSX)
        .header(
          'content-disposition',
          `attachment; filename="service-requests.xlsx"; filename*=UTF-8''${encodeURIComponent('企业诉求.xlsx')}`,
        );
      return reply.send(data);
    },
  );

  app.get(
    '/api/service/requests/:id',
    {
      config: { policy: { resource: 'service.request', action: 'read' } },
      schema: {
        tags,
        summary: 'One request with its history, co-handlers and the steps the caller may take',
        params: idParams,
        response: { 200: requestDetailSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'service.request', 'read');
      return detail(user, request.params.id);
    },
  );

  app.post(
    '/api/service/requests',
    {
      config: { policy: { resource: 'service.request', action: 'create' } },
      bodyLimit: FILES_BODY_LIMIT,
      schema: {
        tags,
        summary:
          'File a request (a firm online; an officer records a call, visit, 12345 transfer or leader assignment)',
        body: newRequestBody,
        response: { 201: requestDetailSchema },
      },
    },
    async (request, reply) => {
      const user = authorize(request, 'service.request', 'create');
      const id = await fileRequest(app.db, user, request.body, request.ip);
      reply.code(201);
      return detail(user, id);
    },
  );

  app.post(
    '/api/service/requests/:id/actions',
    {
      config: { policy: { resource: 'service.request', action: 'handle' } },
      bodyLimit: FILES_BODY_LIMIT,
      schema: {
        tags,
        summary:
          'Take a step: assign, accept, contest, reassign, uphold, answer, answer_direct, rate, merge, withdraw',
        params: idParams,
        body: actionBody,
        response: { 200: requestDetailSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'service.request', 'handle');
      await actOn(app.db, user, request.params.id, request.body, request.ip);
      return detail(user, request.params.id);
    },
  );

  app.post(
    '/api/service/requests/:id/extension',
    {
      config: { policy: { resource: 'service.request', action: 'handle' } },
      schema: {
        tags,
        summary:
          'Extend a complex request (asked ≥ 1 working day before the deadline; ≤ 25 working days in all)',
        params: idParams,
        body: extendBody,
        response: { 200: requestDetailSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'service.request', 'handle');
      await extendRequest(app.db, user, request.params.id, request.body, request.ip);
      return detail(user, request.params.id);
    },
  );

  app.post(
    '/api/service/requests/:id/supplements',
    {
      config: { policy: { resource: 'service.request', action: 'create' } },
      bodyLimit: FILES_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Add to an open request instead of filing a duplicate',
        params: idParams,
        body: supplementBody,
        response: { 200: ok },
      },
    },
    async (request) => {
      const user = authorize(request, 'service.request', 'create');
      await supplementRequest(
        app.db,
        user,
        request.params.id,
        request.body.text,
        request.ip,
        new Date(),
        request.body.files,
      );
      return { ok: true as const };
    },
  );

  app.post(
    '/api/service/requests/:id/assist',
    {
      config: { policy: { resource: 'service.request', action: 'handle' } },
      bodyLimit: FILES_BODY_LIMIT,
      schema: {
        tags,
        summary: 'A 协办 unit hands in its input (due 3 working days after it was named), with files',
        params: idParams,
        body: assistInputBody,
        response: { 200: requestDetailSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'service.request', 'handle');
      await submitAssistInput(app.db, user, request.params.id, request.body, request.ip);
      return detail(user, request.params.id);
    },
  );

  app.get(
    '/api/service/requests/:id/files/:fileId',
    {
      config: { policy: { resource: 'service.request', action: 'read' } },
      schema: {
        tags,
        summary: 'Download a file of a request the caller sees (attachment, never rendered)',
        params: fileParams,
      },
    },
    async (request, reply) => {
      const user = authorize(request, 'service.request', 'read');
      return sendDocument(reply, await requestFile(app.db, user, request.params.id, request.params.fileId));
    },
  );

  app.post(
    '/api/service/requests/bulk-assign',
    {
      config: { policy: { resource: 'service.request', action: 'assign' } },
      schema: {
        tags,
        summary: 'Assign several requests to one lead unit',
        body: bulkAssignBody,
        response: {
          200: z.object({
            assigned: z.array(z.number()),
            refused: z.array(z.object({ id: z.number(), detailZh: z.string() })),
          }),
        },
      },
    },
    async (request) => {
      const user = authorize(request, 'service.request', 'assign');
      return bulkAssign(app.db, user, request.body, request.ip);
    },
  );

  app.get(
    '/api/service/stats',
    {
      config: { policy: { resource: 'service.statistics', action: 'read' } },
      schema: {
        tags,
        summary:
          '受理量, 直接解答率, 办结率, 按时办结率, 满意率 by month, channel, unit, county, cluster or category',
        querystring: statsQuery,
        response: { 200: statsSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'service.statistics', 'read');
      const scope = statsScope(user, (await visibilityOf(app.db, user)).units);
      return {
        ...(await requestStats(app.db, period(request.query), request.query.by, scope.sql)),
        scope: scope.label,
      };
    },
  );

  app.get(
    '/api/service/scores',
    {
      config: { policy: { resource: 'service.scores', action: 'read' } },
      schema: {
        tags,
        summary:
          'Department scores with 红榜 / 黑榜 (counties and departments ranked apart; a city-wide ranking)',
        querystring: statsQuery.pick({ from: true, to: true }),
        response: { 200: scoresSchema },
      },
    },
    async (request) => {
      authorize(request, 'service.scores', 'read');
      return unitScores(app.db, period(request.query));
    },
  );

  app.get(
    '/api/service/recurring',
    {
      config: { policy: { resource: 'service.statistics', action: 'read' } },
      schema: {
        tags,
        summary: 'Recurring problems: a tag raised by several firms of one cluster',
        querystring: statsQuery.pick({ from: true, to: true }),
        response: { 200: recurringSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'service.statistics', 'read');
      const scope = statsScope(user, (await visibilityOf(app.db, user)).units);
      return recurringTags(app.db, period(request.query), scope.sql);
    },
  );
};
