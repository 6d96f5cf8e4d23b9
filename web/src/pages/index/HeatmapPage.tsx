// Cluster × county: the index of each cell of the latest period as a heatmap; a click opens the cell's
// indicators (and firms, for who may see them). Cells of too few firms are withheld for most readers.
import { useMemo, useState } from 'react';
import { Card, Empty, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageLoading } from '../../components/PageLoading.tsx';
import { Chart } from './Chart.tsx';
import { DrillDown, EditionPicker, useShownEdition } from './shared.tsx';
import { useEdition, useResults, type ResultRow } from './api.ts';
import { esc, fmt } from './escape.ts';

export function HeatmapPage() {
  const { t } = useTranslation();
  const shown = useShownEdition();
  const edition = useEdition(shown.id);
  const all = useResults(shown.id, { frequency: 'year', level: 'county' });
  const [period, setPeriod] = useState<string | null>(null);
  const [drill, setDrill] = useState<ResultRow | null>(null);
  const periods = all.data?.periods ?? [];
  const p = period && periods.includes(period) ? period : (periods[periods.length - 1] ?? null);
  const rows = useMemo(() => (all.data?.items ?? []).filter((r) => r.period === p), [all.data, p]);
  const clusters = [...new Map(rows.map((r) => [r.clusterCode, r.clusterName])).entries()];
  const counties = [...new Map(rows.map((r) => [r.regionCode!, r.regionName!])).entries()].sort();
  const option = useMemo(
    () => ({
      tooltip: {
        formatter: (x: { data: [number, number, number | null] }) => {
          const r = rows.find(
            (r) => r.clusterCode === clusters[x.data[1]]?.[0] && r.regionCode === counties[x.data[0]]?.[0],
          );
          if (!r) return '';
          return `${esc(r.clusterName)} · ${esc(r.regionName)}<br/>${esc(t('clusterIndex.score'))}：${esc(
            r.suppressed && r.score === null ? t('clusterIndex.suppressed', { n: 3 }) : fmt(r.score),
          )}<br/>${esc(t('clusterIndex.firms'))}：${esc(r.firms)}`;
        },
      },
      grid: { left: 90, right: 20, top: 10, bottom: 60 },
      xAxis: { type: 'category', data: counties.map((c) => c[1]) },
      yAxis: { type: 'category', data: clusters.map((c) => c[1]) },
      visualMap: { min: 0, max: 100, calculable: true, orient: 'horizontal', left: 'center', bottom: 0 },
      series: [
        {
          type: 'heatmap',
          label: {
            show: true,
            formatter: (x: { data: [number, number, number | null] }) => esc(fmt(x.data[2], 0)),
          },
          data: rows.map((r) => [
            counties.findIndex((c) => c[0] === r.regionCode),
            clusters.findIndex((c) => c[0] === r.clusterCode),
            r.score,
          ]),
        },
      ],
    }),
    [rows, clusters, counties, t],
  );
  if (shown.loading) return <PageLoading />;
  if (!shown.id) return <Empty description={t('clusterIndex.noEdition')} />;
  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <EditionPicker value={shown.id} onChange={shown.set} />
        <Select
          style={{ width: 120 }}
          value={p ?? undefined}
          onChange={setPeriod}
          options={periods.map((x) => ({ value: x, label: x }))}
        />
      </Space>
      <Card size="small" title={t('clusterIndex.heatmap', { p: p ?? '' })}>
        <Chart
          option={option}
          height={360}
          testId="index-heatmap"
          onClick={(x) => {
            const d = x.data as [number, number] | undefined;
            if (!d) return;
            setDrill(
              rows.find(
                (r) => r.clusterCode === clusters[d[1]]?.[0] && r.regionCode === counties[d[0]]?.[0],
              ) ?? null,
            );
          }}
        />
      </Card>
      {edition.data && (
        <DrillDown edition={edition.data} row={drill} frequency="year" onClose={() => setDrill(null)} />
      )}
    </div>
  );
}
