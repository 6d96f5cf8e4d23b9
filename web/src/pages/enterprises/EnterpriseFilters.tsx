// Filter bar of the enterprise list. Every control writes straight into the URL (see listParams).
import { useMemo, useState } from 'react';
import { Button, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { SCALES, STATUSES, TIERS, type EnterpriseListQuery } from '../../api/contract.ts';
import { useClusters, useIndustries, useRegions, useZones } from '../../api/reference.ts';
import { MAX_PRODUCT_LENGTH } from '../../../../src/domain/products.ts';
import { industryOptions, scaleLabel, statusLabel, tierLabel } from './labels.ts';
import type { ListPatch } from './listParams.ts';

interface Props {
  query: EnterpriseListQuery;
  update: (patch: ListPatch) => void;
}

const CODE = /^\d{2,4}$/;

export function EnterpriseFilters({ query, update }: Props) {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const regions = useRegions();
  const zones = useZones();
  const clusters = useClusters();
  const divisions = useIndustries({ level: 'division' });
  const [industrySearch, setIndustrySearch] = useState('');
  const en = i18n.language === 'en';

  const counties = useMemo(
    () =>
      (regions.data ?? [])
        .filter((r) => r.level === 'county')
        // A county officer only ever sees their own county; offering others would show empty lists.
        .filter((r) => user.role !== 'county' || r.code === user.regionCode)
        .map((r) => ({ value: r.code, label: en && r.nameEn ? r.nameEn : r.name })),
    [regions.data, user, en],
  );

  const zoneOptions = useMemo(
    () =>
      (zones.data ?? [])
        .filter((z) => !query.county || z.hostRegionCode === query.county)
        .map((z) => ({ value: z.code, label: en && z.nameEn ? z.nameEn : (z.shortName ?? z.name) })),
    [zones.data, query.county, en],
  );

  // Divisions (2-digit) to pick from, plus any finer code typed in or already in the URL.
  const industryChoices = useMemo(() => {
    const options = industryOptions(divisions.data);
    const extra = [query.industry, CODE.test(industrySearch) ? industrySearch : undefined];
    for (const code of extra) {
      if (code && !options.some((o) => o.value === code)) {
        options.unshift({ value: code, label: t('enterprises.filters.industryCode', { code }) });
      }
    }
    return options;
  }, [divisions.data, query.industry, industrySearch, t]);

  const onCounty = (county: string | undefined) => {
    const zone = zones.data?.find((z) => z.code === query.zone);
    const keepZone = !county || !zone || zone.hostRegionCode === county;
    update({ county, zone: keepZone ? query.zone : undefined });
  };

  const clearAll = () =>
    update({
      q: undefined,
      product: undefined,
      county: undefined,
      zone: undefined,
      cluster: undefined,
      industry: undefined,
      scale: undefined,
      tier: undefined,
      status: undefined,
    });

  return (
    <Space wrap size={[8, 8]} style={{ marginBottom: 16 }} data-testid="enterprise-filters">
      <Input.Search
        // Remounting on an outside change (reset, back button) keeps the box in step with the URL.
        key={query.q ?? ''}
        defaultValue={query.q}
        allowClear
        placeholder={t('enterprises.filters.search')}
        onSearch={(value) => update({ q: value.trim() || undefined })}
        style={{ width: 280 }}
        data-testid="enterprise-search"
      />
      <Input.Search
        // a word of the main products (主要产品): the firms that make it
        key={`product:${query.product ?? ''}`}
        defaultValue={query.product}
        allowClear
        placeholder={t('enterprises.filters.product')}
        aria-label={t('enterprises.filters.product')}
        maxLength={MAX_PRODUCT_LENGTH}
        onSearch={(value) => update({ product: value.trim() || undefined })}
        style={{ width: 200 }}
        data-testid="filter-product"
      />
      <Select
        allowClear
        placeholder={t('enterprises.filters.county')}
        options={counties}
        value={query.county}
        onChange={onCounty}
        loading={regions.isPending}
        style={{ width: 140 }}
        data-testid="filter-county"
      />
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('enterprises.filters.zone')}
        options={zoneOptions}
        value={query.zone}
        onChange={(zone: string | undefined) => update({ zone })}
        loading={zones.isPending}
        style={{ width: 180 }}
        data-testid="filter-zone"
      />
      <Select
        allowClear
        placeholder={t('enterprises.filters.cluster')}
        options={(clusters.data ?? []).map((c) => ({ value: c.code, label: en ? c.nameEn : c.name }))}
        value={query.cluster}
        onChange={(cluster: string | undefined) => update({ cluster })}
        loading={clusters.isPending}
        style={{ width: 160 }}
        data-testid="filter-cluster"
      />
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'label', onSearch: setIndustrySearch }}
        placeholder={t('enterprises.filters.industry')}
        options={industryChoices}
        value={query.industry}
        onChange={(industry: string | undefined) => {
          setIndustrySearch('');
          update({ industry });
        }}
        loading={divisions.isPending}
        popupMatchSelectWidth={320}
        style={{ width: 220 }}
        data-testid="filter-industry"
      />
      <Select
        allowClear
        placeholder={t('enterprises.filters.scale')}
        options={SCALES.map((s) => ({ value: s, label: scaleLabel(s, t) }))}
        value={query.scale}
        onChange={(scale: string | undefined) => update({ scale })}
        style={{ width: 110 }}
        data-testid="filter-scale"
      />
      <Select
        allowClear
        placeholder={t('enterprises.filters.tier')}
        options={TIERS.map((tier) => ({ value: tier, label: tierLabel(tier, t) }))}
        value={query.tier}
        onChange={(tier: string | undefined) => update({ tier })}
        popupMatchSelectWidth={200}
        style={{ width: 150 }}
        data-testid="filter-tier"
      />
      <Select
        allowClear
        placeholder={t('enterprises.filters.status')}
        options={STATUSES.map((s) => ({ value: s, label: statusLabel(s, t) }))}
        value={query.status}
        onChange={(status: string | undefined) => update({ status })}
        style={{ width: 110 }}
        data-testid="filter-status"
      />
      <Button onClick={clearAll}>{t('enterprises.filters.reset')}</Button>
    </Space>
  );
}
