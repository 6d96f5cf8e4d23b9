// The published cluster index (集群指数, issue 19): framework as data, the COINr-style pipeline, and
// its uncertainty and sensitivity analysis. Pure.
export * from './types.ts';
export * from './pipeline.ts';
export * from './uncertainty.ts';
export * from './check.ts';
