// The public entry of work items: other capabilities create, move, list and sweep their items only
// through what this file exports (see docs/architecture.md, "Work items").
export { registerWorkflow, workflowOf, registeredWorkflows, workCalendar } from './workflows.ts';
export { SYSTEM_ACTOR, workActor, type WorkActor } from './actor.ts';
export {
  createWorkItem,
  createWorkItems,
  transitionWorkItem,
  changeDeadline,
  setAssistUnits,
  completeAssist,
  addNote,
  relationsOf,
  stateLabel,
  type DeadlineInput,
  type NewWorkItem,
  type TransitionInput,
  type WorkItemRecord,
} from './service.ts';
export {
  getWorkItem,
  workItemBySubject,
  listWorkItems,
  workItemsByDeadline,
  countWorkItems,
  workItemConditions,
  workItemScopeCondition,
  workItemHistory,
  workItemParties_ as workItemParties,
  assistDutiesOf,
  type WorkItemFilter,
} from './repo.ts';
// The tables as relations for other modules' SQL joins (set-based; they never name the tables), and the
// set-based write of unit members.
export { addUnitMembers, unitMemberRows, unitRows, workItemPartyRows, workItemRows } from './relations.ts';
export { sweepEscalations, startEscalationSweeper, type SweepResult } from './sweep.ts';
export { removeWorkItemsWhere } from './reset.ts';
export { backdateWorkItems } from './backdate.ts';
export {
  listUnits,
  unitById,
  unitByCode,
  unitsOfUser,
  createUnit,
  ensureUnits,
  setUnitMember,
  updateUnit,
  UNIT_KINDS,
  type UnitChange,
  type NewUnit,
  type UnitKind,
  type UnitRecord,
} from './units.ts';
export {
  workItemViewSchema,
  workItemEventSchema,
  unitSchema,
  unitChangeBody,
  type WorkItemView,
  type WorkItemEventView,
} from './schemas.ts';
export { toWorkItemView, toEventView } from './views.ts';
