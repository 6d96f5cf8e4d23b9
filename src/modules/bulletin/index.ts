// The monthly bulletin's public entry (issue 21): the facts hook of the automatic run, and the
// job queue (tests and the bench wait on it).
export { registerBulletinHooks } from './hooks.ts';
export { waitForBulletinJobs, kickBulletinJobs, bulletinWarmUp, type WarmUp } from './jobs.ts';
export { gatherBulletinData } from './gather.ts';
// Bulletins awaiting a second signature (the home page's to-dos).
export { bulletinsAwaitingPublicationCount } from './service.ts';
