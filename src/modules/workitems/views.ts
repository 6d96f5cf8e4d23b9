// Work items and their events as the API shows them: state and level labels, SLA colour.
import { LEVELS, LEVEL_LABEL, isFinal, slaColour, stateDef } from '../../domain/workitems/index.ts';
import type { WorkItemEventView, WorkItemView } from './schemas.ts';
import type { WorkItemRecord } from './service.ts';
import { workflowOf } from './workflows.ts';
import type { workItemEvents } from '../../db/schema.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toWorkItemView(r: WorkItemRecord & { ownerUnitName?: string | null }): WorkItemView {
  const def = workflowOf(r.kind);
  const s = stateDef(def, r.state);
  const level = LEVELS[r.level] ?? 'normal';
  return {
    id: r.id,
    kind: r.kind,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    title: r.title,
    state: r.state,
    stateZh: s?.zh ?? r.state,
    stateEn: s?.en ?? r.state,
    final: isFinal(def, r.state),
    ownerUnitId: r.ownerUnitId,
    ownerUnitName: r.ownerUnitName ?? null,
    ownerUserId: r.ownerUserId,
    enterpriseId: r.enterpriseId,
    regionCode: r.regionCode,
    clusterCode: r.clusterCode,
    timed: r.timed,
    level,
    levelZh: LEVEL_LABEL[level].zh,
    sla: slaColour(level, r.timed),
    deadlineAt: iso(r.deadlineAt),
    remindAt: iso(r.remindAt),
    urgeAt: iso(r.urgeAt),
    escalateAt: iso(r.escalateAt),
    everOverdue: r.everOverdue,
    closedAt: iso(r.closedAt),
    closeReason: r.closeReason,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    version: r.version,
  };
}

export function toEventView(
  kind: string,
  e: typeof workItemEvents.$inferSelect & { fromUnitName: string | null; toUnitName: string | null },
): WorkItemEventView {
  const def = workflowOf(kind);
  return {
    id: e.id,
    at: e.at.toISOString(),
    type: e.type,
    transition: e.transition,
    transitionZh: e.transition
      ? (def.transitions.find((t) => t.name === e.transition)?.zh ?? e.transition)
      : null,
    fromState: e.fromState,
    toState: e.toState,
    toStateZh: e.toState ? (stateDef(def, e.toState)?.zh ?? e.toState) : null,
    fromUnitName: e.fromUnitName,
    toUnitName: e.toUnitName,
    level: e.level == null ? null : (LEVELS[e.level] ?? null),
    actorUsername: e.actorUsername,
    reason: e.reason,
    data: (e.data ?? {}) as Record<string, unknown>,
  };
}
