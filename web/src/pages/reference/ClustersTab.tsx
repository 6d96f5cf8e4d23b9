import { useState } from 'react';
import { Alert, Input, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import type { Cluster } from '../../api/contract.ts';
import { useClusters } from '../../api/reference.ts';
import { matches } from './matches.ts';

const SHOWN_CODES = 12;

export function ClustersTab() {
  const { t, i18n } = useTranslation();
  const clusters = useClusters();
  const [q, setQ] = useState('');
  const rows = (clusters.data ?? []).filter((c) => matches(q, c.code, c.name, c.nameEn, ...c.industryCodes));

  return (
    <>
      <Input.Search
        allowClear
        placeholder={t('reference.searchClusters')}
        onSearch={setQ}
        onChange={(e) => setQ(e.target.value)}
        style={{ width: 280, marginBottom: 16 }}
      />
      {clusters.isError && (
        <Alert type="error" showIcon title={errorMessage(clusters.error, i18n.language)} />
      )}
      <Table<Cluster>
        rowKey="code"
        size="small"
        pagination={false}
        loading={clusters.isPending}
        dataSource={rows}
        data-testid="clusters-table"
        columns={[
          { key: 'sortOrder', title: '#', dataIndex: 'sortOrder', width: 50 },
          { key: 'code', title: t('reference.code'), dataIndex: 'code', width: 140 },
          // the register's Chinese name column is Chinese in every language (lang marks it so)
          {
            key: 'name',
            title: t('reference.name'),
            dataIndex: 'name',
            width: 140,
            onCell: () => ({ lang: 'zh' }),
          },
          { key: 'nameEn', title: t('reference.nameEn'), dataIndex: 'nameEn', width: 200 },
          {
            key: 'industryCodes',
            title: t('reference.industryCodes'),
            dataIndex: 'industryCodes',
            render: (codes: string[]) => (
              <>
                {codes.slice(0, SHOWN_CODES).map((code) => (
                  <Tag key={code}>{code}</Tag>
                ))}
                {codes.length > SHOWN_CODES && (
                  <Tag>{t('reference.more', { count: codes.length - SHOWN_CODES })}</Tag>
                )}
              </>
            ),
          },
        ]}
      />
    </>
  );
}
