// Resources of the alerts capability (风险预警, issue 17). Keys are 'alerts.<thing>'.
import type { ResourcePolicy } from '../types.ts';

const READ = ['read', 'export'] as const;

export const alertsResources = {
  // An alert names a firm (its county and clusters), a cluster or a county: a county officer sees its
  // county's firms and the county's own alerts, a cluster agency its member firms and its cluster's alerts.
  'alerts.alert': {
    label: { zh: '风险预警', en: 'risk alerts' },
    scope: 'enterprise',
    grants: {
      admin: ['read', 'export', 'assign', 'handle'],
      analyst: READ,
      county: ['read', 'export', 'handle'],
      cluster_agency: ['read', 'export', 'handle'],
    },
  },
  'alerts.ruleSet': {
    label: { zh: '预警规则', en: 'alert rule sets' },
    scope: 'city',
    grants: { admin: ['read', 'manage'], analyst: ['read'], county: ['read'], cluster_agency: ['read'] },
  },
  // running the rules on demand (they also run after each monthly import)
  'alerts.evaluation': {
    label: { zh: '预警评估', en: 'alert evaluation' },
    scope: 'city',
    grants: { admin: ['read', 'create'], analyst: ['read'] },
  },
} satisfies Record<string, ResourcePolicy>;
