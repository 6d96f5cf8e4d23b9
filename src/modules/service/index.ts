// The public entry of the enterprise service capability (企业服务 / 96871): other capabilities file
// requests and read their state only through what this file exports; the server's route registry, the
// CLI and the demo use it too (see docs/architecture.md, enforced by lint).
export {
  fileRequestForAlert,
  fileRequestsForAlerts,
  requestForAlert,
  alertRequestShape,
  type AlertRequest,
} from './intake.ts';
export { fileRequestAs } from './service.ts';
export { ensureServiceUnits } from './units.ts';
export { generateDemoRequests, linkDemoUnitMembers } from './demo.ts';
export { clearAlertRequests } from './demo-reset.ts';
// Request counts per county for the county assessment (按时办结率 with its definitions).
export { requestCounts, DEFINITIONS as REQUEST_DEFINITIONS, type Period } from './stats.ts';
// Request counts per firm and period (the cluster index's 按时办结率 and 满意率 of a cluster's firms).
export { requestCountsByFirm, type FirmRequestCounts, type RequestPeriod } from './firm-stats.ts';
// The statistics page's answer for a named scope (the monthly bulletin's 企业服务 section).
export { requestStats } from './stats.ts';
export { statsScopeOf } from './stats-scope.ts';
// The home page's to-do counts (the service page's own lists, counted).
export { requestTodoCounts, type RequestTodos, type TodoCount } from './todos.ts';
