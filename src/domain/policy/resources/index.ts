// Resources of the index capability. Filled by the capability's issue; keys are 'index.<thing>'.
import type { ResourcePolicy } from '../types.ts';

export const indexResources = {} satisfies Record<string, ResourcePolicy>;
