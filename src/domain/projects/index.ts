// Project library and major-project tracking, the pure part: stage machine, delay rules, growth.
export * from './stages.ts';
export * from './tracking.ts';
export * from './growth.ts';
export * from './as-of.ts';
