export * from './types.ts';
export * from './indicators.ts';
export * from './evaluate.ts';
export * from './explain.ts';
export * from './simulate.ts';
export * from './policies.ts';
export * from './presets.ts';
export * from './flags.ts';
