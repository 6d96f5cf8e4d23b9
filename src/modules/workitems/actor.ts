// Who acts on a work item: a signed-in user (with the facts relations are computed from) or the platform.
import type { Actor } from '../audit/index.ts';
import type { Role } from '../../domain/policy/index.ts';

export interface WorkActor extends Actor {
  /** 'system' for sweeps and automatic transitions */
  role: Role | 'system';
  enterpriseId?: number | null;
  regionCode?: string | null;
  clusterCode?: string | null;
}

export const SYSTEM_ACTOR: WorkActor = { id: null, username: 'system', role: 'system' };

export function workActor(
  user: {
    id: number;
    username: string;
    role: Role;
    enterpriseId?: number | null;
    regionCode?: string | null;
    clusterCode?: string | null;
  },
  ip?: string | null,
): WorkActor {
  return {
    id: user.id,
    username: user.username,
    ip: ip ?? null,
    role: user.role,
    enterpriseId: user.enterpriseId ?? null,
    regionCode: user.regionCode ?? null,
    clusterCode: user.clusterCode ?? null,
  };
}
