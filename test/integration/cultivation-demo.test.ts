// On demo data (a small generated city), the cultivation screen's candidate counts per library and
// cluster agree with the same criteria written directly in SQL, and the demo pipeline is believable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { openDatabase, queryRows, runMigrations, type Database } from '../../src/db/client.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { loadReferenceData } from '../../src/modules/reference/service.ts';
import { generateDemoCultivation } from '../../src/modules/cultivation/demo.ts';
import { librarySummaries } from '../../src/modules/cultivation/screening.ts';

describe('cultivation on demo data', () => {
  let d: Database;
  const YEAR = 2025;

  beforeAll(async () => {
    const config = await loadCityConfig(resolveCityDir('jiaxing'));
    d = await openDatabase({ dataDir: 'memory://' });
    await runMigrations(d);
    await loadReferenceData(d.db, config);
    await generateDemo(d, config, { enterpriseCount: 1200 });
    await generateDemoCultivation(d.db, 1);
  });
  afterAll(async () => {
    await d?.close();
  });

  it('专精特新 and 十亿级 candidates per cluster equal a direct SQL count', async () => {
    const answer = await librarySummaries(d.db, { kind: 'all' }, { year: YEAR });
    const direct = async (library: string, condition: ReturnType<typeof sql>, tier: string | null) =>
      queryRows<{ cluster_code: string | null; n: number; total: number }>(
        d.db,
        sql`with m as (
              select enterprise_id, sum(revenue) as rev, sum(output_value) as out
              from monthly_stats where month >= ${`${YEAR}-01-01`}::date and month < ${`${YEAR + 1}-01-01`}::date
              group by enterprise_id having sum(revenue) is not null),
            f as (
              select e.id from m join enterprises e on e.id = m.enterprise_id
              left join annual_inputs a on a.enterprise_id = e.id and a.year = ${YEAR}
              where ${condition}
                and not exists (select 1 from enterprise_tiers t where t.enterprise_id = e.id
                                and t.tier = ${tier ?? '-'} and t.year <= ${YEAR})
                and not exists (select 1 from cultivation_entries ce where ce.enterprise_id = e.id
                                and ce.library = ${library} and ce.stage = 'recognised'))
            select ec.cluster_code, count(distinct f.id)::int as n, grouping(ec.cluster_code)::int as total from f
            left join enterprise_clusters ec on ec.enterprise_id = f.id and ec.valid_to is null
            group by grouping sets ((ec.cluster_code), ())`,
      );
    const check = async (library: string, condition: ReturnType<typeof sql>, tier: string | null) => {
      const rows = await direct(library, condition, tier);
      const lib = answer.libraries.find((l) => l.library.key === library)!;
      // the grand total counts each firm once (a firm may sit in two clusters)
      const total = rows.find((r) => r.total === 1)!.n;
      expect(lib.candidates).toBe(total);
      for (const r of rows.filter((x) => x.total === 0 && x.cluster_code !== null))
        expect(lib.candidatesByCluster[r.cluster_code!] ?? 0).toBe(r.n);
      return total;
    };
    const zj = await check(
      'zhuanjingtexin',
      sql`e.founded is not null and ${YEAR} - extract(year from e.founded) >= 2 and a.rd_expense >= 100
          and m.rev > 0 and a.rd_expense / m.rev * 100 >= 3 and m.rev >= 1000`,
      'zhuanjingtexin',
    );
    const pool = await check('pool10', sql`m.out >= 100000`, null);
    expect(zj).toBeGreaterThan(0);
    expect(pool).toBeGreaterThan(0);
  });

  it('the demo pipeline has entries at every stage, and recognitions carry their tier', async () => {
    const stages = await queryRows<{ stage: string; n: number }>(
      d.db,
      sql`select stage, count(*)::int as n from cultivation_entries group by stage order by stage`,
    );
    expect(stages.map((s) => s.stage).sort()).toEqual(['applying', 'nurturing', 'recognised', 'rejected']);
    const [orphans] = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from cultivation_entries ce
          where ce.stage = 'recognised' and ce.library <> 'pool10' and not exists (
            select 1 from enterprise_tiers t where t.enterprise_id = ce.enterprise_id and t.source like 'cultivation:demo%')`,
    );
    expect(orphans!.n).toBe(0);
  });
});
