// 预警看板: alerts within the user's scope by level, county, cluster and status, the county map by alert
// density, the export, and the handling drawer. Filters live in the URL.
import { useMemo, useState } from 'react';
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Select, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useClusters, useRegions } from '../../api/reference.ts';
import { useCurrentUser } from '../../api/auth.ts';
import { can } from '../../../../src/domain/policy/index.ts';
import {
  ALERT_STATUSES,
  LEVELS,
  SUBJECT_KINDS,
  type AlertView,
} from '../../../../src/modules/alerts/schemas.ts';
import { Chart, MAP_COUNTIES } from '../projects/Chart.tsx';
import { esc, exportUrl, useBoard, useDensity, type BoardFilters } from './api.ts';
import { useLocalName } from '../../names.ts';
import { evidenceText, HandleDrawer, LevelTag, profileKey } from './labels.tsx';
import './i18n.ts';
import { DownloadButton } from '../../components/DownloadButton.tsx';

const KEYS = ['level', 'county', 'cluster', 'status', 'state', 'subject'] as const;

export default function BoardPage() {
  const { t, i18n } = useTranslation();
  const localName = useLocalName();
  const [params, setParams] = useSearchParams();
  const user = useCurrentUser();
  const regions = useRegions().data ?? [];
  const clusters = useClusters().data ?? [];
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const filters: BoardFilters = useMemo(() => {
    const f: BoardFilters = {};
    for (const k of KEYS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);
  const board = useBoard({ ...filters, page: String(page), pageSize: '50' });
  const density = useDensity();
  const set = (k: (typeof KEYS)[number], v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
    setPage(1);
  };
  const counties = regions.filter((r) => r.level === 'county');
  const mapOption = useMemo(() => {
    const rows = density.data?.counties ?? [];
    const data = MAP_COUNTIES.map((c) => {
      const r = rows.find((x) => x.regionCode === c.code);
      return {
        name: c.name,
        value: r?.perHundred == null ? 0 : Math.round(r.perHundred * 10) / 10,
        open: r?.open ?? 0,
        red: r?.red ?? 0,
        orange: r?.orange ?? 0,
      };
    });
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: {
          name: string;
          data?: { value: number; open: number; red: number; orange: number };
        }) =>
          `${esc(localName(p.name))}<br/>${esc(p.data?.value ?? 0)} / 100 · ${esc(p.data?.open ?? 0)} (${esc(t('alerts.level.red'))} ${esc(p.data?.red ?? 0)}, ${esc(t('alerts.level.orange'))} ${esc(p.data?.orange ?? 0)})`,
      },
      visualMap: {
        min: 0,
        max: Math.max(1, ...data.map((d) => d.value)),
        left: 0,
        bottom: 0,
        inRange: { color: ['#fff7e6', '#fa541c'] },
        calculable: true,
      },
      series: [
        {
          type: 'map',
          map: 'jiaxing',
          roam: false,
          data,
          label: { show: true, formatter: (p: { name: string }) => esc(localName(p.name)) },
        },
      ],
    };
  }, [density.data, t, localName]);

  const columns: TableProps<AlertView>['columns'] = [
    {
      title: t('alerts.col.level'),
      dataIndex: 'level',
      width: 80,
      render: (v: string) => <LevelTag level={v} />,
    },
    {
      title: t('alerts.col.subject'),
      dataIndex: 'subjectName',
      render: (_: unknown, a) => (
        <Space direction="vertical" size={0}>
          <Link to={profileKey(a)}>{localName(a.subjectName)}</Link>
          <Typography.Text type="secondary">{t(`alerts.subjectKind.${a.subjectKind}`)}</Typography.Text>
        </Space>
      ),
    },
    {
      title: t('alerts.col.region'),
      dataIndex: 'regionName',
      width: 90,
      render: (v: string | null) => localName(v),
    },
    {
      title: t('alerts.col.rule'),
      dataIndex: 'ruleNameZh',
      render: (_: unknown, a) => (i18n.language === 'en' ? a.ruleNameEn : a.ruleNameZh),
    },
    {
      title: t('alerts.col.evidence'),
      key: 'evidence',
      render: (_: unknown, a) => (
        <Typography.Text style={{ fontSize: 12 }}>{evidenceText(a, t)}</Typography.Text>
      ),
    },
    {
      title: t('alerts.col.months'),
      key: 'months',
      width: 140,
      render: (_: unknown, a) =>
        a.firstMonth === a.lastMonth ? a.firstMonth : `${a.firstMonth}–${a.lastMonth}`,
    },
    {
      title: t('alerts.col.status'),
      dataIndex: 'status',
      width: 130,
      render: (_: unknown, a) => (
        <Space size={2} wrap>
          <span>{t(`alerts.status.${a.status}`)}</span>
          {a.handlingLevel >= 4 ? (
            <Tag color="purple">{t('alerts.escalated')}</Tag>
          ) : a.handlingLevel >= 3 ? (
            <Tag color="red">{t('alerts.urged')}</Tag>
          ) : a.overdue ? (
            <Tag color="red">{t('alerts.overdue')}</Tag>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('alerts.col.deadline'),
      dataIndex: 'deadline',
      width: 110,
      render: (v: string | null) => (v ? v.slice(0, 10) : '—'),
    },
    {
      title: t('alerts.col.action'),
      key: 'action',
      width: 80,
      render: (_: unknown, a) => (
        <Button size="small" data-testid={`alert-open-${a.id}`} onClick={() => setOpen(a.id)}>
          {t('alerts.handle')}
        </Button>
      ),
    },
  ];

  const sel = (k: (typeof KEYS)[number], options: { value: string; label: string }[], width = 120) => (
    <Select
      allowClear
      placeholder={t(`alerts.filter.${k}`)}
      style={{ width }}
      value={filters[k]}
      options={options}
      onChange={(v) => set(k, v)}
      data-testid={`alert-filter-${k}`}
    />
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('alerts.board')}
        </Typography.Title>
        <Space>
          <Link to="/alerts/areas">{t('alerts.clusters')}</Link>
          {can(user ?? null, 'alerts.ruleSet', 'read') && <Link to="/alerts/rules">{t('alerts.rules')}</Link>}
        </Space>
      </Space>
      <Row gutter={16}>
        <Col xs={24} lg={9}>
          <Card size="small" title={t('alerts.mapTitle')}>
            <Chart
              option={mapOption}
              height={300}
              testId="alert-map"
              onClick={(p) => {
                const c = MAP_COUNTIES.find((x) => x.name === p.name);
                if (c) set('county', c.code);
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          <Card size="small">
            <Space wrap style={{ marginBottom: 12 }}>
              {sel(
                'level',
                LEVELS.map((l) => ({ value: l, label: t(`alerts.level.${l}`) })),
                100,
              )}
              {sel(
                'county',
                counties.map((r) => ({ value: r.code, label: r.name })),
              )}
              {sel(
                'cluster',
                clusters.map((c) => ({ value: c.code, label: c.name })),
                140,
              )}
              {sel(
                'status',
                ALERT_STATUSES.map((s) => ({ value: s, label: t(`alerts.status.${s}`) })),
              )}
              {sel(
                'state',
                ['open', 'closed', 'all'].map((s) => ({ value: s, label: t(`alerts.state.${s}`) })),
                100,
              )}
              {sel(
                'subject',
                SUBJECT_KINDS.map((s) => ({ value: s, label: t(`alerts.subjectKind.${s}`) })),
                100,
              )}
              <DownloadButton icon={<DownloadOutlined />} url={exportUrl(filters)}>
                {t('alerts.export')}
              </DownloadButton>
            </Space>
            <Space size="large" wrap>
              {LEVELS.map((l) => (
                <span key={l} data-testid={`alert-count-${l}`}>
                  <LevelTag level={l} /> {board.data?.byLevel[l] ?? 0}
                </span>
              ))}
              {board.data?.latestMonth && (
                <Typography.Text type="secondary">
                  {t('alerts.latestMonth', { month: board.data.latestMonth })}
                </Typography.Text>
              )}
              {board.data?.reporting && !board.data.reporting.closed && (
                <Tag color="gold" data-testid="alert-reporting-open">
                  {t('alerts.reportingOpen', {
                    month: board.data.reporting.month,
                    firms: board.data.reporting.firms,
                    before: board.data.reporting.before,
                    share: Math.round(board.data.reporting.share * 100),
                  })}
                </Tag>
              )}
            </Space>
          </Card>
        </Col>
      </Row>
      <Table<AlertView>
        rowKey="id"
        size="small"
        loading={board.isFetching}
        columns={columns}
        dataSource={board.data?.rows ?? []}
        data-testid="alert-table"
        onRow={(a) => ({ 'data-testid': `alert-row-${a.id}`, 'data-region': a.regionCode ?? '' }) as never}
        pagination={{
          current: page,
          pageSize: 50,
          total: board.data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (n) => t('alerts.total', { n }),
        }}
      />
      <HandleDrawer id={open} onClose={() => setOpen(null)} />
    </Space>
  );
}
