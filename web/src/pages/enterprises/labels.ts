// Display names of enterprise enumerations. Unknown codes (a tier added on the server later) fall
// back to the code itself rather than to an empty cell.
import type { TFunction } from 'i18next';
import type { Industry } from '../../api/contract.ts';

export const tierLabel = (tier: string, t: TFunction): string => t(`tiers.${tier}`, { defaultValue: tier });
export const scaleLabel = (scale: string, t: TFunction): string =>
  t(`enterprise.scales.${scale}`, { defaultValue: scale });
export const statusLabel = (status: string, t: TFunction): string =>
  t(`enterprise.statuses.${status}`, { defaultValue: status });

export const industryLabel = (code: string, name: string | null | undefined): string =>
  name ? `${code} ${name}` : code;

export const industryOptions = (industries: readonly Industry[] | undefined) =>
  (industries ?? []).map((i) => ({ value: i.code, label: industryLabel(i.code, i.name) }));
