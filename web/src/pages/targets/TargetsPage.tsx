// 目标考核 (issue 16): the target ledger (every target with its responsible units, source, reviewer,
// measurement and figure, and a county breakdown) and the reported values with their review. What the
// page offers comes from the access policy; the server decides again.
import { useState } from 'react';
import { Select, Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { can } from '../../../../src/domain/policy/index.ts';
import './i18n.ts';
import { LedgerTab } from './LedgerTab.tsx';
import { ReportsTab } from './ReportsTab.tsx';
import { useLedger } from './api.ts';

export default function TargetsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [setCode, setSetCode] = useState<string | undefined>();
  const [year, setYear] = useState<number | undefined>();
  const ledger = useLedger({ setCode, year });
  const shownYear = ledger.data?.year;
  const [search] = useSearchParams(); // ?tab=reports opens the reported values (the home page's to-dos link there)
  const items = [
    { key: 'ledger', label: t('tgt.tabs.ledger'), children: <LedgerTab ledger={ledger} /> },
    ...(can(user, 'targets.report', 'read')
      ? [
          {
            key: 'reports',
            label: t('tgt.tabs.reports'),
            children: <ReportsTab ledger={ledger.data} year={shownYear} />,
          },
        ]
      : []),
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('tgt.title')}
        </Typography.Title>
        <Space wrap>
          <Select
            style={{ minWidth: 260 }}
            value={ledger.data?.set.code}
            onChange={setSetCode}
            options={(ledger.data?.sets ?? []).map((s) => ({ value: s.code, label: s.name }))}
            data-testid="targets-set"
          />
          <Select
            style={{ width: 110 }}
            value={shownYear}
            onChange={setYear}
            options={[2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027].map((y) => ({ value: y, label: y }))}
            data-testid="targets-year"
          />
        </Space>
      </Space>
      <Tabs
        items={items}
        defaultActiveKey={items.find((i) => i.key === search.get('tab'))?.key}
        destroyOnHidden
      />
    </Space>
  );
}
