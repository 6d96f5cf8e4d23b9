// Demo logins for every role, created beside demo data so a newcomer can try each view.
// All share one password (CLUSTERSCOPE_DEMO_PASSWORD, default below), listed in README.md.
import { settings } from '../../settings.ts';
import { asc, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { clusters, regions, users } from '../../db/schema.ts';
import type { Actor } from '../audit/index.ts';
import { currentMemberships, membershipHistory, registryRows } from '../enterprises/relations.ts';
import { createUser, forgetSessions, type NewUser } from './service.ts';

/** The city departments of config/jiaxing/service-units.json that get a demo login. */
const DEMO_DEPARTMENTS: [string, string][] = [
  ['economy', '市经信局'],
  ['development', '市发展改革委'],
  ['finance', '市金融办'],
  ['resources', '市自然资源和规划局'],
  ['market', '市市场监管局'],
];

export const DEMO_PASSWORD = settings().CLUSTERSCOPE_DEMO_PASSWORD;

/** 'Nanhu District' → 'nanhu': county logins read like the place. */
export function countySlug(nameEn: string | null, code: string): string {
  const word = (nameEn ?? '')
    .split(/\s+/)[0]
    ?.toLowerCase()
    .replace(/[^a-z]/g, '');
  return word || code;
}

export async function demoUserList(db: Db): Promise<NewUser[]> {
  const counties = await db
    .select()
    .from(regions)
    .where(eq(regions.level, 'county'))
    .orderBy(asc(regions.code));
  const clusterRows = await db.select().from(clusters).orderBy(asc(clusters.sortOrder));
  const list: NewUser[] = [
    { username: 'admin', displayName: '系统管理员', role: 'admin', password: DEMO_PASSWORD },
    // four eyes: the second administrator publishes what the first submitted (evaluation runs …)
    { username: 'reviewer', displayName: '市经信局复核人', role: 'admin', password: DEMO_PASSWORD },
    { username: 'analyst', displayName: '市经信局分析员', role: 'analyst', password: DEMO_PASSWORD },
    { username: 'auditor', displayName: '审计员', role: 'auditor', password: DEMO_PASSWORD },
  ];
  for (const c of counties) {
    list.push({
      username: countySlug(c.nameEn, c.code),
      displayName: `${c.name}经信局专员`,
      role: 'county',
      regionCode: c.code,
      password: DEMO_PASSWORD,
    });
  }
  for (const c of clusterRows) {
    list.push({
      username: `agency_${c.code}`,
      displayName: `${c.name}产业集群促进中心`,
      role: 'cluster_agency',
      clusterCode: c.code,
      password: DEMO_PASSWORD,
    });
  }
  // 部门用户 of the enterprise-service units (config/<city>/service-units.json): the centre that dispatches,
  // the supervising office, and one login per city department (dept_<code>).
  list.push(
    {
      username: 'service_center',
      displayName: '市企业综合服务中心',
      role: 'department',
      password: DEMO_PASSWORD,
    },
    { username: 'supervision', displayName: '市政府督查室', role: 'department', password: DEMO_PASSWORD },
  );
  for (const [code, name] of DEMO_DEPARTMENTS)
    list.push({ username: `dept_${code}`, displayName: name, role: 'department', password: DEMO_PASSWORD });
  // The enterprise login belongs to the first 规上 firm of the first cluster in the first county; a small
  // demo (a test's 120 firms) may have none, so the nearest firm stands in: same cluster, then same county,
  // then any 规上 firm — the login must exist for every demo size.
  const firstCounty = counties[0]?.code;
  const firstCluster = clusterRows[0]?.code;
  if (firstCounty && firstCluster) {
    const [firm] = await queryRows<{ id: number | string; name: string }>(
      db,
      sql`select e.id, e.name from ${registryRows()} e
           order by case when e.scale = 'above' then 0 else 1 end,
                    case when exists (select 1 from ${membershipHistory()} ec
                                       where ec.enterprise_id = e.id and ec.cluster_code = ${firstCluster})
                         then 0 else 1 end,
                    case when e.region_code = ${firstCounty} then 0 else 1 end,
                    e.id
           limit 1`,
    );
    if (firm)
      list.push({
        username: 'enterprise',
        displayName: firm.name,
        role: 'enterprise',
        enterpriseId: Number(firm.id),
        password: DEMO_PASSWORD,
      });
  }
  return list;
}

/** Creates the demo users that do not exist yet; returns the usernames created. */
export async function ensureDemoUsers(db: Db, actor: Actor): Promise<string[]> {
  const created: string[] = [];
  for (const u of await demoUserList(db)) {
    const [existing] = await db
      .select({ id: users.id, enterpriseId: users.enterpriseId })
      .from(users)
      .where(eq(users.username, u.username));
    if (existing) {
      // Regenerated demo data has new ids: keep the enterprise login pointing at a real firm.
      if (u.role === 'enterprise' && existing.enterpriseId !== u.enterpriseId) {
        await db
          .update(users)
          .set({ enterpriseId: u.enterpriseId ?? null })
          .where(eq(users.id, existing.id));
        forgetSessions(db, { userId: existing.id }); // their scope changed
      }
      continue;
    }
    await createUser(db, u, actor);
    created.push(u.username);
  }
  return created;
}

/** An enterprise login and its firm, as the demo's requests and projects give it some of its own. */
export interface EnterpriseLogin {
  userId: number;
  username: string;
  enterpriseId: number;
  name: string;
  regionCode: string;
  zoneCode: string | null;
  scale: string;
  /** its first current cluster (by code) */
  clusterCode: string;
}

/**
 * The first active enterprise login whose firm is in a cluster (the demo's `enterprise`; a test's fixture
 * login where there is no demo one), or null. Read by the demo steps that give it requests and a project.
 */
export async function firstEnterpriseLogin(db: Db): Promise<EnterpriseLogin | null> {
  const [row] = await queryRows<{
    user_id: number | string;
    username: string;
    id: number | string;
    name: string;
    region_code: string;
    zone_code: string | null;
    scale: string;
    cluster_code: string;
  }>(
    db,
    sql`select us.id as user_id, us.username, e.id, e.name, e.region_code, e.zone_code, e.scale, m.cluster_code
          from ${users} us join ${registryRows()} e on e.id = us.enterprise_id
          join ${currentMemberships()} m on m.enterprise_id = e.id
         where us.role = 'enterprise' and us.active
         order by us.id, m.cluster_code limit 1`,
  );
  return row
    ? {
        userId: Number(row.user_id),
        username: row.username,
        enterpriseId: Number(row.id),
        name: row.name,
        regionCode: row.region_code,
        zoneCode: row.zone_code,
        scale: row.scale,
        clusterCode: row.cluster_code,
      }
    : null;
}
