// The state machine of a workflow, as data: which transitions an actor may fire from a state, and the
// checks a transition passes (known, from this state, by this relation, with a reason when required).
import type { DeadlineRule, Relation, TransitionDef, WorkflowDefinition } from './types.ts';

export type TransitionRefusal =
  | { code: 'unknown_transition'; zh: string; en: string }
  | { code: 'wrong_state'; zh: string; en: string }
  | { code: 'not_allowed'; zh: string; en: string }
  | { code: 'reason_required'; zh: string; en: string }
  | { code: 'owner_required'; zh: string; en: string }
  | { code: 'deadline_required'; zh: string; en: string };

export type TransitionCheck =
  { ok: true; transition: TransitionDef; to: string } | ({ ok: false } & TransitionRefusal);

/** Problems with a definition (empty when sound); checked by tests and when a workflow is registered. */
export function workflowProblems(def: WorkflowDefinition): string[] {
  const problems: string[] = [];
  const keys = new Set(def.states.map((s) => s.key));
  if (keys.size !== def.states.length) problems.push('duplicate state');
  if (!keys.has(def.initial)) problems.push(`initial state ${def.initial} unknown`);
  const names = new Set<string>();
  for (const t of def.transitions) {
    if (names.has(t.name)) problems.push(`duplicate transition ${t.name}`);
    names.add(t.name);
    if (!keys.has(t.to)) problems.push(`${t.name}: target ${t.to} unknown`);
    for (const f of t.from) {
      if (!keys.has(f)) problems.push(`${t.name}: source ${f} unknown`);
      if (def.states.find((s) => s.key === f)?.final) problems.push(`${t.name}: leaves final state ${f}`);
    }
    if (t.by.length === 0) problems.push(`${t.name}: nobody may fire it`);
  }
  // every state is reachable from the initial one
  const seen = new Set([def.initial]);
  for (let grew = true; grew;) {
    grew = false;
    for (const t of def.transitions)
      if (t.from.some((f) => seen.has(f)) && !seen.has(t.to)) {
        seen.add(t.to);
        grew = true;
      }
  }
  for (const k of keys) if (!seen.has(k)) problems.push(`state ${k} unreachable`);
  if (!def.states.some((s) => s.final)) problems.push('no final state');
  return problems;
}

export function stateDef(def: WorkflowDefinition, key: string) {
  return def.states.find((s) => s.key === key);
}

export function isFinal(def: WorkflowDefinition, state: string): boolean {
  return stateDef(def, state)?.final === true;
}

export function isTimed(def: WorkflowDefinition, state: string): boolean {
  return stateDef(def, state)?.timed === true;
}

/** The transitions an actor with these relations may fire from a state (for buttons). */
export function availableTransitions(
  def: WorkflowDefinition,
  state: string,
  relations: ReadonlySet<Relation>,
): TransitionDef[] {
  return def.transitions.filter((t) => t.from.includes(state) && t.by.some((r) => relations.has(r)));
}

export function checkTransition(
  def: WorkflowDefinition,
  state: string,
  name: string,
  relations: ReadonlySet<Relation>,
  input: { reason?: string | null; ownerUnitId?: number | null; deadlineGiven?: boolean },
): TransitionCheck {
  const t = def.transitions.find((x) => x.name === name);
  if (!t)
    return {
      ok: false,
      code: 'unknown_transition',
      zh: `没有“${name}”这一操作`,
      en: `no transition ${name} in ${def.kind}`,
    };
  const from = stateDef(def, state);
  if (!t.from.includes(state))
    return {
      ok: false,
      code: 'wrong_state',
      zh: `当前状态“${from?.zh ?? state}”下不能${t.zh}`,
      en: `cannot ${t.en.toLowerCase()} in state ${from?.en ?? state}`,
    };
  if (!t.by.some((r) => relations.has(r)))
    return { ok: false, code: 'not_allowed', zh: `无权${t.zh}`, en: `not allowed to ${t.en.toLowerCase()}` };
  if (t.reasonRequired && !(input.reason ?? '').trim())
    return { ok: false, code: 'reason_required', zh: `${t.zh}须写明理由`, en: `${t.en} needs a reason` };
  if (t.assigns && input.ownerUnitId == null)
    return {
      ok: false,
      code: 'owner_required',
      zh: `${t.zh}须指定承办单位`,
      en: `${t.en} needs an owner unit`,
    };
  if (t.deadline?.kind === 'given' && !input.deadlineGiven)
    return {
      ok: false,
      code: 'deadline_required',
      zh: `${t.zh}须给出办理时限`,
      en: `${t.en} needs a deadline`,
    };
  return { ok: true, transition: t, to: t.to };
}

export function deadlineRuleOf(t: TransitionDef): DeadlineRule {
  return t.deadline ?? { kind: 'keep' };
}
