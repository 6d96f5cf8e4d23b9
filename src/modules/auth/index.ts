// The auth capability's public entry: what other modules, the server's route registry, the composition
// root, the CLI and the demo may use (docs/architecture.md, enforced by lint).
export { cacheSessionsAsSoleProcess, createUser, setPassword, userForSession } from './service.ts';
export { ensureDemoUsers, firstEnterpriseLogin, DEMO_PASSWORD, type EnterpriseLogin } from './demo-users.ts';
export { accountRows, usersByName, type UserRef } from './lookup.ts';
