// 企业培育 (issue 20): libraries with their entry criteria, candidates screened from the data, each
// firm's pathway through a library, and the output ladder per cluster. An enterprise user sees which
// libraries it meets and what it lacks. What the page offers comes from the access policy.
import { useState } from 'react';
import { Select, Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { useClusters } from '../../api/reference.ts';
import { can } from '../../../../src/domain/policy/index.ts';
import './i18n.ts';
import { LibrariesTab } from './LibrariesTab.tsx';
import { CandidatesTab } from './CandidatesTab.tsx';
import { PipelineTab } from './PipelineTab.tsx';
import { LadderTab } from './LadderTab.tsx';
import { FirmTab } from './FirmTab.tsx';

export default function CultivationPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const clusters = useClusters();
  const [cluster, setCluster] = useState<string | undefined>();
  const [library, setLibrary] = useState<string | undefined>();
  const [tab, setTab] = useState(user.role === 'enterprise' ? 'firm' : 'libraries');
  const seesFirms = user.role !== 'enterprise';

  const items = [
    ...(user.enterpriseId != null
      ? [
          {
            key: 'firm',
            label: t('cultivation.tabs.firm'),
            children: <FirmTab enterpriseId={user.enterpriseId} />,
          },
        ]
      : []),
    {
      key: 'libraries',
      label: t('cultivation.tabs.libraries'),
      children: (
        <LibrariesTab
          cluster={cluster}
          onPick={(key) => {
            setLibrary(key);
            if (seesFirms) setTab('candidates');
          }}
        />
      ),
    },
    ...(seesFirms
      ? [
          {
            key: 'candidates',
            label: t('cultivation.tabs.candidates'),
            children: <CandidatesTab cluster={cluster} library={library} onLibrary={setLibrary} />,
          },
        ]
      : []),
    ...(can(user, 'cultivation.pipeline', 'read') && seesFirms
      ? [
          {
            key: 'pipeline',
            label: t('cultivation.tabs.pipeline'),
            children: <PipelineTab library={library} />,
          },
        ]
      : []),
    { key: 'ladder', label: t('cultivation.tabs.ladder'), children: <LadderTab cluster={cluster} /> },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('cultivation.title')}
        </Typography.Title>
        {seesFirms && (
          <Select
            allowClear
            placeholder={t('cultivation.allClusters')}
            style={{ minWidth: 180 }}
            value={cluster}
            onChange={setCluster}
            options={(clusters.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
            data-testid="cultivation-cluster"
          />
        )}
      </Space>
      <Tabs activeKey={tab} onChange={setTab} items={items} destroyOnHidden />
    </Space>
  );
}
