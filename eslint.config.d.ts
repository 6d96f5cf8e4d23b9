// Types of what eslint.config.js exports for the lint tests (test/lint/).
export interface TableOwner {
  table: string;
  sqlName: string;
  owner: string | null;
  shared: boolean;
}
export function tableOwners(root?: URL): TableOwner[];
export function capabilityTables(root?: URL): Record<string, string[]>;
export const FOREIGN_TABLES_ALLOWED: Record<string, { tables: string[]; why: string }>;
export const BOUNDARIES: unknown[];
declare const config: unknown[];
export default config;
