// The audit capability's public entry: what other modules may use (docs/architecture.md, enforced by lint).
export { auditedSince, writeAudit, writeAudits, type Actor, type AuditEntry } from './service.ts';
