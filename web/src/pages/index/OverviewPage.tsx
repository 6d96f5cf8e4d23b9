// Index overview: the five clusters over time, the dimensions of the latest period as a radar, the
// ranks with their 5–95 % Monte Carlo bands, and the table with gates beside the score.
import { useMemo, useState } from 'react';
import { Card, Col, Empty, Row, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageLoading } from '../../components/PageLoading.tsx';
import { Chart } from './Chart.tsx';
import { DrillDown, EditionPicker, GateTags, useShownEdition } from './shared.tsx';
import { useEdition, useResults, type Frequency, type ResultRow } from './api.ts';
import { esc, fmt } from './escape.ts';
import { useLocalName } from '../../names.ts';

export function OverviewPage() {
  const { t } = useTranslation();
  // answers name clusters in Chinese: the table shows the UI language's name (issue 14)
  const localName = useLocalName();
  const shown = useShownEdition();
  const edition = useEdition(shown.id);
  const [frequency, setFrequency] = useState<Frequency>('year');
  const results = useResults(shown.id, { frequency, level: 'cluster' });
  const [period, setPeriod] = useState<string | null>(null);
  const [drill, setDrill] = useState<ResultRow | null>(null);
  const periods = results.data?.periods ?? [];
  const latest = period && periods.includes(period) ? period : (periods[periods.length - 1] ?? null);
  const rows = useMemo(() => results.data?.items ?? [], [results.data]);
  const current = rows.filter((r) => r.period === latest);
  const fw = edition.data?.body.framework;

  const lineOption = useMemo(() => {
    const clusters = [...new Map(rows.map((r) => [r.clusterCode, r.clusterName])).entries()];
    return {
      tooltip: {
        trigger: 'axis',
        formatter: (ps: { seriesName: string; axisValue: string; value: number | null }[]) =>
          `${esc(ps[0]?.axisValue)}<br/>${ps.map((p) => `${esc(p.seriesName)}：${esc(fmt(p.value))}`).join('<br/>')}`,
      },
      legend: { top: 0 },
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: periods },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: clusters.map(([code, name]) => ({
        type: 'line',
        name,
        data: periods.map((p) => rows.find((r) => r.clusterCode === code && r.period === p)?.score ?? null),
      })),
    };
  }, [rows, periods]);

  const radarOption = useMemo(
    () => ({
      tooltip: {
        formatter: (p: { name: string; value: (number | null)[] }) =>
          `${esc(p.name)}<br/>${(fw?.dimensions ?? []).map((d, i) => `${esc(d.name)}：${esc(fmt(p.value[i]))}`).join('<br/>')}`,
      },
      legend: { bottom: 0 },
      radar: { indicator: (fw?.dimensions ?? []).map((d) => ({ name: d.name, max: 100 })), radius: '62%' },
      series: [
        {
          type: 'radar',
          data: current.map((r) => ({
            name: r.clusterName,
            value: (fw?.dimensions ?? []).map(
              (d) => r.dimensions.find((x) => x.key === d.key)?.score ?? null,
            ),
          })),
        },
      ],
    }),
    [current, fw],
  );

  const bandOption = useMemo(() => {
    const sorted = [...current].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99));
    const names = sorted.map((r) => r.clusterName);
    return {
      tooltip: {
        trigger: 'axis',
        formatter: (ps: { dataIndex: number }[]) => {
          const r = sorted[ps[0]?.dataIndex ?? 0];
          if (!r) return '';
          return `${esc(r.clusterName)}<br/>${esc(t('clusterIndex.rank'))}：${esc(r.rank)}<br/>${esc(
            t('clusterIndex.medianRank'),
          )}：${esc(fmt(r.medianRank))}<br/>${esc(t('clusterIndex.rankBand'))}：${esc(fmt(r.p5Rank, 0))}–${esc(
            fmt(r.p95Rank, 0),
          )}`;
        },
      },
      grid: { left: 90, right: 20, top: 10, bottom: 30 },
      yAxis: { type: 'category', data: names, inverse: true },
      xAxis: { type: 'value', min: 0.5, max: Math.max(5, sorted.length) + 0.5, name: t('clusterIndex.rank') },
      series: [
        {
          type: 'bar',
          stack: 'band',
          itemStyle: { color: 'transparent' },
          data: sorted.map((r) => r.p5Rank ?? 0),
        },
        {
          type: 'bar',
          stack: 'band',
          itemStyle: { color: 'rgba(22,119,255,0.25)' },
          data: sorted.map((r) => Math.max(0.05, (r.p95Rank ?? 0) - (r.p5Rank ?? 0))),
        },
        {
          type: 'scatter',
          name: t('clusterIndex.medianRank'),
          symbolSize: 12,
          data: sorted.map((r, i) => [r.medianRank, i]),
        },
      ],
    };
  }, [current, t]);

  if (shown.loading) return <PageLoading />;
  if (!shown.id) return <Empty description={t('clusterIndex.noEdition')} />;
  return (
    <div data-testid="index-overview">
      <Space wrap style={{ marginBottom: 12 }}>
        <EditionPicker value={shown.id} onChange={shown.set} />
        <Segmented
          value={frequency}
          onChange={(v) => setFrequency(v as Frequency)}
          options={(['year', 'quarter'] as const).map((f) => ({
            value: f,
            label: t(`clusterIndex.frequency.${f}`),
          }))}
        />
        <Select
          style={{ width: 120 }}
          value={latest ?? undefined}
          onChange={setPeriod}
          options={periods.map((p) => ({ value: p, label: p }))}
        />
        {edition.data && (
          <Tag color={edition.data.status === 'published' ? 'green' : 'orange'}>
            {t('clusterIndex.editionN', { v: edition.data.version })} ·{' '}
            {t(`clusterIndex.status.${edition.data.status}`)}
          </Tag>
        )}
      </Space>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card title={t('clusterIndex.overTime')} size="small">
            <Chart option={lineOption} testId="index-line" />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('clusterIndex.radar', { p: latest ?? '' })} size="small">
            <Chart option={radarOption} testId="index-radar" />
          </Card>
        </Col>
      </Row>
      <Card title={t('clusterIndex.bands', { p: latest ?? '' })} size="small" style={{ marginTop: 16 }}>
        <Chart option={bandOption} height={220} testId="index-bands" />
      </Card>
      <Table
        style={{ marginTop: 16 }}
        size="small"
        rowKey={(r) => r.clusterCode}
        dataSource={[...current].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))}
        pagination={false}
        data-testid="index-table"
        onRow={(r) => ({ onClick: () => setDrill(r), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('clusterIndex.rank'), dataIndex: 'rank', width: 60 },
          {
            title: t('clusterIndex.cluster'),
            dataIndex: 'clusterName',
            render: (v: string) => localName(v),
          },
          {
            title: t('clusterIndex.score'),
            key: 'score',
            align: 'right',
            render: (_, r) => <span data-testid={`index-score-${r.clusterCode}`}>{fmt(r.score)}</span>,
          },
          {
            title: t('clusterIndex.scoreBand'),
            key: 'sb',
            render: (_, r) => `${fmt(r.p5Score)}–${fmt(r.p95Score)}`,
          },
          {
            title: t('clusterIndex.rankBand'),
            key: 'rb',
            render: (_, r) => `${fmt(r.p5Rank, 0)}–${fmt(r.p95Rank, 0)}`,
          },
          { title: t('clusterIndex.band'), dataIndex: 'band' },
          { title: t('clusterIndex.firms'), dataIndex: 'firms', align: 'right' },
          {
            title: t('clusterIndex.gates'),
            key: 'g',
            render: (_, r) => edition.data && <GateTags row={r} edition={edition.data} />,
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('clusterIndex.sourceNote')}
      </Typography.Paragraph>
      {edition.data && (
        <DrillDown edition={edition.data} row={drill} frequency={frequency} onClose={() => setDrill(null)} />
      )}
    </div>
  );
}
