// The home page's to-dos (我的待办), shared with the web: counts only, never a firm's values.
import { z } from 'zod';

export const TODO_KEYS = [
  'alerts',
  'service.dispatch',
  'service.inbox',
  'service.assist',
  'service.toRate',
  'service.ownOpen',
  'targets.toReview',
  'targets.toCorrect',
  'evaluation.runs',
  'evaluation.objections',
  'index.editions',
  'assessment.editions',
  'alerts.rules',
  'bulletin.reports',
] as const;
export type TodoKey = (typeof TODO_KEYS)[number];

export const todoGroupSchema = z.object({
  key: z.enum(TODO_KEYS),
  zh: z.string(),
  en: z.string(),
  /** open items in the group */
  count: z.number().int(),
  /** of them, past their deadline (the SLA's red and beyond); 0 where the items have no deadline */
  overdue: z.number().int(),
  /** the web page (with its filter) that lists them */
  path: z.string(),
});
export type TodoGroup = z.infer<typeof todoGroupSchema>;

/** Every group the user may act on, in a fixed order, empty ones included (the page shows the others). */
export const todosSchema = z.object({ groups: z.array(todoGroupSchema) });
export type Todos = z.infer<typeof todosSchema>;
