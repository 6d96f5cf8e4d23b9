// Public entry of the early-warning capability for other capabilities' reads (the cluster index).
export {
  firmAlertStats,
  FIRM_ALERT_DEFINITION,
  type AlertPeriod,
  type FirmAlertStats,
} from './firm-stats.ts';
