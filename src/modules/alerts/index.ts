// The alerts capability's public entry: what other modules may use (docs/architecture.md).
export { countyAlertHandling } from './county.ts';
// Warning statistics per firm and period (the cluster index's red/orange warnings per 100 firms).
export {
  firmAlertStats,
  FIRM_ALERT_DEFINITION,
  type AlertPeriod,
  type FirmAlertStats,
} from './firm-stats.ts';
