// Public entry of the cluster index capability.
export { INDEX_KIND, INDEX_KEY } from './framework.ts';
export { listResults, publicIndex } from './results.ts';
export {
  createIndexEdition,
  moveIndexEdition,
  indexEdition,
  listIndexEditions,
  recomputeIndexEdition,
} from './service.ts';
export { publishDemoIndex } from './demo.ts';
