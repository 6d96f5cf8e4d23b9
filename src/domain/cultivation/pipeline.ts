// A firm's path through a library: 候选 → 入库培育 → 申报 → 认定 (or 未通过, from which it may be
// nurtured again). The state machine is data so the pages offer exactly the moves the server accepts.

export const STAGES = ['candidate', 'nurturing', 'applying', 'recognised', 'rejected'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_ZH: Record<Stage, string> = {
  candidate: '候选',
  nurturing: '入库培育',
  applying: '申报',
  recognised: '认定',
  rejected: '未通过',
};

export const TRANSITIONS: Record<Stage, readonly Stage[]> = {
  candidate: ['nurturing'],
  nurturing: ['applying'],
  applying: ['recognised', 'rejected'],
  rejected: ['nurturing'],
  recognised: [],
};

export function canMove(from: Stage, to: Stage): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Moves that need evidence attached (an application file, a recognition notice). */
export function needsEvidence(to: Stage): boolean {
  return to === 'applying' || to === 'recognised';
}
