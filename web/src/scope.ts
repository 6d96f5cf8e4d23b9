// How a user's data scope is described on screen ("全市", "南湖区", "现代纺织集群" …).
import type { TFunction } from 'i18next';
import type { Cluster, CurrentUser } from './api/contract.ts';

export function clusterName(
  code: string,
  clusters: readonly Cluster[] | undefined,
  language: string,
): string {
  const cluster = clusters?.find((c) => c.code === code);
  if (!cluster) return code;
  return language === 'en' ? cluster.nameEn : cluster.name;
}

export function describeScope(
  user: CurrentUser,
  t: TFunction,
  clusters: readonly Cluster[] | undefined,
  language: string,
): string {
  switch (user.role) {
    case 'admin':
    case 'analyst':
      return t('scope.city');
    case 'county':
      return user.regionName ?? user.regionCode ?? t('scope.none');
    case 'cluster_agency':
      return user.clusterCode ? clusterName(user.clusterCode, clusters, language) : t('scope.none');
    case 'enterprise':
      return user.enterpriseId === null ? t('scope.none') : t('scope.ownEnterprise');
    case 'auditor':
      return t('scope.auditOnly');
    case 'department':
      return t('scope.unitWork');
  }
}
