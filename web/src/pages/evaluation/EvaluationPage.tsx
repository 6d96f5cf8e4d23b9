// 亩均效益综合评价: runs and results, "why am I class C?", objections, the simulator, the watch list.
import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import './i18n.ts';
import { ExplanationPage } from './ExplanationPage.tsx';
import { ObjectionsPage } from './ObjectionsPage.tsx';
import { ResultsPage } from './ResultsPage.tsx';
import { RunsPage } from './RunsPage.tsx';
import { SimulatorPage } from './SimulatorPage.tsx';
import { RuleSetEditorPage } from './RuleSetEditorPage.tsx';
import { can } from '../../../../src/domain/policy/index.ts';
import { WatchPage } from './WatchPage.tsx';
import { TrendsPage } from './TrendsPage.tsx';
import { PoliciesPage } from './PoliciesPage.tsx';

export default function EvaluationPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const official = user.role !== 'enterprise';
  const tab =
    ['simulator', 'rules', 'watch', 'objections', 'trends', 'policies'].find((k) =>
      pathname.startsWith(`/evaluation/${k}`),
    ) ?? 'runs';
  const items = [
    { key: 'runs', label: t('evaluation.tabs.runs') },
    ...(official && user.role !== 'auditor'
      ? [
          { key: 'simulator', label: t('evaluation.tabs.simulator') },
          ...(can(user, 'evaluation.ruleSet', 'manage')
            ? [{ key: 'rules', label: t('evaluation.tabs.rules') }]
            : []),
          { key: 'watch', label: t('evaluation.tabs.watch') },
        ]
      : []),
    ...(can(user, 'evaluation.aggregate', 'read')
      ? [{ key: 'trends', label: t('evaluation.tabs.trends') }]
      : []),
    ...(can(user, 'evaluation.policyList', 'read')
      ? [{ key: 'policies', label: t('evaluation.tabs.policies') }]
      : []),
    { key: 'objections', label: t('evaluation.tabs.objections') },
  ];
  return (
    <div>
      <Typography.Title level={3}>{t('evaluation.title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        items={items}
        onChange={(k) => navigate(k === 'runs' ? '/evaluation' : `/evaluation/${k}`)}
      />
      <Routes>
        <Route index element={<RunsPage />} />
        <Route path="runs/:runId" element={<ResultsPage />} />
        <Route path="runs/:runId/enterprises/:enterpriseId" element={<ExplanationPage />} />
        <Route path="objections" element={<ObjectionsPage />} />
        <Route path="simulator" element={<SimulatorPage />} />
        <Route path="rules" element={<RuleSetEditorPage />} />
        <Route path="watch" element={<WatchPage />} />
        <Route path="trends" element={<TrendsPage />} />
        <Route path="policies" element={<PoliciesPage />} />
      </Routes>
    </div>
  );
}
