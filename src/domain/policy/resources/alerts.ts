// Resources of the alerts capability. Filled by the capability's issue; keys are 'alerts.<thing>'.
import type { ResourcePolicy } from '../types.ts';

export const alertsResources = {} satisfies Record<string, ResourcePolicy>;
