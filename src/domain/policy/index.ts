// The one access policy (issue 11): who may do what to which resource, and which rows they see.
// Pure: the server enforces it (src/server/policy.ts puts the scope into SQL), the web builds its
// menus and buttons from it, and the route × role matrix test checks the two agree.
import { POLICY, type Resource } from './registry.ts';
import type {
  Action,
  Decision,
  PolicyUser,
  ResourcePolicy,
  Role,
  Scope,
  ScopeKind,
  UnitMembership,
  WorkScope,
} from './types.ts';

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

/**
 * The rows of one resource a user sees: scopeOf, except that a role the resource lets act for the whole city
 * (actsForCity: a department on reported target values) has the city's own rows — as a county officer has
 * its county's. Pass the city's code; without it such a role sees nothing.
 */
export function resourceScopeOf(user: PolicyUser, resource: Resource, cityCode?: string): Scope {
  const s = scopeOf(user);
  if (s.kind === 'none' && cityCode != null && actsForCity(user, resource))
    return { kind: 'region', regionCode: cityCode };
  return s;
}

/** Whether the user acts for the whole city on this resource through its units (ResourcePolicy.actsForCity). */
export function actsForCity(user: Pick<PolicyUser, 'role'>, resource: Resource): boolean {
  return resourcePolicy(resource).actsForCity?.includes(user.role) ?? false;
}

/**
 * The region a user submits rows of a `region` resource for by default: a county officer its county, the
 * city roles and those acting for the city the city; null when its scope is no region (it submits none).
 */
export function ownRegionOf(user: PolicyUser, resource: Resource, cityCode: string): string | null {
  const s = resourceScopeOf(user, resource, cityCode);
  return s.kind === 'all' ? cityCode : s.kind === 'region' ? s.regionCode : null;
}

/** The firm a user is (an enterprise user's own), or null: such a user acts only as that firm. */
export function ownFirmOf(user: PolicyUser): number | null {
  const s = scopeOf(user);
  return s.kind === 'enterprise' ? s.enterpriseId : null;
}

/**
 * The rows of a unit-handled resource (ResourcePolicy.units) a user sees, given the units it acts for: every
 * row for members of the overseeing offices (`allFor`), else its scope, and the rows its units lead or
 * co-handle as the rule says. A resource without a unit rule: the scope alone.
 */
export function workScopeOf(
  user: PolicyUser,
  resource: Resource,
  units: readonly UnitMembership[],
): WorkScope {
  const rule = resourcePolicy(resource).units;
  const scope = scopeOf(user);
  if (!rule) return { scope, ledBy: [], assistedBy: [] };
  const ids = units.map((u) => u.id);
  const all = units.some((u) => rule.allFor.includes(u.kind));
  const widened: Scope = all ? { kind: 'all' } : scope;
  if (rule.rows === 'alsoLedOrAssisted') return { scope: widened, ledBy: ids, assistedBy: ids };
  return { scope: widened, ledBy: widened.kind === 'none' ? ids : [], assistedBy: [] };
}

/**
 * Whose rows a user may create (file) on a resource, given its units: what it sees (workScopeOf), or every
 * subject for a role the resource lets create for any (ResourcePolicy.createsForAny).
 */
export function createScopeOf(
  user: PolicyUser,
  resource: Resource,
  units: readonly UnitMembership[] = [],
): Scope {
  if (resourcePolicy(resource).createsForAny?.includes(user.role)) return { kind: 'all' };
  return workScopeOf(user, resource, units).scope;
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
  return scopeAllows(resourceScopeOf(user, resource, cityCode), resourcePolicy(resource).scope, row, {
    cityCode,
    userId: user.id,
  });
}

/**
 * Whether a user may write a row of a `region` resource for this region: its own region only — the city-wide
 * rows every county reads are written by the city (and by those acting for it), never by a county.
 */
export function regionWritable(
  user: PolicyUser,
  resource: Resource,
  regionCode: string,
  cityCode: string,
): boolean {
  return rowVisible(user, resource, { regionCode, cityWide: false }, cityCode);
}

/**
 * One row of a unit-handled resource (the SQL form is workRowsCondition in src/server/scope.ts): inside the
 * work scope, or led / co-handled by one of its units.
 */
export function workRowVisible(
  ws: WorkScope,
  resource: Resource,
  row: RowFacts & { leadUnitId?: number | null; assistUnitIds?: readonly number[] },
): boolean {
  if (row.leadUnitId != null && ws.ledBy.includes(row.leadUnitId)) return true;
  if ((row.assistUnitIds ?? []).some((u) => ws.assistedBy.includes(u))) return true;
  return scopeAllows(ws.scope, resourcePolicy(resource).scope, row);
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
