// Signals of clusters and counties in a month, aggregated from their member firms (pure). Each firm
// carries its facts, its own signals (for the diffusion index) and where it belongs.
import type { Month } from '../periods.ts';
import { calendarMonth as monthNumber, shiftMonth as addMonths } from './months.ts';
import { concentrationSignals, costPer100, countYoy, diffusionIndex, difference } from './area-signals.ts';
import { periodFlow, type FirmHistory } from './firm-signals.ts';
import type { SignalRow } from './types.ts';

export interface AreaFirm {
  history: FirmHistory;
  signals: ReadonlyMap<Month, SignalRow>;
  regionCode: string;
  clusters: readonly string[];
}

/** subject key of an area: 'cluster:<code>' or 'county:<code>' */
export function areaKeys(f: AreaFirm): string[] {
  return [`county:${f.regionCode}`, ...f.clusters.map((c) => `cluster:${c}`)];
}

/**
 * Per area and month: diffusion index, CR1/CR5/HHI of the month's output, reporting firms against a year
 * ago, and 每百元营业收入成本 against a year ago (1–2月 merged like the firm comparisons; January not
 * computed). An area of one firm is an area: its diffusion is 0 or 100 and its CR1 100 %.
 */
export function areaSignals(
  firms: readonly AreaFirm[],
  months: readonly Month[],
): Map<string, Map<Month, SignalRow>> {
  const members = new Map<string, AreaFirm[]>();
  for (const f of firms)
    for (const k of areaKeys(f)) {
      const list = members.get(k);
      if (list) list.push(f);
      else members.set(k, [f]);
    }
  const out = new Map<string, Map<Month, SignalRow>>();
  for (const [key, list] of members) {
    const series = new Map<Month, SignalRow>();
    for (const m of months) {
      const row: SignalRow = {};
      const prev = addMonths(m, -12);
      let reporting = 0;
      let reportingBefore = 0;
      const outputs: number[] = [];
      const indices: (number | null | undefined)[] = [];
      for (const f of list) {
        const here = f.history.get(m);
        if (here) {
          reporting++;
          if (here.output != null) outputs.push(here.output);
        }
        if (f.history.has(prev)) reportingBefore++;
        indices.push(f.signals.get(m)?.electricity_index);
      }
      const c = concentrationSignals(outputs);
      row.cr1 = c?.cr1 ?? null;
      row.cr5 = c?.cr5 ?? null;
      row.hhi = c?.hhi ?? null;
      row.firm_count_yoy = countYoy(reporting, reportingBefore);
      if (monthNumber(m) !== 1) {
        row.diffusion_index = diffusionIndex(indices);
        row.cost_per_100_yoy = difference(costOf(list, m), costOf(list, prev));
      }
      series.set(m, row);
    }
    out.set(key, series);
  }
  return out;
}

/** 每百元营业收入成本 of the firms reporting both revenue and profit in the period. */
function costOf(list: readonly AreaFirm[], m: Month): number | null {
  let revenue = 0;
  let profit = 0;
  let n = 0;
  for (const f of list) {
    const r = periodFlow(f.history, m, 'revenue');
    const p = periodFlow(f.history, m, 'profit');
    if (r == null || p == null) continue;
    revenue += r;
    profit += p;
    n++;
  }
  return n ? costPer100(revenue, profit) : null;
}
