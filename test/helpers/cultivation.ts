// Hand-made cultivation figures on top of the small fixture: 南湖纺织 meets the 专精特新 criteria,
// 桐乡化纤 reaches the 10 亿元 pool, 平湖新材料 misses it by 0.4 亿元.
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { annualInputs, monthlyStats } from '../../src/db/schema.ts';
import type { Fixture } from './fixtures.ts';

const months = (year: number, row: Record<string, number>, enterpriseId: number) =>
  Array.from({ length: 12 }, (_, i) => ({
    enterpriseId,
    month: `${year}-${String(i + 1).padStart(2, '0')}-01`,
    ...row,
  }));

export const PDF_BASE64 = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');

export async function seedCultivation(d: Database, fx: Fixture): Promise<void> {
  const { nanhuTextile: a, tongxiangTextile: c, pinghuChem: e } = fx.ids;
  // 南湖纺织: revenue 9600 → 10560 → 11400 万元 (10 %, 7.95 %), R&D 400 万元 (3.5 %), founded 2005
  await d.db
    .insert(monthlyStats)
    .values([
      ...months(2023, { revenue: 800, outputValue: 900, profit: 40 }, a),
      ...months(2024, { revenue: 880, outputValue: 980, profit: 44 }, a),
    ]);
  await d.db.execute(
    sql`update annual_inputs set rd_expense = 400 where enterprise_id = ${a} and year = 2025`,
  );
  // 桐乡化纤: 2025 output 9000 × 12 = 10.8 亿元 (培育库 ≥ 10 亿); 平湖新材料: 9.6 亿元 (misses by 0.4)
  await d.db
    .insert(monthlyStats)
    .values([
      ...months(2025, { revenue: 9500, outputValue: 9000, profit: 300 }, c),
      ...months(2025, { revenue: 8200, outputValue: 8000, profit: 200 }, e),
    ]);
  await d.db.insert(annualInputs).values({ enterpriseId: c, year: 2025, rdExpense: 10 });
}
