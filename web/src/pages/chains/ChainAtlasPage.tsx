// 产业链图谱: the chains grouped by cluster, landmark chains (标志性产业链) first; administrators add
// chains here (新建产业链). The map (click a node for its figures and enterprises), the
// strength × feasibility quadrants and the gap list ranked by feasibility.
import { Alert, Col, Empty, Row, Space, Table, Tabs, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { formatMoney } from '../../format.ts';
import './i18n.ts';
import { useChain, useChains, type NodeView } from './api.ts';
import { ChainGraph } from './ChainGraph.tsx';
import { ChainLinks } from './ChainLinks.tsx';
import { ChainPicker } from './ChainPicker.tsx';
import { num, pct, reasonText, STATUS_COLOUR } from './labels.ts';
import { NewChainButton } from './NewChainForm.tsx';
import { NodePanel } from './NodePanel.tsx';
import { QuadrantChart } from './QuadrantChart.tsx';

export default function ChainAtlasPage() {
  const { t, i18n } = useTranslation();
  const { code } = useParams();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const chains = useChains();
  const chain = useChain(code);
  const selected = search.get('node');
  const tab = search.get('tab') ?? 'atlas';

  if (!code) {
    if (chains.isLoading) return <PageLoading />;
    const first = chains.data?.[0];
    return first ? (
      <Navigate to={`/chains/${first.code}`} replace />
    ) : (
      <Empty description={t('chains.noData')} />
    );
  }

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(search);
    if (value === null) next.delete(key);
    else next.set(key, value);
    setSearch(next, { replace: true });
  };

  const node = chain.data?.nodes.find((n) => n.code === selected) ?? null;
  const gaps = (chain.data?.nodes ?? [])
    .filter((n) => n.status !== 'ok')
    .sort(
      (a, b) =>
        (b.density ?? -1) - (a.density ?? -1) ||
        (a.status === b.status ? 0 : a.status === 'missing' ? -1 : 1) ||
        b.degree - a.degree,
    );

  const gapColumns: TableProps<NodeView>['columns'] = [
    { key: 'rank', title: '#', render: (_: unknown, _r, i) => i + 1, width: 48 },
    {
      key: 'name',
      title: t('chains.fields.node'),
      dataIndex: 'name',
      render: (name: string, r) => (
        <Typography.Link onClick={() => setSearch({ tab: 'atlas', node: r.code })}>{name}</Typography.Link>
      ),
    },
    {
      key: 'stage',
      title: t('chains.fields.stage'),
      dataIndex: 'stage',
      render: (s: string) => t(`chains.stage.${s}`),
    },
    {
      key: 'status',
      title: t('chains.fields.status'),
      dataIndex: 'status',
      render: (s: NodeView['status']) => <Tag color={STATUS_COLOUR[s]}>{t(`chains.status.${s}`)}</Tag>,
    },
    {
      key: 'reasons',
      title: t('chains.fields.reasons'),
      render: (_: unknown, r) => (
        <ul style={{ margin: 0, paddingLeft: 16 }}>
          {r.reasons.map((x) => (
            <li key={x.code}>{reasonText(x, t)}</li>
          ))}
        </ul>
      ),
    },
    {
      key: 'density',
      title: t('chains.fields.density'),
      dataIndex: 'density',
      align: 'right',
      render: (v: number | null) => num(v),
    },
    {
      key: 'action',
      title: t('chains.fields.action'),
      dataIndex: 'action',
      render: (a: string | null) => (a ? <Tag color="purple">{t(`chains.action.${a}`)}</Tag> : null),
    },
  ];

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('chains.title')}
        </Typography.Title>
        <Space wrap>
          {chains.data && <NewChainButton chains={chains.data} />}
          <ChainLinks code={code} active="atlas" />
        </Space>
      </Space>
      {chains.data && (
        <ChainPicker
          chains={chains.data}
          value={code}
          onChange={(value) => void navigate(`/chains/${value}`)}
        />
      )}
      {chain.isError && <Alert type="error" showIcon title={errorMessage(chain.error, i18n.language)} />}
      {chain.isLoading && <PageLoading />}
      {chain.data && (
        <>
          <Space wrap style={{ marginBottom: 8 }}>
            {chain.data.landmark && (
              <Tooltip title={chain.data.policyNote ?? t('chains.landmarkHint')}>
                <Tag color="red" data-testid="chain-landmark">
                  {t('chains.landmark')}
                </Tag>
              </Tooltip>
            )}
            {chain.data.origin === 'admin' && <Tag>{t('chains.createdByAdmin')}</Tag>}
            {chain.data.proposed && (
              <Tooltip title={t('chains.proposedHint')}>
                <Tag color="gold">{t('chains.proposed')}</Tag>
              </Tooltip>
            )}
            <Typography.Text type="secondary">
              {t('chains.referenceYear', { year: chain.data.referenceYear ?? '—' })} ·{' '}
              {chain.data.clusterName} · {formatMoney(chain.data.clusterOutput, t)}
            </Typography.Text>
          </Space>
          <Tabs
            activeKey={tab}
            onChange={(key) => setParam('tab', key)}
            items={[
              {
                key: 'atlas',
                label: t('chains.tabs.atlas'),
                children: (
                  <Row gutter={16}>
                    <Col xs={24} xl={14}>
                      <ChainGraph
                        chain={chain.data}
                        selected={selected}
                        onSelect={(c) => setParam('node', c)}
                      />
                      <Space size="large" wrap>
                        <Typography.Text type="secondary">{t('chains.legend.strength')}</Typography.Text>
                        <Typography.Text type="secondary">{t('chains.legend.missing')}</Typography.Text>
                        <Typography.Text type="secondary">{t('chains.legend.weak')}</Typography.Text>
                      </Space>
                    </Col>
                    <Col xs={24} xl={10}>
                      {node ? (
                        <NodePanel key={node.code} chainCode={chain.data.code} node={node} />
                      ) : (
                        <Empty description={t('chains.clickNode')} />
                      )}
                    </Col>
                  </Row>
                ),
              },
              {
                key: 'quadrants',
                label: t('chains.tabs.quadrants'),
                children: <QuadrantChart chain={chain.data} />,
              },
              {
                key: 'gaps',
                label: t('chains.tabs.gaps'),
                children: (
                  <>
                    <Typography.Paragraph type="secondary">
                      {t('chains.method', {
                        minFirms: chain.data.method.minFirms,
                        weakShare: pct(chain.data.method.weakShare),
                        maxHhi: chain.data.method.maxHhi,
                        decliningGrowth: pct(chain.data.method.decliningGrowth),
                      })}
                    </Typography.Paragraph>
                    <Table<NodeView>
                      rowKey="code"
                      size="small"
                      columns={gapColumns}
                      dataSource={gaps}
                      pagination={false}
                    />
                  </>
                ),
              },
            ]}
          />
        </>
      )}
    </>
  );
}
