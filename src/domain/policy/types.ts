// The vocabulary of the one access policy: roles, actions, how a resource's rows are scoped.
// Pure data, shared by the server (enforcement, SQL scope) and the web (menus, buttons).

/**
 * `department` (部门用户) acts for a unit of the work-item register (a 市级部门 that handles firms' requests,
 * the coordinating or the supervising office); it sees the work its units own, not the registry.
 */
export const ROLES = [
  'admin',
  'analyst',
  'county',
  'cluster_agency',
  'enterprise',
  'auditor',
  'department',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a user does to a resource. `read` covers lists, details and exports of what the user may see;
 * `publish` is the four-eyes step (never by the person who submitted); `manage` edits a definition
 * (rule set, framework, template); `handle` works an assigned item (alert, request, review).
 */
export const ACTIONS = [
  'read',
  'export',
  'create',
  'update',
  'delete',
  'import',
  'rollback',
  'submit',
  'review',
  'publish',
  'manage',
  'assign',
  'handle',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * How the rows of a resource are limited to what a user may see:
 * - `enterprise`: each row belongs to one enterprise; visible when that enterprise is in the user's scope
 *   (county → its county, cluster agency → its cluster's members, enterprise user → itself).
 * - `region`: each row names a county (or the city); a county officer sees its county's rows and the
 *   city-wide ones; city roles see all.
 * - `cluster`: each row names a cluster; a cluster agency sees its cluster's rows; city roles see all.
 * - `city`: no row-level limit; whoever may read, reads all (reference data, published aggregates,
 *   which pass disclosure control before they reach a user outside the firms' scope).
 * - `own`: rows created by or addressed to the user (their sessions, their own requests).
 */
export type ScopeKind = 'enterprise' | 'region' | 'cluster' | 'city' | 'own';

export interface ResourcePolicy {
  /** shown in refusals: 无权限：<zh> */
  label: { zh: string; en: string };
  scope: ScopeKind;
  /** the actions each role may take; a role not listed may do nothing with the resource */
  grants: Partial<Record<Role, readonly Action[]>>;
  /**
   * Roles without a registry scope of their own (scopeOf: none) that act for the whole city on this `region`
   * resource, through the units they act for: their rows are the city-wide ones, and what they submit is
   * owned by their unit (a city department reports the city's own target values). See resourceScopeOf.
   */
  actsForCity?: readonly Role[];
  /**
   * Roles that create rows for any subject (any firm) although their scope sees fewer (a city department
   * files the request a firm brought to it). See createScopeOf.
   */
  createsForAny?: readonly Role[];
  /** For rows that are work handled by the units of the work-item register: see UnitRule. */
  units?: UnitRule;
}

/**
 * How the units a user acts for (the work-item register: departments, county offices, cluster agencies,
 * the coordinating and the supervising office) widen the rows of a resource (see workScopeOf):
 * - `allFor`: members of units of these kinds see every row (the offices that oversee all of the work);
 * - `rows: 'alsoLedOrAssisted'`: besides its scope, a user sees the rows its units lead or co-handle;
 * - `rows: 'ledWhenUnscoped'`: a user whose role has no registry scope (a department) sees the rows its units
 *   lead, and a user with a scope sees that scope's rows only (counts per county or cluster stay whole).
 */
export interface UnitRule {
  allFor: readonly string[];
  rows: 'alsoLedOrAssisted' | 'ledWhenUnscoped';
}

/** A unit a user acts for, as the policy needs it (its id and kind). */
export interface UnitMembership {
  id: number;
  kind: string;
}

/**
 * The rows of a unit-handled resource a user sees: those its scope allows, and those led (owned) or
 * co-handled (协办) by the units listed here.
 */
export interface WorkScope {
  scope: Scope;
  ledBy: readonly number[];
  assistedBy: readonly number[];
}

/** The user facts the policy needs (a CurrentUser or a server session user both fit). */
export interface PolicyUser {
  id: number;
  role: Role;
  regionCode: string | null;
  clusterCode: string | null;
  enterpriseId: number | null;
}

export type Scope =
  | { kind: 'all' }
  | { kind: 'region'; regionCode: string }
  | { kind: 'cluster'; clusterCode: string }
  | { kind: 'enterprise'; enterpriseId: number }
  | { kind: 'none' };

export interface Decision {
  allowed: boolean;
  /** why not, for the 无权限 message (zh first) */
  reasonZh?: string;
  reasonEn?: string;
}
