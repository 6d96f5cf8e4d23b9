// Resources of the service capability. Filled by the capability's issue; keys are 'service.<thing>'.
import type { ResourcePolicy } from '../types.ts';

export const serviceResources = {} satisfies Record<string, ResourcePolicy>;
