export * from './types.ts';
export * from './calendar.ts';
export { CN_2025 } from './data/cn-2025.ts';
export { CN_2026 } from './data/cn-2026.ts';
