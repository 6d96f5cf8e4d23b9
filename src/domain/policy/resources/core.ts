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
      // publishing (and correcting a published run) is the city's second person: never the submitter
      admin: ['read', 'export', 'create', 'submit', 'publish', 'update'],
      analyst: READ,
      county: ['read', 'export', 'create', 'submit'],
      cluster_agency: READ,
      // published runs only (a row rule in the service)
      enterprise: ['read'],
    },
  },
  'evaluation.ruleSet': {
    label: { zh: '评价规则', en: 'rule sets' },
    scope: 'region',
    grants: {
      admin: ['read', 'manage'],
      analyst: ['read'],
      // a county officer keeps its county's version of a rule set
      county: ['read', 'manage'],
      cluster_agency: ['read'],
      enterprise: ['read'],
    },
  },
  'evaluation.result': {
    label: { zh: '亩均评价结果', en: 'evaluation results' },
    scope: 'enterprise',
    grants: { admin: READ, analyst: READ, county: READ, cluster_agency: READ, enterprise: ['read'] },
  },
  'evaluation.aggregate': {
    label: { zh: '亩均评价汇总', en: 'evaluation aggregates' },
    scope: 'city',
    grants: { admin: READ, analyst: READ, county: READ, cluster_agency: READ },
  },
  'evaluation.policyList': {
    label: { zh: '差别化政策清单', en: 'differentiated policy lists' },
    scope: 'enterprise',
    grants: { admin: READ, analyst: READ, county: READ, cluster_agency: READ },
  },
  'evaluation.simulation': {
    label: { zh: '规则模拟', en: 'rule-set simulation' },
    scope: 'region',
    grants: { admin: ['read'], analyst: ['read'], county: ['read'] },
  },
  'evaluation.objection': {
    label: { zh: '评价异议', en: 'objections' },
    scope: 'enterprise',
    grants: {
      admin: ['read', 'handle'],
      analyst: ['read'],
      county: ['read', 'handle'],
      cluster_agency: ['read'],
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
    grants: {
      admin: ['read', 'export', 'update'],
      analyst: READ,
      county: ['read', 'export', 'update'],
      cluster_agency: READ,
    },
  },
  'projects.project': {
    label: { zh: '项目库', en: 'projects' },
    scope: 'region',
    grants: {
      admin: ['read', 'export', 'create', 'update', 'delete', 'import'],
      analyst: READ,
      county: ['read', 'export', 'create', 'update', 'import'],
      cluster_agency: READ,
      // the projects it invests in (its own 技改 and expansion projects)
      enterprise: ['read'],
    },
  },
  'projects.statistics': {
    label: { zh: '固定资产投资统计', en: 'official investment statistics' },
    scope: 'city',
    grants: { admin: ['read', 'manage'], analyst: ['read'], county: ['read'], cluster_agency: ['read'] },
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
      // within their own scope: a county its county's firms, an agency its cluster's
      county: ['read', 'export', 'assign'],
      cluster_agency: ['read', 'export', 'assign'],
    },
  },
  'chains.plan': {
    label: { zh: '链长制目标与项目', en: 'chain targets and projects' },
    scope: 'cluster',
    grants: {
      admin: ['read', 'export', 'create', 'update', 'delete'],
      analyst: READ,
      county: READ,
      // the agency of the chain's own cluster (a row rule in the service)
      cluster_agency: ['read', 'export', 'create', 'update', 'delete'],
    },
  },
  'audit.entry': {
    label: { zh: '审计日志', en: 'audit log' },
    scope: 'city',
    grants: { admin: ['read'], auditor: ['read', 'export'] },
  },
  'auth.session': {
    label: { zh: '本人账号', en: 'your own account' },
    scope: 'own',
    grants: {
      admin: ['read', 'update'],
      analyst: ['read', 'update'],
      county: ['read', 'update'],
      cluster_agency: ['read', 'update'],
      enterprise: ['read', 'update'],
      auditor: ['read', 'update'],
      department: ['read', 'update'],
    },
  },
  'auth.user': {
    label: { zh: '用户', en: 'users' },
    scope: 'city',
    grants: { admin: ['read', 'create', 'update', 'delete'] },
  },
} satisfies Record<string, ResourcePolicy>;
