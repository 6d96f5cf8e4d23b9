// Work items: an assignable thing (an alert to handle, a firm's request, a reported figure to review …) that
// moves through a state machine given as data, is owned by a unit (a department, a county, a cluster agency)
// and perhaps a person, runs against a deadline counted in working days, is reminded, urged (催办) and
// escalated (督办) when late, and is closed with a reason. Each capability declares its own workflow;
// the mechanism is shared. Pure types.

/**
 * How an actor stands to an item; transitions name the relations that may fire them.
 * - owner: a member of the owning unit (主办), or the owning person
 * - assist: a member of a co-handling unit (协办)
 * - coordinator: the office that dispatches (总协调室 / 企业服务中心), or an administrator
 * - supervisor: the supervising office (督查室 / 效能办) that receives escalations
 * - subject: the one the item is about and for (the enterprise that filed a request)
 * - creator: whoever recorded the item
 * - system: the platform itself (sweeps, imports)
 */
export const RELATIONS = [
  'owner',
  'assist',
  'coordinator',
  'supervisor',
  'subject',
  'creator',
  'system',
] as const;
export type Relation = (typeof RELATIONS)[number];

export interface Label {
  zh: string;
  en: string;
}

export interface StateDef extends Label {
  key: string;
  /** no transition leaves a final state; the item counts as closed */
  final?: boolean;
  /** the deadline clock runs in this state (reminders, 催办, 督办 apply) */
  timed?: boolean;
}

/** How the deadline is set when a transition enters its target state. */
export type DeadlineRule =
  | { kind: 'workingDays'; days: number }
  | { kind: 'workingHours'; hours: number }
  /** keep the running deadline (e.g. a reassignment does not restart the clock) */
  | { kind: 'keep' }
  /** no deadline in the target state */
  | { kind: 'none' }
  /** the caller supplies it (e.g. by the request's nature and type); the transition refuses without one */
  | { kind: 'given' };

export interface TransitionDef extends Label {
  name: string;
  from: readonly string[];
  to: string;
  by: readonly Relation[];
  /** a reason is required (退回, 关闭, 重办 …) */
  reasonRequired?: boolean;
  /** the transition names a new owner unit (分派 / 改派) */
  assigns?: boolean;
  deadline?: DeadlineRule;
}

/**
 * When the reminder, the 催办 and the 督办 fall, relative to a deadline (defaults from the 12345 rule in
 * shared reference §3.2: reminder before the deadline, 催办 the day after it, still overdue 5 working days
 * after the 催办 → escalation to the supervising office).
 */
export interface EscalationPolicy {
  /** remind this many office hours before the deadline (at most half the time allowed) */
  remindBeforeWorkingHours: number;
  /** 催办 at the opening of the n-th working day after the deadline's day */
  urgeAfterWorkingDays: number;
  /** 督办 at the opening of the n-th working day after the 催办 */
  escalateAfterWorkingDays: number;
}

export interface WorkflowDefinition extends Label {
  kind: string;
  states: readonly StateDef[];
  initial: string;
  /** deadline set when an item is created in the initial state */
  initialDeadline?: DeadlineRule;
  transitions: readonly TransitionDef[];
  escalation: EscalationPolicy;
}

/** Escalation levels, in order; an item only climbs while its clock runs. */
export const LEVELS = ['normal', 'due_soon', 'overdue', 'urged', 'escalated'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_LABEL: Readonly<Record<Level, Label>> = {
  normal: { zh: '正常', en: 'On time' },
  due_soon: { zh: '临期提醒', en: 'Due soon' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  urged: { zh: '催办', en: 'Urged' },
  escalated: { zh: '督办', en: 'Escalated' },
};

/** The instants at which a timed item's level changes. */
export interface EscalationMarks {
  deadlineAt: Date;
  remindAt: Date;
  urgeAt: Date;
  escalateAt: Date;
}

/** SLA colours for lists: green on time, yellow due soon, red overdue, purple escalated (督办). */
export type SlaColour = 'green' | 'yellow' | 'red' | 'purple' | 'none';
