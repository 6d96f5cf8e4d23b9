export * from './defaults.ts';
export * from './workflow.ts';
export * from './routing.ts';
export * from './duplicates.ts';
export * from './scores.ts';
