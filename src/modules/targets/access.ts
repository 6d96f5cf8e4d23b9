// Who sees which reported values (and their evidence) and who reports for which region is the policy's
// (`targets.report`, a `region` resource): the city's reviewers and the analyst all of them; a county officer
// its own county's and the city-wide ones, and reports for its county; a department acts for the city (the
// city-wide ones). The same condition guards lists, details and evidence downloads, inside the SQL.
import { sql, type SQL } from 'drizzle-orm';
import type { Target, TargetSet } from '../../config/load.ts';
import { regionWritable, resourceScopeOf } from '../../domain/policy/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { badRequest, forbidden, notFound } from '../../server/errors.ts';
import { scopeCondition } from '../../server/scope.ts';
import { cityConfig } from '../monitoring/index.ts';
import { measurementOf, splitOf } from './progress.ts';

export async function cityCode(): Promise<string> {
  return (await cityConfig()).city.code;
}

/** The rows of target_reports (aliased `r`) this user may see. */
export function reportsVisible(user: AuthedUser, city: string): SQL {
  const scope = resourceScopeOf(user, 'targets.report', city);
  const columns = { regionCode: sql`r.region_code`, cityWide: sql`r.region_code = ${city}` };
  return scopeCondition(scope, 'targets.report', columns, { cityCode: city }) ?? sql`true`;
}

/** Whether this user may report for this region: a county its own, a department the city, the city any. */
export function assertMayReportFor(user: AuthedUser, regionCode: string, city: string): void {
  if (!regionWritable(user, 'targets.report', regionCode, city))
    throw forbidden(
      `You may not report values for region ${regionCode}.`,
      `无权限：不能为该地区（${regionCode}）填报目标值。`,
    );
}

/** The reported target a body names, refused when it is computed or does not reach counties. */
export async function reportedTarget(
  setCode: string,
  targetCode: string,
  regionCode: string,
  city: string,
): Promise<{ set: TargetSet; target: Target }> {
  const config = await cityConfig();
  const set = config.targetSets.find((s) => s.code === setCode);
  const target = set?.targets.find((t) => t.code === targetCode);
  if (!set || !target) throw notFound('target');
  if (measurementOf(target) !== 'reported')
    throw badRequest(
      'This target is computed from the platform’s data; nothing is reported for it.',
      '该目标由平台数据计算，无需填报。',
      [{ field: 'targetCode', message: 'computed target', messageZh: '计算类目标' }],
    );
  if (regionCode !== city && splitOf(target) === 'none')
    throw badRequest(
      'This target is reported city-wide only.',
      '该目标仅由市级责任单位填报，不分解到县（市、区）。',
      [{ field: 'regionCode', message: 'city-wide only', messageZh: '仅市级填报' }],
    );
  return { set, target };
}
