// Resources of the monthly bulletin (运行监测月报, issue 21). A bulletin carries firm-level figures (the
// top movers, alerts, projects), so it is scoped like the firms it names: the `enterprise` scope with the
// bulletin's own row facts — a city bulletin names no county or cluster, so only city roles see it; a
// county's bulletin is its county officer's; a cluster's is its cluster agency's (rowVisible). The
// bureau drafts and submits; publishing is a second administrator's (four eyes). Officers generate the
// bulletin of their own area on demand; the analyst reads and downloads.
import type { ResourcePolicy } from '../types.ts';

export const bulletinResources = {
  'bulletin.report': {
    label: { zh: '运行监测月报', en: 'monthly bulletins' },
    scope: 'enterprise',
    grants: {
      admin: ['read', 'export', 'create', 'update', 'submit', 'publish'],
      analyst: ['read', 'export'],
      county: ['read', 'export', 'create'],
      cluster_agency: ['read', 'export', 'create'],
    },
  },
} satisfies Record<string, ResourcePolicy>;
