// The evaluation capability's public entry: what other modules, the server's route registry, the composition
// root, the CLI and the demo may use (docs/architecture.md, enforced by lint).
export { ensurePresets, evaluateYear } from './service.ts';
export type { InputRow } from './repo.ts';
export { publishDemoEvaluation } from './demo.ts';
export { publishDemoEvaluations, DEMO_EVALUATION_YEARS } from './demo-years.ts';
export { countyPerMu, type CountyPerMu } from './county.ts';
// The results in force as a relation for other modules' SQL joins (set-based; they never name the tables).
export { classesInForce, publishedRuns, resultRows } from './relations.ts';
// The home page's to-dos: runs awaiting a second signature, open objections.
export { runsAwaitingPublicationCount, openObjectionCount } from './service.ts';
