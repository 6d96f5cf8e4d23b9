// Public entry of the cluster index capability.
export { clusterIndexRoutes } from './routes.ts';
export { INDEX_KIND, INDEX_KEY } from './framework.ts';
export { listResults, publicIndex } from './results.ts';
export { createIndexEdition, moveIndexEdition, indexEdition } from './service.ts';
export { publishDemoIndex } from './demo.ts';
