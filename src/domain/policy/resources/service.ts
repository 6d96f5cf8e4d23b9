// Resources of the service capability (企业服务 / 96871) and of the work-item mechanism it shares with
// other capabilities (the register of units, the working-day calendar, the escalation sweep).
import type { ResourcePolicy } from '../types.ts';

export const serviceResources = {
  'service.unit': {
    label: { zh: '承办单位名录', en: 'register of units' },
    scope: 'city',
    grants: {
      admin: ['read', 'export', 'manage'],
      analyst: ['read'],
      county: ['read'],
      cluster_agency: ['read'],
      department: ['read'],
    },
  },
  'service.calendar': {
    label: { zh: '工作日历', en: 'working-day calendar' },
    scope: 'city',
    grants: {
      admin: ['read'],
      analyst: ['read'],
      county: ['read'],
      cluster_agency: ['read'],
      enterprise: ['read'],
      auditor: ['read'],
      department: ['read'],
    },
  },
  'service.escalation': {
    label: { zh: '超期督办扫描', en: 'escalation sweep' },
    scope: 'city',
    grants: { admin: ['manage'] },
  },
} satisfies Record<string, ResourcePolicy>;
