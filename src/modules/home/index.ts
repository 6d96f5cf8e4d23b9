// The home capability's public entry (docs/architecture.md, enforced by lint). It has only its route
// (routes.ts, registered by src/server/modules.ts) and the assembling of the to-dos, so nothing yet.
export {};
