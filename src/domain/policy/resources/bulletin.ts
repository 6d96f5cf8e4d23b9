// Resources of the bulletin capability. Filled by the capability's issue; keys are 'bulletin.<thing>'.
import type { ResourcePolicy } from '../types.ts';

export const bulletinResources = {} satisfies Record<string, ResourcePolicy>;
