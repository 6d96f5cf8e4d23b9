// 我的待办: what the signed-in user has to act on, counted by the capabilities that own the work, each
// through its public entry and with its own notion of "mine" (its lists' filters, its scope, its four-eyes
// rule). Only the groups the one access policy lets the user act on are answered; a read, it writes nothing.
import type { Db } from '../../db/client.ts';
import { can } from '../../domain/policy/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { ALERT_RULES_KIND, openAlertCounts } from '../alerts/index.ts';
import { ASSESSMENT_KIND } from '../assessment/index.ts';
import { bulletinsAwaitingPublicationCount } from '../bulletin/index.ts';
import { INDEX_KIND } from '../cluster-index/index.ts';
import { editionsAwaitingCount } from '../editions/index.ts';
import { openObjectionCount, runsAwaitingPublicationCount } from '../evaluation/index.ts';
import { requestTodoCounts, type TodoCount } from '../service/index.ts';
import { reportTodoCounts } from '../targets/index.ts';
import type { TodoGroup, TodoKey, Todos } from './schemas.ts';

const LABELS: Record<TodoKey, { zh: string; en: string; path: string }> = {
  alerts: { zh: '待处置预警', en: 'Alerts to handle', path: '/alerts' },
  'service.dispatch': {
    zh: '待分派、待裁决诉求',
    en: 'Requests to dispatch or decide',
    path: '/service?tab=dispatch',
  },
  'service.inbox': { zh: '本单位承办诉求', en: 'Requests your units handle', path: '/service?tab=inbox' },
  'service.assist': {
    zh: '待协办诉求',
    en: 'Requests awaiting your co-handling',
    path: '/service?tab=assist',
  },
  'service.toRate': { zh: '待回访评价的诉求', en: 'Answered requests to rate', path: '/service' },
  'service.ownOpen': { zh: '办理中的诉求', en: 'Your open requests', path: '/service' },
  'targets.toReview': {
    zh: '待审核目标填报',
    en: 'Reported targets to review',
    path: '/targets?tab=reports',
  },
  'targets.toCorrect': {
    zh: '退回待修改的目标填报',
    en: 'Reported targets returned to you',
    path: '/targets?tab=reports',
  },
  'evaluation.runs': { zh: '待发布亩均评价', en: 'Evaluation runs to publish', path: '/evaluation' },
  'evaluation.objections': { zh: '待处理评价异议', en: 'Open objections', path: '/evaluation/objections' },
  'index.editions': { zh: '待审核集群指数版本', en: 'Index editions to review', path: '/index/editions' },
  'assessment.editions': { zh: '待审核考核方案', en: 'Assessment editions to review', path: '/assessment' },
  'alerts.rules': { zh: '待审核预警规则', en: 'Alert rule sets to review', path: '/alerts/rules' },
  'bulletin.reports': { zh: '待发布月报', en: 'Bulletins to publish', path: '/bulletin' },
};

const group = (key: TodoKey, c: TodoCount | number): TodoGroup => {
  const { total, overdue } = typeof c === 'number' ? { total: c, overdue: 0 } : c;
  return { key, ...LABELS[key], count: total, overdue };
};

/** The user's to-do groups, in a fixed order (the checks are the policy's; the counts the owners'). */
export async function todosOf(db: Db, user: AuthedUser): Promise<Todos> {
  // each count asked at once (a home page opens on them; one after another they took the administrator's ten
  // statements' time end to end), each only where the policy lets the user act on its group
  const when = <T>(allowed: boolean, count: () => Promise<T>) => (allowed ? count() : undefined);
  const [alerts, requests, reports, objections, runs, index, assessment, rules, bulletins] =
    await Promise.all([
      when(can(user, 'alerts.alert', 'handle'), () => openAlertCounts(db, user.scope)),
      requestTodoCounts(db, user),
      reportTodoCounts(db, user),
      // who handles objections counts the open ones in its scope; a firm that files them, its own
      when(can(user, 'evaluation.objection', 'handle') || can(user, 'evaluation.objection', 'create'), () =>
        openObjectionCount(db, user),
      ),
      // four eyes: what another person submitted, awaiting this user's review or publication
      when(can(user, 'evaluation.run', 'publish'), () => runsAwaitingPublicationCount(db, user)),
      when(can(user, 'index.edition', 'review') || can(user, 'index.edition', 'publish'), () =>
        editionsAwaitingCount(db, INDEX_KIND, user.id),
      ),
      when(can(user, 'assessment.edition', 'review') || can(user, 'assessment.edition', 'publish'), () =>
        editionsAwaitingCount(db, ASSESSMENT_KIND, user.id),
      ),
      when(can(user, 'alerts.ruleSet', 'manage'), () => editionsAwaitingCount(db, ALERT_RULES_KIND, user.id)),
      when(can(user, 'bulletin.report', 'publish'), () => bulletinsAwaitingPublicationCount(db, user)),
    ]);
  const counted: [TodoKey, TodoCount | number | undefined][] = [
    ['alerts', alerts],
    ['service.dispatch', requests.dispatch],
    ['service.inbox', requests.inbox],
    ['service.assist', requests.assist],
    ['service.toRate', requests.toRate],
    ['service.ownOpen', requests.ownOpen],
    ['targets.toReview', reports.toReview],
    ['targets.toCorrect', reports.toCorrect],
    ['evaluation.objections', objections],
    ['evaluation.runs', runs],
    ['index.editions', index],
    ['assessment.editions', assessment],
    ['alerts.rules', rules],
    ['bulletin.reports', bulletins],
  ];
  return { groups: counted.flatMap(([key, c]) => (c === undefined ? [] : [group(key, c)])) };
}
