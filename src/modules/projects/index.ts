// Public entry of the projects capability (only what other capabilities need so far).
export { clusterInvestmentByRegionYear, type RegionYearInvestment } from './investment.ts';
// Project investment per county over a span of months (the county assessment's 1–N月 growth).
export { countyInvestment } from './county.ts';
