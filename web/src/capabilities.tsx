// The menu: every information system of the policy (READING.md §4), in a fixed order with stable
// paths. `built: false` entries render an honest "not built yet" page instead of placeholder data.
import type { ReactNode } from 'react';
import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
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
import { canSeeAudit } from './permissions.ts';
import { can } from '../../src/domain/policy/index.ts';

export interface Capability {
  /** i18n key under `capabilities.<key>` (name, description) and the menu key. */
  key: string;
  path: string;
  icon: ReactNode;
  built: boolean;
  /** Who sees the entry; everyone when absent. */
  visibleTo?: (user: CurrentUser) => boolean;
}

export const CAPABILITIES: readonly Capability[] = [
  { key: 'home', path: '/', icon: <HomeOutlined />, built: true },
  { key: 'enterprises', path: '/enterprises', icon: <BankOutlined />, built: true },
  { key: 'imports', path: '/imports', icon: <CloudUploadOutlined />, built: true },
  { key: 'monitoring', path: '/monitoring', icon: <LineChartOutlined />, built: true },
  { key: 'evaluation', path: '/evaluation', icon: <FundOutlined />, built: true },
  { key: 'index', path: '/index', icon: <RiseOutlined />, built: false },
  { key: 'chains', path: '/chains', icon: <ApartmentOutlined />, built: true },
  { key: 'projects', path: '/projects', icon: <ProjectOutlined />, built: true },
  {
    key: 'cultivation',
    path: '/cultivation',
    icon: <TrophyOutlined />,
    built: true,
    visibleTo: (u) => can(u, 'cultivation.library', 'read'),
  },
  { key: 'targets', path: '/targets', icon: <AimOutlined />, built: false },
  { key: 'alerts', path: '/alerts', icon: <AlertOutlined />, built: true },
  { key: 'service', path: '/service', icon: <CustomerServiceOutlined />, built: true },
  { key: 'reference', path: '/reference', icon: <DatabaseOutlined />, built: true },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, built: true, visibleTo: canSeeAudit },
  { key: 'account', path: '/account', icon: <UserOutlined />, built: true },
];

export function visibleCapabilities(user: CurrentUser): Capability[] {
  return CAPABILITIES.filter((c) => !c.visibleTo || c.visibleTo(user));
}

/** The capability a path belongs to ('/enterprises/12' → enterprises), for the menu highlight. */
export function capabilityOfPath(pathname: string): Capability | undefined {
  if (pathname === '/') return CAPABILITIES[0];
  return CAPABILITIES.find(
    (c) => c.path !== '/' && (pathname === c.path || pathname.startsWith(`${c.path}/`)),
  );
}
