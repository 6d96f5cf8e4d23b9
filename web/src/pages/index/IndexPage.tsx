// 集群指数: overview (five clusters over time, dimensions, rank bands), cluster × county heatmap,
// comparison of two editions, and the editions with their method, workflow and downloads.
import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import './i18n.ts';
import { OverviewPage } from './OverviewPage.tsx';
import { HeatmapPage } from './HeatmapPage.tsx';
import { ComparePage } from './ComparePage.tsx';
import { EditionsPage } from './EditionsPage.tsx';
import { EditionPage } from './EditionPage.tsx';

export default function IndexPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const tab =
    ['heatmap', 'compare', 'editions'].find((k) => pathname.startsWith(`/index/${k}`)) ?? 'overview';
  return (
    <div>
      <Typography.Title level={3}>{t('clusterIndex.title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        items={(['overview', 'heatmap', 'compare', 'editions'] as const).map((k) => ({
          key: k,
          label: t(`clusterIndex.tabs.${k}`),
        }))}
        onChange={(k) => navigate(k === 'overview' ? '/index' : `/index/${k}`)}
      />
      <Routes>
        <Route index element={<OverviewPage />} />
        <Route path="heatmap" element={<HeatmapPage />} />
        <Route path="compare" element={<ComparePage />} />
        <Route path="editions" element={<EditionsPage />} />
        <Route path="editions/:id" element={<EditionPage />} />
      </Routes>
    </div>
  );
}
