// GB/T 4754-2017 codes. Searched on the server: the full classification has ~1,900 entries.
import { useState } from 'react';
import { Alert, Input, Select, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import type { Industry } from '../../api/contract.ts';
import { useIndustries, type IndustryFilter } from '../../api/reference.ts';
import { MISSING } from '../../format.ts';

const LEVELS = ['section', 'division', 'group', 'class'] as const;

export function IndustriesTab() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<IndustryFilter>({ level: 'division' });
  const industries = useIndustries(filter);

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('reference.searchIndustries')}
          onSearch={(q) => setFilter((f) => ({ ...f, q: q.trim() || undefined }))}
          style={{ width: 280 }}
        />
        <Select
          allowClear
          placeholder={t('reference.level')}
          value={filter.level}
          onChange={(level: Industry['level'] | undefined) => setFilter((f) => ({ ...f, level }))}
          options={LEVELS.map((l) => ({ value: l, label: t(`reference.industryLevels.${l}`) }))}
          style={{ width: 140 }}
        />
        <Select
          value={filter.clustered ? 'clustered' : 'all'}
          onChange={(v: string) => setFilter((f) => ({ ...f, clustered: v === 'clustered' || undefined }))}
          options={[
            { value: 'all', label: t('reference.allIndustries') },
            { value: 'clustered', label: t('reference.clusteredOnly') },
          ]}
          style={{ width: 200 }}
        />
      </Space>
      {industries.isError && (
        <Alert type="error" showIcon title={errorMessage(industries.error, i18n.language)} />
      )}
      <Table<Industry>
        rowKey="code"
        size="small"
        loading={industries.isFetching}
        dataSource={industries.data}
        data-testid="industries-table"
        columns={[
          { key: 'code', title: t('reference.code'), dataIndex: 'code', width: 90 },
          { key: 'name', title: t('reference.name'), dataIndex: 'name' },
          {
            key: 'level',
            title: t('reference.level'),
            dataIndex: 'level',
            width: 90,
            render: (v: string) => t(`reference.industryLevels.${v}`, { defaultValue: v }),
          },
          { key: 'section', title: t('reference.section'), dataIndex: 'section', width: 70 },
          {
            key: 'parent',
            title: t('reference.parent'),
            dataIndex: 'parentCode',
            width: 90,
            render: (v: string | null) => v ?? MISSING,
          },
          {
            key: 'remark',
            title: t('reference.remark'),
            dataIndex: 'remark',
            ellipsis: true,
            render: (v: string | null) => v ?? MISSING,
          },
        ]}
      />
    </>
  );
}
