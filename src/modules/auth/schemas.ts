// Shared with the web app: the shapes of login, the current user and password change.
import { z } from 'zod';

import { ROLES } from '../../domain/policy/types.ts';

export { ROLES };
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const loginBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

export const currentUserSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  clusterCode: z.string().nullable(),
  enterpriseId: z.number().nullable(),
});
export type CurrentUser = z.infer<typeof currentUserSchema>;

export const passwordChangeBody = z.object({
  currentPassword: z.string().min(1),
  newPassword: z.string().min(10, { message: 'at least 10 characters' }).max(200),
});

export const okSchema = z.object({ ok: z.literal(true) });
