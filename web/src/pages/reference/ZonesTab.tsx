import { useMemo, useState } from 'react';
import { Alert, Input, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import type { Zone } from '../../api/contract.ts';
import { useRegions, useZones } from '../../api/reference.ts';
import { MISSING } from '../../format.ts';
import { matches } from './matches.ts';

export function ZonesTab() {
  const { t, i18n } = useTranslation();
  const zones = useZones();
  const regions = useRegions();
  const [q, setQ] = useState('');
  const en = i18n.language === 'en';
  const regionNames = useMemo(
    () => new Map((regions.data ?? []).map((r) => [r.code, en ? (r.nameEn ?? r.name) : r.name])),
    [regions.data, en],
  );
  const rows = (zones.data ?? []).filter((z) =>
    matches(q, z.code, z.name, z.shortName, z.nameEn, regionNames.get(z.hostRegionCode)),
  );

  return (
    <>
      <Input.Search
        allowClear
        placeholder={t('reference.searchZones')}
        onSearch={setQ}
        onChange={(e) => setQ(e.target.value)}
        style={{ width: 280, marginBottom: 16 }}
      />
      {zones.isError && <Alert type="error" showIcon title={errorMessage(zones.error, i18n.language)} />}
      <Table<Zone>
        rowKey="code"
        size="small"
        loading={zones.isPending}
        dataSource={rows}
        data-testid="zones-table"
        columns={[
          { key: 'code', title: t('reference.code'), dataIndex: 'code' },
          // the register's Chinese name column is Chinese in every language (lang marks it so)
          { key: 'name', title: t('reference.name'), dataIndex: 'name', onCell: () => ({ lang: 'zh' }) },
          {
            key: 'shortName',
            title: t('reference.shortName'),
            dataIndex: 'shortName',
            onCell: () => ({ lang: 'zh' }),
            render: (v: string | null) => v ?? MISSING,
          },
          {
            key: 'nameEn',
            title: t('reference.nameEn'),
            dataIndex: 'nameEn',
            render: (v: string | null) => v ?? MISSING,
          },
          {
            key: 'host',
            title: t('reference.hostCounty'),
            dataIndex: 'hostRegionCode',
            render: (v: string) => regionNames.get(v) ?? v,
          },
          {
            key: 'level',
            title: t('reference.zoneLevel'),
            dataIndex: 'level',
            render: (v: string | null) => (v ? t(`reference.zoneLevels.${v}`, { defaultValue: v }) : MISSING),
          },
          {
            key: 'reportingUnit',
            title: t('reference.reportingUnit'),
            dataIndex: 'reportingUnit',
            render: (v: boolean) => (v ? t('common.yes') : t('common.no')),
          },
        ]}
      />
    </>
  );
}
