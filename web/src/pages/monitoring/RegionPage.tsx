// One county (or zone): its clusters with location quotients, its zones, trend, and shift-share.
import { useLocalName } from '../../names.ts';
import { useMemo } from 'react';
import { Alert, Card, Col, Row, Space, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorMessage, isStatus } from '../../api/client.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { useMonitoringMeta, useRegionPage, type AreaRow, type RegionPage as Page } from './api.ts';
import { Chart } from './Chart.tsx';
import {
  ExportButton,
  Growth,
  Note,
  numText,
  pctText,
  useViewParams,
  OpenMonthAlert,
  ViewToolbar,
  yiText,
  outputSheetColumns,
  outputTableColumns,
  Withheld,
} from './common.tsx';
import { yi } from './exporting.ts';

type ClusterRow = Page['clusters'][number];
type ShiftRow = NonNullable<Page['shiftShare']>['rows'][number];

export default function RegionPage() {
  const { code = '' } = useParams();
  const { t, i18n } = useTranslation();
  const localName = useLocalName();
  const en = i18n.language === 'en';
  const [params, update] = useViewParams();
  const meta = useMonitoringMeta();
  const page = useRegionPage(code, params);
  const data = page.data;
  const clusterName = (c: string) => {
    const x = meta.data?.clusters.find((k) => k.code === c);
    return x
      ? en
        ? x.nameEn
        : x.name
      : c === '_clusters'
        ? t('monitoring.fiveClusters')
        : c === '_other'
          ? t('monitoring.otherIndustry')
          : c;
  };

  const trendOption = useMemo(() => {
    if (!data || !meta.data) return {};
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: data.trend.map((p) => p.month) },
      yAxis: { type: 'value', name: t('units.yiYuan') },
      series: meta.data.clusters.map((c) => ({
        type: 'bar',
        stack: 'clusters',
        name: en ? c.nameEn : c.name,
        data: data.trend.map((p) => {
          const v = yi(p.values[c.code] ?? null);
          return v == null ? null : Number(v.toFixed(1));
        }),
      })),
    };
  }, [data, meta.data, t, en]);

  const shiftOption = useMemo(() => {
    if (!data?.shiftShare) return {};
    const rows = data.shiftShare.rows;
    const val = (v: number) => Number((v / 10_000).toFixed(2));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 72, right: 16, top: 40, bottom: 24 },
      xAxis: { type: 'value', name: t('units.yiYuan') },
      yAxis: { type: 'category', data: rows.map((r) => clusterName(r.key)) },
      series: [
        {
          type: 'bar',
          stack: 's',
          name: t('monitoring.ss.reference'),
          data: rows.map((r) => val(r.referenceGrowth)),
        },
        { type: 'bar', stack: 's', name: t('monitoring.ss.mix'), data: rows.map((r) => val(r.industryMix)) },
        {
          type: 'bar',
          stack: 's',
          name: t('monitoring.ss.regional'),
          data: rows.map((r) => val(r.regionalShare)),
        },
      ],
    };
  }, [data, t, en, meta.data]);

  if (page.isPending && !data) return <PageLoading />;
  if (isStatus(page.error, 404)) return <Alert type="warning" showIcon title={t('monitoring.unknownArea')} />;
  if (page.error) return <Alert type="error" showIcon title={errorMessage(page.error, i18n.language)} />;
  if (!data || !data.month) return <Alert type="info" showIcon title={t('monitoring.noData')} />;
  const month = data.month;

  const clusterColumns = [
    { header: t('monitoring.cluster'), value: (r: ClusterRow) => r.name },
    ...outputSheetColumns<ClusterRow>(t),
    {
      header: `${t('monitoring.shareOfIndustry')} (%)`,
      value: (r: ClusterRow) => (r.shareOfIndustry == null ? null : r.shareOfIndustry * 100),
      format: '0.0',
    },
    { header: 'LQ', value: (r: ClusterRow) => r.lq, format: '0.00' },
    { header: t('monitoring.enterprises'), value: (r: ClusterRow) => r.enterprises },
  ];
  const shiftColumns = [
    { header: t('monitoring.cluster'), value: (r: ShiftRow) => clusterName(r.key) },
    {
      header: `${data.shiftShare?.baseLabel ?? ''} (${t('units.yiYuan')})`,
      value: (r: ShiftRow) => yi(r.base),
      format: '0.00',
    },
    {
      header: `${data.shiftShare?.currentLabel ?? ''} (${t('units.yiYuan')})`,
      value: (r: ShiftRow) => yi(r.current),
      format: '0.00',
    },
    {
      header: `${t('monitoring.ss.change')} (${t('units.yiYuan')})`,
      value: (r: ShiftRow) => yi(r.change),
      format: '0.00',
    },
    {
      header: `${t('monitoring.ss.reference')} (${t('units.yiYuan')})`,
      value: (r: ShiftRow) => yi(r.referenceGrowth),
      format: '0.00',
    },
    {
      header: `${t('monitoring.ss.mix')} (${t('units.yiYuan')})`,
      value: (r: ShiftRow) => yi(r.industryMix),
      format: '0.00',
    },
    {
      header: `${t('monitoring.ss.regional')} (${t('units.yiYuan')})`,
      value: (r: ShiftRow) => yi(r.regionalShare),
      format: '0.00',
    },
  ];

  return (
    <div data-testid="monitoring-region" data-region={data.area.code}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="region-title">
          {localName(data.area.name)}
        </Typography.Title>
        <Space>
          <Link to="/monitoring">{t('monitoring.backToCockpit')}</Link>
          {data.area.hostRegionCode && (
            <Link to={`/monitoring/regions/${data.area.hostRegionCode}`}>{t('monitoring.hostCounty')}</Link>
          )}
          {data.enterprisesVisible && (
            <Link
              to={`/monitoring/rankings?${data.area.kind === 'zone' ? 'zone' : 'region'}=${data.area.code}`}
            >
              {t('monitoring.rankings')}
            </Link>
          )}
        </Space>
      </Space>
      <ViewToolbar meta={meta.data} params={params} update={update} month={month} />
      <OpenMonthAlert reporting={data.reporting} />
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic
              title={`${t('monitoring.fiveClusters')} · ${t('monitoring.ytdOutput')}`}
              value={yiText(data.total.output.ytd)}
              suffix={t('units.yiYuan')}
            />
            <Note>
              {t('monitoring.ytdYoy')} <Growth value={data.total.output.ytdYoy} />
              <Withheld reason={data.total.suppressed} />
            </Note>
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic
              title={t('monitoring.shareOfIndustryLong')}
              value={pctText(data.total.shareOfIndustry)}
            />
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic
              title={`${t('monitoring.allIndustry')} · ${t('monitoring.ytdOutput')}`}
              value={yiText(data.industry.output.ytd)}
              suffix={t('units.yiYuan')}
            />
            <Note>
              {t('monitoring.ytdYoy')} <Growth value={data.industry.output.ytdYoy} />
              <Withheld reason={data.industry.suppressed} />
            </Note>
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic
              title={`${t('monitoring.monthOutput')} (${month})`}
              value={yiText(data.total.output.month)}
              suffix={t('units.yiYuan')}
            />
            <Note>
              {t('monitoring.yoy')} <Growth value={data.total.output.yoy} /> ·{' '}
              {t('monitoring.enterprisesN', { n: data.total.enterprises })}
            </Note>
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        style={{ marginTop: 16 }}
        title={t('monitoring.clustersHere')}
        extra={
          <ExportButton
            fileName={`${code}-clusters-${month}`}
            title={`${data.area.name} ${month}`}
            columns={clusterColumns}
            rows={data.clusters}
          />
        }
      >
        <Table<ClusterRow>
          size="small"
          rowKey="code"
          pagination={false}
          dataSource={data.clusters}
          data-testid="region-clusters"
          columns={[
            {
              title: t('monitoring.cluster'),
              render: (_, r) => (
                <>
                  <Link to={`/monitoring/clusters/${r.code}`}>{clusterName(r.code)}</Link>
                  <Withheld reason={r.suppressed} />
                </>
              ),
            },
            ...outputTableColumns<ClusterRow>(t),
            {
              title: t('monitoring.shareOfIndustry'),
              align: 'right',
              render: (_, r) => pctText(r.shareOfIndustry),
            },
            { title: t('monitoring.lq'), align: 'right', render: (_, r) => numText(r.lq) },
            { title: t('monitoring.enterprises'), align: 'right', dataIndex: 'enterprises' },
          ]}
        />
        <Note>{t('monitoring.lqNote')}</Note>
      </Card>
      {data.zones.length > 0 && (
        <Card size="small" style={{ marginTop: 16 }} title={t('monitoring.zonesHere')}>
          <Table<AreaRow>
            size="small"
            rowKey="code"
            pagination={false}
            dataSource={data.zones}
            columns={[
              {
                title: t('monitoring.zone'),
                render: (_, r) => (
                  <>
                    <Link to={`/monitoring/regions/${r.code}`}>{localName(r.name)}</Link>
                    <Withheld reason={r.suppressed} />
                  </>
                ),
              },
              {
                title: `${t('monitoring.fiveClusters')} · ${t('monitoring.ytdOutput')} (${t('units.yiYuan')})`,
                align: 'right',
                render: (_, r) => yiText(r.output.ytd),
              },
              {
                title: t('monitoring.ytdYoy'),
                align: 'right',
                render: (_, r) => <Growth value={r.output.ytdYoy} />,
              },
              {
                title: t('monitoring.shareOfIndustry'),
                align: 'right',
                render: (_, r) => pctText(r.shareOfIndustry),
              },
              { title: t('monitoring.enterprises'), align: 'right', dataIndex: 'enterprises' },
            ]}
          />
          <Note>{t('monitoring.zoneNote')}</Note>
        </Card>
      )}
      <Card size="small" style={{ marginTop: 16 }} title={t('monitoring.trendTitle')}>
        <Chart option={trendOption} height={320} fileName={`${code}-trend-${month}`} />
      </Card>
      {!data.shiftShare && [data.total, data.industry, ...data.clusters].some((r) => r.suppressed) && (
        <Card size="small" style={{ marginTop: 16 }}>
          <Note>{t('monitoring.shiftShareWithheld')}</Note>
        </Card>
      )}
      {data.shiftShare && (
        <Card
          size="small"
          style={{ marginTop: 16 }}
          title={t('monitoring.ss.title', {
            base: data.shiftShare.baseLabel,
            current: data.shiftShare.currentLabel,
          })}
          extra={
            <ExportButton
              fileName={`${code}-shift-share-${month}`}
              title={`${data.area.name} shift-share ${month}`}
              columns={shiftColumns}
              rows={data.shiftShare.rows}
            />
          }
        >
          <Chart option={shiftOption} height={300} fileName={`${code}-shift-share-${month}`} />
          <Table<ShiftRow>
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={data.shiftShare.rows}
            columns={[
              { title: t('monitoring.cluster'), render: (_, r) => clusterName(r.key) },
              {
                title: `${t('monitoring.ss.change')} (${t('units.yiYuan')})`,
                align: 'right',
                render: (_, r) => numText(yi(r.change)),
              },
              {
                title: t('monitoring.ss.reference'),
                align: 'right',
                render: (_, r) => numText(yi(r.referenceGrowth)),
              },
              { title: t('monitoring.ss.mix'), align: 'right', render: (_, r) => numText(yi(r.industryMix)) },
              {
                title: t('monitoring.ss.regional'),
                align: 'right',
                render: (_, r) => numText(yi(r.regionalShare)),
              },
            ]}
          />
          <Note>
            {t('monitoring.ss.note', {
              g:
                data.shiftShare.referenceTotalGrowth == null
                  ? '—'
                  : `${(data.shiftShare.referenceTotalGrowth * 100).toFixed(1)}%`,
            })}
          </Note>
        </Card>
      )}
    </div>
  );
}
