// Every resource of every capability, in one table. A capability adds its file in resources/ and one
// line here; nothing else decides who may see or do what.
import type { ResourcePolicy } from './types.ts';
import { coreResources } from './resources/core.ts';
import { targetsResources } from './resources/targets.ts';
import { alertsResources } from './resources/alerts.ts';
import { serviceResources } from './resources/service.ts';
import { indexResources } from './resources/index.ts';
import { cultivationResources } from './resources/cultivation.ts';
import { bulletinResources } from './resources/bulletin.ts';
import { platformsResources } from './resources/platforms.ts';
import { assessmentResources } from './resources/assessment.ts';
import { homeResources } from './resources/home.ts';

export const POLICY = {
  ...coreResources,
  ...targetsResources,
  ...alertsResources,
  ...serviceResources,
  ...indexResources,
  ...cultivationResources,
  ...bulletinResources,
  ...platformsResources,
  ...assessmentResources,
  ...homeResources,
} satisfies Record<string, ResourcePolicy>;

export type Resource = keyof typeof POLICY;
