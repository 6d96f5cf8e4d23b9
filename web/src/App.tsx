// Routes. Pages are loaded on demand so the first screen does not wait for charts or big tables.
import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { CAPABILITIES } from './capabilities.tsx';
import { AppShell } from './components/AppShell.tsx';
import { NotBuilt } from './components/NotBuilt.tsx';
import { NotFound } from './components/NotFound.tsx';
import { RequireAuth } from './components/RequireAuth.tsx';
import { SuspensePage } from './components/PageLoading.tsx';

const LoginPage = lazy(() => import('./pages/login/LoginPage.tsx'));
const HomePage = lazy(() => import('./pages/home/HomePage.tsx'));
const EnterpriseListPage = lazy(() => import('./pages/enterprises/EnterpriseListPage.tsx'));
const EnterpriseProfilePage = lazy(() => import('./pages/enterprises/EnterpriseProfilePage.tsx'));
const ReferencePage = lazy(() => import('./pages/reference/ReferencePage.tsx'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage.tsx'));
const AccountPage = lazy(() => import('./pages/account/AccountPage.tsx'));
const ImportWizardPage = lazy(() => import('./pages/imports/ImportWizardPage.tsx'));
const ImportHistoryPage = lazy(() => import('./pages/imports/ImportHistoryPage.tsx'));
const ProjectsPage = lazy(() => import('./pages/projects/ProjectsPage.tsx'));
const ProjectPage = lazy(() => import('./pages/projects/ProjectPage.tsx'));
const ServicePage = lazy(() => import('./pages/service/ServicePage.tsx'));
const ServiceRequestPage = lazy(() => import('./pages/service/RequestPage.tsx'));
const ServiceUnitsPage = lazy(() => import('./pages/service/UnitsPage.tsx'));
const MonitoringCockpitPage = lazy(() => import('./pages/monitoring/CockpitPage.tsx'));
const MonitoringClusterPage = lazy(() => import('./pages/monitoring/ClusterPage.tsx'));
const MonitoringRegionPage = lazy(() => import('./pages/monitoring/RegionPage.tsx'));
const MonitoringRankingsPage = lazy(() => import('./pages/monitoring/RankingsPage.tsx'));
const EvaluationPage = lazy(() => import('./pages/evaluation/EvaluationPage.tsx'));
const ChainAtlasPage = lazy(() => import('./pages/chains/ChainAtlasPage.tsx'));
const ChainRoadmapPage = lazy(() => import('./pages/chains/RoadmapPage.tsx'));
const ChainStructurePage = lazy(() => import('./pages/chains/ChainStructurePage.tsx'));
const ChainHistoryPage = lazy(() => import('./pages/chains/ChainHistoryPage.tsx'));
const ChainTargetsPage = lazy(() => import('./pages/chains/ChainTargetsPage.tsx'));
const ChainProjectsPage = lazy(() => import('./pages/chains/ChainProjectsPage.tsx'));
const AlertBoardPage = lazy(() => import('./pages/alerts/BoardPage.tsx'));
const AlertProfilePage = lazy(() => import('./pages/alerts/ProfilePage.tsx'));
const AlertAreasPage = lazy(() => import('./pages/alerts/AreasPage.tsx'));
const AlertRulesPage = lazy(() => import('./pages/alerts/RulesPage.tsx'));
const CultivationPage = lazy(() => import('./pages/cultivation/CultivationPage.tsx'));
const IndexPage = lazy(() => import('./pages/index/IndexPage.tsx'));
const PlatformsPage = lazy(() => import('./pages/platforms/PlatformsPage.tsx'));
const AssessmentPage = lazy(() => import('./pages/assessment/AssessmentPage.tsx'));
const AssessmentCountyPage = lazy(() => import('./pages/assessment/CountyPage.tsx'));
const PublicIndexPage = lazy(() => import('./pages/index/PublicIndexPage.tsx'));

export function App() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <SuspensePage>
            <LoginPage />
          </SuspensePage>
        }
      />
      <Route
        path="/public/index"
        element={
          <SuspensePage>
            <PublicIndexPage />
          </SuspensePage>
        }
      />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="enterprises" element={<EnterpriseListPage />} />
        <Route path="enterprises/:id" element={<EnterpriseProfilePage />} />
        <Route path="reference" element={<ReferencePage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="account" element={<AccountPage />} />
        <Route path="imports" element={<ImportWizardPage />} />
        <Route path="imports/history" element={<ImportHistoryPage />} />
        <Route path="imports/:id" element={<ImportWizardPage />} />
        <Route path="projects" element={<ProjectsPage />} />
        <Route path="projects/:id" element={<ProjectPage />} />
        <Route path="service" element={<ServicePage />} />
        <Route path="service/requests/:id" element={<ServiceRequestPage />} />
        <Route path="service/units" element={<ServiceUnitsPage />} />
        <Route path="monitoring" element={<MonitoringCockpitPage />} />
        <Route path="monitoring/rankings" element={<MonitoringRankingsPage />} />
        <Route path="monitoring/clusters/:code" element={<MonitoringClusterPage />} />
        <Route path="monitoring/regions/:code" element={<MonitoringRegionPage />} />
        <Route path="evaluation/*" element={<EvaluationPage />} />
        <Route path="chains" element={<ChainAtlasPage />} />
        <Route path="chains/:code" element={<ChainAtlasPage />} />
        <Route path="chains/:code/roadmap" element={<ChainRoadmapPage />} />
        <Route path="chains/:code/structure" element={<ChainStructurePage />} />
        <Route path="chains/:code/history" element={<ChainHistoryPage />} />
        <Route path="chains/:code/targets" element={<ChainTargetsPage />} />
        <Route path="chains/:code/projects" element={<ChainProjectsPage />} />
        <Route path="alerts" element={<AlertBoardPage />} />
        <Route path="alerts/areas" element={<AlertAreasPage />} />
        <Route path="alerts/rules" element={<AlertRulesPage />} />
        <Route path="alerts/profile/:key" element={<AlertProfilePage />} />
        <Route path="cultivation" element={<CultivationPage />} />
        <Route path="index/*" element={<IndexPage />} />
        <Route path="platforms" element={<PlatformsPage />} />
        <Route path="assessment" element={<AssessmentPage />} />
        <Route path="assessment/:id/counties/:code" element={<AssessmentCountyPage />} />
        {CAPABILITIES.filter((c) => !c.built).map((c) => (
          <Route key={c.key} path={c.path.slice(1)} element={<NotBuilt capability={c.key} />} />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
