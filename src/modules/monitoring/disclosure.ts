// Disclosure control on the monitoring figures table (docs/methodology.md "Disclosure control"): a
// user who may not see every firm gets a cell's figures only when the firms behind it that lie
// outside their scope are numerous enough (frequency rule), and a further cell is hidden wherever a
// lone hidden cell could be recovered from a total shown elsewhere (zones add up to their county,
// counties to the city's cluster figure).
import { primaryReason, suppressTable } from '../../domain/disclosure/index.ts';
import type { Scope } from '../../server/scope.ts';
import type { FiguresAnswer } from './schemas.ts';

type Row = FiguresAnswer['rows'][number];

/** Firms of the row the user may not see (an enterprise user may subtract their own firm). */
function outsideFirms(row: Row, scope: Scope): number {
  switch (scope.kind) {
    case 'all':
      return 0;
    case 'region':
      return row.regionCode === scope.regionCode ? 0 : row.enterprises;
    case 'cluster':
      return row.clusterCode === scope.clusterCode ? 0 : row.enterprises;
    case 'enterprise':
      return Math.max(0, row.enterprises - 1);
    default:
      return row.enterprises;
  }
}

const hiddenMeasures = (m: Row['measures']): Row['measures'] =>
  Object.fromEntries(
    Object.keys(m).map((k) => [k, { month: null, ytd: null, yoy: null, ytdYoy: null }]),
  ) as Row['measures'];

/** The table as this user may see it: suppressed cells keep their firm count, lose their figures. */
export function discloseFigures(answer: FiguresAnswer, scope: Scope, by: 'county' | 'zone'): FiguresAnswer {
  if (scope.kind === 'all') return answer;
  const byZone = by === 'zone';
  const reasons = suppressTable(
    answer.rows.map((r) => ({
      primary: primaryReason(outsideFirms(r, scope)),
      value: r.measures.outputValue?.month ?? 0,
      groups: byZone ? [`${r.month}|${r.clusterCode}|${r.regionCode}`] : [`${r.month}|${r.clusterCode}`],
    })),
  );
  return {
    rows: answer.rows.map((r, i) =>
      reasons[i] ? { ...r, measures: hiddenMeasures(r.measures), suppressed: reasons[i] } : r,
    ),
  };
}
