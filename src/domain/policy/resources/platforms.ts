// Resources of the platforms register (平台载体, issue 16 item 4): 示范基地, 特色产业园, 小微企业园, 创新中心,
// 工业互联网平台, 设计基地, 公共服务平台. Region scope: a county officer sees and keeps its county's entries
// (and reads the city-wide ones), a cluster agency reads its cluster's; the city keeps all.
import type { ResourcePolicy } from '../types.ts';

export const platformsResources = {
  'platforms.platform': {
    label: { zh: '平台载体', en: 'platforms and carriers' },
    scope: 'region',
    grants: {
      admin: ['read', 'export', 'create', 'update', 'delete', 'import'],
      analyst: ['read', 'export'],
      county: ['read', 'export', 'create', 'update', 'delete', 'import'],
      cluster_agency: ['read', 'export'],
    },
  },
} satisfies Record<string, ResourcePolicy>;
