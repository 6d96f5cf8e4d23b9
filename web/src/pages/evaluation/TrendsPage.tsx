// 亩均 aggregates and trends (issue 15 item 7): 亩均税收 and 亩均增加值 of each region, zone or cluster over
// the years (from the annual inputs), and the class mix over the years (from the published results, with
// the runs each count comes from).
import { useMemo, useState } from 'react';
import { Card, Segmented, Select, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { unitName } from '../../format.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { escapeHtml } from '../../format.ts';
import { useAggregates, useClassTrend } from './api.ts';
import { Chart } from './Chart.tsx';
import { fmt } from './labels.ts';
import { useLocalName } from '../../names.ts';

type By = 'region' | 'zone' | 'cluster';
const CLASS_SERIES = [
  ['aPlus', '#135200'],
  ['A', '#52c41a'],
  ['B', '#1677ff'],
  ['C', '#fa8c16'],
  ['D', '#f5222d'],
] as const;

/** An axis tooltip whose every name is escaped (names are editable by someone). */
const axisTooltip = (unit: string) => ({
  trigger: 'axis' as const,
  formatter: (ps: unknown) =>
    (ps as { axisValue: string; seriesName: string; value: number | null; marker: string }[])
      .map(
        (p, k) =>
          (k === 0 ? `${escapeHtml(p.axisValue)}<br/>` : '') +
          `${p.marker}${escapeHtml(p.seriesName)}：${p.value == null ? '—' : `${fmt(p.value)} ${escapeHtml(unit)}`}`,
      )
      .join('<br/>'),
});

export function TrendsPage() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [by, setBy] = useState<By>('region');
  const [unit, setUnit] = useState<string | undefined>();
  const agg = useAggregates(by);
  const trend = useClassTrend(by);
  const units = useMemo(() => {
    const m = new Map<string, string>();
    for (const r of agg.data?.items ?? []) m.set(r.code, localName(r.name));
    for (const r of trend.data?.items ?? []) m.set(r.code, localName(r.name));
    return [...m].map(([value, label]) => ({ value, label }));
  }, [agg.data, trend.data, localName]);
  const years = useMemo(
    () => [...new Set((agg.data?.items ?? []).map((r) => r.year))].sort((a, b) => a - b),
    [agg.data],
  );
  const selected = unit && units.some((u) => u.value === unit) ? unit : units[0]?.value;

  const perMuOption = (key: 'taxPerMu' | 'valueAddedPerMu') => ({
    tooltip: axisTooltip(unitName('万元/亩', t)),
    legend: { type: 'scroll' as const, top: 0 },
    grid: { left: 56, right: 16, top: 40, bottom: 28 },
    xAxis: { type: 'category' as const, data: years.map(String) },
    yAxis: { type: 'value' as const, name: unitName('万元/亩', t) },
    series: units.map((u) => ({
      name: u.label,
      type: 'line' as const,
      data: years.map((y) => {
        const r = agg.data?.items.find((x) => x.code === u.value && x.year === y);
        return r?.[key] == null ? null : Math.round(r[key]! * 100) / 100;
      }),
    })),
  });

  const mix = (trend.data?.items ?? []).filter((r) => r.code === selected);
  const mixOption = {
    tooltip: axisTooltip(t('evaluation.trends.firms')),
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 28 },
    xAxis: { type: 'category' as const, data: mix.map((r) => String(r.year)) },
    yAxis: { type: 'value' as const, name: t('evaluation.trends.firms'), minInterval: 1 },
    series: CLASS_SERIES.map(([k, color]) => ({
      name: k === 'aPlus' ? 'A+' : k,
      type: 'bar' as const,
      stack: 'class',
      itemStyle: { color },
      // A+ is shown apart from A, so the stack adds up to the evaluated firms
      data: mix.map((r) => (k === 'aPlus' ? r.aPlus : k === 'A' ? r.A - r.aPlus : r[k])),
    })),
  };

  if (agg.error) return <ErrorResult error={agg.error} />;
  if (trend.error) return <ErrorResult error={trend.error} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="evaluation-trends">
      <Space wrap>
        <Segmented<By>
          value={by}
          onChange={(v) => {
            setBy(v);
            setUnit(undefined);
          }}
          options={(['region', 'zone', 'cluster'] as const).map((k) => ({
            value: k,
            label: t(`evaluation.trends.by.${k}`),
          }))}
        />
      </Space>
      <Typography.Text type="secondary">{t('evaluation.trends.source')}</Typography.Text>
      <Card size="small" title={t('evaluation.trends.taxPerMu')} loading={agg.isLoading}>
        <Chart option={perMuOption('taxPerMu')} testId="trend-tax-per-mu" />
      </Card>
      <Card size="small" title={t('evaluation.trends.valueAddedPerMu')} loading={agg.isLoading}>
        <Chart option={perMuOption('valueAddedPerMu')} testId="trend-va-per-mu" />
      </Card>
      <Card
        size="small"
        loading={trend.isLoading}
        title={t('evaluation.trends.classMix')}
        extra={
          <Select
            style={{ minWidth: 200 }}
            value={selected}
            options={units}
            onChange={setUnit}
            aria-label={t('evaluation.trends.unit')}
            data-testid="trend-unit"
          />
        }
      >
        <Chart option={mixOption} testId="trend-class-mix" />
        <Table
          size="small"
          rowKey="year"
          pagination={false}
          loading={trend.isLoading}
          dataSource={mix}
          data-testid="trend-class-table"
          columns={[
            { title: t('evaluation.trends.year'), dataIndex: 'year' },
            { title: 'A+', dataIndex: 'aPlus' },
            { title: 'A', dataIndex: 'A' },
            { title: 'B', dataIndex: 'B' },
            { title: 'C', dataIndex: 'C' },
            { title: 'D', dataIndex: 'D' },
            {
              title: t('evaluation.trends.runs'),
              render: (_, r) => r.runIds.map((id) => `#${id}`).join(' '),
            },
          ]}
        />
      </Card>
      <Table
        size="small"
        rowKey={(r) => `${r.code}-${r.year}`}
        loading={agg.isLoading}
        dataSource={agg.data?.items ?? []}
        data-testid="trend-table"
        columns={[
          { title: t(`evaluation.trends.by.${by}`), dataIndex: 'name', render: (n: string) => localName(n) },
          { title: t('evaluation.trends.year'), dataIndex: 'year' },
          { title: t('evaluation.trends.firms'), dataIndex: 'enterprises' },
          { title: t('evaluation.trends.land'), render: (_, r) => fmt(r.landMu, 0) },
          { title: t('evaluation.trends.taxPerMu'), render: (_, r) => fmt(r.taxPerMu) },
          { title: t('evaluation.trends.valueAddedPerMu'), render: (_, r) => fmt(r.valueAddedPerMu) },
        ]}
      />
    </Space>
  );
}
