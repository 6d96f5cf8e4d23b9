// Adjustment flags (调整标记) of the 亩均 evaluation for the demo's last two evaluation years, so stored
// runs apply vetoes and protections on believable grounds. Pure: drawn from the plan. Rates are the
// order of magnitude a county reports (a handful of accidents per thousand firms), not calibrated.
import { ANNUAL_YEARS, TECH_DIVISIONS } from './calibration.ts';
import type { DemoEnterprise } from './enterprises.ts';
import { rngFor } from './random.ts';
import type { TierRow } from './tiers.ts';

export interface FlagRow {
  enterpriseIndex: number;
  flag: string;
  year: number;
  evidence: string;
}

/** Divisions with real accident and emission exposure: chemicals, fibres, dyeing, metals, paper. */
const HAZARD_DIVISIONS = ['17', '22', '26', '28', '31', '32', '33'];

export function planFlags(
  seed: number,
  enterprises: readonly DemoEnterprise[],
  tiers: readonly TierRow[],
): FlagRow[] {
  const rows: FlagRow[] = [];
  const years = ANNUAL_YEARS.slice(-2);
  const specialized = new Map<number, number>();
  for (const t of tiers)
    if (t.tier === 'zhuanjingtexin')
      specialized.set(t.enterpriseIndex, Math.min(t.year, specialized.get(t.enterpriseIndex) ?? 9999));
  for (const year of years) {
    const rng = rngFor(seed, 'evaluation-flags', year);
    for (const e of enterprises) {
      // every firm draws the same numbers whatever it gets, so one firm's flags never shift another's
      const [u1, u2, u3, u4, u5] = [rng.next(), rng.next(), rng.next(), rng.next(), rng.next()];
      if (e.status === 'closed' || (e.closedYear != null && e.closedYear <= year)) continue;
      const division = e.industryCode.slice(0, 2);
      const hazard = HAZARD_DIVISIONS.includes(division) ? 3 : 1;
      const add = (flag: string, evidence: string) =>
        rows.push({ enterpriseIndex: e.index, flag, year, evidence });
      const founded = Number(e.founded.slice(0, 4));
      if (founded >= year - 1) add('newFirm', `营业执照成立日期 ${e.founded}`);
      if (e.landExpansion && e.landExpansion.year === year && u1 < 0.5)
        add('majorProject', `${year}年市重点建设项目（扩建用地）`);
      if (u2 < 0.002 * hazard) add('safetyIncident', `${year}年安全生产事故通报（示例）`);
      if (u3 < 0.0015 * hazard) add('environmentIncident', `${year}年环境违法处罚决定（示例）`);
      if (e.scale === 'above' && u4 < 0.004 * hazard)
        add('missedEnergyTarget', `${year}年节能目标责任考核（示例）`);
      if (e.scale === 'above' && TECH_DIVISIONS.includes(division) && u5 < 0.2)
        add('highTech', '高新技术企业证书（示例）');
      const since = specialized.get(e.index);
      if (since != null && since <= year) add('specialized', `专精特新中小企业认定（${since}年）`);
    }
  }
  return rows;
}
