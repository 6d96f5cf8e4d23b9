import { z } from 'zod';
import { queryInt } from '../../domain/query-params.ts';

export const auditQuery = z.object({
  entity: z.string().optional(),
  entityId: z.string().optional(),
  username: z.string().optional(),
  page: queryInt({ min: 1 }).default(1),
  pageSize: queryInt({ min: 1, max: 200 }).default(50),
});

export const auditRowSchema = z.object({
  id: z.number(),
  at: z.string(),
  userId: z.number().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
});
export type AuditRow = z.infer<typeof auditRowSchema>;

export const auditListSchema = z.object({
  items: z.array(auditRowSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
