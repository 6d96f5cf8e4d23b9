import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { keptBytes, keptJson } from './cache.ts';
import { actorOf, requireUser } from '../../server/auth-context.ts';
import {
  chainCreateBody,
  chainDetailSchema,
  chainParams,
  chainSummarySchema,
  chainUpdateBody,
  decisionBody,
  edgeBody,
  edgeParams,
  gapListSchema,
  historySchema,
  idParams,
  methodQuery,
  nodeCreateBody,
  nodeEnterpriseParams,
  nodeEnterprisesQuery,
  nodeEnterprisesSchema,
  nodeParams,
  nodeUpdateBody,
  okSchema,
  projectCreateBody,
  projectSchema,
  projectUpdateBody,
  quadrantListSchema,
  roadmapSchema,
  targetCreateBody,
  targetSchema,
  targetUpdateBody,
} from './schemas.ts';
import {
  chainHistoryOf,
  createChain,
  createEdge,
  createNode,
  createProject,
  createTarget,
  decideAssignment,
  deleteChain,
  deleteEdge,
  deleteNode,
  deleteProject,
  deleteTarget,
  getChain,
  getGaps,
  getNodeEnterprises,
  getQuadrants,
  getRoadmap,
  listChains,
  listProjects,
  listTargets,
  roadmapXlsx,
  updateChain,
  updateNode,
  updateProject,
  updateTarget,
} from './service.ts';

const tags = ['chains'];
const chainListSchema = z.array(chainSummarySchema);
const targetListSchema = z.array(targetSchema);
const projectListSchema = z.array(projectSchema);
/** Sends a kept answer's JSON (cache.ts keptJson): no per-request validation or serialisation. */
const json = (reply: FastifyReply, text: string) =>
  reply.type('application/json; charset=utf-8').send(text as never);
const ok = { ok: true as const };

export const chainRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/chains',
    {
      config: { policy: { resource: 'chains.chain', action: 'read' } },
      schema: {
        tags,
        summary:
          'Industry chains grouped by cluster, landmark chains (标志性产业链) first: seeded from config or created by administrators',
        response: { 200: chainListSchema },
      },
    },
    async (request, reply) => {
      requireUser(request);
      return json(reply, keptJson(await listChains(app.db), chainListSchema));
    },
  );
  app.get(
    '/api/chains/:code',
    {
      config: { policy: { resource: 'chains.chain', action: 'read' } },
      schema: {
        tags,
        summary: 'A chain map: nodes with figures, gap flags, relatedness density and quadrant; edges',
        params: chainParams,
        querystring: methodQuery,
        response: { 200: chainDetailSchema },
      },
    },
    async (request, reply) =>
      json(
        reply,
        keptJson(
          await getChain(app.db, requireUser(request), request.params.code, request.query),
          chainDetailSchema,
        ),
      ),
  );
  app.get(
    '/api/chains/:code/gaps',
    {
      config: { policy: { resource: 'chains.chain', action: 'read' } },
      schema: {
        tags,
        summary: 'Gaps (missing and weak nodes) ranked by feasibility, each flag with its figures',
        params: chainParams,
        querystring: methodQuery,
        response: { 200: gapListSchema },
      },
    },
    async (request, reply) =>
      json(
        reply,
        keptJson(
          await getGaps(app.db, requireUser(request), request.params.code, request.query),
          gapListSchema,
        ),
      ),
  );
  app.get(
    '/api/chains/:code/quadrants',
    {
      config: { policy: { resource: 'chains.chain', action: 'read' } },
      schema: {
        tags,
        summary: 'Nodes in strength × feasibility quadrants',
        params: chainParams,
        querystring: methodQuery,
        response: { 200: quadrantListSchema },
      },
    },
    async (request, reply) =>
      json(
        reply,
        keptJson(
          await getQuadrants(app.db, requireUser(request), request.params.code, request.query),
          quadrantListSchema,
        ),
      ),
  );
  app.get(
    '/api/chains/:code/nodes/:node/enterprises',
    {
      config: { policy: { resource: 'chains.nodeFirms', action: 'read' } },
      schema: {
        tags,
        summary:
          "A node's enterprises within your scope, a page at a time (largest output first); others as totals only",
        params: nodeParams,
        querystring: nodeEnterprisesQuery,
        response: { 200: nodeEnterprisesSchema },
      },
    },
    // a page of the node's kept list (a node of 1,156 firms was 324 kB sent whole on the city demo, 50
    // readers at once missing the goal at province scale): sent as the kept page's bytes
    async (request, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send(
          keptBytes(
            await getNodeEnterprises(
              app.db,
              requireUser(request),
              request.params.code,
              request.params.node,
              request.query,
            ),
            nodeEnterprisesSchema,
          ).body as never,
        ),
  );
  app.put(
    '/api/chains/:code/nodes/:node/enterprises/:id',
    {
      config: { policy: { resource: 'chains.nodeFirms', action: 'assign' } },
      schema: {
        tags,
        summary:
          "Confirm, include, exclude or reset an enterprise on a node (audited); answers the node's firms as the GET does, at the page asked",
        params: nodeEnterpriseParams,
        querystring: nodeEnterprisesQuery,
        body: decisionBody,
        response: { 200: nodeEnterprisesSchema },
      },
    },
    async (request) =>
      decideAssignment(
        app.db,
        requireUser(request),
        request.params.code,
        request.params.node,
        request.params.id,
        request.body,
        actorOf(request),
        request.query,
      ),
  );
  app.get(
    '/api/chains/:code/roadmap',
    {
      config: { policy: { resource: 'chains.plan', action: 'read' } },
      schema: {
        tags,
        summary: 'The roadmap: gaps ranked, with ranked target enterprises and chain projects',
        params: chainParams,
        querystring: methodQuery,
        response: { 200: roadmapSchema },
      },
    },
    async (request, reply) =>
      json(
        reply,
        keptJson(
          await getRoadmap(app.db, requireUser(request), request.params.code, request.query),
          roadmapSchema,
        ),
      ),
  );
  app.get(
    '/api/chains/:code/roadmap.xlsx',
    {
      config: { policy: { resource: 'chains.plan', action: 'export' } },
      schema: {
        tags,
        summary: 'The roadmap as an xlsx workbook',
        params: chainParams,
        querystring: methodQuery,
      },
    },
    async (request, reply) => {
      const file = await roadmapXlsx(app.db, requireUser(request), request.params.code, request.query);
      reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="roadmap.xlsx"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        );
      return file.body;
    },
  );
  app.get(
    '/api/chains/:code/history',
    {
      config: { policy: { resource: 'chains.chain', action: 'read' } },
      schema: {
        tags,
        summary:
          "Edits of the chain, oldest first: administrators' structure edits, config syncs, and changes of its target enterprises and chain projects",
        params: chainParams,
        response: { 200: historySchema },
      },
    },
    async (request, reply) => {
      requireUser(request);
      return json(reply, keptJson(await chainHistoryOf(app.db, request.params.code), historySchema));
    },
  );

  // administrators' edits (history + audit)
  app.post(
    '/api/chains',
    {
      config: { policy: { resource: 'chains.chain', action: 'manage' } },
      schema: {
        tags,
        summary: 'Create a chain of a cluster, empty or copying nodes of another chain (admin)',
        body: chainCreateBody,
        response: { 201: chainSummarySchema },
      },
    },
    async (request, reply) => {
      const c = await createChain(app.db, requireUser(request), request.body, actorOf(request));
      reply.code(201);
      return c;
    },
  );
  app.delete(
    '/api/chains/:code',
    {
      config: { policy: { resource: 'chains.chain', action: 'manage' } },
      schema: {
        tags,
        summary:
          'Delete a chain an administrator created (refused while it has targets, projects or placement decisions) (admin)',
        params: chainParams,
        response: { 200: okSchema },
      },
    },
    async (request) => {
      await deleteChain(app.db, requireUser(request), request.params.code, actorOf(request));
      return ok;
    },
  );
  app.patch(
    '/api/chains/:code',
    {
      config: { policy: { resource: 'chains.chain', action: 'manage' } },
      schema: {
        tags,
        summary: 'Edit a chain (admin)',
        params: chainParams,
        body: chainUpdateBody,
        response: { 200: chainSummarySchema },
      },
    },
    async (request) =>
      updateChain(app.db, requireUser(request), request.params.code, request.body, actorOf(request)),
  );
  app.post(
    '/api/chains/:code/nodes',
    {
      config: { policy: { resource: 'chains.chain', action: 'manage' } },
      schema: {
        tags,
        summary: 'Add a node (admin)',
        params: chainParams,
        body: nodeCreateBody,
        response: { 201: okSchema },
      },
    },
    async (request, reply) => {
      await createNode(app.db, requireUser(request), request.params.code, request.body, actorOf(request));
      reply.code(201);
      return ok;
    },
  );
  app.patch(
    '/api/chains/:code/nodes/:node',
    {
      config: { policy: { resource: 'chains.chain', action: 'manage' } },
      schema: {
        tags,
        summary: 'Edit a node (admin)',
        params: nodeParams,
        body: nodeUpdateBody,
        response: { 200: okSchema },
      },
    },
    async (request) => {
      await updateNode(
        app.db,
        requireUser(request),
        request.params.code,
        request.params.node,
        request.body,
        actorOf(request),
      );
      return ok;
    },
  );
  app.delete(
    '/api/chains/:code/nodes/:node',
    {
      config: { policy: { resource: 'chains.chain', action: 'manage' } },
      schema: {
        tags,
        summary: 'Remove a node and its edges (admin)',
        params: nodeParams,
        response: { 200: okSchema },
      },
    },
    async (request) => {
      await deleteNode(
        app.db,
        requireUser(request),
        request.params.code,
        request.params.node,
        actorOf(request),
      );
      return ok;
    },
  );
  app.post(
    '/api/chains/:code/edges',
    {
      config: { policy: { resource: 'chains.chain', action: 'manage' } },
      schema: {
        tags,
        summary: 'Add an edge from → to (admin)',
        params: chainParams,
        body: edgeBody,
        response: { 201: okSchema },
      },
    },
    async (request, reply) => {
      await createEdge(
        app.db,
        requireUser(request),
        request.params.code,
        request.body.from,
        request.body.to,
        actorOf(request),
      );
      reply.code(201);
      return ok;
    },
  );
  app.delete(
    '/api/chains/:code/edges/:from/:to',
    {
      config: { policy: { resource: 'chains.chain', action: 'manage' } },
      schema: { tags, summary: 'Remove an edge (admin)', params: edgeParams, response: { 200: okSchema } },
    },
    async (request) => {
      await deleteEdge(
        app.db,
        requireUser(request),
        request.params.code,
        request.params.from,
        request.params.to,
        actorOf(request),
      );
      return ok;
    },
  );

  // the 招商 library and chain projects
  app.get(
    '/api/chains/:code/targets',
    {
      config: { policy: { resource: 'chains.plan', action: 'read' } },
      schema: {
        tags,
        summary: 'Target enterprises of the chain',
        params: chainParams,
        response: { 200: targetListSchema },
      },
    },
    async (request, reply) => {
      requireUser(request);
      return json(reply, keptJson(await listTargets(app.db, request.params.code), targetListSchema));
    },
  );
  app.post(
    '/api/chains/:code/targets',
    {
      config: { policy: { resource: 'chains.plan', action: 'create' } },
      schema: {
        tags,
        summary: 'Add a target enterprise (admin, cluster agency)',
        params: chainParams,
        body: targetCreateBody,
        response: { 201: targetSchema },
      },
    },
    async (request, reply) => {
      const t = await createTarget(
        app.db,
        requireUser(request),
        request.params.code,
        request.body,
        actorOf(request),
      );
      reply.code(201);
      return t;
    },
  );
  app.patch(
    '/api/chain-targets/:id',
    {
      config: { policy: { resource: 'chains.plan', action: 'update' } },
      schema: {
        tags,
        summary: 'Edit a target enterprise (admin, cluster agency)',
        params: idParams,
        body: targetUpdateBody,
        response: { 200: targetSchema },
      },
    },
    async (request) =>
      updateTarget(app.db, requireUser(request), request.params.id, request.body, actorOf(request)),
  );
  app.delete(
    '/api/chain-targets/:id',
    {
      config: { policy: { resource: 'chains.plan', action: 'delete' } },
      schema: {
        tags,
        summary:
          'Delete a target enterprise (admin, cluster agency); refused (409) while a chain project links it',
        params: idParams,
        response: { 200: okSchema },
      },
    },
    async (request) => {
      await deleteTarget(app.db, requireUser(request), request.params.id, actorOf(request));
      return ok;
    },
  );
  app.get(
    '/api/chains/:code/projects',
    {
      config: { policy: { resource: 'chains.plan', action: 'read' } },
      schema: {
        tags,
        summary: 'Chain projects 建链/强链/补链/延链/壮链',
        params: chainParams,
        response: { 200: projectListSchema },
      },
    },
    async (request, reply) => {
      requireUser(request);
      return json(reply, keptJson(await listProjects(app.db, request.params.code), projectListSchema));
    },
  );
  app.post(
    '/api/chains/:code/projects',
    {
      config: { policy: { resource: 'chains.plan', action: 'create' } },
      schema: {
        tags,
        summary: 'Add a chain project (admin, cluster agency)',
        params: chainParams,
        body: projectCreateBody,
        response: { 201: projectSchema },
      },
    },
    async (request, reply) => {
      const p = await createProject(
        app.db,
        requireUser(request),
        request.params.code,
        request.body,
        actorOf(request),
      );
      reply.code(201);
      return p;
    },
  );
  app.patch(
    '/api/chain-projects/:id',
    {
      config: { policy: { resource: 'chains.plan', action: 'update' } },
      schema: {
        tags,
        summary: 'Edit a chain project (admin, cluster agency)',
        params: idParams,
        body: projectUpdateBody,
        response: { 200: projectSchema },
      },
    },
    async (request) =>
      updateProject(app.db, requireUser(request), request.params.id, request.body, actorOf(request)),
  );
  app.delete(
    '/api/chain-projects/:id',
    {
      config: { policy: { resource: 'chains.plan', action: 'delete' } },
      schema: {
        tags,
        summary: 'Delete a chain project (admin, cluster agency)',
        params: idParams,
        response: { 200: okSchema },
      },
    },
    async (request) => {
      await deleteProject(app.db, requireUser(request), request.params.id, actorOf(request));
      return ok;
    },
  );
};
