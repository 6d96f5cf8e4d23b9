export * from './types.ts';
export * from './machine.ts';
export * from './escalation.ts';
