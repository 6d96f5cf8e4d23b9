// A small workflow of the shape the capabilities declare, shared by the work-item tests.
import { DEFAULT_ESCALATION } from '../../src/domain/workitems/escalation.ts';
import type { WorkflowDefinition } from '../../src/domain/workitems/types.ts';

export const SAMPLE_FLOW: WorkflowDefinition = {
  kind: 'wi_test',
  zh: '示例',
  en: 'Sample',
  initial: 'new',
  initialDeadline: { kind: 'workingHours', hours: 1 },
  states: [
    { key: 'new', zh: '待分派', en: 'New', timed: true },
    { key: 'assigned', zh: '办理中', en: 'In hand', timed: true },
    { key: 'answered', zh: '已答复', en: 'Answered' },
    { key: 'closed', zh: '已办结', en: 'Closed', final: true },
  ],
  transitions: [
    {
      name: 'assign',
      zh: '分派',
      en: 'Assign',
      from: ['new', 'assigned'],
      to: 'assigned',
      by: ['coordinator'],
      assigns: true,
      deadline: { kind: 'workingDays', days: 7 },
    },
    {
      name: 'return',
      zh: '退回',
      en: 'Return',
      from: ['assigned'],
      to: 'new',
      by: ['owner'],
      reasonRequired: true,
      deadline: { kind: 'keep' },
    },
    {
      name: 'answer',
      zh: '答复',
      en: 'Answer',
      from: ['assigned'],
      to: 'answered',
      by: ['owner'],
      deadline: { kind: 'none' },
    },
    {
      name: 'close',
      zh: '办结',
      en: 'Close',
      from: ['answered'],
      to: 'closed',
      by: ['subject', 'coordinator'],
      reasonRequired: true,
    },
  ],
  escalation: DEFAULT_ESCALATION,
};
