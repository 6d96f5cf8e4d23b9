// Resources of target responsibility (目标考核, issue 16). The ledger and the county breakdown are city-wide
// aggregates every official reads. A reported value belongs to a county (or to the city, when a department
// reports a city-wide figure): a county officer reports and corrects its own county's values and sees only
// their evidence; a department user reports for the units it acts for; the city (administrator, for
// 市转升办) reviews — 退回 with a reason or 通过. The analyst reads and exports only.
import type { ResourcePolicy } from '../types.ts';

const READ = ['read', 'export'] as const;

export const targetsResources = {
  'targets.ledger': {
    label: { zh: '目标台账', en: 'target ledger' },
    scope: 'city',
    grants: {
      admin: [...READ, 'manage'],
      analyst: READ,
      county: READ,
      cluster_agency: READ,
      department: READ,
    },
  },
  // a county officer reads its county's and the city-wide values and writes its county's; a department
  // acts for the city (its rows are the city-wide ones, owned by its unit); the city roles all
  'targets.report': {
    label: { zh: '目标填报', en: 'reported target values' },
    scope: 'region',
    actsForCity: ['department'],
    grants: {
      admin: [...READ, 'create', 'update', 'import', 'review'],
      analyst: READ,
      county: [...READ, 'create', 'update', 'import'],
      department: ['read', 'create', 'update'],
    },
  },
} satisfies Record<string, ResourcePolicy>;
