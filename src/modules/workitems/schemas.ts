// Zod shapes of work items as the API answers them (shared with the web).
import { z } from 'zod';

export const levelSchema = z.enum(['normal', 'due_soon', 'overdue', 'urged', 'escalated']);
export const slaSchema = z.enum(['green', 'yellow', 'red', 'purple', 'none']);

export const workItemViewSchema = z.object({
  id: z.number(),
  kind: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  title: z.string(),
  state: z.string(),
  stateZh: z.string(),
  stateEn: z.string(),
  final: z.boolean(),
  ownerUnitId: z.number().nullable(),
  ownerUnitName: z.string().nullable().optional(),
  ownerUserId: z.number().nullable(),
  enterpriseId: z.number().nullable(),
  regionCode: z.string().nullable(),
  clusterCode: z.string().nullable(),
  timed: z.boolean(),
  level: levelSchema,
  levelZh: z.string(),
  sla: slaSchema,
  deadlineAt: z.string().nullable(),
  remindAt: z.string().nullable(),
  urgeAt: z.string().nullable(),
  escalateAt: z.string().nullable(),
  everOverdue: z.boolean(),
  closedAt: z.string().nullable(),
  closeReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type WorkItemView = z.infer<typeof workItemViewSchema>;

export const workItemEventSchema = z.object({
  id: z.number(),
  at: z.string(),
  type: z.string(),
  transition: z.string().nullable(),
  transitionZh: z.string().nullable(),
  fromState: z.string().nullable(),
  toState: z.string().nullable(),
  toStateZh: z.string().nullable(),
  fromUnitName: z.string().nullable(),
  toUnitName: z.string().nullable(),
  level: levelSchema.nullable(),
  actorUsername: z.string().nullable(),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type WorkItemEventView = z.infer<typeof workItemEventSchema>;

export const unitSchema = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: z.string(),
  level: z.string(),
  regionCode: z.string().nullable(),
  clusterCode: z.string().nullable(),
  duties: z.array(z.string()),
  active: z.boolean(),
  members: z.array(
    z.object({ userId: z.number(), username: z.string(), displayName: z.string(), duty: z.string() }),
  ),
});

export const newUnitBody = z.object({
  code: z.string().min(1).max(60),
  name: z.string().min(1).max(100),
  nameEn: z.string().max(200).nullish(),
  kind: z.enum(['department', 'county', 'cluster_agency', 'coordinator', 'supervisor', 'town']),
  level: z.enum(['city', 'county', 'town']),
  regionCode: z.string().nullish(),
  clusterCode: z.string().nullish(),
  duties: z.array(z.string()).default([]),
});

export const unitChangeBody = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  nameEn: z.string().trim().max(200).nullish(),
  level: z.enum(['city', 'county', 'town']).optional(),
  regionCode: z.string().max(20).nullish(),
  clusterCode: z.string().max(40).nullish(),
  /** the categories it is the competent department for (routing) */
  duties: z.array(z.string().min(1).max(40)).max(20).optional(),
  active: z.boolean().optional(),
  sortOrder: z.number().int().optional(),
});

export const calendarSchema = z.object({
  years: z.array(
    z.object({
      year: z.number(),
      source: z.object({
        title: z.string(),
        number: z.string().nullable(),
        published: z.string(),
        url: z.string().nullable(),
        confirmed: z.boolean(),
        note: z.string().optional(),
      }),
      holidays: z.array(z.object({ name: z.string(), nameEn: z.string(), from: z.string(), to: z.string() })),
      workingWeekends: z.array(z.object({ date: z.string(), for: z.string() })),
    }),
  ),
  officeHours: z.array(z.tuple([z.string(), z.string()])),
});
