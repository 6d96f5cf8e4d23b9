// The reference capability's public entry: what other modules may use (docs/architecture.md, enforced by
// lint).
export {
  cityInfo,
  listClusters,
  listIndustries,
  listRegions,
  loadClusterMapping,
  loadReferenceData,
} from './service.ts';
export { getMeta } from './service.ts';
