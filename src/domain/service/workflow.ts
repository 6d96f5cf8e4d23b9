// The service request (企业诉求) workflow, as data for the shared work-item machine:
// 待分派 → (分派) 待签收 → (签收) 办理中 → (答复) 待回访 → (满意/基本满意) 已办结, with 异议 (contest) of an
// assignment decided by the coordinator, 重办 when the firm is dissatisfied for a subjective reason, 直接解答
// at intake, 合并 into a duplicate, 撤回 by the firm. Closure (受理 → 交办 → 处置 → 反馈 → 办结) after 衢州.
import type { WorkflowDefinition } from '../workitems/types.ts';
import { SERVICE_ESCALATION, TIME_LIMITS } from './defaults.ts';

export const SERVICE_REQUEST_KIND = 'service_request';

export const SERVICE_WORKFLOW: WorkflowDefinition = {
  kind: SERVICE_REQUEST_KIND,
  zh: '企业诉求',
  en: 'Enterprise request',
  initial: 'submitted',
  initialDeadline: { kind: 'workingDays', days: TIME_LIMITS.dispatchWorkingDays.value },
  states: [
    { key: 'submitted', zh: '待分派', en: 'To dispatch', timed: true },
    { key: 'assigned', zh: '待签收', en: 'To acknowledge', timed: true },
    { key: 'contested', zh: '异议待定', en: 'Contested', timed: true },
    { key: 'handling', zh: '办理中', en: 'In hand', timed: true },
    { key: 'answered', zh: '待回访', en: 'Answered, to follow up' },
    { key: 'closed', zh: '已办结', en: 'Closed', final: true },
    { key: 'merged', zh: '已合并', en: 'Merged', final: true },
    { key: 'withdrawn', zh: '已撤回', en: 'Withdrawn', final: true },
  ],
  transitions: [
    {
      name: 'assign',
      zh: '分派',
      en: 'Assign',
      from: ['submitted'],
      to: 'assigned',
      by: ['coordinator'],
      assigns: true,
      deadline: { kind: 'workingHours', hours: TIME_LIMITS.firstContactWorkingHours.value },
    },
    {
      name: 'answer_direct',
      zh: '直接解答',
      en: 'Answer directly',
      from: ['submitted'],
      to: 'answered',
      by: ['coordinator'],
      reasonRequired: true,
      deadline: { kind: 'none' },
    },
    {
      name: 'accept',
      zh: '签收',
      en: 'Acknowledge',
      from: ['assigned'],
      to: 'handling',
      by: ['owner'],
      deadline: { kind: 'given' },
    },
    {
      name: 'contest',
      zh: '申请退回',
      en: 'Contest assignment',
      from: ['assigned', 'handling'],
      to: 'contested',
      by: ['owner'],
      reasonRequired: true,
      deadline: { kind: 'workingDays', days: 0 },
    },
    {
      name: 'reassign',
      zh: '改派',
      en: 'Reassign',
      from: ['contested', 'assigned', 'handling'],
      to: 'assigned',
      by: ['coordinator'],
      assigns: true,
      reasonRequired: true,
      deadline: { kind: 'workingHours', hours: TIME_LIMITS.firstContactWorkingHours.value },
    },
    {
      name: 'uphold',
      zh: '维持原派',
      en: 'Uphold assignment',
      from: ['contested'],
      to: 'handling',
      by: ['coordinator'],
      reasonRequired: true,
      deadline: { kind: 'given' },
    },
    {
      name: 'answer',
      zh: '答复',
      en: 'Answer',
      from: ['handling'],
      to: 'answered',
      by: ['owner'],
      reasonRequired: true,
      deadline: { kind: 'none' },
    },
    {
      name: 'close',
      zh: '回访办结',
      en: 'Close after follow-up',
      from: ['answered'],
      to: 'closed',
      by: ['subject', 'coordinator'],
      reasonRequired: true,
    },
    {
      name: 'reopen',
      zh: '重办',
      en: 'Redo',
      from: ['answered'],
      to: 'handling',
      by: ['subject', 'coordinator'],
      reasonRequired: true,
      deadline: { kind: 'workingDays', days: TIME_LIMITS.closeWorkingDays.value },
    },
    {
      name: 'merge',
      zh: '合并',
      en: 'Merge',
      from: ['submitted', 'assigned', 'handling'],
      to: 'merged',
      by: ['coordinator'],
      reasonRequired: true,
    },
    {
      name: 'withdraw',
      zh: '撤回',
      en: 'Withdraw',
      from: ['submitted'],
      to: 'withdrawn',
      by: ['subject', 'creator'],
      reasonRequired: true,
    },
  ],
  escalation: SERVICE_ESCALATION,
};

/** Working days allowed to close a request of this nature (consultation: the same day). */
export function closeWorkingDays(nature: string, complex = false): number {
  if (complex) return TIME_LIMITS.complexMaxWorkingDays.value;
  return nature === 'consult' ? TIME_LIMITS.consultWorkingDays.value : TIME_LIMITS.closeWorkingDays.value;
}
