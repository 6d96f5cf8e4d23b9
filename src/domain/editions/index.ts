// Versioned definitions with editions (DESIGN.md, "The management loop"): a definition — 亩均 rule set,
// assessment scheme, index framework, alert rules, report template — is edited as a draft, previewed on
// real data, reviewed and published by a second person; a published edition and its results never change;
// a correction is a new edition with its reason. Pure rules here; `src/modules/editions/` stores them.
import { fourEyes } from '../policy/index.ts';

export const EDITION_STATUSES = ['draft', 'submitted', 'reviewed', 'published', 'withdrawn'] as const;
export type EditionStatus = (typeof EDITION_STATUSES)[number];

/** What a person does to an edition. `edit` changes the body of a draft; the others move its status. */
export const EDITION_ACTIONS = ['edit', 'submit', 'return', 'review', 'publish', 'withdraw'] as const;
export type EditionAction = (typeof EDITION_ACTIONS)[number];

/**
 * The state machine as data. `return` (退回) sends a submitted or reviewed edition back to its drafter;
 * `withdraw` (撤回) gives up an edition that was never published. Nothing leaves `published` or
 * `withdrawn`: a published edition is corrected by a new edition, never by changing it.
 */
export const TRANSITIONS: Record<EditionAction, { from: readonly EditionStatus[]; to: EditionStatus }> = {
  edit: { from: ['draft'], to: 'draft' },
  submit: { from: ['draft'], to: 'submitted' },
  return: { from: ['submitted', 'reviewed'], to: 'draft' },
  review: { from: ['submitted'], to: 'reviewed' },
  publish: { from: ['reviewed'], to: 'published' },
  withdraw: { from: ['draft', 'submitted', 'reviewed'], to: 'withdrawn' },
};

export const STATUS_ZH: Record<EditionStatus, string> = {
  draft: '草稿',
  submitted: '待审核',
  reviewed: '已审核',
  published: '已发布',
  withdrawn: '已撤回',
};

const ACTION_ZH: Record<EditionAction, string> = {
  edit: '修改',
  submit: '提交审核',
  return: '退回',
  review: '审核通过',
  publish: '发布',
  withdraw: '撤回',
};

/** The facts of an edition the rules look at (user ids). */
export interface EditionFacts {
  status: EditionStatus;
  createdBy: number | null;
  submittedBy: number | null;
  reviewedBy: number | null;
}

export type TransitionResult =
  | { ok: true; to: EditionStatus }
  | { ok: false; code: 'state' | 'four_eyes'; reasonZh: string; reasonEn: string };

/** Whether `actorId` may take `action` on the edition, and the status it leads to. */
export function transition(e: EditionFacts, action: EditionAction, actorId: number): TransitionResult {
  const t = TRANSITIONS[action];
  if (!t.from.includes(e.status))
    return {
      ok: false,
      code: 'state',
      reasonZh: `${STATUS_ZH[e.status]}状态的版本不能${ACTION_ZH[action]}`,
      reasonEn: `an edition that is ${e.status} does not allow "${action}"`,
    };
  // Review and publication are a second person's acts: neither the drafter nor the submitter.
  if (action === 'review' || action === 'publish') {
    const refusal = fourEyes(e.submittedBy, actorId) ?? fourEyes(e.createdBy, actorId);
    if (refusal)
      return {
        ok: false,
        code: 'four_eyes',
        reasonZh: '审核与发布须由起草、提交人以外的第二人完成（双人复核）',
        reasonEn: 'review and publication need a second person: not the drafter or submitter',
      };
  }
  return { ok: true, to: t.to };
}

/** The actions a person could take now (for buttons); four eyes included. */
export function availableActions(e: EditionFacts, actorId: number): EditionAction[] {
  return EDITION_ACTIONS.filter((a) => transition(e, a, actorId).ok);
}

export interface EditionVersion {
  id: number;
  version: number;
  status: EditionStatus;
  publishedAt: string | null;
}

/** The next version number of a definition: versions are never reused, withdrawn ones included. */
export function nextVersion(editions: readonly Pick<EditionVersion, 'version'>[]): number {
  return editions.reduce((m, e) => Math.max(m, e.version), 0) + 1;
}

/** The edition in force: the published one with the highest version (later editions correct earlier ones). */
export function currentEdition<T extends EditionVersion>(editions: readonly T[]): T | null {
  let best: T | null = null;
  for (const e of editions)
    if (e.status === 'published' && (best === null || e.version > best.version)) best = e;
  return best;
}

/** The published edition that replaced this one, if any (the next higher published version). */
export function supersededBy<T extends EditionVersion>(edition: T, editions: readonly T[]): T | null {
  if (edition.status !== 'published') return null;
  let next: T | null = null;
  for (const e of editions)
    if (
      e.status === 'published' &&
      e.version > edition.version &&
      (next === null || e.version < next.version)
    )
      next = e;
  return next;
}

/**
 * A new edition needs a reason once the definition has been published: a correction says why. The
 * first edition of a definition may go without one.
 */
export function reasonRequired(editions: readonly Pick<EditionVersion, 'status'>[]): boolean {
  return editions.some((e) => e.status === 'published');
}

export interface BodyChange {
  /** JSON path, e.g. `dimensions[2].weight` */
  path: string;
  before: unknown;
  after: unknown;
}

/** What changed between two bodies, leaf by leaf (for the preview: "what would change"). */
export function diffBodies(before: unknown, after: unknown, path = ''): BodyChange[] {
  if (Object.is(before, after)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: BodyChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++)
      out.push(...diffBodies(before[i], after[i], `${path}[${i}]`));
    return out;
  }
  if (isObj(before) && isObj(after) && !Array.isArray(before) && !Array.isArray(after)) {
    const out: BodyChange[] = [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) out.push(...diffBodies(before[k], after[k], path ? `${path}.${k}` : k));
    return out;
  }
  return [{ path, before, after }];
}
