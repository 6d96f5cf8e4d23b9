// The output ladder per cluster: firms at or above 10/50/100/500/1000 亿元 over the years, against the
// policy's ladder targets, and the firms that moved a rung in the latest year.
import { Alert, Card, Col, List, Row, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { Chart } from '../projects/Chart.tsx';
import { useLadder } from './api.ts';

export function LadderTab({ cluster }: { cluster?: string }) {
  const { t } = useTranslation();
  const q = useLadder(cluster);
  if (q.error) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  if (!d) return <Card loading />;
  return (
    <Row gutter={[16, 16]} data-testid="ladder">
      {d.clusters.map((c) => (
        <Col key={c.code} xs={24} lg={12}>
          <Card title={c.name} size="small">
            <Chart
              height={240}
              option={{
                // series names are numbers with a fixed unit: nothing user-written reaches the tooltip
                tooltip: { trigger: 'axis' },
                legend: { bottom: 0 },
                grid: { left: 40, right: 16, top: 16, bottom: 48 },
                xAxis: { type: 'category', data: d.years.map(String) },
                yAxis: { type: 'value', minInterval: 1, name: t('cultivation.firms') },
                series: d.rungs.map((r, i) => ({
                  type: 'line',
                  name: t('cultivation.rung', { n: r }),
                  data: c.counts.map((row) => row[i]),
                })),
              }}
            />
            <Table
              size="small"
              pagination={false}
              rowKey="rung"
              dataSource={d.rungs.map((r, i) => ({
                rung: r,
                now: c.counts[c.counts.length - 1]?.[i] ?? 0,
                target: c.targets.find((x) => x.rung === r),
              }))}
              columns={[
                { title: t('cultivation.rungCol'), render: (_, r) => t('cultivation.rung', { n: r.rung }) },
                {
                  title: t('cultivation.latest', { year: d.years[d.years.length - 1] }),
                  dataIndex: 'now',
                  align: 'right',
                },
                {
                  title: t('cultivation.target'),
                  align: 'right',
                  render: (_, r) =>
                    r.target ? (
                      r.target.count === null ? (
                        <Typography.Text type="secondary">{r.target.note}</Typography.Text>
                      ) : (
                        <Tag color={r.now >= r.target.count ? 'green' : 'orange'}>{r.target.count}</Tag>
                      )
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
            <List
              size="small"
              header={t('cultivation.movers')}
              dataSource={c.movers}
              locale={{ emptyText: t('cultivation.noMovers') }}
              renderItem={(m) => (
                <List.Item>
                  {m.name} · {m.from ?? 0} → {m.to ?? 0} {t('cultivation.yi')}
                  <Tag color={m.direction === 'up' ? 'green' : 'red'} style={{ marginLeft: 8 }}>
                    {m.direction === 'up' ? '↑' : '↓'}
                  </Tag>
                </List.Item>
              )}
              footer={c.moversHidden > 0 ? t('cultivation.moversHidden', { n: c.moversHidden }) : undefined}
            />
          </Card>
        </Col>
      ))}
      <Col span={24}>
        <Alert type="info" showIcon message={d.provenance} />
      </Col>
    </Row>
  );
}
