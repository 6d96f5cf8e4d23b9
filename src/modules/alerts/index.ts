// The alerts capability's public entry: what other modules, the server's route registry, the composition
// root, the CLI and the demo may use (docs/architecture.md, enforced by lint).
export { registerAlertHooks } from './hooks.ts';
export { evaluateDemoAlerts } from './demo.ts';
export { handleDemoAlerts } from './demo-handling.ts';
export { countyAlertHandling } from './county.ts';
// Warning statistics per firm and period (the cluster index's red/orange warnings per 100 firms).
export {
  firmAlertStats,
  FIRM_ALERT_DEFINITION,
  type AlertPeriod,
  type FirmAlertStats,
} from './firm-stats.ts';
// The board of open alerts within a scope is read by the monthly bulletin (issue 21).
export { alertBoard } from './service.ts';
// Open alerts within a scope, counted as the board counts them (the home page's to-dos).
export { openAlertCounts } from './repo.ts';
// The kind of the alert rules' editions (the home page counts those awaiting a second signature).
export { RULES_KIND as ALERT_RULES_KIND } from './editions.ts';
// The backtest job queue (tests and the bench wait on it).
export { waitForBacktests, requestBacktest, backtestState } from './backtest-jobs.ts';
// The newest month while still open for reporting (kept): the monitoring pages' note, through the composition root.
export { openMonthInForce } from './reporting.ts';
