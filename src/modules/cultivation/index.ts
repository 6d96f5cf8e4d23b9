// Public entry of the cultivation capability.
export { librarySummaries, candidates, firmOutcomes } from './screening.ts';
export { cultivationLibraries } from './libraries.ts';
export { generateDemoCultivation } from './demo.ts';
