// Resources of the home page (首页). 'home.todos' is the signed-in user's own to-do counts: every role reads
// its own (scope `own`: the answer is about the user, assembled from what each capability would list for
// it). It carries counts only, never a firm's values.
import type { ResourcePolicy } from '../types.ts';

export const homeResources = {
  'home.todos': {
    label: { zh: '我的待办', en: 'my to-dos' },
    scope: 'own',
    grants: {
      admin: ['read'],
      analyst: ['read'],
      county: ['read'],
      cluster_agency: ['read'],
      enterprise: ['read'],
      auditor: ['read'],
      department: ['read'],
    },
  },
} satisfies Record<string, ResourcePolicy>;
