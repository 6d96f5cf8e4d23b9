// Resources of the index capability (issue 19). The index is prepared by the city analyst (drafts and
// submits editions: analytic work, unlike the core capabilities where the analyst only reads) and
// reviewed and published by an administrator who did not draft or submit it (four eyes). Published
// editions are city-wide aggregates every official reads; the firms behind a figure keep the
// enterprise scope.
import type { ResourcePolicy } from '../types.ts';

const READ = ['read', 'export'] as const;

export const indexResources = {
  'index.edition': {
    label: { zh: '集群指数', en: 'cluster index' },
    scope: 'city',
    grants: {
      admin: ['read', 'export', 'manage', 'submit', 'review', 'publish'],
      analyst: ['read', 'export', 'manage', 'submit'],
      county: READ,
      cluster_agency: READ,
    },
  },
  'index.firms': {
    label: { zh: '指数指标下的企业', en: 'firms behind index figures' },
    scope: 'enterprise',
    grants: { admin: READ, analyst: READ, county: READ, cluster_agency: READ },
  },
  'index.inputs': {
    label: { zh: '集群指数填报值与负面清单', en: 'cluster index reported values and negative list' },
    scope: 'city',
    grants: { admin: ['read', 'manage'], analyst: ['read'] },
  },
  'index.settings': {
    label: { zh: '集群指数公开设置', en: 'cluster index publication settings' },
    scope: 'city',
    grants: { admin: ['read', 'manage'], analyst: ['read'] },
  },
} satisfies Record<string, ResourcePolicy>;
