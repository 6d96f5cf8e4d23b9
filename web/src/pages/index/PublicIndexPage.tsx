// The unauthenticated view of the published index: only when the bureau turned it on, only the edition
// in force at cluster level, small cells withheld (the server decides all three).
import { useMemo } from 'react';
import { Card, Result, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import './i18n.ts';
import { Chart } from './Chart.tsx';
import { usePublicIndex } from './api.ts';
import { esc, fmt } from './escape.ts';

export default function PublicIndexPage() {
  const { t } = useTranslation();
  const q = usePublicIndex();
  const data = q.data;
  const option = useMemo(() => {
    const rows = data?.items ?? [];
    const clusters = [...new Map(rows.map((r) => [r.clusterCode, r.clusterName])).entries()];
    return {
      tooltip: {
        trigger: 'axis',
        formatter: (ps: { seriesName: string; axisValue: string; value: number | null }[]) =>
          `${esc(ps[0]?.axisValue)}<br/>${ps.map((p) => `${esc(p.seriesName)}：${esc(fmt(p.value))}`).join('<br/>')}`,
      },
      legend: { top: 0 },
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: data?.periods ?? [] },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: clusters.map(([code, name]) => ({
        type: 'line',
        name,
        data: (data?.periods ?? []).map(
          (p) => rows.find((r) => r.clusterCode === code && r.period === p)?.score ?? null,
        ),
      })),
    };
  }, [data]);
  if (q.isLoading) return null;
  if (!data)
    return <Result status="404" title={t('clusterIndex.publicUnavailable')} data-testid="index-public-off" />;
  const last = data.periods[data.periods.length - 1];
  return (
    <div style={{ maxWidth: 1100, margin: '24px auto', padding: '0 16px' }} data-testid="index-public">
      <Typography.Title level={3}>{t('clusterIndex.publicTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {data.edition.title} · {t('clusterIndex.editionN', { v: data.edition.version })} ·{' '}
        {data.edition.publishedAt?.slice(0, 10)}
      </Typography.Paragraph>
      <Typography.Paragraph>{data.framework.description}</Typography.Paragraph>
      <Card size="small" title={t('clusterIndex.overTime')}>
        <Chart option={option} />
      </Card>
      <Table
        style={{ marginTop: 16 }}
        size="small"
        pagination={false}
        rowKey={(r) => r.clusterCode}
        dataSource={data.items
          .filter((r) => r.period === last)
          .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))}
        columns={[
          { title: t('clusterIndex.rank'), dataIndex: 'rank' },
          { title: t('clusterIndex.cluster'), dataIndex: 'clusterName' },
          {
            title: `${t('clusterIndex.score')}（${last}）`,
            key: 's',
            render: (_, r) => (r.suppressed ? t('clusterIndex.suppressed', { n: 3 }) : fmt(r.score)),
          },
          {
            title: t('clusterIndex.rankBand'),
            key: 'rb',
            render: (_, r) => `${fmt(r.p5Rank, 0)}–${fmt(r.p95Rank, 0)}`,
          },
          { title: t('clusterIndex.band'), dataIndex: 'band' },
          ...data.framework.dimensions.map((d) => ({
            title: d.name,
            key: d.key,
            render: (_: unknown, r: (typeof data.items)[number]) =>
              fmt(r.dimensions.find((x) => x.key === d.key)?.score),
          })),
        ]}
      />
    </div>
  );
}
