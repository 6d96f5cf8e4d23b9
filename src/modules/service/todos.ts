// The home page's to-do counts of enterprise requests (我的待办): the same lists the service page shows the
// user — its units' inbox (mine=true, open), the 协办 input its units owe (assist=pending, open), and for a
// firm its own open requests and those answered and awaiting its 回访 — counted with the same filter
// (requestFilter), so a count is the length of the list its link opens.
import { can, ownFirmOf } from '../../domain/policy/index.ts';
import type { Db } from '../../db/client.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { countWorkItems } from '../workitems/index.ts';
import { visibilityOf } from './access.ts';
import { requestFilter } from './repo.ts';
import { DISPATCH_STATES } from './schemas.ts';

export interface TodoCount {
  total: number;
  overdue: number;
}

export interface RequestTodos {
  /** for the coordinating office: requests to dispatch (submitted) or whose contest awaits its decision */
  dispatch?: TodoCount;
  /** open requests owned by the user's units (the 我的待办 tab of the service page) */
  inbox?: TodoCount;
  /** open requests on which the user's units owe 协办 input (overdue: past the input's due time) */
  assist?: TodoCount;
  /** a firm's own open requests */
  ownOpen?: TodoCount;
  /** a firm's own requests answered and awaiting its 回访 (rating) */
  toRate?: TodoCount;
}

export async function requestTodoCounts(db: Db, user: AuthedUser): Promise<RequestTodos> {
  if (!can(user, 'service.request', 'handle')) return {};
  const v = await visibilityOf(db, user);
  if (ownFirmOf(user) != null) {
    const [ownOpen, toRate] = await Promise.all([
      countWorkItems(db, requestFilter(db, v, { open: true })),
      countWorkItems(db, requestFilter(db, v, { open: true, state: 'answered' })),
    ]);
    return { ownOpen, toRate };
  }
  if (!v.unitIds.length) return {};
  // the centre's own work (the coordinator's transitions: assign, answer_direct, reassign, uphold); an
  // administrator may act as coordinator too, but the dispatching is the office's, so only its members count it
  const dispatch = v.units.some((u) => u.kind === 'coordinator')
    ? await countWorkItems(db, requestFilter(db, v, { open: true, state: DISPATCH_STATES }))
    : undefined;
  const [inbox, assist] = await Promise.all([
    countWorkItems(db, requestFilter(db, v, { open: true, mine: true })),
    countWorkItems(db, requestFilter(db, v, { open: true, assist: 'pending' }), {
      assistOverdueFor: v.unitIds,
    }),
  ]);
  return { ...(dispatch ? { dispatch } : {}), inbox, assist };
}
