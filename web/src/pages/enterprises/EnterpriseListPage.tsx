// 企业库: the enterprises the user may see, filtered, sorted and paged on the server.
import { useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocalName, useRegionName } from '../../names.ts';
import { Link, useNavigate } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { SORT_FIELDS, type EnterpriseListQuery, type EnterpriseRow } from '../../api/contract.ts';
import { useEnterpriseList } from '../../api/enterprises.ts';
import { useClusters } from '../../api/reference.ts';
import { formatNumber, MISSING } from '../../format.ts';
import { canCreateEnterprise } from '../../permissions.ts';
import { clusterName } from '../../scope.ts';
import { EnterpriseFilters } from './EnterpriseFilters.tsx';
import { EnterpriseFormModal } from './EnterpriseFormModal.tsx';
import { industryLabel, scaleLabel, tierLabel } from './labels.ts';
import { useListParams } from './listParams.ts';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

type SortField = EnterpriseListQuery['sort'];

const isSortField = (key: unknown): key is SortField => (SORT_FIELDS as readonly unknown[]).includes(key);

export default function EnterpriseListPage() {
  const { t, i18n } = useTranslation();
  const regionName = useRegionName();
  const localName = useLocalName();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const [query, update] = useListParams();
  const list = useEnterpriseList(query);
  const clusters = useClusters();
  const [creating, setCreating] = useState(false);

  const sortOrder = (field: SortField) =>
    query.sort === field ? (query.order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null;

  const columns: TableProps<EnterpriseRow>['columns'] = [
    {
      key: 'name',
      title: t('enterprise.fields.name'),
      dataIndex: 'name',
      sorter: true,
      sortOrder: sortOrder('name'),
      render: (name: string, row) => (
        // A real link as well as the row click, so it can be opened in a new tab or reached by keyboard.
        <Link to={`/enterprises/${row.id}`} onClick={(e) => e.stopPropagation()}>
          {name}
        </Link>
      ),
    },
    {
      key: 'uscc',
      title: t('enterprise.fields.uscc'),
      dataIndex: 'uscc',
      sorter: true,
      sortOrder: sortOrder('uscc'),
      render: (uscc: string) => <span style={NOWRAP}>{uscc}</span>,
    },
    {
      key: 'regionCode',
      title: t('enterprise.fields.county'),
      dataIndex: 'regionName',
      sorter: true,
      sortOrder: sortOrder('regionCode'),
      // the name in the UI language (English mode: 'Tongxiang'), the server's Chinese name until the list loads
      render: (name: string | null, row) =>
        i18n.language === 'en' ? regionName(row.regionCode) : (name ?? row.regionCode),
    },
    {
      key: 'zone',
      title: t('enterprise.fields.zone'),
      dataIndex: 'zoneName',
      render: (v: string | null) => (v ? localName(v) : MISSING),
    },
    {
      key: 'industryCode',
      title: t('enterprise.fields.industry'),
      dataIndex: 'industryCode',
      sorter: true,
      sortOrder: sortOrder('industryCode'),
      render: (code: string, row) => industryLabel(code, row.industryName),
    },
    {
      key: 'scale',
      title: t('enterprise.fields.scale'),
      dataIndex: 'scale',
      render: (scale: string) => scaleLabel(scale, t),
    },
    {
      key: 'clusters',
      title: t('enterprise.fields.clusters'),
      dataIndex: 'clusters',
      render: (codes: string[]) =>
        codes.map((code) => (
          <Tag key={code} color="geekblue">
            {clusterName(code, clusters.data, i18n.language)}
          </Tag>
        )),
    },
    {
      key: 'tiers',
      title: t('enterprise.fields.tiers'),
      dataIndex: 'tiers',
      render: (tiers: string[]) =>
        tiers.map((tier) => (
          <Tag key={tier} color="purple">
            {tierLabel(tier, t)}
          </Tag>
        )),
    },
    {
      key: 'outputValue',
      // One unit for the whole column (万元, whole numbers) and the year in the header.
      title: (
        <span data-testid="output-column-title" style={NOWRAP}>
          {list.data?.outputYear
            ? t('enterprise.fields.outputValueOfYear', {
                year: list.data.outputYear,
                unit: t('units.wanYuan'),
              })
            : `${t('enterprise.fields.outputValue')} (${t('units.wanYuan')})`}
        </span>
      ),
      dataIndex: 'outputValue',
      align: 'right',
      // Stays in view when a narrow screen scrolls the table sideways.
      fixed: 'right',
      sorter: true,
      sortOrder: sortOrder('outputValue'),
      render: (value: number | null) => (
        <span style={NOWRAP}>{value == null ? MISSING : formatNumber(value, 0)}</span>
      ),
    },
  ];

  const onChange: TableProps<EnterpriseRow>['onChange'] = (pagination, _filters, sorter) => {
    const single = Array.isArray(sorter) ? sorter[0] : sorter;
    // antd cycles ascend → descend → none; "none" returns to the default order (name ascending).
    const key = single?.columnKey;
    const active = isSortField(key) && single?.order ? key : undefined;
    const order = active && single?.order === 'descend' ? 'desc' : 'asc';
    if ((active ?? 'name') !== query.sort || order !== query.order) {
      update({ sort: active, order: active ? order : undefined });
      return;
    }
    update({ page: pagination.current ?? 1, pageSize: pagination.pageSize ?? query.pageSize });
  };

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('capabilities.enterprises.name')}
        </Typography.Title>
        {canCreateEnterprise(user) && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="enterprise-create"
          >
            {t('enterprises.create')}
          </Button>
        )}
      </Space>
      <EnterpriseFilters query={query} update={update} />
      {list.isError && (
        <Alert
          type="error"
          showIcon
          title={errorMessage(list.error, i18n.language)}
          style={{ marginBottom: 16 }}
        />
      )}
      <div data-testid="enterprise-table">
        <Table<EnterpriseRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items}
          loading={list.isFetching}
          onChange={onChange}
          scroll={{ x: 'max-content' }}
          onRow={(row) => ({
            onClick: () => void navigate(`/enterprises/${row.id}`),
            style: { cursor: 'pointer' },
          })}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => t('enterprises.total', { count: total }),
          }}
        />
      </div>
      {creating && (
        <EnterpriseFormModal
          mode={{ kind: 'create' }}
          onClose={() => setCreating(false)}
          onSaved={(profile) => void navigate(`/enterprises/${profile.id}`)}
        />
      )}
    </>
  );
}
