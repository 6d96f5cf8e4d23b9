// Public entry of the enterprise-requests capability for other modules.
// Added for risk early warning (issue 17): red and orange firm alerts open requests (./from-alerts.ts).
export { fileAlertRequests, type AlertForRequest } from './from-alerts.ts';
