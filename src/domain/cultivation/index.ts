export * from './criteria.ts';
export * from './ladder.ts';
export * from './pipeline.ts';
