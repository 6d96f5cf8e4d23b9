// The system capability's public entry: what other modules, the composition root, the CLI and the demo
// may use (docs/architecture.md, enforced by lint). It has only routes (routes.ts, registered by
// src/server/modules.ts), so nothing yet.
export {};
