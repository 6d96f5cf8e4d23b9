// The capabilities the server exposes: each module folder contributes one Fastify plugin of routes.
// Adding a capability = one line here.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { systemRoutes } from '../modules/system/index.ts';
import { authRoutes } from '../modules/auth/index.ts';
import { referenceRoutes } from '../modules/reference/index.ts';
import { enterpriseRoutes } from '../modules/enterprises/index.ts';
import { auditRoutes } from '../modules/audit/index.ts';
import { importRoutes } from '../modules/imports/index.ts';
import { monitoringRoutes } from '../modules/monitoring/index.ts';
import { evaluationRoutes } from '../modules/evaluation/index.ts';
import { projectRoutes } from '../modules/projects/index.ts';
import { chainRoutes } from '../modules/chains/index.ts';
import { workItemRoutes } from '../modules/workitems/index.ts';
import { serviceRoutes } from '../modules/service/index.ts';
import { alertRoutes } from '../modules/alerts/index.ts';
import { cultivationRoutes } from '../modules/cultivation/index.ts';
import { clusterIndexRoutes } from '../modules/cluster-index/index.ts';
import { platformRoutes } from '../modules/platforms/index.ts';
import { assessmentRoutes } from '../modules/assessment/index.ts';

export const ROUTE_PLUGINS: FastifyPluginAsyncZod[] = [
  systemRoutes,
  authRoutes,
  referenceRoutes,
  enterpriseRoutes,
  auditRoutes,
  importRoutes,
  monitoringRoutes,
  evaluationRoutes,
  projectRoutes,
  chainRoutes,
  workItemRoutes,
  serviceRoutes,
  alertRoutes,
  cultivationRoutes,
  clusterIndexRoutes,
  platformRoutes,
  assessmentRoutes,
];
