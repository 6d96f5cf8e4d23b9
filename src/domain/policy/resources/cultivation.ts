// Resources of enterprise cultivation (企业培育, issue 20). Screening and the pipeline are about single
// firms, so they follow the enterprise scope (a county officer sees its county's firms, an agency its
// cluster's, an enterprise user itself — which libraries it meets and what it lacks). Counts of firms
// per library and ladder rung reveal no firm's figures and are read city-wide.
import type { ResourcePolicy } from '../types.ts';

export const cultivationResources = {
  'cultivation.library': {
    label: { zh: '培育库', en: 'cultivation libraries' },
    scope: 'city',
    grants: {
      admin: ['read', 'export'],
      analyst: ['read', 'export'],
      county: ['read', 'export'],
      cluster_agency: ['read', 'export'],
      enterprise: ['read'],
    },
  },
  'cultivation.screening': {
    label: { zh: '培育筛选', en: 'cultivation screening' },
    scope: 'enterprise',
    grants: {
      admin: ['read', 'export'],
      analyst: ['read', 'export'],
      county: ['read', 'export'],
      cluster_agency: ['read', 'export'],
      enterprise: ['read'],
    },
  },
  'cultivation.pipeline': {
    label: { zh: '培育进程', en: 'cultivation pipeline' },
    scope: 'enterprise',
    grants: {
      admin: ['read', 'create', 'update'],
      analyst: ['read'],
      county: ['read', 'create', 'update'],
      cluster_agency: ['read', 'create', 'update'],
      enterprise: ['read'],
    },
  },
} satisfies Record<string, ResourcePolicy>;
