// One node: status and the figures behind it, and its enterprises (scoped; others as totals). People
// allowed to place enterprises can confirm, exclude or reset a placement here.
import {
  Alert,
  App,
  Card,
  Descriptions,
  Dropdown,
  Empty,
  List,
  Space,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { formatGrowth, formatMoney, MISSING } from '../../format.ts';
import { useDecision, useNodeEnterprises, type NodeEnterprise, type NodeView } from './api.ts';
import { num, pct, reasonText, STATUS_COLOUR } from './labels.ts';
import { AddEnterpriseToNode, DecidedBy } from './NodePlacement.tsx';

const PAGE_SIZE = 10;

export function NodePanel({ chainCode, node }: { chainCode: string; node: NodeView }) {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const { message } = App.useApp();
  // the server pages the node's firms (thousands at province scale); the table shows one page at a time
  const [page, setPage] = useState(1);
  const paging = { page, pageSize: PAGE_SIZE };
  const list = useNodeEnterprises(chainCode, node.code, paging);
  const decide = useDecision(chainCode, node.code, paging);
  const canDecide = user.role === 'admin' || user.role === 'county' || user.role === 'cluster_agency';

  const columns: TableProps<NodeEnterprise>['columns'] = [
    {
      key: 'name',
      title: t('enterprise.fields.name'),
      dataIndex: 'name',
      render: (name: string, row) => (
        <Space size={4} wrap>
          <Link to={`/enterprises/${row.id}`}>{name}</Link>
          {!row.assigned && <Tag>{t('chains.excluded')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'region',
      title: t('chains.fields.region'),
      dataIndex: 'regionName',
      render: (v: string | null, r) => v ?? r.regionCode,
    },
    {
      key: 'output',
      title: t('chains.fields.output'),
      dataIndex: 'output',
      align: 'right',
      render: (v: number | null) => formatMoney(v, t),
    },
    {
      key: 'basis',
      title: t('chains.fields.basis'),
      render: (_: unknown, r) => (
        <Space size={2} wrap>
          <Tag color={r.basis === 'auto' ? 'default' : 'blue'}>{t(`chains.basis.${r.basis}`)}</Tag>
          <Tag color={r.match === 'shared_code' ? 'gold' : 'default'}>{t(`chains.matchKind.${r.match}`)}</Tag>
          <DecidedBy row={r} />
        </Space>
      ),
    },
    ...(canDecide
      ? [
          {
            key: 'decide',
            title: '',
            render: (_: unknown, r: NodeEnterprise) => (
              <Dropdown
                menu={{
                  items: (['confirm', 'exclude', 'include', 'reset'] as const)
                    .filter((d) => (r.assigned ? d !== 'include' : d !== 'confirm' && d !== 'exclude'))
                    .map((d) => ({ key: d, label: t(`chains.decision.${d}`) })),
                  onClick: ({ key }) =>
                    decide.mutate(
                      { id: r.id, body: { decision: key as 'confirm' } },
                      {
                        onSuccess: () => void message.success(t('chains.decisionSaved')),
                        onError: (e) => void message.error(errorMessage(e, i18n.language)),
                      },
                    ),
                }}
              >
                <Typography.Link>⋯</Typography.Link>
              </Dropdown>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      size="small"
      data-testid="node-panel"
      title={
        <Space wrap>
          <span>{node.name}</span>
          <Tag>{t(`chains.stage.${node.stage}`)}</Tag>
          <Tag color={STATUS_COLOUR[node.status]}>{t(`chains.status.${node.status}`)}</Tag>
          {node.action && <Tag color="purple">{t(`chains.action.${node.action}`)}</Tag>}
        </Space>
      }
    >
      {node.reasons.length > 0 && (
        <Alert
          type={node.status === 'missing' ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 12 }}
          title={
            <ul style={{ margin: 0, paddingLeft: 16 }}>
              {node.reasons.map((r) => (
                <li key={r.code}>{reasonText(r, t)}</li>
              ))}
            </ul>
          }
        />
      )}
      {node.suppressed && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('chains.suppressed')} />
      )}
      <Descriptions size="small" column={2} bordered data-testid="node-figures">
        <Descriptions.Item label={t('chains.fields.firms')}>{node.firms}</Descriptions.Item>
        <Descriptions.Item label={t('chains.fields.aboveScale')}>{node.aboveScale}</Descriptions.Item>
        <Descriptions.Item label={t('chains.fields.output')}>{formatMoney(node.output, t)}</Descriptions.Item>
        <Descriptions.Item label={t('chains.fields.growth')}>{formatGrowth(node.growth)}</Descriptions.Item>
        <Descriptions.Item label={t('chains.fields.shareOfCluster')}>
          {pct(node.shareOfCluster)}
        </Descriptions.Item>
        <Descriptions.Item label={t('chains.fields.hhi')}>{num(node.hhi, 3)}</Descriptions.Item>
        <Descriptions.Item label={t('chains.fields.upstreamCoverage')}>
          {pct(node.upstreamCoverage)}
        </Descriptions.Item>
        <Descriptions.Item label={t('chains.fields.downstreamCoverage')}>
          {pct(node.downstreamCoverage)}
        </Descriptions.Item>
        <Descriptions.Item label={t('chains.fields.density')}>{num(node.density)}</Descriptions.Item>
        <Descriptions.Item label={t('chains.fields.lq')}>{num(node.lq, 2)}</Descriptions.Item>
        <Descriptions.Item label={t('chains.fields.industryCodes')} span={2}>
          {node.industryCodes.join('、') || MISSING}
        </Descriptions.Item>
        {node.keyProducts.length > 0 && (
          <Descriptions.Item label={t('chains.fields.keyProducts')} span={2}>
            {node.keyProducts.join('、')}
          </Descriptions.Item>
        )}
      </Descriptions>

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('chains.nodeEnterprises')}
      </Typography.Title>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error, i18n.language)} />}
      <div data-testid="node-enterprises">
        <Table<NodeEnterprise>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data?.items}
          loading={list.isFetching}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            onChange: setPage,
            showSizeChanger: false,
            hideOnSinglePage: true,
          }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        />
        {canDecide && <AddEnterpriseToNode chainCode={chainCode} nodeCode={node.code} paging={paging} />}
      </div>
      {list.data && list.data.others.firms > 0 && (
        <Typography.Paragraph type="secondary" data-testid="node-others">
          {t('chains.others', {
            firms: list.data.others.firms,
            output: formatMoney(list.data.others.output, t),
          })}
        </Typography.Paragraph>
      )}
      {list.data && list.data.counties.some((c) => c.firms > 0) && (
        <>
          <Typography.Text strong>{t('chains.counties')}</Typography.Text>
          <List
            size="small"
            dataSource={list.data.counties.filter((c) => c.firms > 0)}
            renderItem={(c) => (
              <List.Item>
                <span>{c.regionName ?? c.regionCode}</span>
                <span>
                  {c.firms} · {formatMoney(c.output, t)} · LQ {num(c.lq, 2)}
                </span>
              </List.Item>
            )}
          />
        </>
      )}
      {node.knownEnterprises.length > 0 && (
        <>
          <Typography.Text strong>{t('chains.fields.knownEnterprises')}</Typography.Text>
          <ul style={{ paddingLeft: 18 }}>
            {node.knownEnterprises.map((k) => (
              <li key={k.name}>
                {k.source ? (
                  <a href={k.source} target="_blank" rel="noreferrer noopener">
                    {k.name}
                  </a>
                ) : (
                  k.name
                )}
                {k.location ? `（${k.location}）` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
