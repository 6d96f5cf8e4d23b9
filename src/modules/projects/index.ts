// The projects capability's public entry: what other modules, the server's route registry, the composition
// root, the CLI and the demo may use (docs/architecture.md, enforced by lint).
export { generateDemoProjects } from './demo.ts';
export { clusterInvestmentByRegionYear, type RegionYearInvestment } from './investment.ts';
// Project investment per county over a span of months (the county assessment's 1–N月 growth).
export { countyInvestment } from './county.ts';
// The stalled list within a scope is read by the monthly bulletin (issue 21).
export { stalledProjects, stalledProjectsAsOf } from './service.ts';
// Monthly investment reports as a relation for other modules' SQL joins (set-based; they never name the tables).
export { investmentReports, projectRows, projectStageRows } from './relations.ts';
