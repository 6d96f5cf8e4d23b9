// One enterprise: registry facts, clusters and tiers, latest annual inputs, recent monthly output.
import { useState } from 'react';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Empty, Result, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { useLocalName } from '../../names.ts';
import { isStatus } from '../../api/client.ts';
import type { EnterpriseProfile } from '../../api/contract.ts';
import { useEnterprise } from '../../api/enterprises.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageLoading } from '../../components/PageLoading.tsx';
import { formatDateTime, formatMoney, formatWithUnit, MISSING } from '../../format.ts';
import { canEditEnterprise } from '../../permissions.ts';
import { sourceName, tierLevelName } from '../../names.ts';
import { EvaluationClass } from './EvaluationClass.tsx';
import { EnterpriseFormModal } from './EnterpriseFormModal.tsx';
import { industryLabel, scaleLabel, statusLabel, tierLabel } from './labels.ts';
import { OutputChart } from './OutputChart.tsx';

type Annual = NonNullable<EnterpriseProfile['latestAnnual']>;
type TierDetail = EnterpriseProfile['tierDetails'][number];

export default function EnterpriseProfilePage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const enterpriseId = Number(id);
  const user = useCurrentUser();
  const profile = useEnterprise(enterpriseId);
  const [editing, setEditing] = useState(false);

  const back = (
    <Link to="/enterprises">
      <ArrowLeftOutlined /> {t('profile.back')}
    </Link>
  );

  // Not found and not visible look the same on purpose: the answer must not reveal who exists.
  if (!Number.isInteger(enterpriseId) || enterpriseId <= 0 || isStatus(profile.error, 404)) {
    return (
      <Result status="404" title={t('profile.notFound')} extra={back} data-testid="enterprise-not-found" />
    );
  }
  if (profile.isPending) return <PageLoading />;
  if (profile.isError) return <ErrorResult error={profile.error} onRetry={() => void profile.refetch()} />;

  const e = profile.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {back}
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="center" wrap>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="enterprise-name">
            {e.name}
          </Typography.Title>
          <EvaluationClass enterpriseId={e.id} regionCode={e.regionCode} />
        </Space>
        {canEditEnterprise(user, e) && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="enterprise-edit">
            {t('profile.edit')}
          </Button>
        )}
      </Space>
      <RegistryCard e={e} />
      <Card title={t('profile.clustersAndTiers')} size="small">
        <Typography.Paragraph strong style={{ marginBottom: 8 }}>
          {t('profile.clusters')}
        </Typography.Paragraph>
        <Space wrap style={{ marginBottom: 16 }}>
          {e.clusterDetails.length === 0 && (
            <Typography.Text type="secondary">{t('profile.noCluster')}</Typography.Text>
          )}
          {e.clusterDetails.map((c) => (
            // The tooltip says why the firm counts toward the cluster (its industry code, or by hand).
            <Tooltip key={c.code} title={t(`profile.clusterBasis.${c.basis}`, { defaultValue: c.basis })}>
              <Tag color="geekblue">{c.name}</Tag>
            </Tooltip>
          ))}
        </Space>
        <Typography.Paragraph strong style={{ marginBottom: 8 }}>
          {t('profile.tiers')}
        </Typography.Paragraph>
        <TierTable tiers={e.tierDetails} />
      </Card>
      <AnnualCard annual={e.latestAnnual} />
      <Card title={t('profile.recentOutput')} size="small">
        {e.recentMonths.length > 0 ? (
          <OutputChart points={e.recentMonths} />
        ) : (
          <Empty description={t('profile.noMonthly')} />
        )}
      </Card>
      {editing && (
        <EnterpriseFormModal mode={{ kind: 'edit', profile: e }} onClose={() => setEditing(false)} />
      )}
    </Space>
  );
}

function RegistryCard({ e }: { e: EnterpriseProfile }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const items = [
    { key: 'uscc', label: t('enterprise.fields.uscc'), children: e.uscc },
    {
      key: 'county',
      label: t('enterprise.fields.county'),
      children: e.regionName ? localName(e.regionName) : e.regionCode,
    },
    {
      key: 'town',
      label: t('enterprise.fields.town'),
      children: e.townName ? localName(e.townName) : (e.townCode ?? MISSING),
    },
    {
      key: 'zone',
      label: t('enterprise.fields.zone'),
      children: e.zoneName ? localName(e.zoneName) : (e.zoneCode ?? MISSING),
    },
    {
      key: 'industry',
      label: t('enterprise.fields.industry'),
      children: industryLabel(e.industryCode, e.industryName),
    },
    { key: 'scale', label: t('enterprise.fields.scale'), children: scaleLabel(e.scale, t) },
    { key: 'status', label: t('enterprise.fields.status'), children: statusLabel(e.status, t) },
    { key: 'founded', label: t('enterprise.fields.founded'), children: e.founded ?? MISSING },
    { key: 'output', label: t('enterprise.fields.outputValue'), children: formatMoney(e.outputValue, t) },
    { key: 'address', label: t('enterprise.fields.address'), children: e.address ?? MISSING, span: 2 },
    {
      key: 'mainProducts',
      label: t('enterprise.fields.mainProducts'),
      span: 3,
      children: e.mainProducts.length ? (
        <Space size={[4, 4]} wrap data-testid="main-products">
          {e.mainProducts.map((p) => (
            <Tag key={p}>{p}</Tag>
          ))}
        </Space>
      ) : (
        MISSING
      ),
    },
    { key: 'updated', label: t('profile.updatedAt'), children: formatDateTime(e.updatedAt) },
  ];
  return (
    <Descriptions
      title={t('profile.registry')}
      bordered
      size="small"
      column={{ xs: 1, md: 2, xl: 3 }}
      items={items}
    />
  );
}

function TierTable({ tiers }: { tiers: TierDetail[] }) {
  const { t } = useTranslation();
  if (tiers.length === 0) return <Typography.Text type="secondary">{t('profile.noTier')}</Typography.Text>;
  return (
    <Table<TierDetail>
      size="small"
      pagination={false}
      rowKey={(r) => `${r.tier}-${r.year}`}
      dataSource={tiers}
      columns={[
        { key: 'tier', title: t('profile.tier'), dataIndex: 'tier', render: (v: string) => tierLabel(v, t) },
        { key: 'year', title: t('profile.year'), dataIndex: 'year' },
        {
          key: 'level',
          title: t('profile.level'),
          dataIndex: 'level',
          render: (v: string | null) => tierLevelName(v, t) ?? MISSING,
        },
        {
          key: 'source',
          title: t('profile.source'),
          dataIndex: 'source',
          render: (v: string | null) => sourceName(v, t) ?? MISSING,
        },
      ]}
    />
  );
}

function AnnualCard({ annual }: { annual: Annual | null }) {
  const { t } = useTranslation();
  if (!annual) {
    return (
      <Card title={t('profile.annual')} size="small">
        <Empty description={t('profile.noAnnual')} />
      </Card>
    );
  }
  const money = (v: number | null) => formatMoney(v, t);
  const items = [
    { key: 'land', label: t('annual.landMu'), children: formatWithUnit(annual.landMu, 'mu', t) },
    { key: 'tax', label: t('annual.taxPaid'), children: money(annual.taxPaid) },
    { key: 'va', label: t('annual.valueAdded'), children: money(annual.valueAdded) },
    { key: 'revenue', label: t('annual.revenue'), children: money(annual.revenue) },
    { key: 'main', label: t('annual.mainRevenue'), children: money(annual.mainRevenue) },
    { key: 'rd', label: t('annual.rdExpense'), children: money(annual.rdExpense) },
    { key: 'energy', label: t('annual.energyTce'), children: formatWithUnit(annual.energyTce, 'tce', t) },
    {
      key: 'elec',
      label: t('annual.electricity'),
      children: formatWithUnit(annual.electricity, 'wanKwh', t),
    },
    {
      key: 'emp',
      label: t('annual.avgEmployees'),
      children: formatWithUnit(annual.avgEmployees, 'persons', t, 0),
    },
    { key: 'cod', label: t('annual.cod'), children: formatWithUnit(annual.cod, 'tonne', t, 2) },
    {
      key: 'nh',
      label: t('annual.ammoniaNitrogen'),
      children: formatWithUnit(annual.ammoniaNitrogen, 'tonne', t, 2),
    },
    { key: 'so2', label: t('annual.so2'), children: formatWithUnit(annual.so2, 'tonne', t, 2) },
    { key: 'nox', label: t('annual.nox'), children: formatWithUnit(annual.nox, 'tonne', t, 2) },
  ];
  return (
    <Card title={t('profile.annualOf', { year: annual.year })} size="small">
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} items={items} />
    </Card>
  );
}
