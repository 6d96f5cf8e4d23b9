// The project stage machine: 洽谈 → 签约 → 供地 → 开工 → 竣工 → 投产 → 达产, with 暂停 (paused) and
// 终止 (terminated) as statuses beside the stage. A project moves one stage forward at a time; jumping
// over stages is a skip, allowed only to someone permitted and only with a reason. Stages never move
// back (a wrong entry is corrected on the stage dates, not by rewinding the project). Pure functions.
import type { Bilingual } from '../units.ts';

export const STAGES = [
  'negotiation',
  'signed',
  'land',
  'started',
  'completed',
  'production',
  'full_production',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_ZH: Readonly<Record<Stage, string>> = {
  negotiation: '洽谈',
  signed: '签约',
  land: '供地',
  started: '开工',
  completed: '竣工',
  production: '投产',
  full_production: '达产',
};

export const STAGE_EN: Readonly<Record<Stage, string>> = {
  negotiation: 'Negotiation',
  signed: 'Signed',
  land: 'Land supplied',
  started: 'Construction started',
  completed: 'Construction completed',
  production: 'In production',
  full_production: 'Full production',
};

export const PROJECT_STATUSES = ['active', 'paused', 'terminated'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const STATUS_ZH: Readonly<Record<ProjectStatus, string>> = {
  active: '推进中',
  paused: '暂停',
  terminated: '终止',
};

export function isStage(value: unknown): value is Stage {
  return (STAGES as readonly unknown[]).includes(value);
}

export function stageIndex(stage: Stage): number {
  return STAGES.indexOf(stage);
}

/** Whether `stage` has been reached by a project standing at `current`. */
export function reached(current: Stage, stage: Stage): boolean {
  return stageIndex(stage) <= stageIndex(current);
}

export type StageAction =
  | { kind: 'advance'; to: Stage; reason?: string | null }
  | { kind: 'pause'; reason?: string | null }
  | { kind: 'resume'; reason?: string | null }
  | { kind: 'terminate'; reason?: string | null };

export interface ProjectState {
  stage: Stage;
  status: ProjectStatus;
}

export type TransitionProblem =
  'terminated' | 'paused' | 'notPaused' | 'backward' | 'same' | 'skipNotAllowed' | 'reasonRequired';

export type TransitionResult =
  | { ok: true; next: ProjectState; skipped: Stage[] }
  | { ok: false; problem: TransitionProblem; message: Bilingual };

/** A reason must say something: at least this many characters once trimmed. */
export const MIN_REASON_LENGTH = 4;

const fail = (problem: TransitionProblem, zh: string, en: string): TransitionResult => ({
  ok: false,
  problem,
  message: { zh, en },
});

function hasReason(reason: string | null | undefined): boolean {
  return typeof reason === 'string' && reason.trim().length >= MIN_REASON_LENGTH;
}

/**
 * The next state for an action, or why it is refused. `maySkip` says whether the actor holds the
 * permission to jump over stages (Data Hub's change_to_any_stage); pausing and terminating also need
 * a reason, since the city's stalled list shows it.
 */
export function transition(state: ProjectState, action: StageAction, maySkip: boolean): TransitionResult {
  if (state.status === 'terminated')
    return fail(
      'terminated',
      '项目已终止，不能再变更阶段',
      'The project is terminated; its stage cannot change',
    );
  switch (action.kind) {
    case 'pause':
      if (state.status === 'paused')
        return fail('paused', '项目已处于暂停状态', 'The project is already paused');
      if (!hasReason(action.reason))
        return fail('reasonRequired', '暂停项目须填写原因', 'Pausing a project needs a reason');
      return { ok: true, next: { stage: state.stage, status: 'paused' }, skipped: [] };
    case 'resume':
      if (state.status !== 'paused')
        return fail('notPaused', '只有暂停的项目可以恢复', 'Only a paused project can be resumed');
      return { ok: true, next: { stage: state.stage, status: 'active' }, skipped: [] };
    case 'terminate':
      if (!hasReason(action.reason))
        return fail('reasonRequired', '终止项目须填写原因', 'Terminating a project needs a reason');
      return { ok: true, next: { stage: state.stage, status: 'terminated' }, skipped: [] };
    case 'advance': {
      if (state.status === 'paused')
        return fail(
          'paused',
          '项目暂停中，请先恢复再推进阶段',
          'The project is paused; resume it before advancing',
        );
      const from = stageIndex(state.stage);
      const to = stageIndex(action.to);
      if (to === from)
        return fail(
          'same',
          `项目已处于“${STAGE_ZH[action.to]}”阶段`,
          `The project is already at ${STAGE_EN[action.to]}`,
        );
      if (to < from) {
        return fail(
          'backward',
          `阶段不能倒退（${STAGE_ZH[state.stage]} → ${STAGE_ZH[action.to]}）；如录入有误，请修改阶段日期`,
          `Stages do not move back (${STAGE_EN[state.stage]} → ${STAGE_EN[action.to]}); correct the stage dates instead`,
        );
      }
      const skipped = STAGES.slice(from + 1, to) as Stage[];
      if (skipped.length > 0) {
        const names = skipped.map((s) => STAGE_ZH[s]).join('、');
        if (!maySkip) {
          return fail(
            'skipNotAllowed',
            `跳过阶段（${names}）须由有权限的人员操作`,
            `Skipping stages (${skipped.map((s) => STAGE_EN[s]).join(', ')}) needs the skip permission`,
          );
        }
        if (!hasReason(action.reason))
          return fail('reasonRequired', `跳过阶段（${names}）须填写原因`, 'Skipping stages needs a reason');
      }
      return { ok: true, next: { stage: action.to, status: 'active' }, skipped };
    }
  }
}

/** The stage after `stage`, or null at 达产. */
export function nextStage(stage: Stage): Stage | null {
  return STAGES[stageIndex(stage) + 1] ?? null;
}
