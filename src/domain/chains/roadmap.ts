// Roadmap: which target enterprises to approach for a gap, ranked (docs/methodology.md, "Industry
// chains — roadmap ranking"). The ranking is a documented default, not a sourced formula. Pure.

export const CONTACT_STATUSES = [
  'none',
  'contacted',
  'visited',
  'negotiating',
  'signed',
  'declined',
] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];
export const SIZE_CLASSES = ['large', 'medium', 'small'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

export interface TargetFacts {
  id: number;
  sizeClass: string | null;
  /** 万元 */
  revenue: number | null;
  contactStatus: string;
  expanding: boolean;
}

export interface RankParams {
  /** weights of the three parts; they need not add to 1 (the score is their weighted mean) */
  size: number;
  progress: number;
  expansion: number;
  /** revenue (万元) that scores full marks on size; log scale below it */
  fullSizeRevenue: number;
}

export const DEFAULT_RANK: RankParams = {
  size: 0.5,
  progress: 0.3,
  expansion: 0.2,
  fullSizeRevenue: 1_000_000,
};

const SIZE_SCORE: Record<string, number> = { large: 1, medium: 0.6, small: 0.3 };
const PROGRESS_SCORE: Record<string, number> = {
  none: 0,
  contacted: 0.3,
  visited: 0.5,
  negotiating: 0.8,
  signed: 1,
  declined: 0,
};

export interface TargetScore {
  id: number;
  score: number;
  parts: { size: number; progress: number; expansion: number };
}

/**
 * score = (w_size · size + w_progress · progress + w_expansion · expansion) / (w_size + w_progress + w_expansion),
 * each part 0–1: size from revenue (ln(1 + revenue) / ln(1 + fullSizeRevenue), capped at 1) or else from the
 * size class (large 1, medium 0.6, small 0.3, unknown 0); progress from the contact status (none 0,
 * contacted 0.3, visited 0.5, negotiating 0.8, signed 1); expansion 1 when the firm is expanding.
 * A declined target scores 0 and sorts last. Sorted by score, then id.
 */
export function rankTargets(targets: readonly TargetFacts[], p: RankParams = DEFAULT_RANK): TargetScore[] {
  const weights = p.size + p.progress + p.expansion;
  return targets
    .map((t) => {
      const size =
        t.revenue !== null && t.revenue > 0
          ? Math.min(1, Math.log1p(t.revenue) / Math.log1p(p.fullSizeRevenue))
          : (SIZE_SCORE[t.sizeClass ?? ''] ?? 0);
      const progress = PROGRESS_SCORE[t.contactStatus] ?? 0;
      const expansion = t.expanding ? 1 : 0;
      const score =
        t.contactStatus === 'declined' || weights <= 0
          ? 0
          : (p.size * size + p.progress * progress + p.expansion * expansion) / weights;
      return { id: t.id, score, parts: { size, progress, expansion } };
    })
    .sort((a, b) => b.score - a.score || a.id - b.id);
}
