// The one access policy (issue 11): who may do what to which resource, and which rows they see.
// Pure: the server enforces it (src/server/policy.ts puts the scope into SQL), the web builds its
// menus and buttons from it, and the route × role matrix test checks the two agree.
import { POLICY, type Resource } from './registry.ts';
import type { Action, Decision, PolicyUser, ResourcePolicy, Role, Scope, ScopeKind } from './types.ts';

export * from './types.ts';
export { POLICY, type Resource };

export function resourcePolicy(resource: Resource): ResourcePolicy {
  return POLICY[resource] as ResourcePolicy;
}

/** The rows a user may see of enterprise-scoped resources. A misconfigured user sees nothing. */
export function scopeOf(user: PolicyUser): Scope {
  switch (user.role) {
    case 'admin':
    case 'analyst':
      return { kind: 'all' };
    case 'county':
      return user.regionCode ? { kind: 'region', regionCode: user.regionCode } : { kind: 'none' };
    case 'cluster_agency':
      return user.clusterCode ? { kind: 'cluster', clusterCode: user.clusterCode } : { kind: 'none' };
    case 'enterprise':
      return user.enterpriseId != null
        ? { kind: 'enterprise', enterpriseId: user.enterpriseId }
        : { kind: 'none' };
    // a department sees the work items its units own (through unit membership), no enterprise rows by scope
    case 'department':
    case 'auditor':
      return { kind: 'none' };
  }
}

/** Whether the role may take the action on the resource at all (row scope is checked apart). */
export function can(
  user: Pick<PolicyUser, 'role'> | null | undefined,
  resource: Resource,
  action: Action,
): boolean {
  if (!user) return false;
  const grants = resourcePolicy(resource).grants[user.role];
  return grants !== undefined && grants.includes(action);
}

const ACTION_ZH: Record<Action, string> = {
  read: '查看',
  export: '导出',
  create: '新建',
  update: '修改',
  delete: '删除',
  import: '导入',
  rollback: '回滚',
  submit: '提交',
  review: '审核',
  publish: '发布',
  manage: '维护',
  assign: '分派',
  handle: '办理',
};

const ROLE_ZH: Record<Role, string> = {
  admin: '管理员',
  analyst: '市级分析员',
  county: '区县专员',
  cluster_agency: '集群促进机构',
  enterprise: '企业用户',
  auditor: '审计员',
  department: '部门用户',
};

export function roleNameZh(role: Role): string {
  return ROLE_ZH[role];
}

/** `can` with the reason a refusal shows (无权限：…). */
export function decide(
  user: Pick<PolicyUser, 'role'> | null | undefined,
  resource: Resource,
  action: Action,
): Decision {
  const p = resourcePolicy(resource);
  if (!user) return { allowed: false, reasonZh: '请先登录', reasonEn: 'sign in first' };
  if (can(user, resource, action)) return { allowed: true };
  return {
    allowed: false,
    reasonZh: `${ROLE_ZH[user.role]}不能${ACTION_ZH[action]}${p.label.zh}`,
    reasonEn: `a ${user.role} user may not ${action} ${p.label.en}`,
  };
}

/** The facts of one row that its resource's scope looks at. */
export interface RowFacts {
  enterpriseId?: number | null;
  /** the county of the row (or of its enterprise); null/the city code for city-wide rows */
  regionCode?: string | null;
  /** clusters the row (or its enterprise) belongs to */
  clusterCodes?: readonly string[];
  /** user ids who own the row (filer, assignee …) for `own` resources */
  ownerIds?: readonly number[];
  /**
   * Whether the row belongs to the whole city (seen by every reader of a `region` resource). Default: a
   * row without a county or with the city's code. A resource whose rows without a county are not the
   * city's own (an import by a city role spans counties) says false.
   */
  cityWide?: boolean;
}

/**
 * THE scope rule, for one row: whether a row of a resource of this scope kind lies inside the scope.
 * `rowVisible` applies it to a user; src/server/scope.ts writes the same rule as SQL (scopeCondition),
 * so lists start from what the user may see. `cityCode` marks rows that belong to the whole city.
 */
export function scopeAllows(
  scope: Scope,
  kind: ScopeKind,
  row: RowFacts,
  opts: { cityCode?: string; userId?: number } = {},
): boolean {
  if (kind === 'city') return true;
  if (kind === 'own')
    return scope.kind === 'all' || (opts.userId != null && (row.ownerIds ?? []).includes(opts.userId));
  const cityWide =
    kind === 'region' &&
    (row.cityWide ?? (row.regionCode == null || (opts.cityCode != null && row.regionCode === opts.cityCode)));
  switch (scope.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'region':
      return cityWide || (row.regionCode != null && row.regionCode === scope.regionCode);
    case 'cluster':
      return cityWide || (row.clusterCodes ?? []).includes(scope.clusterCode);
    case 'enterprise':
      return row.enterpriseId != null && row.enterpriseId === scope.enterpriseId;
  }
}

/**
 * Whether a single row lies inside the user's scope for this resource (for writes and detail reads;
 * lists put the same rule into SQL). `cityCode` marks rows that belong to the whole city.
 */
export function rowVisible(user: PolicyUser, resource: Resource, row: RowFacts, cityCode?: string): boolean {
  return scopeAllows(scopeOf(user), resourcePolicy(resource).scope, row, { cityCode, userId: user.id });
}

/**
 * Four eyes: whoever submitted (or last changed) a thing may not also publish it. Returns the refusal,
 * or null when a different person publishes.
 */
export function fourEyes(submittedBy: number | null | undefined, publisherId: number): Decision | null {
  if (submittedBy != null && submittedBy === publisherId)
    return {
      allowed: false,
      reasonZh: '发布需由提交人以外的第二人完成（双人复核）',
      reasonEn: 'publishing needs a second person: the submitter may not publish',
    };
  return null;
}
