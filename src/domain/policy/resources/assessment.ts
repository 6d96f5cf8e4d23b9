// Resources of the county assessment (目标考核, issue 16 items 6–8). The assessment of a year is an edition
// (src/modules/editions): the city analyst drafts and submits it, an administrator who did not draft or
// submit it reviews and publishes (four eyes). Readers see published editions only. The ranking is read by
// every county; the per-county detail (every point's inputs and evidence) by the city and the county itself.
import type { ResourcePolicy } from '../types.ts';

export const assessmentResources = {
  'assessment.edition': {
    label: { zh: '县（市、区）考核', en: 'county assessment' },
    scope: 'city',
    grants: {
      admin: ['read', 'export', 'manage', 'submit', 'review', 'publish'],
      analyst: ['read', 'export', 'manage', 'submit'],
      county: ['read', 'export'],
      cluster_agency: ['read'],
    },
  },
  'assessment.county': {
    label: { zh: '县（市、区）考核明细', en: 'county assessment detail' },
    scope: 'region',
    grants: {
      admin: ['read', 'export'],
      analyst: ['read', 'export'],
      county: ['read', 'export'],
    },
  },
} satisfies Record<string, ResourcePolicy>;
