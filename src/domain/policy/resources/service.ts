// Resources of the service capability (企业服务 / 96871) and of the work-item mechanism it shares with
// other capabilities (the register of units, the working-day calendar, the escalation sweep).
import type { ResourcePolicy } from '../types.ts';

/** Kinds of units whose members oversee every request: the coordinating office (企业综合服务中心) and the
 * supervising office (督查室). */
const OFFICES = ['coordinator', 'supervisor'] as const;

export const serviceResources = {
  // The firm its own, a county its county, an agency its cluster (by the request's own county and cluster),
  // everyone the requests their units lead or co-handle; the coordinating and the supervising office, the
  // administrator and the analyst all. A city department files the request a firm brought to it for any firm.
  'service.request': {
    label: { zh: '企业诉求', en: 'enterprise requests' },
    scope: 'enterprise',
    units: { allFor: OFFICES, rows: 'alsoLedOrAssisted' },
    createsForAny: ['department'],
    grants: {
      admin: ['read', 'export', 'create', 'assign', 'handle'],
      analyst: ['read', 'export'],
      county: ['read', 'export', 'create', 'handle'],
      cluster_agency: ['read', 'export', 'create', 'handle'],
      // files, follows, rates (回访), withdraws its own
      enterprise: ['read', 'create', 'handle'],
      department: ['read', 'export', 'create', 'assign', 'handle'],
    },
  },
  // counted over the requests the user may see by scope (src/modules/service/stats-scope.ts): the offices,
  // the administrator and the analyst the city; a county its county; an agency its cluster; a department
  // the requests its units lead
  'service.statistics': {
    label: { zh: '诉求统计', en: 'request statistics' },
    scope: 'enterprise',
    units: { allFor: OFFICES, rows: 'ledWhenUnscoped' },
    grants: {
      admin: ['read', 'export'],
      analyst: ['read', 'export'],
      county: ['read', 'export'],
      cluster_agency: ['read', 'export'],
      department: ['read', 'export'],
    },
  },
  // the monthly 红榜 / 黑榜 rank units, not firms, and are published to every office (榆林 12345 practice,
  // reference §3.4): one city-wide ranking, the same for every reader
  'service.scores': {
    label: { zh: '承办单位评分与红黑榜', en: 'unit scores and red/black boards' },
    scope: 'city',
    grants: {
      admin: ['read', 'export'],
      analyst: ['read', 'export'],
      county: ['read'],
      cluster_agency: ['read'],
      department: ['read'],
    },
  },
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
