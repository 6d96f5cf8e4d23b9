// The API contract: the server's own Zod schemas and types, re-exported in one place.
//
// Vite also knows these files as `@shared/*` (web/vite.config.ts), but the root tsconfig has no
// matching `paths` entry, so the import goes by relative path here and nowhere else.
export {
  ROLES,
  currentUserSchema,
  loginBody,
  okSchema,
  passwordChangeBody,
  type CurrentUser,
  type Role,
} from '../../../src/modules/auth/schemas.ts';
export {
  cityInfoSchema,
  clusterSchema,
  industrySchema,
  regionSchema,
  zoneSchema,
  type CityInfo,
  type Cluster,
  type Industry,
  type Region,
  type Zone,
} from '../../../src/modules/reference/schemas.ts';
export {
  SCALES,
  SORT_FIELDS,
  STATUSES,
  TIERS,
  enterpriseListQuery,
  enterpriseListSchema,
  enterpriseProfileSchema,
  type EnterpriseCreate,
  type EnterpriseList,
  type EnterpriseListQuery,
  type EnterpriseProfile,
  type EnterpriseRow,
  type EnterpriseUpdate,
  type Tier,
} from '../../../src/modules/enterprises/schemas.ts';
export { auditListSchema, auditQuery, type AuditRow } from '../../../src/modules/audit/schemas.ts';
export {
  healthSchema,
  problemSchema,
  type Health,
  type Problem,
} from '../../../src/modules/system/schemas.ts';
