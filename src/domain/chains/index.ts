// Industry chains: assignment of enterprises to nodes, node strength, gap analysis, relatedness and the
// roadmap ranking. Pure functions; the method is written up in docs/methodology.md ("Industry chains").
export * from './types.ts';
export * from './assign.ts';
export * from './strength.ts';
export * from './gaps.ts';
export * from './relatedness.ts';
export * from './roadmap.ts';
export * from './analysis.ts';
export * from './sync.ts';
