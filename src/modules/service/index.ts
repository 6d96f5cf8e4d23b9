// Public entry of the service-request capability for other capabilities' reads (the cluster index).
export { requestCountsByFirm, type FirmRequestCounts, type RequestPeriod } from './firm-stats.ts';
export { DEFINITIONS as REQUEST_DEFINITIONS } from './stats.ts';
