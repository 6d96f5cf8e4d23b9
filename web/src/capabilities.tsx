// The menu: every information system of the policy (READING.md §4), in a fixed order with stable
// paths. `built: false` entries render an honest "not built yet" page instead of placeholder data.
import type { ReactNode } from 'react';
import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  ClusterOutlined,
  FlagOutlined,
  CloudUploadOutlined,
  CustomerServiceOutlined,
  DatabaseOutlined,
  FundOutlined,
  HomeOutlined,
  LineChartOutlined,
  ProjectOutlined,
  RiseOutlined,
  TrophyOutlined,
  AimOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { CurrentUser } from './api/contract.ts';
import { can, type Resource } from './permissions.ts';

export interface Capability {
  /** i18n key under `capabilities.<key>` (name, description) and the menu key. */
  key: string;
  path: string;
  icon: ReactNode;
  built: boolean;
  /**
   * The policy resource (src/domain/policy) whose `read` the entry needs: the menu offers it only to
   * roles that may read it, so no entry answers 403. Absent: every signed-in user (home, account,
   * capabilities not built yet).
   */
  resource?: Resource;
}

export const CAPABILITIES: readonly Capability[] = [
  { key: 'home', path: '/', icon: <HomeOutlined />, built: true },
  {
    key: 'enterprises',
    path: '/enterprises',
    icon: <BankOutlined />,
    built: true,
    resource: 'enterprises.enterprise',
  },
  {
    key: 'imports',
    path: '/imports',
    icon: <CloudUploadOutlined />,
    built: true,
    resource: 'imports.import',
  },
  {
    key: 'monitoring',
    path: '/monitoring',
    icon: <LineChartOutlined />,
    built: true,
    resource: 'monitoring.figures',
  },
  {
    key: 'evaluation',
    path: '/evaluation',
    icon: <FundOutlined />,
    built: true,
    resource: 'evaluation.run',
  },
  { key: 'index', path: '/index', icon: <RiseOutlined />, built: true, resource: 'index.edition' },
  { key: 'chains', path: '/chains', icon: <ApartmentOutlined />, built: true, resource: 'chains.chain' },
  {
    key: 'projects',
    path: '/projects',
    icon: <ProjectOutlined />,
    built: true,
    resource: 'projects.project',
  },
  {
    key: 'cultivation',
    path: '/cultivation',
    icon: <TrophyOutlined />,
    built: true,
    resource: 'cultivation.library',
  },
  { key: 'targets', path: '/targets', icon: <AimOutlined />, built: false },
  {
    key: 'assessment',
    path: '/assessment',
    icon: <FlagOutlined />,
    built: true,
    resource: 'assessment.edition',
  },
  {
    key: 'platforms',
    path: '/platforms',
    icon: <ClusterOutlined />,
    built: true,
    resource: 'platforms.platform',
  },
  { key: 'alerts', path: '/alerts', icon: <AlertOutlined />, built: true, resource: 'alerts.alert' },
  {
    key: 'service',
    path: '/service',
    icon: <CustomerServiceOutlined />,
    built: true,
    resource: 'service.request',
  },
  {
    key: 'reference',
    path: '/reference',
    icon: <DatabaseOutlined />,
    built: true,
    resource: 'reference.data',
  },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, built: true, resource: 'audit.entry' },
  { key: 'account', path: '/account', icon: <UserOutlined />, built: true },
];

export function visibleCapabilities(user: CurrentUser): Capability[] {
  return CAPABILITIES.filter((c) => !c.resource || can(user, c.resource, 'read'));
}

/** The capability a path belongs to ('/enterprises/12' → enterprises), for the menu highlight. */
export function capabilityOfPath(pathname: string): Capability | undefined {
  if (pathname === '/') return CAPABILITIES[0];
  return CAPABILITIES.find(
    (c) => c.path !== '/' && (pathname === c.path || pathname.startsWith(`${c.path}/`)),
  );
}
