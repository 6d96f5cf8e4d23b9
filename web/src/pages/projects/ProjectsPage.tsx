// 项目库: the library with filters and search, kanban by stage, milestone Gantt, counties, investment
// growth against the ≥ 15 % goal, and the stalled list. Tab and filters live in the URL.
import { useMemo, useState } from 'react';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
  message,
  type TableProps,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocalName, useRegionName } from '../../names.ts';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { useClusters, useRegions } from '../../api/reference.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { formatGrowth, formatMoney, MISSING, escapeHtml } from '../../format.ts';
import { clusterName } from '../../scope.ts';
import type { ECharts } from 'echarts/core';
import type { CountySummary, ImportResult, ProjectRow } from '../../../../src/modules/projects/schemas.ts';
import { PROJECT_KINDS, PROJECT_STATUSES } from '../../../../src/modules/projects/schemas.ts';
import {
  exportUrl,
  useByCounty,
  useGantt,
  useGrowth,
  useImportProgress,
  useKanban,
  useProjectList,
  useStalled,
  type Filters,
} from './api.ts';
import { Chart, MAP_COUNTIES } from './Chart.tsx';
import { CreateProjectModal } from './CreateProjectModal.tsx';
import { fileToBase64, kindLabel, stageLabel, STAGE_COLORS, STAGES } from './labels.ts';
import './i18n.ts';
import { DownloadButton } from '../../components/DownloadButton.tsx';

const FILTER_KEYS = [
  'q',
  'county',
  'cluster',
  'kind',
  'stage',
  'status',
  'delayed',
  'missingReport',
] as const;

function useFilters(): [
  Filters & { page: number; pageSize: number },
  (patch: Record<string, string | number | undefined>) => void,
  string,
] {
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => {
    const f: Filters = {};
    for (const k of FILTER_KEYS) {
      const v = search.get(k);
      if (v) f[k] = v;
    }
    return {
      ...f,
      page: Number(search.get('page') ?? 1) || 1,
      pageSize: Number(search.get('pageSize') ?? 20) || 20,
    };
  }, [search]);
  const update = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(search);
    if (!('page' in patch)) next.delete('page');
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    setSearch(next);
  };
  return [filters, update, search.get('tab') ?? 'library'];
}

export default function ProjectsPage() {
  const { t } = useTranslation();
  const [filters, update, tab] = useFilters();
  const { page: _p, pageSize: _s, ...onlyFilters } = filters;
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('capabilities.projects.name')}
      </Typography.Title>
      <FilterBar filters={filters} update={update} />
      <Tabs
        activeKey={tab}
        onChange={(key) => update({ tab: key === 'library' ? undefined : key })}
        items={[
          {
            key: 'library',
            label: t('projects.tabs.library'),
            children: <LibraryTab filters={filters} update={update} />,
          },
          { key: 'kanban', label: t('projects.tabs.kanban'), children: <KanbanTab filters={onlyFilters} /> },
          { key: 'gantt', label: t('projects.tabs.gantt'), children: <GanttTab filters={onlyFilters} /> },
          {
            key: 'counties',
            label: t('projects.tabs.counties'),
            children: <CountiesTab filters={onlyFilters} update={update} />,
          },
          { key: 'growth', label: t('projects.tabs.growth'), children: <GrowthTab /> },
          { key: 'stalled', label: t('projects.tabs.stalled'), children: <StalledTab /> },
        ]}
      />
    </>
  );
}

function FilterBar({
  filters,
  update,
}: {
  filters: Filters;
  update: (p: Record<string, string | undefined>) => void;
}) {
  const { t, i18n } = useTranslation();
  const regions = useRegions();
  const clusters = useClusters();
  const opt = (values: readonly string[], label: (v: string) => string) =>
    values.map((v) => ({ value: v, label: label(v) }));
  return (
    <Space wrap style={{ marginBottom: 8 }} data-testid="project-filters">
      <Input.Search
        allowClear
        placeholder={t('projects.search')}
        defaultValue={String(filters.q ?? '')}
        onSearch={(q) => update({ q: q || undefined })}
        style={{ width: 260 }}
      />
      <Select
        allowClear
        placeholder={t('projects.filters.county')}
        style={{ width: 120 }}
        value={filters.county ?? undefined}
        onChange={(v?: string) => update({ county: v })}
        options={(regions.data ?? [])
          .filter((r) => r.level === 'county')
          .map((r) => ({ value: r.code, label: i18n.language === 'en' ? (r.nameEn ?? r.name) : r.name }))}
      />
      <Select
        allowClear
        placeholder={t('projects.filters.cluster')}
        style={{ width: 140 }}
        value={filters.cluster ?? undefined}
        onChange={(v?: string) => update({ cluster: v })}
        options={(clusters.data ?? []).map((c) => ({
          value: c.code,
          label: clusterName(c.code, clusters.data, i18n.language),
        }))}
      />
      <Select
        allowClear
        placeholder={t('projects.filters.kind')}
        style={{ width: 120 }}
        value={filters.kind ?? undefined}
        onChange={(v?: string) => update({ kind: v })}
        options={opt(PROJECT_KINDS, (k) => kindLabel(k, t))}
      />
      <Select
        allowClear
        placeholder={t('projects.filters.stage')}
        style={{ width: 120 }}
        value={filters.stage ?? undefined}
        onChange={(v?: string) => update({ stage: v })}
        options={opt(STAGES, (s) => stageLabel(s, t))}
      />
      <Select
        allowClear
        placeholder={t('projects.filters.status')}
        style={{ width: 110 }}
        value={filters.status ?? undefined}
        onChange={(v?: string) => update({ status: v })}
        options={opt(PROJECT_STATUSES, (s) => t(`projects.status.${s}`))}
      />
      <Checkbox
        checked={filters.delayed === 'true'}
        onChange={(e) => update({ delayed: e.target.checked ? 'true' : undefined })}
      >
        {t('projects.filters.delayedOnly')}
      </Checkbox>
      <Checkbox
        checked={filters.missingReport === 'true'}
        onChange={(e) => update({ missingReport: e.target.checked ? 'true' : undefined })}
      >
        {t('projects.filters.missingOnly')}
      </Checkbox>
    </Space>
  );
}

export function TrackingTags({
  row,
}: {
  row: Pick<ProjectRow, 'delayed' | 'missingReport' | 'status' | 'delayReasons'>;
}) {
  const { t } = useTranslation();
  return (
    <Space size={2} wrap>
      {row.delayReasons.map((r) => (
        <Tag key={r} color="red">
          {t(`projects.reason.${r}`)}
        </Tag>
      ))}
      {row.status === 'paused' && <Tag color="gold">{t('projects.paused')}</Tag>}
      {row.missingReport && <Tag color="orange">{t('projects.missing')}</Tag>}
    </Space>
  );
}

function useColumns(): TableProps<ProjectRow>['columns'] {
  const { t, i18n } = useTranslation();
  const regionName = useRegionName();
  return [
    {
      key: 'code',
      title: t('projects.fields.code'),
      dataIndex: 'code',
      render: (code: string, r) => <Link to={`/projects/${r.id}`}>{code}</Link>,
    },
    {
      key: 'name',
      title: t('projects.fields.name'),
      dataIndex: 'name',
      render: (name: string, r) => <Link to={`/projects/${r.id}`}>{name}</Link>,
    },
    {
      key: 'kind',
      title: t('projects.fields.kind'),
      dataIndex: 'kind',
      render: (k: string) => kindLabel(k, t),
    },
    { key: 'investor', title: t('projects.fields.investor'), dataIndex: 'investorName' },
    {
      key: 'county',
      title: t('projects.fields.county'),
      dataIndex: 'regionName',
      render: (name: string, r) => (i18n.language === 'en' ? regionName(r.regionCode) : name),
    },
    {
      key: 'total',
      title: t('projects.fields.plannedTotal'),
      dataIndex: 'plannedTotalInvestment',
      align: 'right',
      render: (v: number) => formatMoney(v, t),
    },
    {
      key: 'cumulative',
      title: t('projects.fields.cumulative'),
      dataIndex: 'investmentCumulative',
      align: 'right',
      render: (v: number | null) => formatMoney(v, t),
    },
    {
      key: 'stage',
      title: t('projects.fields.stage'),
      dataIndex: 'stage',
      render: (s: string, r) => (
        <Tag color={STAGE_COLORS[r.status === 'active' ? s : r.status]}>
          {r.status === 'active'
            ? stageLabel(s, t)
            : `${stageLabel(s, t)} · ${t(`projects.status.${r.status}`)}`}
        </Tag>
      ),
    },
    { key: 'flags', title: t('projects.fields.flags'), render: (_: unknown, r) => <TrackingTags row={r} /> },
  ];
}

function LibraryTab({
  filters,
  update,
}: {
  filters: Filters & { page: number; pageSize: number };
  update: (p: Record<string, string | number | undefined>) => void;
}) {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const list = useProjectList(filters);
  const importer = useImportProgress();
  const [result, setResult] = useState<ImportResult | null>(null);
  const [creating, setCreating] = useState(false);
  const { page: _p, pageSize: _s, ...onlyFilters } = filters;
  const canWrite = user.role === 'admin' || (user.role === 'county' && user.regionCode !== null);
  const columns = useColumns();
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <DownloadButton
          icon={<DownloadOutlined />}
          url={exportUrl('/api/projects/export.xlsx', onlyFilters)}
          data-testid="project-export"
        >
          {t('projects.export')}
        </DownloadButton>
        {canWrite && (
          <>
            <DownloadButton icon={<DownloadOutlined />} url="/api/projects/progress-template.xlsx">
              {t('projects.template')}
            </DownloadButton>
            <Upload
              accept=".xlsx"
              showUploadList={false}
              beforeUpload={async (file) => {
                const contentBase64 = await fileToBase64(file);
                importer.mutate(
                  { fileName: file.name, contentBase64, dryRun: false },
                  {
                    onSuccess: (r) => setResult(r),
                    onError: (e) => void message.error(errorMessage(e, i18n.language)),
                  },
                );
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={importer.isPending}>
                {t('projects.import')}
              </Button>
            </Upload>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="project-create"
            >
              {t('projects.create')}
            </Button>
          </>
        )}
      </Space>
      {result && (
        <Alert
          closable
          onClose={() => setResult(null)}
          style={{ marginBottom: 12 }}
          type={result.status === 'committed' ? 'success' : result.status === 'duplicate' ? 'info' : 'error'}
          title={
            result.status === 'committed'
              ? t('projects.importDone', { count: result.written })
              : result.status === 'duplicate'
                ? t('projects.importDuplicate')
                : t('projects.importRefused')
          }
          description={
            result.issues.length > 0 && (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {result.issues.slice(0, 50).map((p, i) => (
                  <li key={i}>
                    {[
                      p.file,
                      p.sheet,
                      p.row !== null ? `#${p.row}` : null,
                      p.column,
                      p.value !== null ? `“${p.value}”` : null,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                    ：{i18n.language === 'en' ? p.message : p.messageZh}
                  </li>
                ))}
              </ul>
            )
          }
        />
      )}
      {list.isError && (
        <Alert
          type="error"
          showIcon
          title={errorMessage(list.error, i18n.language)}
          style={{ marginBottom: 12 }}
        />
      )}
      <div data-testid="project-table">
        <Table<ProjectRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items}
          loading={list.isFetching}
          scroll={{ x: 'max-content' }}
          onRow={(row) => ({
            onClick: () => void navigate(`/projects/${row.id}`),
            style: { cursor: 'pointer' },
          })}
          pagination={{
            current: filters.page,
            pageSize: filters.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('projects.total', { count: total }),
            onChange: (page, pageSize) => update({ page, pageSize }),
          }}
        />
      </div>
      {creating && (
        <CreateProjectModal
          onClose={() => setCreating(false)}
          onSaved={(id) => void navigate(`/projects/${id}`)}
        />
      )}
    </>
  );
}

function KanbanTab({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const kanban = useKanban(filters);
  // A spinner until the first answer: never an empty table or a blank map before it.
  if (kanban.isPending) return <PageLoading />;
  return (
    <div
      style={{ display: 'flex', gap: 12, overflowX: 'auto', paddingBottom: 8 }}
      data-testid="project-kanban"
    >
      {kanban.data?.columns.map((c) => (
        <Card
          key={c.key}
          size="small"
          style={{
            minWidth: 220,
            maxWidth: 240,
            flex: '0 0 auto',
            borderTop: `3px solid ${STAGE_COLORS[c.key]}`,
          }}
          title={`${stageLabel(c.key, t)} · ${c.count}`}
          extra={c.delayed > 0 ? <Tag color="red">{c.delayed}</Tag> : null}
        >
          <Typography.Text type="secondary">{formatMoney(c.plannedTotalInvestment, t)}</Typography.Text>
          <div style={{ maxHeight: 520, overflowY: 'auto', marginTop: 8 }}>
            {c.items.map((p) => (
              <Card
                key={p.id}
                size="small"
                style={{ marginBottom: 6, borderColor: p.delayed ? '#ff4d4f' : undefined }}
              >
                <Link to={`/projects/${p.id}`}>{p.name}</Link>
                <div style={{ fontSize: 12, color: '#888' }}>
                  {localName(p.regionName)} · {formatMoney(p.plannedTotalInvestment, t)}
                </div>
                {p.delayed && <Tag color="red">{t('projects.delayed')}</Tag>}
                {p.missingReport && <Tag color="orange">{t('projects.missing')}</Tag>}
              </Card>
            ))}
            {c.count > c.items.length && (
              <Typography.Text type="secondary">
                {t('projects.kanbanMore', { count: c.count - c.items.length })}
              </Typography.Text>
            )}
          </div>
        </Card>
      ))}
    </div>
  );
}

const DAY = 86_400_000;

function GanttTab({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const gantt = useGantt(filters);
  const option = useMemo(() => {
    const items = gantt.data?.items ?? [];
    const names = items.map((p) => (p.name.length > 14 ? `${p.name.slice(0, 14)}…` : p.name));
    // One bar per stage interval: from this milestone's date to the next one's (planned, then actual).
    const bars: {
      value: [number, number, number, string, number];
      itemStyle: { color: string; opacity: number };
    }[] = [];
    items.forEach((p, y) => {
      for (const which of ['plannedDate', 'actualDate'] as const) {
        const points = p.milestones
          .filter((m) => m[which])
          .map((m) => ({ stage: m.stage, at: Date.parse(m[which]!) }));
        points.forEach((m, i) => {
          const end =
            points[i + 1]?.at ??
            (which === 'actualDate' && p.status === 'active'
              ? Date.parse(gantt.data!.today)
              : m.at + 20 * DAY);
          bars.push({
            value: [y, m.at, Math.max(end, m.at + 5 * DAY), m.stage, which === 'plannedDate' ? 0 : 1],
            itemStyle: {
              color: which === 'plannedDate' ? '#d9d9d9' : STAGE_COLORS[m.stage]!,
              opacity: which === 'actualDate' && p.delayed ? 0.75 : 1,
            },
          });
        });
      }
    });
    return {
      tooltip: {
        formatter: (p: { value: [number, number, number, string, number] }) =>
          `${escapeHtml(names[p.value[0]])}<br/>${stageLabel(p.value[3], t)} (${p.value[4] ? t('projects.actual') : t('projects.planned')})<br/>${new Date(p.value[1]).toISOString().slice(0, 10)}`,
      },
      grid: { left: 200, right: 24, top: 16, bottom: 48 },
      dataZoom: [{ type: 'slider', xAxisIndex: 0, bottom: 8 }],
      xAxis: { type: 'time' },
      yAxis: { type: 'category', data: names, inverse: true, axisLabel: { fontSize: 11 } },
      series: [
        {
          type: 'custom',
          encode: { x: [1, 2], y: 0 },
          data: bars,
          renderItem: (
            _params: unknown,
            api: {
              value: (i: number) => number;
              coord: (v: [number, number]) => [number, number];
              size: (v: [number, number]) => [number, number];
              style: () => object;
            },
          ) => {
            const y = api.value(0);
            const start = api.coord([api.value(1), y]);
            const end = api.coord([api.value(2), y]);
            const h = api.size([0, 1])[1] * (api.value(4) ? 0.5 : 0.8);
            const offset = api.value(4) ? 0 : -h * 0.1;
            return {
              type: 'rect',
              shape: {
                x: start[0],
                y: start[1] - h / 2 + offset,
                width: Math.max(2, end[0] - start[0]),
                height: h,
              },
              style: api.style(),
            };
          },
          markLine: gantt.data
            ? {
                symbol: 'none',
                silent: true,
                lineStyle: { color: '#ff4d4f' },
                data: [{ xAxis: Date.parse(gantt.data.today) }],
                label: { show: false },
              }
            : undefined,
        },
      ],
    };
  }, [gantt.data, t]);
  // A spinner until the first answer: never an empty table or a blank map before it.
  if (gantt.isPending) return <PageLoading />;
  return (
    <>
      <Typography.Paragraph type="secondary">
        {t('projects.gantt.note')}{' '}
        {gantt.data && (
          <span data-testid="gantt-count">
            {t('projects.gantt.more', { shown: gantt.data.items.length, total: gantt.data.total })}
            {gantt.data.terminated > 0 && t('projects.gantt.terminated', { n: gantt.data.terminated })}
          </span>
        )}
      </Typography.Paragraph>
      <Chart
        option={option}
        height={Math.max(300, (gantt.data?.items.length ?? 10) * 22 + 80)}
        testId="project-gantt"
      />
    </>
  );
}

const MAP_METRICS = ['projects', 'planned', 'delayed'] as const;
type MapMetric = (typeof MAP_METRICS)[number];
const metricValue: Record<MapMetric, (r: CountySummary['rows'][number]) => number> = {
  projects: (r) => r.projects,
  planned: (r) => r.plannedTotalInvestment,
  delayed: (r) => r.delayed,
};

function CountiesTab({
  filters,
  update,
}: {
  filters: Filters;
  update: (p: Record<string, string | number | undefined>) => void;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const data = useByCounty(filters);
  const rows = useMemo(() => data.data?.rows ?? [], [data.data]);
  const [metric, setMetric] = useState<MapMetric>('projects');
  /** Clicking a county opens the library filtered to it (the other filters are kept). */
  const openCounty = (code: string) => update({ county: code, tab: undefined });
  const mapOption = useMemo(() => {
    const byCode = new Map(rows.map((r) => [r.regionCode, r]));
    const values = MAP_COUNTIES.map((c) => {
      const r = byCode.get(c.code);
      // counties outside the caller's scope have no row: drawn grey, not as zero
      return { name: c.name, code: c.code, value: r ? metricValue[metric](r) : null, row: r ?? null };
    });
    const max = Math.max(1, ...values.map((v) => v.value ?? 0));
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; data?: { row: CountySummary['rows'][number] | null } }) => {
          const r = p.data?.row;
          if (!r) return escapeHtml(localName(p.name));
          return [
            `<b>${escapeHtml(localName(p.name))}</b>`,
            `${t('projects.county.projects')}: ${r.projects}`,
            `${t('projects.county.delayed')}: ${r.delayed}`,
            `${t('projects.county.planned')}: ${formatMoney(r.plannedTotalInvestment, t)}`,
          ].join('<br/>');
        },
      },
      visualMap: {
        min: 0,
        max,
        left: 8,
        bottom: 8,
        text: [t(`projects.map.${metric}`), ''],
        calculable: false,
        inRange: { color: metric === 'delayed' ? ['#fff1f0', '#cf1322'] : ['#e6f4ff', '#1677ff'] },
      },
      series: [
        {
          type: 'map',
          map: 'jiaxing',
          roam: false,
          nameProperty: 'name',
          selectedMode: false,
          label: { show: true, fontSize: 11, formatter: (p: { name: string }) => localName(p.name) },
          emphasis: { label: { show: true } },
          data: values,
        },
      ],
    };
  }, [rows, metric, t, localName]);
  const publishPoints = (chart: ECharts, el: HTMLDivElement) => {
    const points: Record<string, [number, number]> = {};
    for (const c of MAP_COUNTIES) {
      const px = chart.convertToPixel({ seriesIndex: 0 }, c.centre) as unknown as
        [number, number] | undefined;
      if (px && Number.isFinite(px[0])) points[c.code] = [Math.round(px[0]), Math.round(px[1])];
    }
    el.dataset.countyPoints = JSON.stringify(points);
  };
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 16, right: 16, top: 44, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => localName(r.regionName)) },
      yAxis: { type: 'value' },
      series: [
        {
          type: 'bar',
          name: t('projects.county.active'),
          stack: 'n',
          data: rows.map((r) => r.active - r.delayed),
        },
        {
          type: 'bar',
          name: t('projects.county.delayed'),
          stack: 'n',
          data: rows.map((r) => r.delayed),
          itemStyle: { color: '#ff4d4f' },
        },
        {
          type: 'bar',
          name: t('projects.paused'),
          stack: 'n',
          data: rows.map((r) => r.stalled - r.delayed),
          itemStyle: { color: '#faad14' },
        },
      ],
    }),
    [rows, t],
  );
  // A spinner until the first answer: never an empty table or a blank map before it.
  if (data.isPending) return <PageLoading />;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Card
          size="small"
          title={t('projects.map.title')}
          extra={
            <Select
              size="small"
              value={metric}
              onChange={setMetric}
              aria-label={t('projects.map.metric')}
              data-testid="project-map-metric"
              style={{ width: 170 }}
              options={MAP_METRICS.map((m) => ({ value: m, label: t(`projects.map.${m}`) }))}
            />
          }
        >
          <Chart
            option={mapOption}
            height={380}
            testId="project-map"
            onRendered={publishPoints}
            onClick={(p) => {
              const county = MAP_COUNTIES.find((c) => c.name === p.name);
              if (county) openCounty(county.code);
            }}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
            {t('projects.map.hint')} {t('projects.map.source')}
          </Typography.Paragraph>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Table
          rowKey="regionCode"
          size="small"
          pagination={false}
          dataSource={rows}
          data-testid="project-counties"
          columns={[
            {
              title: t('projects.fields.county'),
              dataIndex: 'regionName',
              render: (n: string, r) => (
                <Typography.Link onClick={() => openCounty(r.regionCode)}>{localName(n)}</Typography.Link>
              ),
            },
            { title: t('projects.county.projects'), dataIndex: 'projects', align: 'right' },
            { title: t('projects.county.delayed'), dataIndex: 'delayed', align: 'right' },
            { title: t('projects.county.stalled'), dataIndex: 'stalled', align: 'right' },
            { title: t('projects.county.missing'), dataIndex: 'missingReport', align: 'right' },
            {
              title: t('projects.county.planned'),
              dataIndex: 'plannedTotalInvestment',
              align: 'right',
              render: (v: number) => formatMoney(v, t),
            },
            {
              title: t('projects.county.cumulative'),
              dataIndex: 'investmentCumulative',
              align: 'right',
              render: (v: number) => formatMoney(v, t),
            },
          ]}
        />
        <Chart option={option} height={280} />
      </Col>
    </Row>
  );
}

function GrowthTab() {
  const { t, i18n } = useTranslation();
  const [by, setBy] = useState<'cluster' | 'county'>('cluster');
  const growth = useGrowth(by);
  const clusters = useClusters();
  const g = growth.data;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 16, right: 16, top: 44, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: (g?.monthly ?? []).map((m) => m.month) },
      yAxis: { type: 'value', name: t('units.wanYuan') },
      series: [
        {
          type: 'bar',
          name: t('projects.growth.previous'),
          data: (g?.monthly ?? []).map((m) => m.previous),
          itemStyle: { color: '#bfbfbf' },
        },
        { type: 'bar', name: t('projects.growth.current'), data: (g?.monthly ?? []).map((m) => m.current) },
      ],
    }),
    [g, t],
  );
  const label = (group: string, name: string) =>
    by === 'cluster' ? clusterName(group, clusters.data, i18n.language) || name : name;
  // A spinner until the first answer: never an empty table or a blank map before it.
  if (growth.isPending) return <PageLoading />;
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          value={by}
          onChange={setBy}
          options={[
            { value: 'cluster', label: t('projects.growth.byCluster') },
            { value: 'county', label: t('projects.growth.byCounty') },
          ]}
        />
        {g && (
          <Typography.Text>
            {t('projects.growth.through')} {g.through} ·{' '}
            {t('projects.growth.goal', { goal: formatGrowth(g.goal) })} · {t('projects.growth.total')}{' '}
            {formatGrowth(g.total.growth)}{' '}
            {g.total.meetsGoal !== null && (
              <Tag color={g.total.meetsGoal ? 'green' : 'red'}>
                {g.total.meetsGoal ? t('projects.growth.meets') : t('projects.growth.misses')}
              </Tag>
            )}
          </Typography.Text>
        )}
      </Space>
      <Table
        rowKey="group"
        size="small"
        pagination={false}
        dataSource={g?.rows ?? []}
        data-testid="project-growth"
        columns={[
          {
            title: t('projects.growth.by'),
            dataIndex: 'group',
            render: (group: string, r) => label(group, r.name),
          },
          {
            title: t('projects.growth.current'),
            dataIndex: 'current',
            align: 'right',
            render: (v: number) => formatMoney(v, t),
          },
          {
            title: t('projects.growth.previous'),
            dataIndex: 'previous',
            align: 'right',
            render: (v: number) => formatMoney(v, t),
          },
          {
            title: t('projects.growth.growth'),
            dataIndex: 'growth',
            align: 'right',
            render: (v: number | null) => formatGrowth(v),
          },
          {
            title: t('projects.growth.goal', { goal: formatGrowth(g?.goal ?? 0.15) }),
            dataIndex: 'meetsGoal',
            render: (m: boolean | null) =>
              m === null ? (
                MISSING
              ) : (
                <Tag color={m ? 'green' : 'red'}>
                  {m ? t('projects.growth.meets') : t('projects.growth.misses')}
                </Tag>
              ),
          },
          {
            title: t('projects.growth.statistics'),
            dataIndex: 'statistics',
            align: 'right',
            render: (v: number | null) => formatMoney(v, t),
          },
          {
            title: t('projects.growth.coverage'),
            dataIndex: 'coverage',
            align: 'right',
            render: (v: number | null) => (v === null ? MISSING : `${(v * 100).toFixed(1)} %`),
          },
          {
            title: t('projects.growth.reconcile'),
            dataIndex: 'reconcileStatus',
            render: (s: string) => t(`projects.growth.status.${s}`),
          },
        ]}
      />
      <Chart option={option} height={260} />
    </>
  );
}

function StalledTab() {
  const { t, i18n } = useTranslation();
  const stalled = useStalled();
  const columns = useColumns()!.filter((c) => c.key !== 'investor' && c.key !== 'kind');
  // A spinner until the first answer: never an empty table or a blank map before it.
  if (stalled.isPending) return <PageLoading />;
  return (
    <div data-testid="project-stalled">
      <Table<ProjectRow>
        rowKey="id"
        size="small"
        loading={stalled.isFetching}
        dataSource={stalled.data?.items}
        pagination={{ pageSize: 50 }}
        columns={[
          ...columns,
          {
            key: 'why',
            title: t('projects.reasonLabel'),
            render: (_: unknown, r) =>
              r.delayMessages.map((m, i) => <div key={i}>{i18n.language === 'en' ? m.en : m.zh}</div>),
          },
        ]}
      />
    </div>
  );
}
