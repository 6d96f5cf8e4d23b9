// 基础数据: the registries every other capability refers to. The open tab is kept in the URL.
import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ClustersTab } from './ClustersTab.tsx';
import { IndustriesTab } from './IndustriesTab.tsx';
import { RegionsTab } from './RegionsTab.tsx';
import { ZonesTab } from './ZonesTab.tsx';

const TABS = ['regions', 'zones', 'industries', 'clusters'] as const;
type Tab = (typeof TABS)[number];
const isTab = (v: string | null): v is Tab => (TABS as readonly (string | null)[]).includes(v);

export default function ReferencePage() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab');
  const active: Tab = isTab(tab) ? tab : 'regions';

  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('capabilities.reference.name')}
      </Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => setSearch({ tab: key })}
        destroyOnHidden
        items={[
          { key: 'regions', label: t('reference.regions'), children: <RegionsTab /> },
          { key: 'zones', label: t('reference.zones'), children: <ZonesTab /> },
          { key: 'industries', label: t('reference.industries'), children: <IndustriesTab /> },
          { key: 'clusters', label: t('reference.clusters'), children: <ClustersTab /> },
        ]}
      />
    </>
  );
}
