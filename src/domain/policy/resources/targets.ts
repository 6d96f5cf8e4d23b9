// Resources of the targets capability. Filled by the capability's issue; keys are 'targets.<thing>'.
import type { ResourcePolicy } from '../types.ts';

export const targetsResources = {} satisfies Record<string, ResourcePolicy>;
