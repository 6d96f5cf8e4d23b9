// Enterprise rankings within the user's scope, filtered by cluster, county, zone and measure.
import { Alert, Card, Input, Select, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRegionName } from '../../names.ts';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { MEASURES, useMonitoringMeta, useRankings, type RankingAnswer, type Measure } from './api.ts';
import { ExportButton, Growth, monthOptions, ytdMonthParam } from './common.tsx';
import { formatNumber } from '../../format.ts';

type Item = RankingAnswer['items'][number];
const MONEY: readonly Measure[] = ['outputValue', 'revenue', 'profit', 'tax', 'exportValue'];

export default function RankingsPage() {
  const { t, i18n } = useTranslation();
  const regionName = useRegionName();
  const county = (r: Item) => (en ? regionName(r.regionCode) : (r.regionName ?? r.regionCode));
  const en = i18n.language === 'en';
  const meta = useMonitoringMeta();
  const [search, setSearch] = useSearchParams();
  const get = (k: string) => search.get(k) ?? undefined;
  const measure = (get('measure') as Measure | undefined) ?? 'outputValue';
  const query = {
    month: get('month'),
    cluster: get('cluster'),
    region: get('region'),
    zone: get('zone'),
    measure,
    period: (get('period') as 'month' | 'ytd' | undefined) ?? 'ytd',
    q: get('q'),
    page: Number(get('page') ?? 1),
    pageSize: 50,
    scale: (get('scale') as 'above' | 'below' | 'all' | undefined) ?? 'above',
  };
  const ranking = useRankings(query);
  const set = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in patch)) next.delete('page');
    setSearch(next, { replace: true });
  };
  const shownMonth = query.month ?? ranking.data?.month ?? meta.data?.latestMonth ?? null;
  const ytdLabel = t('monitoring.ytdShort', ytdMonthParam(shownMonth, i18n.language));
  const periodLabel = query.period === 'ytd' ? ytdLabel : t('monitoring.monthShort');
  const isMoney = MONEY.includes(measure);
  const unit = isMoney
    ? t('units.yiYuan')
    : measure === 'energyTce'
      ? t('units.tce')
      : measure === 'electricity'
        ? t('units.wanKwh')
        : t('units.persons');
  const shown = (v: number | null) =>
    v == null ? '—' : isMoney ? formatNumber(v / 10_000, 2) : formatNumber(v, 0);
  const clusterLabel = (c: string) => {
    const x = meta.data?.clusters.find((k) => k.code === c);
    return x ? (en ? x.nameEn : x.name) : c;
  };
  const columns = [
    { header: t('monitoring.rank'), value: (r: Item) => r.rank },
    { header: t('monitoring.enterprise'), value: (r: Item) => r.name },
    { header: t('monitoring.county'), value: (r: Item) => county(r) },
    { header: t('monitoring.industryCode'), value: (r: Item) => r.industryCode },
    { header: t('monitoring.cluster'), value: (r: Item) => r.clusters.map(clusterLabel).join('、') },
    {
      header: `${t(`monitoring.measure.${measure}`)} (${unit})`,
      value: (r: Item) => (isMoney ? r.value / 10_000 : r.value),
      format: isMoney ? '0.00' : '0',
    },
    {
      header: `${t('monitoring.yoy')} (%)`,
      value: (r: Item) => (r.yoy == null ? null : r.yoy * 100),
      format: '0.0',
    },
  ];

  return (
    <div data-testid="monitoring-rankings">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('monitoring.rankings')}
        </Typography.Title>
        <Link to="/monitoring">{t('monitoring.backToCockpit')}</Link>
      </Space>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          style={{ width: 120 }}
          placeholder={t('monitoring.month')}
          value={query.month ?? ranking.data?.month ?? undefined}
          options={monthOptions(meta.data).map((m) => ({ value: m, label: m }))}
          onChange={(v: string) => set({ month: v })}
        />
        <Select
          style={{ width: 140 }}
          allowClear
          placeholder={t('monitoring.cluster')}
          value={query.cluster}
          options={(meta.data?.clusters ?? []).map((c) => ({ value: c.code, label: en ? c.nameEn : c.name }))}
          onChange={(v?: string) => set({ cluster: v })}
        />
        <Select
          style={{ width: 130 }}
          allowClear
          placeholder={t('monitoring.county')}
          value={query.region}
          options={(meta.data?.counties ?? []).map((c) => ({
            value: c.code,
            label: en ? (c.nameEn ?? c.name) : c.name,
          }))}
          onChange={(v?: string) => set({ region: v, zone: undefined })}
        />
        <Select
          style={{ width: 160 }}
          allowClear
          placeholder={t('monitoring.zone')}
          value={query.zone}
          options={(meta.data?.zones ?? [])
            .filter((z) => !query.region || z.hostRegionCode === query.region)
            .map((z) => ({ value: z.code, label: z.shortName ?? z.name }))}
          onChange={(v?: string) => set({ zone: v })}
        />
        <Select
          style={{ width: 150 }}
          value={measure}
          options={MEASURES.map((m) => ({ value: m, label: t(`monitoring.measure.${m}`) }))}
          onChange={(v: string) => set({ measure: v })}
        />
        <Select
          style={{ width: 140 }}
          value={query.period}
          data-testid="ranking-period"
          options={[
            { value: 'ytd', label: ytdLabel },
            { value: 'month', label: t('monitoring.monthShort') },
          ]}
          onChange={(v: string) => set({ period: v })}
        />
        <Select
          style={{ width: 110 }}
          value={query.scale}
          options={(['above', 'below', 'all'] as const).map((s) => ({
            value: s,
            label: t(`monitoring.scale.${s}`),
          }))}
          onChange={(v: string) => set({ scale: v === 'above' ? undefined : v })}
        />
        <Input.Search
          allowClear
          style={{ width: 200 }}
          placeholder={t('monitoring.searchName')}
          defaultValue={query.q}
          onSearch={(v) => set({ q: v })}
        />
      </Space>
      {ranking.error && <Alert type="error" showIcon title={errorMessage(ranking.error, i18n.language)} />}
      <Card
        size="small"
        title={
          // no "共 0 家" before the answer: the count is written once it is known
          <span data-testid="ranking-title">
            {ranking.data
              ? t('monitoring.rankingTitle', {
                  month: ranking.data.month ?? '',
                  n: ranking.data.total,
                  period: periodLabel,
                })
              : periodLabel}
          </span>
        }
        extra={
          <ExportButton
            fileName={`ranking-${measure}-${ranking.data?.month ?? ''}`}
            title={`${t('monitoring.rankings')} ${ranking.data?.month ?? ''}`}
            columns={columns}
            rows={ranking.data?.items ?? []}
          />
        }
      >
        <Table<Item>
          size="small"
          rowKey="id"
          loading={ranking.isFetching}
          dataSource={ranking.data?.items ?? []}
          data-testid="ranking-table"
          pagination={{
            current: query.page,
            pageSize: 50,
            total: ranking.data?.total ?? 0,
            showSizeChanger: false,
            onChange: (p) => set({ page: p }),
          }}
          columns={[
            { title: t('monitoring.rank'), dataIndex: 'rank', width: 64 },
            {
              title: t('monitoring.enterprise'),
              render: (_, r) => <Link to={`/enterprises/${r.id}`}>{r.name}</Link>,
            },
            { title: t('monitoring.county'), render: (_, r) => county(r) },
            { title: t('monitoring.cluster'), render: (_, r) => r.clusters.map(clusterLabel).join('、') },
            {
              title: `${t(`monitoring.measure.${measure}`)} (${unit})`,
              align: 'right',
              render: (_, r) => shown(r.value),
            },
            { title: t('monitoring.yoy'), align: 'right', render: (_, r) => <Growth value={r.yoy} /> },
          ]}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('monitoring.rankingScopeNote')} {t('monitoring.rankingCountNote', { period: periodLabel })}
        </Typography.Text>
      </Card>
    </div>
  );
}
