// Demo reported values (issue 16 item 2): for the latest complete year, every reported target gets values
// through the same submit and review path a person uses (revision, work item, audit): each county's value
// for the targets that split into counties — most approved, some returned with a reason, some awaiting
// review — and the city-wide value of the others, from the lead unit. Deterministic for a seed; a few
// hundred statements, so demo generation stays fast.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Target } from '../../config/load.ts';
import { scopeOf } from '../../domain/policy/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { cityConfig } from '../monitoring/index.ts';
import { removeDocumentsWhere } from '../documents/index.ts';
import { usersByName } from '../auth/index.ts';
import { countyCodes, measurementOf, splitOf } from './progress.ts';
import { reviewReport, submitReport } from './reports.ts';

const RETURN_REASONS = ['佐证材料缺少认定文件或证书', '数值与部门统计口径不一致，请核对', '请补充清单明细'];

function person(id: number, username: string, displayName: string): AuthedUser {
  const base = {
    id,
    username,
    displayName,
    role: 'admin' as const,
    regionCode: null,
    regionName: null,
    clusterCode: null,
    enterpriseId: null,
  };
  return { ...base, scope: scopeOf(base), sessionTokenHash: '' };
}

/** A believable value of a reported target for one county (or the city, `counties` = 1). */
function valueOf(t: Target, counties: number, r: number): number {
  if (t.basis === 'status' || t.metric === 'deliverable') return 1;
  if (t.unit === '%')
    return Math.round((t.metric === 'manufacturing_va_share_gdp' ? 38 + 6 * r : 15 + 25 * r) * 10) / 10;
  if (t.comparator === '≈' && t.goal === 0) return Math.floor(r * 6);
  const goal = t.goal ?? 5;
  return Math.max(0, Math.round((goal / counties) * (0.5 + r)));
}

export async function generateDemoTargetReports(
  db: Db,
  seed: number,
  year = 2025,
): Promise<{ reports: number; approved: number; returned: number; pending: number }> {
  const config = await cityConfig();
  const city = config.city.code;
  const counties = await countyCodes(db);
  const accounts = await usersByName(db, ['admin', 'reviewer']);
  const admin = accounts.get('admin');
  const reviewer = accounts.get('reviewer');
  const reporter = person(admin?.id ?? -1, 'admin', '系统管理员');
  const city_ = person(reviewer?.id ?? -2, 'reviewer', '市经信局复核人');
  const actorOf = (u: AuthedUser) => ({ id: u.id, username: u.username });
  await removeDocumentsWhere(
    db,
    'target_report',
    (ownerId) => sql`${ownerId} in (select id from target_reports where source = 'demo')`,
  );
  await db.execute(
    sql`delete from target_report_revisions where report_id in (select id from target_reports where source = 'demo')`,
  );
  await db.execute(sql`delete from target_reports where source = 'demo'`);
  let state = seed >>> 0 || 1;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const out = { reports: 0, approved: 0, returned: 0, pending: 0 };
  for (const set of config.targetSets) {
    if (Number(set.issuedOn.slice(0, 4)) > year) continue;
    for (const t of set.targets) {
      if (measurementOf(t) !== 'reported' || Number(t.deadline.slice(0, 4)) < year) continue;
      const regions = splitOf(t) === 'none' ? [city] : counties;
      for (const region of regions) {
        const dice = rand();
        if (region !== city && dice < 0.08) continue; // not reported yet: shows as 未填报
        const id = await submitReport(
          db,
          reporter,
          {
            setCode: set.code,
            targetCode: t.code,
            regionCode: region,
            year,
            value: valueOf(t, regions.length, rand()),
            note: '演示数据',
            evidence: [],
          },
          actorOf(reporter),
          'demo',
        );
        out.reports++;
        if (dice < 0.2 && region !== city) {
          out.pending++;
          continue;
        }
        const back = region !== city && dice < 0.3;
        await reviewReport(
          db,
          city_,
          id,
          back
            ? { decision: 'return', reason: RETURN_REASONS[Math.floor(rand() * RETURN_REASONS.length)]! }
            : { decision: 'approve' },
          actorOf(city_),
        );
        if (back) out.returned++;
        else out.approved++;
      }
    }
  }
  return out;
}
