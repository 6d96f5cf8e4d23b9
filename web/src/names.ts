// Names people read instead of the codes the data keep (issue 14 item 7): audit actions, tier levels and
// sources, counties. The code stays available as a secondary column or tooltip where it helps.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useClusters, useRegions, useZones } from './api/reference.ts';
import { useContext, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from './api/client.ts';
import { CurrentUserContext } from './api/auth.ts';
import { can } from './permissions.ts';

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

/**
 * A name the data give in Chinese — a county, town, zone (full or short name), cluster or unit (市经信局:
 * lead units of projects, targets, cultivation) — in the UI
 * language: in English the reference data's English name when there is one, the Chinese name otherwise
 * (answers name places in Chinese only; the reference lists are loaded once and cached).
 */
export function useLocalName(): (name: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  const regions = useRegions();
  const zones = useZones();
  const clusters = useClusters();
  const units = useUnitNamesEn();
  const english = useMemo(() => {
    const m = new Map<string, string>();
    if (!en) return m;
    for (const r of regions.data ?? []) if (r.nameEn) m.set(r.name, r.nameEn);
    for (const z of zones.data ?? [])
      if (z.nameEn) {
        m.set(z.name, z.nameEn);
        if (z.shortName) m.set(z.shortName, z.nameEn);
      }
    for (const c of clusters.data ?? []) m.set(c.name, c.nameEn);
    for (const [zh, english] of Object.entries(units.data ?? {})) m.set(zh, english);
    return m;
  }, [en, regions.data, zones.data, clusters.data, units.data]);
  return (name) => (name ? (english.get(name) ?? name) : '—');
}

/**
 * Whether the names useLocalName translates have arrived: in English the shell holds the page behind a
 * spinner until then, so a page never shows the Chinese names first and swaps them (nor does a test read
 * them). In Chinese there is nothing to wait for.
 */
export function useLocalNamesReady(): boolean {
  const { i18n } = useTranslation();
  const lists = [useRegions(), useZones(), useClusters(), useUnitNamesEn()];
  // isLoading, not isPending: a query the policy switches off (below) stays pending and never loads
  return i18n.language !== 'en' || lists.every((q) => !q.isLoading);
}

/**
 * Every unit's English name by its Chinese name, from the service meta answer. Only that field is read,
 * under its own key: the service pages' schema pulls in modules the first page must not load. Asked only
 * by a user the policy lets read requests (the auditor may not: nothing is asked that will be refused;
 * unit names then stay as the answers give them).
 */
function useUnitNamesEn() {
  const user = useContext(CurrentUserContext);
  return useQuery({
    enabled: user != null && can(user, 'service.request', 'read'),
    queryKey: ['names', 'units'],
    queryFn: async ({ signal }) =>
      (
        await api('/api/service/meta', {
          schema: z.object({ unitNamesEn: z.record(z.string(), z.string()) }),
          signal,
        })
      ).unitNamesEn,
    staleTime: Infinity,
    retry: false,
  });
}
