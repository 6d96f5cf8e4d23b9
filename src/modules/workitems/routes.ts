// HTTP surface of the work-item mechanism itself: the register of units, the working-day calendar, and
// the escalation sweep on demand (it also runs every few minutes: src/composition.ts starts it). Items are served by the
// capabilities that own them (service requests, alerts …), which know their subjects and scope.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryBoolean, queryId } from '../../domain/query-params.ts';
import { actorOf } from '../../server/auth-context.ts';
import { authorize } from '../../server/policy.ts';
import { CN_CALENDAR } from '../../domain/calendar/index.ts';
import { calendarSchema, newUnitBody, unitChangeBody, unitSchema } from './schemas.ts';
import { createUnit, listUnits, setUnitMember, updateUnit } from './units.ts';
import { sweepEscalations } from './sweep.ts';
import { workActor } from './actor.ts';

const idParams = z.object({ id: queryId() });

export const workItemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/workitems/units',
    {
      config: { policy: { resource: 'service.unit', action: 'read' } },
      schema: {
        tags: ['workitems'],
        summary:
          'The register of units that own work (departments, counties, cluster agencies, offices) with their users',
        querystring: z.object({
          kind: z.string().optional(),
          /** all: also the units an administrator stopped (停用) */
          all: queryBoolean().optional(),
        }),
        response: { 200: z.object({ items: z.array(unitSchema) }) },
      },
    },
    async (request) => {
      authorize(request, 'service.unit', 'read');
      const rows = await listUnits(app.db, {
        kind: request.query.kind as never,
        activeOnly: request.query.all !== true,
      });
      return {
        items: rows.map((u) => ({
          ...u,
          duties: (u.duties as string[]) ?? [],
          members: u.members.map(({ userId, username, displayName, duty }) => ({
            userId,
            username,
            displayName,
            duty,
          })),
        })),
      };
    },
  );

  app.post(
    '/api/workitems/units',
    {
      config: { policy: { resource: 'service.unit', action: 'manage' } },
      schema: {
        tags: ['workitems'],
        summary: 'Add a unit to the register (administrators)',
        body: newUnitBody,
        response: { 201: unitSchema },
      },
    },
    async (request, reply) => {
      authorize(request, 'service.unit', 'manage');
      const u = await createUnit(app.db, actorOf(request), request.body);
      reply.code(201);
      return { ...u, duties: (u.duties as string[]) ?? [], members: [] };
    },
  );

  app.patch(
    '/api/workitems/units/:id',
    {
      config: { policy: { resource: 'service.unit', action: 'manage' } },
      schema: {
        tags: ['workitems'],
        summary:
          'Change a unit: name, level, county, cluster, duties (routing), active (administrators, audited)',
        params: idParams,
        body: unitChangeBody,
        response: { 200: unitSchema },
      },
    },
    async (request) => {
      authorize(request, 'service.unit', 'manage');
      const u = await updateUnit(app.db, actorOf(request), request.params.id, request.body);
      const [full] = (await listUnits(app.db, { activeOnly: false })).filter((x) => x.id === u.id);
      return {
        ...u,
        duties: (u.duties as string[]) ?? [],
        members: (full?.members ?? []).map(({ userId, username, displayName, duty }) => ({
          userId,
          username,
          displayName,
          duty,
        })),
      };
    },
  );

  app.post(
    '/api/workitems/units/:id/members',
    {
      config: { policy: { resource: 'service.unit', action: 'manage' } },
      schema: {
        tags: ['workitems'],
        summary: 'Let a user act for a unit, or stop it (administrators)',
        params: idParams,
        body: z
          .object({
            userId: z.number().int().positive().optional(),
            username: z.string().trim().min(1).max(100).optional(),
            duty: z.enum(['handler', 'head']).optional(),
            remove: z.boolean().optional(),
          })
          .refine((b) => b.userId != null || b.username != null, {
            message: 'userId or username',
          }),
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (request) => {
      authorize(request, 'service.unit', 'manage');
      await setUnitMember(app.db, actorOf(request), { unitId: request.params.id, ...request.body });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/workitems/calendar',
    {
      config: { policy: { resource: 'service.calendar', action: 'read' } },
      schema: {
        tags: ['workitems'],
        summary:
          'The working-day calendar deadlines are counted in (public holidays, 调休 working weekends, office hours)',
        response: { 200: calendarSchema },
      },
    },
    async (request) => {
      authorize(request, 'service.calendar', 'read');
      return {
        years: CN_CALENDAR.years.map((y) => ({
          ...y,
          holidays: [...y.holidays],
          workingWeekends: [...y.workingWeekends],
        })),
        officeHours: CN_CALENDAR.officeHours.map(([a, b]) => [a, b] as [string, string]),
      };
    },
  );

  app.post(
    '/api/workitems/sweep',
    {
      config: { policy: { resource: 'service.escalation', action: 'manage' } },
      schema: {
        tags: ['workitems'],
        summary: 'Run the escalation sweep now (reminders, 催办, 督办); it also runs every few minutes',
        response: {
          200: z.object({
            raised: z.number(),
            byLevel: z.record(z.string(), z.number()),
            ids: z.array(z.number()),
          }),
        },
      },
    },
    async (request) => {
      const user = authorize(request, 'service.escalation', 'manage');
      return sweepEscalations(app.db, new Date(), workActor(user, request.ip));
    },
  );
};
