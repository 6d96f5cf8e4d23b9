// Resources of the cultivation capability. Filled by the capability's issue; keys are 'cultivation.<thing>'.
import type { ResourcePolicy } from '../types.ts';

export const cultivationResources = {} satisfies Record<string, ResourcePolicy>;
