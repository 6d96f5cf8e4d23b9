// The rule-set editor's preview: what a definition not yet saved would do to the latest evaluated year —
// the simulator's transition matrix, movers and weight sensitivity against the version it edits.
// Nothing is stored; saving is createRuleSetVersion (a new version with its reason).
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { MATRIX_LABELS, simulate, type RuleSet } from '../../domain/evaluation/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { badRequest, forbidden } from '../../server/errors.ts';
import { cityCode, loadInputs } from './repo.ts';
import { checkRuleSet, ruleSetRow } from './service.ts';
import { annualInputRows } from '../imports/index.ts';

/** The latest year with annual inputs (the year a bureau would evaluate next). */
export async function latestInputYear(db: Db): Promise<number | null> {
  const [row] = await queryRows<{ y: number | null }>(
    db,
    sql`select max(a.year)::int as y from ${annualInputRows()} a`,
  );
  return row?.y ?? null;
}

export async function previewRuleSet(
  db: Db,
  user: AuthedUser,
  baseId: number,
  body: { definition: RuleSet; year?: number; regionCode?: string },
) {
  const base = await ruleSetRow(db, baseId);
  checkRuleSet(body.definition);
  const year = body.year ?? (await latestInputYear(db));
  if (year == null) throw badRequest('No annual inputs to preview on.', '尚无亩均评价数据，无法预览。');
  const city = await cityCode(db);
  // the policy's scope decides (no role check here): a county scope previews on its county; the whole
  // city's on the region asked for, or the whole city; any other scope sees no firm's inputs
  const scope = user.scope;
  if (scope.kind !== 'all' && scope.kind !== 'region')
    throw forbidden('Previewing needs a city-wide or county scope.', '无权限：预览需要全市或区县范围。');
  const regionCode =
    scope.kind === 'region'
      ? scope.regionCode
      : body.regionCode && body.regionCode !== city
        ? body.regionCode
        : null;
  const inputs = await loadInputs(db, year, regionCode);
  const sim = simulate(base.definition as RuleSet, body.definition, inputs, { moverLimit: 500 });
  const names = new Map(inputs.map((i) => [i.enterpriseId, i.name]));
  return {
    year,
    regionCode: regionCode ?? city,
    base: { id: base.id, code: base.code, version: base.version, name: base.name },
    ...sim,
    labels: [...MATRIX_LABELS],
    movers: sim.movers.map((m) => ({ ...m, name: names.get(m.enterpriseId) ?? '' })),
  };
}
