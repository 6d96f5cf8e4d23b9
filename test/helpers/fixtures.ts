// Small, explicit fixtures: a few enterprises in two counties and one zone, and a user per role.
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import {
  enterpriseClusters,
  enterprises,
  monthlyStats,
  annualInputs,
  enterpriseTiers,
} from '../../src/db/schema.ts';
import { computeOrgCodeCheckChar, makeUscc } from '../../src/domain/uscc.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { ensureAssignments } from '../../src/modules/chains/index.ts';
import type { Role } from '../../src/modules/auth/schemas.ts';

export const PASSWORD = 'Fixture2025pass';
export const NANHU = '330402';
export const TONGXIANG = '330483';
export const PINGHU = '330482';

/** A valid code whose embedded organisation code (positions 9–17) is valid too, as real ones are. */
export const fixtureUscc = (n: number, region = '330402') => {
  const body = String(n).padStart(8, '0');
  return makeUscc(`91${region}${body}${computeOrgCodeCheckChar(body)}`);
};

export interface Fixture {
  ids: { nanhuTextile: number; nanhuOther: number; tongxiangTextile: number; pinghuChem: number };
  users: Record<string, { username: string; role: Role }>;
}

export async function seedFixture(d: Database): Promise<Fixture> {
  const rows = await d.db
    .insert(enterprises)
    .values([
      {
        uscc: fixtureUscc(1),
        name: '嘉兴市南湖示例纺织有限公司',
        regionCode: NANHU,
        industryCode: '1711',
        scale: 'above',
        founded: '2005-03-01',
        address: '南湖区示例路1号',
      },
      {
        uscc: fixtureUscc(2),
        name: '嘉兴市南湖示例食品有限公司',
        regionCode: NANHU,
        industryCode: '1391',
        scale: 'below',
      },
      {
        uscc: fixtureUscc(3, TONGXIANG),
        name: '桐乡市示例化纤股份有限公司',
        regionCode: TONGXIANG,
        industryCode: '2822',
        scale: 'above',
      },
      {
        uscc: fixtureUscc(4, PINGHU),
        name: '平湖示例新材料科技有限公司',
        regionCode: PINGHU,
        industryCode: '2651',
        scale: 'above',
      },
    ])
    .returning({ id: enterprises.id });
  const [a, b, c, e] = rows.map((r) => r.id) as [number, number, number, number];
  await d.db.insert(enterpriseClusters).values([
    { enterpriseId: a, clusterCode: 'textile', basis: 'industry_code', validFrom: '2019-01-01' },
    { enterpriseId: c, clusterCode: 'textile', basis: 'industry_code', validFrom: '2019-01-01' },
    { enterpriseId: e, clusterCode: 'chem_materials', basis: 'industry_code', validFrom: '2019-01-01' },
  ]);
  await d.db
    .insert(enterpriseTiers)
    .values([{ enterpriseId: c, tier: 'listed', year: 2021, level: 'national', source: 'fixture' }]);
  await d.db.insert(monthlyStats).values(
    Array.from({ length: 12 }, (_, i) => ({
      enterpriseId: a,
      month: `2025-${String(i + 1).padStart(2, '0')}-01`,
      outputValue: 1000 + i * 10,
      revenue: 950,
      tax: 40,
      employees: 120,
    })),
  );
  await d.db
    .insert(annualInputs)
    .values({ enterpriseId: a, year: 2025, landMu: 50, taxPaid: 480, valueAdded: 3000, mainRevenue: 11000 });
  const users: Fixture['users'] = {
    admin: { username: 'fx_admin', role: 'admin' },
    analyst: { username: 'fx_analyst', role: 'analyst' },
    nanhu: { username: 'fx_nanhu', role: 'county' },
    tongxiang: { username: 'fx_tongxiang', role: 'county' },
    textileAgency: { username: 'fx_textile', role: 'cluster_agency' },
    enterprise: { username: 'fx_enterprise', role: 'enterprise' },
    auditor: { username: 'fx_auditor', role: 'auditor' },
    department: { username: 'fx_department', role: 'department' },
  };
  const actor = { id: null, username: 'fixture' };
  await createUser(
    d.db,
    { username: 'fx_admin', displayName: 'Admin', role: 'admin', password: PASSWORD },
    actor,
  );
  await createUser(
    d.db,
    { username: 'fx_analyst', displayName: 'Analyst', role: 'analyst', password: PASSWORD },
    actor,
  );
  await createUser(
    d.db,
    { username: 'fx_nanhu', displayName: '南湖专员', role: 'county', regionCode: NANHU, password: PASSWORD },
    actor,
  );
  await createUser(
    d.db,
    {
      username: 'fx_tongxiang',
      displayName: '桐乡专员',
      role: 'county',
      regionCode: TONGXIANG,
      password: PASSWORD,
    },
    actor,
  );
  await createUser(
    d.db,
    {
      username: 'fx_textile',
      displayName: '纺织促进中心',
      role: 'cluster_agency',
      clusterCode: 'textile',
      password: PASSWORD,
    },
    actor,
  );
  await createUser(
    d.db,
    {
      username: 'fx_enterprise',
      displayName: '示例纺织',
      role: 'enterprise',
      enterpriseId: a,
      password: PASSWORD,
    },
    actor,
  );
  await createUser(
    d.db,
    { username: 'fx_auditor', displayName: 'Auditor', role: 'auditor', password: PASSWORD },
    actor,
  );
  await createUser(
    d.db,
    { username: 'fx_department', displayName: '市经信局', role: 'department', password: PASSWORD },
    actor,
  );
  await d.db.execute(sql`select 1`);
  // the fixture writes the registry directly; chain placement follows as an import's hook would do it
  await ensureAssignments(d.db);
  return { ids: { nanhuTextile: a, nanhuOther: b, tongxiangTextile: c, pinghuChem: e }, users };
}
