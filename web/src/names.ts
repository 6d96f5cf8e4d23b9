// Names people read instead of the codes the data keep (issue 14 item 7): audit actions, tier levels and
// sources, counties. The code stays available as a secondary column or tooltip where it helps.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useRegions } from './api/reference.ts';

/**
 * An audit action such as `evaluation.run.publish` in the UI language, word by word ("亩均评价 · 评价批次 ·
 * 发布"): actions are added by every capability, so the words are translated rather than each action.
 * A word without a translation is shown as it is.
 */
export function actionName(action: string, t: TFunction): string {
  return action
    .split('.')
    .map((word) => t(`names.actionWords.${word}`, { defaultValue: word }))
    .join(' · ');
}

/** A tier's level (city / provincial / national) in the UI language. */
export const tierLevelName = (level: string | null | undefined, t: TFunction): string | null =>
  level ? t(`names.tierLevels.${level}`, { defaultValue: level }) : null;

/** A fact's source: the demo generator's marker and the import path have names; others are free text. */
export const sourceName = (source: string | null | undefined, t: TFunction): string | null =>
  source ? t(`names.sources.${source}`, { defaultValue: source }) : null;

/** A function from region code to its name in the UI language (the code itself until the list is loaded). */
export function useRegionName(): (code: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const regions = useRegions();
  const en = i18n.language === 'en';
  return (code) => {
    if (!code) return '—';
    const r = regions.data?.find((x) => x.code === code);
    return r ? (en ? (r.nameEn ?? r.name) : r.name) : code;
  };
}
