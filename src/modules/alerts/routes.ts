import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { actorOf, type AuthedUser } from '../../server/auth-context.ts';
import { authorize } from '../../server/policy.ts';
import { withDb } from './tx.ts';
import {
  alertDetailSchema,
  alertListQuery,
  alertListSchema,
  backtestJobSchema,
  densitySchema,
  evaluateBody,
  evaluationResultSchema,
  handleBody,
  profileSchema,
  ruleSetPreviewSchema,
  ruleSetSaveBody,
  ruleSetTransitionBody,
  ruleSetVersionsSchema,
} from './schemas.ts';
import { alertBoard, alertDetail, density, riskProfile } from './service.ts';
import { exportAlertsXlsx } from './export.ts';
import { currentRuleSetForRead, ruleSetHistory } from './rules.ts';
import { moveRuleSetEdition, pendingRuleSetEditions, proposeRuleSet } from './editions.ts';
import { previewRuleSet } from './preview.ts';
import { cachedBacktests } from './backtest.ts';
import { backtestState, requestBacktest, startBacktestWorker, stopBacktests } from './backtest-jobs.ts';
import { evaluateMonths } from './evaluate.ts';
import { latestMonth, monthHasFacts } from './facts.ts';
import { handleAlert } from './handling.ts';
import { badRequest } from '../../server/errors.ts';

const tags = ['alerts'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const idParams = z.object({ id: queryId() });
const subjectParams = z.object({ key: z.string().regex(/^(firm|cluster|county):[A-Za-z0-9_-]{1,40}$/) });

export const alertRoutes: FastifyPluginAsyncZod = async (app) => {
  // backtests run in the background of the server (backtest-jobs.ts)
  app.addHook('onReady', async () => startBacktestWorker(app.db));
  app.addHook('onClose', async () => stopBacktests());
  const rulesView = async (user: AuthedUser) => ({
    current: await currentRuleSetForRead(app.db),
    history: await ruleSetHistory(app.db),
    pending: await pendingRuleSetEditions(app.db, user),
  });
  app.get(
    '/api/alerts',
    {
      config: { policy: { resource: 'alerts.alert', action: 'read' } },
      schema: {
        tags,
        summary: 'Alert board: alerts within your scope by level, county, cluster and status',
        querystring: alertListQuery,
        response: { 200: alertListSchema },
      },
    },
    async (request) => alertBoard(app.db, authorize(request, 'alerts.alert', 'read'), request.query),
  );
  app.get(
    '/api/alerts/export.xlsx',
    {
      config: { policy: { resource: 'alerts.alert', action: 'export' } },
      schema: {
        tags,
        summary: 'The filtered board as Excel, with the values that fired each alert',
        querystring: alertListQuery,
      },
    },
    async (request, reply) => {
      const data = await exportAlertsXlsx(
        app.db,
        authorize(request, 'alerts.alert', 'export'),
        request.query,
      );
      reply
        .header('content-type', XLSX)
        .header(
          'content-disposition',
          `attachment; filename="alerts.xlsx"; filename*=UTF-8''${encodeURIComponent('风险预警.xlsx')}`,
        );
      return reply.send(data);
    },
  );
  app.get(
    '/api/alerts/density',
    {
      config: { policy: { resource: 'alerts.alert', action: 'read' } },
      schema: { tags, summary: 'Open firm alerts per county (the map)', response: { 200: densitySchema } },
    },
    async (request) => density(app.db, authorize(request, 'alerts.alert', 'read')),
  );
  app.get(
    '/api/alerts/profile/:key',
    {
      config: { policy: { resource: 'alerts.alert', action: 'read' } },
      schema: {
        tags,
        summary: "A firm's, cluster's or county's signals over time with the rules' thresholds",
        params: subjectParams,
        response: { 200: profileSchema },
      },
    },
    async (request) => riskProfile(app.db, authorize(request, 'alerts.alert', 'read'), request.params.key),
  );
  app.get(
    '/api/alerts/:id',
    {
      config: { policy: { resource: 'alerts.alert', action: 'read' } },
      schema: {
        tags,
        summary: 'One alert with its history',
        params: idParams,
        response: { 200: alertDetailSchema },
      },
    },
    async (request) => alertDetail(app.db, authorize(request, 'alerts.alert', 'read'), request.params.id),
  );
  app.post(
    '/api/alerts/:id/handle',
    {
      config: { policy: { resource: 'alerts.alert', action: 'handle' } },
      schema: {
        tags,
        summary: 'Handle an alert: 核实, 走访, 帮扶, 关闭 (reason) or 误报 (reason)',
        params: idParams,
        body: handleBody,
        response: { 200: alertDetailSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'alerts.alert', 'handle');
      return handleAlert(app.db, user, actorOf(request), request.params.id, request.body);
    },
  );
  app.get(
    '/api/alerts/rules',
    {
      config: { policy: { resource: 'alerts.ruleSet', action: 'read' } },
      schema: {
        tags,
        summary: 'The rule set in force and its versions',
        response: { 200: ruleSetVersionsSchema },
      },
    },
    async (request) => rulesView(authorize(request, 'alerts.ruleSet', 'read')),
  );
  app.post(
    '/api/alerts/rules/preview',
    {
      config: { policy: { resource: 'alerts.ruleSet', action: 'manage' } },
      schema: {
        tags,
        summary:
          'What a rule-set change would do: alerts on the latest month and the backtest, before saving',
        body: ruleSetSaveBody.pick({ definition: true }),
        response: { 200: ruleSetPreviewSchema },
      },
    },
    async (request) => {
      authorize(request, 'alerts.ruleSet', 'manage');
      return previewRuleSet(app.db, request.body.definition);
    },
  );
  app.post(
    '/api/alerts/rules',
    {
      config: { policy: { resource: 'alerts.ruleSet', action: 'manage' } },
      schema: {
        tags,
        summary:
          'Propose a new rule-set version with its reason (an edition, submitted at once; its backtest kept); a second administrator publishes it',
        body: ruleSetSaveBody,
        response: { 200: ruleSetVersionsSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'alerts.ruleSet', 'manage');
      const [bt] = await cachedBacktests(app.db, [request.body.definition]);
      await proposeRuleSet(
        app.db,
        user,
        actorOf(request),
        request.body.definition,
        request.body.reason,
        bt ?? null,
      );
      return rulesView(user);
    },
  );
  app.post(
    '/api/alerts/rules/editions/:id/transition',
    {
      config: { policy: { resource: 'alerts.ruleSet', action: 'manage' } },
      schema: {
        tags,
        summary:
          'Review, publish, return or withdraw a proposed rule set (four eyes: not by its drafter or submitter)',
        params: idParams,
        body: ruleSetTransitionBody,
        response: { 200: ruleSetVersionsSchema },
      },
    },
    async (request) => {
      const user = authorize(request, 'alerts.ruleSet', 'manage');
      await moveRuleSetEdition(
        app.db,
        user,
        actorOf(request),
        request.params.id,
        request.body.action,
        request.body.note,
      );
      return rulesView(user);
    },
  );
  app.get(
    '/api/alerts/backtest',
    {
      config: { policy: { resource: 'alerts.ruleSet', action: 'read' } },
      schema: {
        tags,
        summary:
          'The backtest of the rule set in force over 2019 … the latest month: the latest run, its progress and result (POST starts one)',
        response: { 200: backtestJobSchema },
      },
    },
    async (request) => {
      authorize(request, 'alerts.ruleSet', 'read');
      return backtestState(app.db);
    },
  );
  app.post(
    '/api/alerts/backtest',
    {
      config: { policy: { resource: 'alerts.ruleSet', action: 'manage' } },
      schema: {
        tags,
        summary:
          "Start the backtest of the rule set in force on today's data, in the background (answers at once; GET polls it)",
        response: { 202: backtestJobSchema },
      },
    },
    async (request, reply) => {
      const user = authorize(request, 'alerts.ruleSet', 'manage');
      return reply.code(202).send(await requestBacktest(app.db, user, actorOf(request)));
    },
  );
  app.post(
    '/api/alerts/evaluate',
    {
      config: { policy: { resource: 'alerts.evaluation', action: 'create' } },
      schema: {
        tags,
        summary: 'Evaluate the rules on a month now (default: the latest)',
        body: evaluateBody,
        response: { 200: evaluationResultSchema },
      },
    },
    async (request) => {
      authorize(request, 'alerts.evaluation', 'create');
      const month = request.body.month ?? (await latestMonth(app.db));
      if (!month)
        throw badRequest('There are no monthly statistics to evaluate.', '尚无月度数据，无法评估。');
      // A month without facts (a future one, one before the data begin) is refused: evaluated, it had no
      // reporting firm and so no firm on any chain node — every cluster was raised a 断链 alert.
      if (request.body.month && !(await monthHasFacts(app.db, month)))
        throw badRequest(
          `There are no monthly statistics for ${month} to evaluate.`,
          `${month} 尚无月度数据，无法评估。`,
          [{ field: 'month', message: 'no monthly statistics in this month', messageZh: '该月尚无月度数据' }],
        );
      return withDb(app.db, (tx) =>
        evaluateMonths(tx, [month], { trigger: 'demand', actor: actorOf(request) }),
      );
    },
  );
};
