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
  const groups: TodoGroup[] = [];
  if (can(user, 'alerts.alert', 'handle'))
    groups.push(group('alerts', await openAlertCounts(db, user.scope)));
  const requests = await requestTodoCounts(db, user);
  if (requests.dispatch) groups.push(group('service.dispatch', requests.dispatch));
  if (requests.inbox) groups.push(group('service.inbox', requests.inbox));
  if (requests.assist) groups.push(group('service.assist', requests.assist));
  if (requests.toRate) groups.push(group('service.toRate', requests.toRate));
  if (requests.ownOpen) groups.push(group('service.ownOpen', requests.ownOpen));
  const reports = await reportTodoCounts(db, user);
  if (reports.toReview) groups.push(group('targets.toReview', reports.toReview));
  if (reports.toCorrect) groups.push(group('targets.toCorrect', reports.toCorrect));
  // who handles objections counts the open ones in its scope; a firm that files them, its own
  if (can(user, 'evaluation.objection', 'handle') || can(user, 'evaluation.objection', 'create'))
    groups.push(group('evaluation.objections', await openObjectionCount(db, user)));
  // four eyes: what another person submitted, awaiting this user's review or publication
  if (can(user, 'evaluation.run', 'publish'))
    groups.push(group('evaluation.runs', await runsAwaitingPublicationCount(db, user)));
  if (can(user, 'index.edition', 'review') || can(user, 'index.edition', 'publish'))
    groups.push(group('index.editions', await editionsAwaitingCount(db, INDEX_KIND, user.id)));
  if (can(user, 'assessment.edition', 'review') || can(user, 'assessment.edition', 'publish'))
    groups.push(group('assessment.editions', await editionsAwaitingCount(db, ASSESSMENT_KIND, user.id)));
  if (can(user, 'alerts.ruleSet', 'manage'))
    groups.push(group('alerts.rules', await editionsAwaitingCount(db, ALERT_RULES_KIND, user.id)));
  if (can(user, 'bulletin.report', 'publish'))
    groups.push(group('bulletin.reports', await bulletinsAwaitingPublicationCount(db, user)));
  return { groups };
}
