// The review of a reported target value on the shared work items: submitted (待审核) → 通过 (approved) or
// 退回 with a reason (returned) → corrected and submitted again. The city reviews as coordinator (市转升办,
// an administrator); the county office (or department) that reported owns the item and corrects it. The
// review and the correction each have five working days (a reading of this project, PROPOSED: the policy
// sets no time limit); late items climb the shared 催办/督办 ladder.
import type { WorkflowDefinition } from '../workitems/types.ts';
import { DEFAULT_ESCALATION } from '../workitems/escalation.ts';

export const TARGET_REPORT_KIND = 'target_report';
export const REVIEW_WORKING_DAYS = 5;

export const TARGET_REPORT_WORKFLOW: WorkflowDefinition = {
  kind: TARGET_REPORT_KIND,
  zh: '目标填报审核',
  en: 'Reported target review',
  initial: 'pending',
  initialDeadline: { kind: 'workingDays', days: REVIEW_WORKING_DAYS },
  states: [
    { key: 'pending', zh: '待审核', en: 'To review', timed: true },
    { key: 'returned', zh: '已退回', en: 'Returned', timed: true },
    { key: 'approved', zh: '已通过', en: 'Approved', final: true },
  ],
  transitions: [
    {
      name: 'approve',
      zh: '通过',
      en: 'Approve',
      from: ['pending'],
      to: 'approved',
      by: ['coordinator'],
    },
    {
      name: 'return',
      zh: '退回',
      en: 'Return',
      from: ['pending'],
      to: 'returned',
      by: ['coordinator'],
      reasonRequired: true,
      deadline: { kind: 'workingDays', days: REVIEW_WORKING_DAYS },
    },
    {
      name: 'resubmit',
      zh: '修改后重新提交',
      en: 'Correct and resubmit',
      from: ['returned'],
      to: 'pending',
      by: ['owner', 'creator'],
      deadline: { kind: 'workingDays', days: REVIEW_WORKING_DAYS },
    },
  ],
  escalation: DEFAULT_ESCALATION,
};
