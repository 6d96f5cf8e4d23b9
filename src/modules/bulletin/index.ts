// The monthly bulletin's public entry (issue 21): routes, the facts hook of the automatic run, and the
// job queue (tests and the bench wait on it).
export { bulletinRoutes } from './routes.ts';
export { registerBulletinHooks } from './hooks.ts';
export { waitForBulletinJobs, kickBulletinJobs, bulletinWarmUp, type WarmUp } from './jobs.ts';
export { gatherBulletinData } from './gather.ts';
