// 驾驶舱: where the five clusters stand this month, by county, over time and against the targets.
import { escapeHtml, formatNumber } from '../../format.ts';
import { useMemo } from 'react';
import { Alert, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { ECharts } from 'echarts/core';
import { errorMessage } from '../../api/client.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { useCockpit, useMonitoringMeta, useTargets, type Cockpit, type TargetProgressRow } from './api.ts';
import { Chart } from './Chart.tsx';
import {
  ExportButton,
  Growth,
  growthText,
  Note,
  pctText,
  targetValueText,
  ytdMonthParam,
  StatusTag,
  useViewParams,
  OpenMonthAlert,
  ViewToolbar,
  yiText,
  outputSheetColumns,
  outputTableColumns,
  Withheld,
} from './common.tsx';
import { yi } from './exporting.ts';
import { TargetTable } from './TargetTable.tsx';
import geo from './jiaxing.geo.json';

type CountyRow = Cockpit['counties'][number];

/** Pixel offsets of county labels that would overlap on this boundary file (features' centres are close). */
const LABEL_OFFSETS: Record<string, [number, number]> = { 南湖区: [14, 10], 秀洲区: [-16, -6] };

/** Feature centres from the boundary file, for placing clicks in tests and labels. */
const CENTRES: Record<string, [number, number]> = Object.fromEntries(
  (geo as unknown as { features: { id: string; properties: { cp: [number, number] } }[] }).features.map(
    (f) => [f.id, f.properties.cp],
  ),
);

export default function CockpitPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const navigate = useNavigate();
  const [params, update] = useViewParams();
  const meta = useMonitoringMeta();
  const cockpit = useCockpit(params);
  const allTargets = useTargets(params);
  const data = cockpit.data;
  const clusterName = (code: string) => {
    const c = meta.data?.clusters.find((x) => x.code === code);
    return c ? (en ? c.nameEn : c.name) : code === '_clusters' ? t('monitoring.fiveClusters') : code;
  };

  const mapOption = useMemo(() => {
    if (!data) return {};
    const values = data.counties.map((c) => ({
      name: c.name,
      code: c.code,
      value: yi(c.output.ytd),
      // 秀洲区 and 南湖区 sit side by side around the city centre: their labels are moved apart.
      label: LABEL_OFFSETS[c.name] ? { offset: LABEL_OFFSETS[c.name] } : undefined,
    }));
    const shownName = (name: string) => {
      const county = data.counties.find((c) => c.name === name);
      return en ? (county?.nameEn ?? name) : name;
    };
    const max = Math.max(1, ...values.map((v) => v.value ?? 0));
    const unit = t('units.yiYuan');
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; value: number }) =>
          `${escapeHtml(shownName(p.name))}<br/>${escapeHtml(t('monitoring.fiveClustersYtd'))}: ${Number.isFinite(p.value) ? p.value.toFixed(1) : '—'} ${escapeHtml(unit)}`,
      },
      // The colour scale names its ends: 0 and the largest county's value, in 亿元.
      visualMap: {
        min: 0,
        max,
        left: 0,
        bottom: 0,
        itemHeight: 90,
        itemWidth: 12,
        text: [`${formatNumber(max, 0)} ${unit}`, `0 ${unit}`],
        textStyle: { fontSize: 11 },
        calculable: false,
        inRange: { color: ['#e6f4ff', '#1677ff'] },
      },
      series: [
        {
          type: 'map',
          map: 'jiaxing',
          roam: false,
          nameProperty: 'name',
          // Leave the lower left corner to the colour scale.
          layoutCenter: ['56%', '48%'],
          layoutSize: '92%',
          label: { show: true, fontSize: 11, formatter: (p: { name: string }) => shownName(p.name) },
          emphasis: { label: { show: true } },
          data: values,
        },
      ],
    };
  }, [data, t, en]);

  const trendOption = useMemo(() => {
    if (!data || !meta.data) return {};
    const codes = meta.data.clusters.map((c) => c.code);
    return {
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: number) => (typeof v === 'number' ? `${v.toFixed(1)} ${t('units.yiYuan')}` : '—'),
      },
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: data.trend.map((p) => p.month) },
      yAxis: { type: 'value', name: t('units.yiYuan') },
      series: codes.map((code) => ({
        type: 'line',
        name: clusterName(code),
        smooth: true,
        connectNulls: false,
        data: data.trend.map((p) => yi(p.values[code] ?? null)),
      })),
    };
  }, [data, meta.data, t, en]);

  const pieOption = useMemo(() => {
    if (!data) return {};
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; value: number; percent: number }) =>
          `${escapeHtml(p.name)}: ${formatNumber(p.value)} ${escapeHtml(t('units.yiYuan'))} (${formatNumber(p.percent)}%)`,
      },
      series: [
        {
          type: 'pie',
          radius: ['30%', '58%'],
          // Long English names break onto a second line instead of running off the card.
          label: { width: 90, overflow: 'break', fontSize: 11 },
          data: data.clusters.map((c) => ({
            name: en ? c.nameEn : c.name,
            value: Number((yi(c.output.ytd) ?? 0).toFixed(1)),
          })),
        },
      ],
    };
  }, [data, t, en]);

  if (meta.isPending || (cockpit.isPending && !data)) return <PageLoading />;
  if (cockpit.error)
    return <Alert type="error" showIcon title={errorMessage(cockpit.error, i18n.language)} />;
  if (!data || !data.month) return <Alert type="info" showIcon title={t('monitoring.noData')} />;

  const publishPoints = (chart: ECharts, el: HTMLDivElement) => {
    const points: Record<string, [number, number]> = {};
    for (const [code, cp] of Object.entries(CENTRES)) {
      const px = chart.convertToPixel({ seriesIndex: 0 }, cp) as unknown as [number, number] | undefined;
      if (px && Number.isFinite(px[0])) points[code] = [Math.round(px[0]), Math.round(px[1])];
    }
    el.dataset.countyPoints = JSON.stringify(points);
  };

  const outputTargets = (data.targets?.targets ?? []).filter(
    (x) => x.metric === 'cluster_output' || x.metric === 'cluster_output_total',
  );
  const monthLabel = data.month;
  const ytdParam = ytdMonthParam(data.month, i18n.language);
  const money = (wan: number) => `${yiText(wan)} ${t('units.yiYuan')}`;
  const comparableNote = (g: NonNullable<Cockpit['total']['comparable']>['month'], raw: number | null) =>
    t('monitoring.comparableNote', {
      firms: g.firms,
      entered: g.entered.firms,
      enteredOutput: money(g.entered.output),
      left: g.left.firms,
      leftOutput: money(g.left.output),
      raw: growthText(raw),
    });

  const countyColumns = [
    { header: t('monitoring.county'), value: (r: CountyRow) => (en ? (r.nameEn ?? r.name) : r.name) },
    ...outputSheetColumns<CountyRow>(t),
    {
      header: `${t('monitoring.shareOfIndustry')} (%)`,
      value: (r: CountyRow) => (r.shareOfIndustry == null ? null : r.shareOfIndustry * 100),
      format: '0.0',
    },
    { header: t('monitoring.enterprises'), value: (r: CountyRow) => r.enterprises },
  ];

  return (
    <div data-testid="monitoring-cockpit">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('monitoring.cockpitTitle')}
        </Typography.Title>
        <Link to="/monitoring/rankings">{t('monitoring.rankings')}</Link>
      </Space>
      <ViewToolbar meta={meta.data} params={params} update={update} month={data.month} showTargetSet />
      <OpenMonthAlert reporting={data.reporting} />
      {data.targets && (
        <Alert
          style={{ marginBottom: 16 }}
          type="info"
          showIcon
          title={t('monitoring.judgedAgainst', {
            set: en ? data.targets.set.nameEn : data.targets.set.name,
            document: data.targets.set.document,
            status: t(`monitoring.setStatus.${data.targets.set.status}`, {
              defaultValue: data.targets.set.status,
            }),
          })}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic
              title={`${t('monitoring.fiveClusters')} · ${t('monitoring.monthOutput')} (${monthLabel})`}
              value={yiText(data.total.output.month)}
              suffix={
                <>
                  {t('units.yiYuan')}
                  <Withheld reason={data.total.suppressed} />
                </>
              }
            />
            <Note>
              <span data-testid="total-comparable-yoy">
                {t('monitoring.comparableYoy')} <Growth value={data.total.comparable?.month.growth ?? null} />
              </span>
            </Note>
            {data.total.comparable && (
              <Note>{comparableNote(data.total.comparable.month, data.total.output.yoy)}</Note>
            )}
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic
              title={`${t('monitoring.fiveClusters')} · ${t('monitoring.ytdOutputN', ytdParam)}`}
              value={yiText(data.total.output.ytd)}
              suffix={t('units.yiYuan')}
            />
            <Note>
              {t('monitoring.comparableYtdYoy')} <Growth value={data.total.comparable?.ytd.growth ?? null} />
              {data.total.output.ytdMissingMonths.length > 0 && (
                <Tag color="orange" style={{ marginLeft: 8 }}>
                  {t('monitoring.missingMonths', { months: data.total.output.ytdMissingMonths.join(', ') })}
                </Tag>
              )}
            </Note>
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic
              title={t('monitoring.shareOfIndustryLong')}
              value={pctText(data.total.shareOfIndustry)}
            />
            <Note>{t('monitoring.shareNote')}</Note>
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic
              title={`${t('monitoring.allIndustry')} · ${t('monitoring.ytdOutputN', ytdParam)}`}
              value={yiText(data.industry.output.ytd)}
              suffix={
                <>
                  {t('units.yiYuan')}
                  <Withheld reason={data.industry.suppressed} />
                </>
              }
            />
            <Note>
              {t('monitoring.ytdYoy')} <Growth value={data.industry.output.ytdYoy} /> ·{' '}
              <span data-testid="industry-reporting" title={t('monitoring.reportingNote')}>
                {t('monitoring.reportingN', { n: data.industry.enterprises })}
              </span>
            </Note>
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        {data.clusters.map((c) => (
          <Col key={c.code} xs={24} sm={12} lg={8} xxl={4}>
            <Card
              size="small"
              title={<Link to={`/monitoring/clusters/${c.code}`}>{en ? c.nameEn : c.name}</Link>}
              data-testid={`cluster-card-${c.code}`}
            >
              <Statistic
                value={yiText(c.output.ytd)}
                suffix={
                  <>
                    {`${t('units.yiYuan')} · ${t('monitoring.ytdShort', ytdParam)}`}
                    <Withheld reason={c.suppressed} />
                  </>
                }
              />
              <Note>
                {t('monitoring.comparableYtdYoy')} <Growth value={c.comparable?.ytd.growth ?? null} /> ·{' '}
                {t('monitoring.share')} {pctText(c.shareOfIndustry)} ·{' '}
                {t('monitoring.reportingN', { n: c.enterprises })}
              </Note>
              {c.comparable && (
                <Note>
                  <span title={comparableNote(c.comparable.ytd, c.output.ytdYoy)}>
                    {t('monitoring.comparableShort', {
                      entered: c.comparable.ytd.entered.firms,
                      left: c.comparable.ytd.left.firms,
                    })}
                  </span>
                </Note>
              )}
            </Card>
          </Col>
        ))}
      </Row>

      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('monitoring.mapTitle', { month: monthLabel })}>
            <Chart
              option={mapOption}
              height={380}
              fileName={`map-${monthLabel}`}
              testId="county-map"
              onRendered={publishPoints}
              onClick={(p) => {
                const county = data.counties.find((c) => c.name === p.name);
                if (county)
                  navigate(
                    `/monitoring/regions/${county.code}${params.month ? `?month=${params.month}` : ''}`,
                  );
              }}
            />
            <Note>{t('monitoring.mapSource')}</Note>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('monitoring.compositionTitle')}>
            <Chart option={pieOption} height={380} fileName={`composition-${monthLabel}`} />
            <Note>{t('monitoring.overlapNote')}</Note>
          </Card>
        </Col>
      </Row>

      <Card size="small" title={t('monitoring.trendTitle')} style={{ marginTop: 16 }}>
        <Chart option={trendOption} height={320} fileName={`trend-${monthLabel}`} />
      </Card>

      {outputTargets.length > 0 && (
        <Card size="small" title={t('monitoring.targetGauges')} style={{ marginTop: 16 }}>
          <Row gutter={[16, 16]}>
            {outputTargets.map((x) => (
              <Col key={x.code} xs={24} sm={12} lg={8} xxl={4}>
                <TargetGauge
                  target={x}
                  label={x.clusterCode ? clusterName(x.clusterCode) : t('monitoring.fiveClusters')}
                />
              </Col>
            ))}
          </Row>
        </Card>
      )}

      {allTargets.data && (
        <Card size="small" title={t('monitoring.allTargets')} style={{ marginTop: 16 }}>
          <TargetTable answer={allTargets.data} clusterName={clusterName} />
        </Card>
      )}

      <Card
        size="small"
        title={t('monitoring.byCounty')}
        style={{ marginTop: 16 }}
        extra={
          <ExportButton
            fileName={`counties-${monthLabel}`}
            title={`${t('monitoring.byCounty')} ${monthLabel}`}
            columns={countyColumns}
            rows={data.counties}
          />
        }
      >
        <Table<CountyRow>
          size="small"
          rowKey="code"
          pagination={false}
          dataSource={data.counties}
          data-testid="cockpit-counties"
          columns={[
            {
              title: t('monitoring.county'),
              dataIndex: 'name',
              render: (name: string, r) => (
                <>
                  <Link to={`/monitoring/regions/${r.code}`}>{en ? (r.nameEn ?? name) : name}</Link>
                  <Withheld reason={r.suppressed} />
                </>
              ),
            },
            ...outputTableColumns<CountyRow>(t),
            {
              title: t('monitoring.shareOfIndustry'),
              align: 'right',
              render: (_, r) => pctText(r.shareOfIndustry),
            },
            { title: t('monitoring.enterprises'), align: 'right', dataIndex: 'enterprises' },
          ]}
        />
      </Card>
    </div>
  );
}

function TargetGauge({ target, label }: { target: TargetProgressRow; label: string }) {
  const { t } = useTranslation();
  const pct = target.progress == null ? 0 : Math.round(target.progress * 1000) / 10;
  const option = useMemo(
    () => ({
      series: [
        {
          type: 'gauge',
          min: 0,
          max: 120,
          progress: { show: true, width: 10 },
          axisLine: { lineStyle: { width: 10 } },
          axisLabel: { show: false },
          splitLine: { length: 6 },
          axisTick: { show: false },
          pointer: { show: false },
          title: { offsetCenter: [0, '70%'], fontSize: 12 },
          detail: { valueAnimation: false, formatter: '{value}%', fontSize: 18, offsetCenter: [0, '10%'] },
          data: [{ value: pct, name: label }],
        },
      ],
    }),
    [pct, label],
  );
  const p = target.projection;
  return (
    <div data-testid={`gauge-${target.code}`}>
      <Chart option={option} height={170} fileName={`target-${target.code}`} />
      <div style={{ textAlign: 'center' }}>
        <StatusTag status={target.status} />
      </div>
      <Note>
        {t('monitoring.actualVsGoal', {
          actual: targetValueText(target.actual, target.unit, t),
          year: target.actualYear ?? '—',
          goal: target.goal == null ? t('monitoring.noNumber') : targetValueText(target.goal, target.unit, t),
        })}
      </Note>
      <Note>
        {t('monitoring.growthNeeded')} {growthText(target.growthNeeded)} · {t('monitoring.growthAchieved')}{' '}
        {growthText(target.growthAchieved)}
      </Note>
      {p && (
        <Note>
          {t('monitoring.projection', {
            year: p.year,
            value: p.value.toFixed(0),
            band:
              p.low != null && p.high != null
                ? `${p.low.toFixed(0)}–${p.high.toFixed(0)}`
                : t('monitoring.noBand'),
            level: Math.round(p.level * 100),
          })}
        </Note>
      )}
    </div>
  );
}
