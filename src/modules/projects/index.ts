// Public entry of the projects capability (only what other capabilities need so far).
export { clusterInvestmentByRegionYear, type RegionYearInvestment } from './investment.ts';
