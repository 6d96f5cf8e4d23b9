// Resources of the capabilities built before the policy existed (registry, imports, monitoring, 亩均
// evaluation, chains, projects, reference, audit, users). Decided as a bureau would (issue 12 item 8):
// the analyst reads and exports but never writes; publishing is a second person's act (see `fourEyes`).
import type { ResourcePolicy } from '../types.ts';

const READ = ['read', 'export'] as const;

export const coreResources = {
  'reference.data': {
    label: { zh: '基础数据', en: 'reference data' },
    scope: 'city',
    grants: {
      admin: ['read', 'export', 'manage'],
      analyst: READ,
      county: READ,
      cluster_agency: READ,
      enterprise: ['read'],
      auditor: ['read'],
    },
  },
  'enterprises.enterprise': {
    label: { zh: '企业名录', en: 'enterprise registry' },
    scope: 'enterprise',
    grants: {
      admin: ['read', 'export', 'create', 'update'],
      analyst: READ,
      county: ['read', 'export', 'create', 'update'],
      cluster_agency: READ,
      // contact details and main products only; registry facts are the officials'
      enterprise: ['read', 'update'],
    },
  },
  'enterprises.facts': {
    label: { zh: '企业月度/年度数据', en: 'enterprise facts' },
    scope: 'enterprise',
    grants: { admin: READ, analyst: READ, county: READ, cluster_agency: READ, enterprise: ['read'] },
  },
  'imports.import': {
    label: { zh: '数据导入', en: 'data imports' },
    scope: 'region',
    grants: {
      admin: ['read', 'import', 'rollback'],
      analyst: ['read'],
      county: ['read', 'import'],
    },
  },
  'monitoring.figures': {
    label: { zh: '集群监测', en: 'cluster monitoring' },
    scope: 'city',
    grants: { admin: READ, analyst: READ, county: READ, cluster_agency: READ },
  },
  'monitoring.targets': {
    label: { zh: '目标设置', en: 'target sets' },
    scope: 'city',
    grants: { admin: ['read', 'manage'], analyst: ['read'], county: ['read'], cluster_agency: ['read'] },
  },
  'evaluation.run': {
    label: { zh: '亩均评价', en: 'mu-average evaluation runs' },
    scope: 'region',
    grants: {
      admin: ['read', 'export', 'create', 'submit', 'publish', 'update'],
      analyst: READ,
      county: ['read', 'export', 'create', 'submit', 'update'],
      enterprise: ['read'],
    },
  },
  'evaluation.ruleSet': {
    label: { zh: '评价规则', en: 'rule sets' },
    scope: 'region',
    grants: { admin: ['read', 'manage'], analyst: ['read'], county: ['read'] },
  },
  'evaluation.result': {
    label: { zh: '亩均评价结果', en: 'evaluation results' },
    scope: 'enterprise',
    grants: { admin: READ, analyst: READ, county: READ, cluster_agency: READ, enterprise: ['read'] },
  },
  'evaluation.objection': {
    label: { zh: '评价异议', en: 'objections' },
    scope: 'enterprise',
    grants: {
      admin: ['read', 'handle'],
      analyst: ['read'],
      county: ['read', 'handle'],
      enterprise: ['read', 'create'],
    },
  },
  'evaluation.flag': {
    label: { zh: '评价调整标记', en: 'evaluation adjustment flags' },
    scope: 'enterprise',
    grants: {
      admin: ['read', 'export', 'update'],
      analyst: READ,
      county: ['read', 'export', 'update'],
      enterprise: ['read'],
    },
  },
  'evaluation.watchList': {
    label: { zh: '低散乱名单', en: 'watch list' },
    scope: 'enterprise',
    grants: { admin: ['read', 'export', 'update'], analyst: READ, county: ['read', 'export', 'update'] },
  },
  'projects.project': {
    label: { zh: '项目库', en: 'projects' },
    scope: 'region',
    grants: {
      admin: ['read', 'export', 'create', 'update', 'delete', 'import'],
      analyst: READ,
      county: ['read', 'export', 'create', 'update', 'import'],
      cluster_agency: READ,
    },
  },
  'chains.chain': {
    label: { zh: '产业链图谱', en: 'chain atlas' },
    scope: 'city',
    grants: {
      admin: ['read', 'export', 'manage'],
      analyst: READ,
      county: READ,
      cluster_agency: READ,
    },
  },
  'chains.nodeFirms': {
    label: { zh: '链上企业', en: 'chain node firms' },
    scope: 'enterprise',
    grants: {
      admin: ['read', 'export', 'assign'],
      analyst: READ,
      county: READ,
      cluster_agency: ['read', 'export', 'assign'],
    },
  },
  'chains.plan': {
    label: { zh: '链长制目标与项目', en: 'chain targets and projects' },
    scope: 'cluster',
    grants: {
      admin: ['read', 'create', 'update', 'delete'],
      analyst: ['read'],
      county: ['read'],
      cluster_agency: ['read', 'create', 'update', 'delete'],
    },
  },
  'audit.entry': {
    label: { zh: '审计日志', en: 'audit log' },
    scope: 'city',
    grants: { admin: ['read'], auditor: ['read', 'export'] },
  },
  'auth.user': {
    label: { zh: '用户', en: 'users' },
    scope: 'city',
    grants: { admin: ['read', 'create', 'update', 'delete'] },
  },
} satisfies Record<string, ResourcePolicy>;
