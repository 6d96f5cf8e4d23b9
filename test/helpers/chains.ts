// A hand-built 光伏 (new_energy) chain population for the chain tests: one firm or two on each PV node
// except 电池片 (pv_cell), which is deliberately left empty so that it must show as a gap.
import type { Database } from '../../src/db/client.ts';
import { enterpriseClusters, enterprises, monthlyStats } from '../../src/db/schema.ts';
import { fixtureUscc, NANHU, PINGHU, TONGXIANG } from './fixtures.ts';
import { ensureAssignments } from '../../src/modules/chains/index.ts';

/** Hand-built 光伏 firms, monthly output (万元) in 2024 and 2025. No firm makes 电池片 (pv_cell). */
export const PV = [
  {
    key: 'si',
    name: '嘉兴示例多晶硅材料有限公司',
    code: '3985',
    region: NANHU,
    node: 'pv_si',
    m2024: 900,
    m2025: 1000,
  },
  {
    key: 'wafer',
    name: '嘉兴示例硅片科技有限公司',
    code: '3985',
    region: NANHU,
    node: 'pv_wafer',
    m2024: 400,
    m2025: 500,
  },
  {
    key: 'module1',
    name: '桐乡示例光伏组件有限公司',
    code: '3825',
    region: TONGXIANG,
    node: 'pv_module',
    m2024: 2000,
    m2025: 2400,
  },
  {
    key: 'module2',
    name: '桐乡示例光伏组件制造有限公司',
    code: '3825',
    region: TONGXIANG,
    node: 'pv_module',
    m2024: 1000,
    m2025: 800,
  },
  {
    key: 'glass',
    name: '平湖示例光伏玻璃有限公司',
    code: '3042',
    region: PINGHU,
    node: 'pv_glass',
    m2024: 700,
    m2025: 700,
  },
  {
    key: 'inverter',
    name: '嘉兴示例逆变器有限公司',
    code: '3824',
    region: NANHU,
    node: 'pv_inverter',
    m2024: 300,
    m2025: 360,
  },
  {
    key: 'mount',
    name: '嘉兴示例光伏支架有限公司',
    code: '3311',
    region: NANHU,
    node: 'pv_mount',
    m2024: 100,
    m2025: 120,
  },
  {
    key: 'plant',
    name: '嘉兴示例光伏电站运营有限公司',
    code: '4416',
    region: NANHU,
    node: 'pv_plant',
    m2024: 50,
    m2025: 60,
  },
] as const;

export async function seedPv(d: Database): Promise<Record<string, number>> {
  const rows = await d.db
    .insert(enterprises)
    .values(
      PV.map((p, i) => ({
        uscc: fixtureUscc(100 + i, p.region),
        name: p.name,
        regionCode: p.region,
        industryCode: p.code,
        scale: 'above',
      })),
    )
    .returning({ id: enterprises.id, name: enterprises.name });
  const ids: Record<string, number> = {};
  for (const p of PV) ids[p.key] = rows.find((r) => r.name === p.name)!.id;
  await d.db.insert(enterpriseClusters).values(
    PV.map((p) => ({
      enterpriseId: ids[p.key]!,
      clusterCode: 'new_energy',
      basis: 'industry_code',
      validFrom: '2019-01-01',
    })),
  );
  const months = [];
  for (const p of PV) {
    for (const [year, v] of [
      [2024, p.m2024],
      [2025, p.m2025],
    ] as const) {
      for (let m = 1; m <= 12; m++)
        months.push({
          enterpriseId: ids[p.key]!,
          month: `${year}-${String(m).padStart(2, '0')}-01`,
          outputValue: v,
        });
    }
  }
  await d.db.insert(monthlyStats).values(months);
  // the firms are written directly; chain placement follows as an import's hook would do it
  await ensureAssignments(d.db);
  return ids;
}
