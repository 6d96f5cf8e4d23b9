// The workflows known to this process: each capability registers its definition once, at import time of
// its own module (e.g. service requests, alerts). A definition with problems is refused at registration.
import { workflowProblems, type WorkflowDefinition } from '../../domain/workitems/index.ts';
import { CN_CALENDAR, type WorkCalendar } from '../../domain/calendar/index.ts';

const registry = new Map<string, WorkflowDefinition>();

export function registerWorkflow(def: WorkflowDefinition): WorkflowDefinition {
  const problems = workflowProblems(def);
  if (problems.length) throw new Error(`workflow ${def.kind}: ${problems.join('; ')}`);
  const existing = registry.get(def.kind);
  if (existing && existing !== def) throw new Error(`workflow ${def.kind} registered twice`);
  registry.set(def.kind, def);
  return def;
}

export function workflowOf(kind: string): WorkflowDefinition {
  const def = registry.get(kind);
  if (!def) throw new Error(`no workflow registered for ${kind}`);
  return def;
}

export function registeredWorkflows(): WorkflowDefinition[] {
  return [...registry.values()];
}

/**
 * The working-day calendar deadlines are counted in. The national notices (src/domain/calendar/data) for
 * now; a city with local adjustments would pass its own here.
 */
export function workCalendar(): WorkCalendar {
  return CN_CALENDAR;
}
