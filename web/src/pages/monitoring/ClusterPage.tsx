// One cluster: by county and zone, its trend, concentration on a few firms, its ladder and targets.
import { useLocalName } from '../../names.ts';
import { useMemo } from 'react';
import { Alert, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorMessage, isStatus } from '../../api/client.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { useClusterPage, useMonitoringMeta, type AreaRow, type ClusterPage as Page } from './api.ts';
import { Chart } from './Chart.tsx';
import {
  ExportButton,
  Growth,
  Note,
  numText,
  pctText,
  StatusTag,
  growthText,
  targetValueText,
  ytdMonthParam,
  useViewParams,
  OpenMonthAlert,
  ViewToolbar,
  yiText,
  outputSheetColumns,
  outputTableColumns,
  Withheld,
} from './common.tsx';
import { yi } from './exporting.ts';

type Rung = Page['ladder']['rungs'][number];

export default function ClusterPage() {
  const { code = '' } = useParams();
  const { t, i18n } = useTranslation();
  const localName = useLocalName();
  const en = i18n.language === 'en';
  const [params, update] = useViewParams();
  const meta = useMonitoringMeta();
  const page = useClusterPage(code, params);
  const data = page.data;

  const trendOption = useMemo(() => {
    if (!data) return {};
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 56, right: 56, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: data.trend.map((p) => p.month) },
      yAxis: [
        { type: 'value', name: t('units.yiYuan') },
        { type: 'value', name: '%', splitLine: { show: false } },
      ],
      series: [
        {
          type: 'bar',
          name: t('monitoring.monthOutput'),
          data: data.trend.map((p) => (p.value == null ? null : Number((p.value / 10_000).toFixed(1)))),
        },
        {
          type: 'line',
          name: t('monitoring.yoy'),
          yAxisIndex: 1,
          data: data.trend.map((p) => (p.yoy == null ? null : Number((p.yoy * 100).toFixed(1)))),
        },
      ],
    };
  }, [data, t]);

  const areaOption = useMemo(() => {
    if (!data) return {};
    const counties = data.areas.filter((a) => a.kind === 'county');
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 72, right: 16, top: 16, bottom: 24 },
      xAxis: { type: 'value', name: t('units.yiYuan') },
      yAxis: { type: 'category', data: counties.map((a) => localName(a.name)) },
      series: [
        {
          type: 'bar',
          name: t('monitoring.ytdOutput'),
          data: counties.map((a) => Number((yi(a.output.ytd) ?? 0).toFixed(1))),
        },
      ],
    };
  }, [data, t, localName]);

  if (page.isPending && !data) return <PageLoading />;
  if (isStatus(page.error, 404))
    return <Alert type="warning" showIcon title={t('monitoring.unknownCluster')} />;
  if (page.error) return <Alert type="error" showIcon title={errorMessage(page.error, i18n.language)} />;
  if (!data || !data.month) return <Alert type="info" showIcon title={t('monitoring.noData')} />;
  const name = en ? data.cluster.nameEn : data.cluster.name;
  const month = data.month;

  const areaColumns = [
    { header: t('monitoring.area'), value: (r: AreaRow) => (r.kind === 'zone' ? `  ${r.name}` : r.name) },
    ...outputSheetColumns<AreaRow>(t),
    {
      header: `${t('monitoring.revenue')} (${t('units.yiYuan')})`,
      value: (r: AreaRow) => yi(r.measures.revenue.ytd),
      format: '0.0',
    },
    {
      header: `${t('monitoring.profit')} (${t('units.yiYuan')})`,
      value: (r: AreaRow) => yi(r.measures.profit.ytd),
      format: '0.0',
    },
    {
      header: `${t('monitoring.tax')} (${t('units.yiYuan')})`,
      value: (r: AreaRow) => yi(r.measures.tax.ytd),
      format: '0.0',
    },
    {
      header: `${t('monitoring.export')} (${t('units.yiYuan')})`,
      value: (r: AreaRow) => yi(r.measures.exportValue.ytd),
      format: '0.0',
    },
    {
      header: `${t('monitoring.energy')} (${t('units.tce')})`,
      value: (r: AreaRow) => r.measures.energyTce.ytd,
      format: '0',
    },
    {
      header: t('monitoring.employeesMonth'),
      value: (r: AreaRow) => r.measures.employees.month,
      format: '0',
    },
    { header: t('monitoring.enterprises'), value: (r: AreaRow) => r.enterprises },
    {
      header: `${t('monitoring.shareOfIndustry')} (%)`,
      value: (r: AreaRow) => (r.shareOfIndustry == null ? null : r.shareOfIndustry * 100),
      format: '0.0',
    },
    { header: 'LQ', value: (r: AreaRow) => r.lq, format: '0.00' },
  ];
  const rungColumns = [
    { header: t('monitoring.threshold'), value: (r: Rung) => `≥ ${r.thresholdYiYuan} ${t('units.yiYuan')}` },
    { header: t('monitoring.count'), value: (r: Rung) => r.count },
    { header: t('monitoring.targetCount'), value: (r: Rung) => r.targetCount },
    {
      header: t('monitoring.enterpriseNames'),
      value: (r: Rung) => r.enterprises.map((e) => e.name).join('、'),
    },
  ];

  return (
    <div data-testid="monitoring-cluster">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {name}
        </Typography.Title>
        <Space>
          <Link to="/monitoring">{t('monitoring.backToCockpit')}</Link>
          <Link to={`/monitoring/rankings?cluster=${code}`}>{t('monitoring.rankings')}</Link>
        </Space>
      </Space>
      <ViewToolbar meta={meta.data} params={params} update={update} month={month} showTargetSet />
      <OpenMonthAlert reporting={data.reporting} />
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic
              title={`${t('monitoring.monthOutput')} (${month})`}
              value={yiText(data.city.output.month)}
              suffix={
                <>
                  {t('units.yiYuan')}
                  <Withheld reason={data.city.suppressed} />
                </>
              }
            />
            <Note>
              <span data-testid="cluster-comparable-yoy">
                {t('monitoring.comparableYoy')} <Growth value={data.city.comparable?.month.growth ?? null} />
              </span>
            </Note>
            {data.city.comparable && (
              <Note>
                {t('monitoring.comparableNote', {
                  firms: data.city.comparable.month.firms,
                  entered: data.city.comparable.month.entered.firms,
                  enteredOutput: `${yiText(data.city.comparable.month.entered.output)} ${t('units.yiYuan')}`,
                  left: data.city.comparable.month.left.firms,
                  leftOutput: `${yiText(data.city.comparable.month.left.output)} ${t('units.yiYuan')}`,
                  raw: growthText(data.city.output.yoy),
                })}
              </Note>
            )}
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic
              title={t('monitoring.ytdOutputN', ytdMonthParam(month, i18n.language))}
              value={yiText(data.city.output.ytd)}
              suffix={t('units.yiYuan')}
            />
            <Note>
              {t('monitoring.comparableYtdYoy')} <Growth value={data.city.comparable?.ytd.growth ?? null} /> ·{' '}
              {t('monitoring.ytdYoy')} {growthText(data.city.output.ytdYoy)}
            </Note>
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic
              title={t('monitoring.shareOfIndustryLong')}
              value={pctText(data.city.shareOfIndustry)}
            />
            <Note>{t('monitoring.enterprisesN', { n: data.city.enterprises })}</Note>
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic title={t('monitoring.top5Share')} value={pctText(data.concentration?.topShare)} />
            <Note>
              HHI {numText(data.concentration?.hhi, 3)} ·{' '}
              {t('monitoring.equivalentFirms', { n: numText(data.concentration?.equivalentNumber, 1) })}
            </Note>
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('monitoring.trendTitleCluster')}>
            <Chart option={trendOption} height={320} fileName={`${code}-trend-${month}`} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('monitoring.ytdByCounty')}>
            <Chart option={areaOption} height={320} fileName={`${code}-counties-${month}`} />
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        style={{ marginTop: 16 }}
        title={t('monitoring.byCountyZone')}
        extra={
          <ExportButton
            fileName={`${code}-areas-${month}`}
            title={`${name} ${month}`}
            columns={areaColumns}
            rows={data.areas}
          />
        }
      >
        <Table<AreaRow>
          size="small"
          rowKey="code"
          pagination={false}
          dataSource={data.areas}
          scroll={{ x: true }}
          columns={[
            {
              title: t('monitoring.area'),
              render: (_, r) =>
                r.kind === 'zone' ? (
                  <span style={{ paddingLeft: 16 }}>
                    <Link to={`/monitoring/regions/${r.code}`}>{localName(r.name)}</Link>{' '}
                    <Tag>{t('monitoring.zone')}</Tag>
                    <Withheld reason={r.suppressed} />
                  </span>
                ) : (
                  <>
                    <Link to={`/monitoring/regions/${r.code}`}>{localName(r.name)}</Link>
                    <Withheld reason={r.suppressed} />
                  </>
                ),
            },
            ...outputTableColumns<AreaRow>(t),
            {
              title: `${t('monitoring.tax')} (${t('units.yiYuan')})`,
              align: 'right',
              render: (_, r) => yiText(r.measures.tax.ytd),
            },
            { title: t('monitoring.enterprises'), align: 'right', dataIndex: 'enterprises' },
            {
              title: t('monitoring.shareOfIndustry'),
              align: 'right',
              render: (_, r) => pctText(r.shareOfIndustry),
            },
            { title: 'LQ', align: 'right', render: (_, r) => numText(r.lq) },
          ]}
        />
        <Note>{t('monitoring.zoneNote')}</Note>
      </Card>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={t('monitoring.ladderTitle', { year: data.ladder.year })}
            extra={
              <ExportButton
                fileName={`${code}-ladder-${data.ladder.year}`}
                title={`${name} ${data.ladder.year}`}
                columns={rungColumns}
                rows={data.ladder.rungs}
              />
            }
          >
            <Note>
              <span data-testid="ladder-target-set">
                {data.ladder.targetSet
                  ? t('monitoring.ladderTargetsFrom', {
                      set: en ? data.ladder.targetSet.nameEn : data.ladder.targetSet.name,
                    })
                  : t('monitoring.ladderNoTargets')}
              </span>{' '}
              {t('monitoring.ladderCumulative')}
            </Note>
            {!data.ladder.complete && (
              <Alert
                type="warning"
                showIcon
                title={t('monitoring.ladderIncomplete')}
                style={{ marginBottom: 8 }}
              />
            )}
            <Table<Rung>
              size="small"
              rowKey="thresholdYiYuan"
              pagination={false}
              dataSource={data.ladder.rungs}
              columns={[
                {
                  title: t('monitoring.threshold'),
                  render: (_, r) => `≥ ${r.thresholdYiYuan} ${t('units.yiYuan')}`,
                },
                { title: t('monitoring.count'), align: 'right', dataIndex: 'count' },
                {
                  title: t('monitoring.targetCount'),
                  align: 'right',
                  render: (_, r) =>
                    r.targetCount ??
                    (r.targetNote ? <span title={r.targetNote}>{t('monitoring.group')}</span> : '—'),
                },
                {
                  title: t('monitoring.enterpriseNames'),
                  render: (_, r) => (
                    <>
                      {r.enterprises.map((e) => (
                        <div key={e.id}>
                          <Link to={`/enterprises/${e.id}`}>{e.name}</Link> {e.outputYiYuan.toFixed(1)}{' '}
                          {t('units.yiYuan')}
                        </div>
                      ))}
                      {r.hidden > 0 && (
                        <Typography.Text type="secondary">
                          {t('monitoring.hiddenFirms', { n: r.hidden })}
                        </Typography.Text>
                      )}
                    </>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('monitoring.clusterTargets')}>
            {data.targets.length === 0 && (
              <Typography.Text type="secondary">{t('monitoring.noClusterTargets')}</Typography.Text>
            )}
            {data.targets.map((x) => (
              <div key={x.code} style={{ marginBottom: 8 }}>
                <Typography.Text strong>{en ? x.nameEn : x.name}</Typography.Text>{' '}
                <StatusTag status={x.status} />
                <Note>
                  {t('monitoring.actualVsGoal', {
                    actual: targetValueText(x.actual, x.unit, t),
                    year: x.actualYear ?? '—',
                    goal: x.goal == null ? t('monitoring.noNumber') : targetValueText(x.goal, x.unit, t),
                  })}
                </Note>
              </div>
            ))}
            {data.concentration && (
              <>
                <Typography.Title level={5}>{t('monitoring.top5')}</Typography.Title>
                {data.concentration.top.map((f) => (
                  <div key={f.id}>
                    <Link to={`/enterprises/${f.id}`}>{f.name}</Link> {pctText(f.share)}
                  </div>
                ))}
                {data.concentration.hiddenInTop > 0 && (
                  <Note>{t('monitoring.hiddenFirms', { n: data.concentration.hiddenInTop })}</Note>
                )}
              </>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
