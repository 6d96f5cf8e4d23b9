// 企业服务: the firm's own requests and the filing form (phone-sized), the officers' pool with filters, bulk
// assignment and SLA colours, the unit's inbox, and the statistics page with department scores.
import { useState } from 'react';
import { Button, Card, List, Select, Space, Table, Tabs, Tag, Typography, message } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage, toQueryString } from '../../api/client.ts';
import { can, ownFirmOf } from '../../../../src/domain/policy/index.ts';
import { DISPATCH_STATES, type RequestView } from '../../../../src/modules/service/schemas.ts';
import {
  useBulkAssign,
  useRecurring,
  useRequests,
  useScores,
  useServiceMeta,
  useServiceNames,
  useStats,
  type ListFilters,
} from './api.ts';
import { useLocalName } from '../../names.ts';
import { FileRequestForm } from './FileRequestForm.tsx';
import { cst, pct, SLA_COLOUR } from './labels.ts';
import './i18n.ts';
import { DownloadButton } from '../../components/DownloadButton.tsx';

function MyRequests() {
  const { t } = useTranslation();
  const names = useServiceNames();
  const list = useRequests({ pageSize: 100 });
  return (
    <List
      data-testid="my-requests"
      loading={list.isLoading}
      dataSource={list.data?.items ?? []}
      renderItem={(r) => (
        <List.Item>
          <Link to={`/service/requests/${r.id}`} style={{ width: '100%' }}>
            <Space direction="vertical" size={0} style={{ width: '100%' }}>
              <Typography.Text strong>{r.title}</Typography.Text>
              <Space wrap>
                <Tag>{r.code}</Tag>
                <Tag color={SLA_COLOUR[r.item.sla]}>{names.state(r.item)}</Tag>
                <Typography.Text type="secondary">{cst(r.receivedAt)}</Typography.Text>
              </Space>
            </Space>
          </Link>
        </List.Item>
      )}
      locale={{ emptyText: t('service.mineEmpty') }}
    />
  );
}

function Pool({
  inbox,
  assist = false,
  dispatch = false,
}: {
  inbox: boolean;
  assist?: boolean;
  /** the centre's queue: requests to dispatch, contests to decide */
  dispatch?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const names = useServiceNames();
  const meta = useServiceMeta();
  const [filters, setFilters] = useState<ListFilters>({ open: 'true' });
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number[]>([]);
  const [unit, setUnit] = useState<number>();
  const query = {
    ...filters,
    ...(inbox && !assist ? { mine: 'true' } : {}),
    ...(assist ? { assist: 'pending' } : {}),
    ...(dispatch ? { state: DISPATCH_STATES } : {}),
    page,
    pageSize: 20,
  };
  const list = useRequests(query);
  const bulk = useBulkAssign();
  const opts = (l: { key: string; zh: string; en: string }[] | undefined) =>
    (l ?? []).map((x) => ({ value: x.key, label: names.label(x) }));
  const set = (k: string) => (v: string | undefined) => {
    setFilters((f) => ({ ...f, [k]: v }));
    setPage(1);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          allowClear
          placeholder={t('service.state')}
          style={{ width: 120 }}
          value={filters.open as string}
          onChange={set('open')}
          options={[
            { value: 'true', label: t('service.open') },
            { value: 'false', label: t('service.all') },
          ]}
        />
        <Select
          allowClear
          placeholder={t('service.sla')}
          style={{ width: 120 }}
          onChange={set('sla')}
          options={[
            { value: 'due_soon', label: t('service.dueSoon') },
            { value: 'overdue', label: t('service.overdue') },
            { value: 'escalated', label: t('service.escalated') },
          ]}
          data-testid="sla-filter"
        />
        <Select
          allowClear
          placeholder={t('service.category')}
          style={{ width: 160 }}
          onChange={set('category')}
          options={opts(meta.data?.categories)}
        />
        <Select
          allowClear
          placeholder={t('service.channel')}
          style={{ width: 140 }}
          onChange={set('channel')}
          options={opts(meta.data?.channels)}
        />
        <DownloadButton
          icon={<DownloadOutlined />}
          url={`/api/service/requests/export.xlsx${toQueryString(query)}`}
        >
          {t('service.export')}
        </DownloadButton>
      </Space>
      {!inbox && selected.length > 0 && (
        <Space>
          <Select
            placeholder={t('service.assignTo')}
            style={{ width: 280 }}
            value={unit}
            onChange={setUnit}
            options={(meta.data?.units ?? []).map((u) => ({ value: u.id, label: names.unit(u.name) }))}
          />
          <Button
            type="primary"
            disabled={!unit}
            loading={bulk.isPending}
            onClick={() =>
              bulk.mutate(
                { ids: selected, ownerUnitId: unit! },
                {
                  onSuccess: () => setSelected([]),
                  onError: (e) => void message.error(errorMessage(e, i18n.language)),
                },
              )
            }
          >
            {t('service.bulkAssign')} ({selected.length})
          </Button>
        </Space>
      )}
      <Table<RequestView>
        rowKey="id"
        size="small"
        data-testid={assist ? 'assist-inbox' : inbox ? 'inbox' : dispatch ? 'dispatch' : 'pool'}
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        rowSelection={
          inbox ? undefined : { selectedRowKeys: selected, onChange: (k) => setSelected(k as number[]) }
        }
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        columns={[
          {
            title: t('service.code'),
            dataIndex: 'code',
            render: (v: string, r) => <Link to={`/service/requests/${r.id}`}>{v}</Link>,
          },
          { title: t('service.titleField'), dataIndex: 'title', ellipsis: true },
          { title: t('service.firm'), dataIndex: 'enterpriseName', ellipsis: true },
          { title: t('service.state'), render: (_, r) => names.state(r.item) },
          { title: t('service.owner'), render: (_, r) => names.unit(r.item.ownerUnitName) },
          { title: t('service.deadline'), render: (_, r) => cst(r.item.deadlineAt) },
          {
            title: t('service.sla'),
            render: (_, r) => <Tag color={SLA_COLOUR[r.item.sla]}>{names.level(r.item)}</Tag>,
          },
          ...(assist
            ? [
                {
                  title: t('service.assistDue'),
                  render: (_: unknown, r: RequestView) =>
                    r.myAssist ? <Tag color={SLA_COLOUR[r.myAssist.sla]}>{cst(r.myAssist.dueAt)}</Tag> : null,
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}

function StatsView() {
  const { t } = useTranslation();
  const names = useServiceNames();
  const localName = useLocalName();
  const user = useCurrentUser();
  const showScores = can(user, 'service.scores', 'read');
  const [by, setBy] = useState('month');
  const stats = useStats({ by });
  const scores = useScores({}, showScores);
  const recurring = useRecurring({});
  const dims = ['month', 'channel', 'unit', 'county', 'cluster', 'category'];
  const rates = ['directRate', 'closeRate', 'onTimeRate', 'satisfactionRate'] as const;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="stats">
      <Space>
        {t('service.by')}
        <Select
          value={by}
          onChange={setBy}
          style={{ width: 140 }}
          options={dims.map((d) => ({ value: d, label: t(`service.dim.${d}`) }))}
        />
        {stats.data && (
          <Typography.Text type="secondary">
            {stats.data.from} — {stats.data.to}
          </Typography.Text>
        )}
        {stats.data?.scope && (
          <Tag data-testid="stats-scope">
            {t('service.scope')}：{stats.data.scope.zh}
          </Tag>
        )}
      </Space>
      <Table
        size="small"
        rowKey={(r) => r.key ?? 'total'}
        loading={stats.isLoading}
        pagination={false}
        dataSource={stats.data ? [...stats.data.rows, stats.data.total] : []}
        columns={[
          {
            title: t(`service.dim.${by}`),
            dataIndex: 'label',
            render: (v: string, r) =>
              r.key == null
                ? t('service.sum')
                : by === 'unit'
                  ? names.unit(v)
                  : by === 'channel' || by === 'category'
                    ? names.term(v)
                    : localName(v),
          },
          { title: t('service.col.received'), dataIndex: 'received' },
          ...rates.map((k) => ({
            title: t(`service.col.${k}`),
            dataIndex: k,
            render: (v: number | null) => pct(v),
          })),
        ]}
      />
      {stats.data && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {Object.values(stats.data.definitions).join('；')}
        </Typography.Paragraph>
      )}
      {showScores && (
        <Card title={t('service.scores')} size="small">
          <Table
            size="small"
            rowKey="unitId"
            pagination={false}
            dataSource={scores.data?.items ?? []}
            columns={[
              { title: t('service.owner'), dataIndex: 'unitName', render: (v: string) => names.unit(v) },
              { title: t('service.col.received'), dataIndex: 'assigned' },
              { title: t('service.score'), dataIndex: 'score' },
              {
                title: t('service.rank'),
                dataIndex: 'rank',
                render: (v: number | null, r) =>
                  v == null
                    ? '—'
                    : t(r.group === 'county' ? 'service.rankIn.county' : 'service.rankIn.department', {
                        rank: v,
                      }),
              },
              {
                title: '',
                dataIndex: 'board',
                render: (b: 'red' | 'black' | null) =>
                  b ? <Tag color={b === 'red' ? 'red' : 'black'}>{t(`service.board.${b}`)}</Tag> : null,
              },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('service.method')}：{scores.data?.method}
          </Typography.Paragraph>
        </Card>
      )}
      <Card title={t('service.recurring')} size="small">
        <Table
          size="small"
          rowKey={(r) => `${r.clusterCode}/${r.tag}`}
          pagination={false}
          dataSource={recurring.data?.items ?? []}
          columns={[
            { title: t('service.dim.cluster'), dataIndex: 'clusterCode' },
            { title: t('service.tags'), dataIndex: 'tag' },
            { title: t('service.firms'), dataIndex: 'firms' },
            { title: t('service.requests'), dataIndex: 'requests' },
          ]}
        />
      </Card>
    </Space>
  );
}

export default function ServicePage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const meta = useServiceMeta();
  const actsForUnit = (meta.data?.myUnits.length ?? 0) > 0;
  // the coordinating office (市企业综合服务中心) dispatches and decides contests
  const coordinates = meta.data?.myUnits.some((u) => u.kind === 'coordinator') ?? false;
  const firm = ownFirmOf(user) != null; // a firm files for itself, online
  const [search] = useSearchParams(); // ?tab=inbox | assist | … opens that tab (the home page's to-dos link there)
  const items = firm
    ? [
        { key: 'mine', label: t('service.mine'), children: <MyRequests /> },
        { key: 'file', label: t('service.file'), children: <FileRequestForm /> },
      ]
    : [
        { key: 'pool', label: t('service.pool'), children: <Pool inbox={false} /> },
        ...(coordinates
          ? [{ key: 'dispatch', label: t('service.dispatch'), children: <Pool inbox={false} dispatch /> }]
          : []),
        { key: 'inbox', label: t('service.inbox'), children: <Pool inbox /> },
        ...(actsForUnit
          ? [{ key: 'assist', label: t('service.assistInbox'), children: <Pool inbox assist /> }]
          : []),
        ...(can(user, 'service.request', 'create')
          ? [{ key: 'file', label: t('service.file'), children: <FileRequestForm /> }]
          : []),
        ...(can(user, 'service.statistics', 'read')
          ? [{ key: 'stats', label: t('service.stats'), children: <StatsView /> }]
          : []),
      ];
  return (
    <Card
      title={t('service.title')}
      extra={
        can(user, 'service.unit', 'read') ? (
          <Link to="/service/units" data-testid="units-link">
            {t('service.units')}
          </Link>
        ) : null
      }
    >
      <Tabs
        key={items.map((i) => i.key).join()}
        items={items}
        defaultActiveKey={items.find((i) => i.key === search.get('tab'))?.key}
        destroyOnHidden
      />
    </Card>
  );
}
