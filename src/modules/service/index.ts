// The public entry of the enterprise service capability (企业服务 / 96871): other capabilities file
// requests and read their state only through what this file exports (see docs/architecture.md).
export { fileRequestForAlert, requestForAlert, alertRequestShape, type AlertRequest } from './intake.ts';
export { fileRequestAs } from './service.ts';
export { ensureServiceUnits } from './units.ts';
