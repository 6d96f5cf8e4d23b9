// Risk early warning (风险预警), pure: signals, the rule engine and the backtest.
export * from './types.ts';
export * from './firm-signals.ts';
export * from './firm-table.ts';
export * from './unreported-firms.ts';
export * from './fact-columns.ts';
// a month's index, as the facts' columns hold months
export { monthIndex } from './months.ts';
export * from './area-signals.ts';
export * from './engine.ts';
export * from './backtest.ts';
export * from './rule-set.ts';
export * from './reporting.ts';
export * from './areas.ts';
export * from './project-signals.ts';
