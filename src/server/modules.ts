// The capabilities the server exposes: each module folder contributes one Fastify plugin of routes,
// imported from its routes.ts — the one place outside a module allowed to (eslint.config.js). Route
// plugins stay out of the modules' index.ts, so a module or command that uses a capability's functions
// does not load its routes (and through them the file readers, ExcelJS, multipart …).
// Adding a capability = one line here.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { systemRoutes } from '../modules/system/routes.ts';
import { authRoutes } from '../modules/auth/routes.ts';
import { referenceRoutes } from '../modules/reference/routes.ts';
import { enterpriseRoutes } from '../modules/enterprises/routes.ts';
import { auditRoutes } from '../modules/audit/routes.ts';
import { importRoutes } from '../modules/imports/routes.ts';
import { monitoringRoutes } from '../modules/monitoring/routes.ts';
import { evaluationRoutes } from '../modules/evaluation/routes.ts';
import { projectRoutes } from '../modules/projects/routes.ts';
import { chainRoutes } from '../modules/chains/routes.ts';
import { workItemRoutes } from '../modules/workitems/routes.ts';
import { serviceRoutes } from '../modules/service/routes.ts';
import { alertRoutes } from '../modules/alerts/routes.ts';
import { cultivationRoutes } from '../modules/cultivation/routes.ts';
import { clusterIndexRoutes } from '../modules/cluster-index/routes.ts';
import { platformRoutes } from '../modules/platforms/routes.ts';
import { assessmentRoutes } from '../modules/assessment/routes.ts';
import { targetRoutes } from '../modules/targets/routes.ts';
import { bulletinRoutes } from '../modules/bulletin/routes.ts';
import { homeRoutes } from '../modules/home/routes.ts';

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
  targetRoutes,
  bulletinRoutes,
  homeRoutes,
];
