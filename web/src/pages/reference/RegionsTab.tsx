import { useMemo, useState } from 'react';
import { Alert, Input, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import type { Region } from '../../api/contract.ts';
import { useRegions } from '../../api/reference.ts';
import { MISSING } from '../../format.ts';
import { matches } from './matches.ts';

export function RegionsTab() {
  const { t, i18n } = useTranslation();
  const regions = useRegions();
  const [q, setQ] = useState('');
  const en = i18n.language === 'en';
  const names = useMemo(
    () => new Map((regions.data ?? []).map((r) => [r.code, en ? (r.nameEn ?? r.name) : r.name])),
    [regions.data, en],
  );
  const rows = (regions.data ?? []).filter((r) => matches(q, r.code, r.name, r.nameEn));

  return (
    <>
      <Input.Search
        allowClear
        placeholder={t('reference.searchRegions')}
        onSearch={setQ}
        onChange={(e) => setQ(e.target.value)}
        style={{ width: 280, marginBottom: 16 }}
      />
      {regions.isError && <Alert type="error" showIcon title={errorMessage(regions.error, i18n.language)} />}
      <Table<Region>
        rowKey="code"
        size="small"
        loading={regions.isPending}
        dataSource={rows}
        data-testid="regions-table"
        columns={[
          { key: 'code', title: t('reference.code'), dataIndex: 'code' },
          // the register's Chinese name column is Chinese in every language (lang marks it so)
          { key: 'name', title: t('reference.name'), dataIndex: 'name', onCell: () => ({ lang: 'zh' }) },
          {
            key: 'nameEn',
            title: t('reference.nameEn'),
            dataIndex: 'nameEn',
            render: (v: string | null) => v ?? MISSING,
          },
          {
            key: 'level',
            title: t('reference.level'),
            dataIndex: 'level',
            render: (v: string) => t(`reference.regionLevels.${v}`, { defaultValue: v }),
          },
          {
            key: 'parent',
            title: t('reference.parent'),
            dataIndex: 'parentCode',
            render: (v: string | null) => (v ? `${v} ${names.get(v) ?? ''}`.trim() : MISSING),
          },
        ]}
      />
    </>
  );
}
