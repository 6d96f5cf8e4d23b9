// 集群风险: the clusters and counties the user may see, each linking to its risk profile (diffusion index,
// concentration, firm count, cost per 100 yuan), with its open alerts.
import { Card, Col, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { useClusters, useRegions } from '../../api/reference.ts';
import { useBoard } from './api.ts';
import './i18n.ts';
import { useLocalName } from '../../names.ts';
import { PageLoading } from '../../components/PageLoading.tsx';

export default function AreasPage() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const user = useCurrentUser();
  const clusterList = useClusters();
  const regionList = useRegions();
  const clusters = clusterList.data ?? [];
  const counties = (regionList.data ?? []).filter((r) => r.level === 'county');
  const board = useBoard({ pageSize: '200' });
  const areaAlerts = board.data?.rows.filter((a) => a.subjectKind !== 'firm') ?? [];
  const mayCluster = (code: string) =>
    user?.role === 'admin' || user?.role === 'analyst' || user?.clusterCode === code;
  const mayCounty = (code: string) =>
    user?.role === 'admin' || user?.role === 'analyst' || user?.regionCode === code;
  const card = (key: string, name: string) => {
    const open = areaAlerts.filter((a) => a.subjectKey === key);
    return (
      <Col xs={24} md={12} lg={8} key={key}>
        <Card size="small" title={<Link to={`/alerts/profile/${encodeURIComponent(key)}`}>{name}</Link>}>
          {open.length === 0 ? (
            <Typography.Text type="secondary">—</Typography.Text>
          ) : (
            <Space wrap>
              {open.map((a) => (
                <Tag key={a.id} color={a.level === 'red' ? 'red' : a.level === 'orange' ? 'orange' : 'gold'}>
                  {t(`alerts.signal.${a.signal}`)}
                </Tag>
              ))}
            </Space>
          )}
        </Card>
      </Col>
    );
  };
  // a card's "—" says "no open alert": never before the answer
  if (clusterList.isLoading || regionList.isLoading || board.isLoading) return <PageLoading />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('alerts.clusters')}</Typography.Title>
      <Typography.Text type="secondary">{t('alerts.clusterList')}</Typography.Text>
      <Row gutter={[16, 16]}>
        {clusters.filter((c) => mayCluster(c.code)).map((c) => card(`cluster:${c.code}`, localName(c.name)))}
      </Row>
      <Row gutter={[16, 16]}>
        {counties.filter((c) => mayCounty(c.code)).map((c) => card(`county:${c.code}`, localName(c.name)))}
      </Row>
    </Space>
  );
}
