// The streaming area signals (AreaSignalsBuilder, one firm at a time, as the monthly evaluation reads them)
// against the list-based computation they replaced, kept here as the reference: same keys, same months,
// the same numbers to the last bit, on random firms (gaps, missing values, January/February, shared areas).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { monthsBetween, type Month } from '../periods.ts';
import { calendarMonth, shiftMonth } from './months.ts';
import { AreaSignalsBuilder, areaKeys, type AreaFirm } from './areas.ts';
import { costPer100, countYoy, diffusionIndex, difference } from './area-signals.ts';
import { concentration } from '../monitoring/structure.ts';
import { periodFlow, type FirmFacts, type FirmHistory } from './firm-signals.ts';
import { historyColumns } from './fact-columns.ts';
import { firmTable, TABLE_SIGNALS } from './firm-table.ts';

type MapFirm = AreaFirm & { history: FirmHistory };

import type { SignalRow } from './types.ts';

/** CR1, CR5 and HHI as concentrationSignals took them before its single sort: the monitoring capability's. */
function referenceConcentration(outputs: readonly number[]) {
  const c5 = concentration(outputs, 5);
  const c1 = concentration(outputs, 1);
  return c5 && c1 ? { cr1: 100 * c1.topShare, cr5: 100 * c5.topShare, hhi: 10000 * c5.hhi } : null;
}

/** The pre-streaming areaSignals, verbatim in substance: every firm held, every area summed at the end. */
function reference(firms: readonly MapFirm[], months: readonly Month[]) {
  const members = new Map<string, MapFirm[]>();
  for (const f of firms)
    for (const k of areaKeys(f)) {
      const list = members.get(k);
      if (list) list.push(f);
      else members.set(k, [f]);
    }
  const costOf = (list: readonly MapFirm[], m: Month) => {
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
  };
  const out = new Map<string, Map<Month, SignalRow>>();
  for (const [key, list] of members) {
    const series = new Map<Month, SignalRow>();
    for (const m of months) {
      const row: SignalRow = {};
      const prev = shiftMonth(m, -12);
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
      const c = referenceConcentration(outputs);
      row.cr1 = c?.cr1 ?? null;
      row.cr5 = c?.cr5 ?? null;
      row.hhi = c?.hhi ?? null;
      row.firm_count_yoy = countYoy(reporting, reportingBefore);
      if (calendarMonth(m) !== 1) {
        row.diffusion_index = diffusionIndex(indices);
        row.cost_per_100_yoy = difference(costOf(list, m), costOf(list, prev));
      }
      series.set(m, row);
    }
    out.set(key, series);
  }
  return out;
}

const ALL = monthsBetween('2023-01', '2025-06');
const value = fc.option(fc.double({ min: -50, max: 5000, noNaN: true }), { nil: null });
const facts: fc.Arbitrary<FirmFacts> = fc.record({
  output: value,
  tax: value,
  electricity: value,
  employees: value,
  revenue: value,
  profit: value,
});
const firm: fc.Arbitrary<MapFirm> = fc
  .record({
    months: fc.subarray(ALL),
    facts: fc.array(facts, { minLength: ALL.length, maxLength: ALL.length }),
    indices: fc.array(fc.option(fc.double({ min: 0, max: 200, noNaN: true }), { nil: null }), {
      minLength: ALL.length,
      maxLength: ALL.length,
    }),
    region: fc.constantFrom('330402', '330411', '330421'),
    clusters: fc.subarray(['textile', 'new_energy', 'automotive']),
  })
  .map((r) => ({
    history: new Map(r.months.map((m) => [m, r.facts[ALL.indexOf(m)]!])),
    signals: new Map(ALL.map((m, i) => [m, { electricity_index: r.indices[i] }])),
    regionCode: r.region,
    clusters: r.clusters,
  }));

/**
 * The month still open for reporting, if any: one of the evaluated months (only the newest can be open in
 * the evaluation; any is taken here — the builder treats none differently).
 */
const openOf = (months: readonly Month[], pick: number | null): Month | null =>
  pick === null ? null : months[pick % months.length]!;
const openPick = fc.option(fc.nat(), { nil: null });

/** An area's row in an open month: every signal null, the merged comparisons not computed in a January. */
const openRow = (m: Month): SignalRow =>
  calendarMonth(m) === 1
    ? { cr1: null, cr5: null, hhi: null, firm_count_yoy: null }
    : {
        cr1: null,
        cr5: null,
        hhi: null,
        firm_count_yoy: null,
        diffusion_index: null,
        cost_per_100_yoy: null,
      };

describe('area signals, streamed', () => {
  it('equal the list-based computation on random firms, bit for bit (an open month: every signal null)', () => {
    fc.assert(
      fc.property(
        fc.array(firm, { maxLength: 25 }),
        fc.integer({ min: 12, max: ALL.length - 1 }),
        openPick,
        (firms, from, pick) => {
          const months = ALL.slice(from);
          const open = openOf(months, pick);
          const builder = new AreaSignalsBuilder(months, open);
          for (const f of firms) builder.add(f);
          const got = builder.result();
          const want = reference(firms, months);
          // the open month aside, the reference's figures: it changes no other month
          if (open) for (const series of want.values()) series.set(open, openRow(open));
          expect([...got.keys()]).toEqual([...want.keys()]);
          for (const [key, series] of want) expect(got.get(key), key).toEqual(series);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('are the same from columns (as the evaluation reads them) as from Maps', () => {
    fc.assert(
      fc.property(
        fc.array(firm, { maxLength: 25 }),
        fc.integer({ min: 12, max: ALL.length - 1 }),
        openPick,
        (firms, from, pick) => {
          const months = ALL.slice(from);
          const open = openOf(months, pick);
          const fromMaps = new AreaSignalsBuilder(months, open);
          const fromColumns = new AreaSignalsBuilder(months, open);
          for (const f of firms) {
            fromMaps.add(f);
            fromColumns.add({ ...f, history: historyColumns(new Map([...f.history].reverse())) });
          }
          const want = fromMaps.result();
          const got = fromColumns.result();
          expect([...got.keys()]).toEqual([...want.keys()]);
          for (const [key, series] of want) expect(got.get(key), key).toEqual(series);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('compute a firm’s electricity index from its columns as its firm table holds it (a firm evaluated without a table)', () => {
    const electricity = TABLE_SIGNALS.indexOf('electricity_index');
    let diffused = 0;
    fc.assert(
      fc.property(
        fc.array(firm, { maxLength: 25 }),
        fc.integer({ min: 12, max: ALL.length - 1 }),
        (firms, from) => {
          const months = ALL.slice(from);
          const fromTables = new AreaSignalsBuilder(months);
          const fromColumns = new AreaSignalsBuilder(months);
          for (const f of firms) {
            const columns = historyColumns(new Map([...f.history].reverse()));
            const table = firmTable(columns, months);
            const place = { regionCode: f.regionCode, clusters: f.clusters };
            fromTables.add({
              ...place,
              history: columns,
              electricityIndex: (i) => table.value[electricity * months.length + i],
            });
            fromColumns.add({ ...place, history: columns });
          }
          const want = fromTables.result();
          const got = fromColumns.result();
          expect([...got.keys()]).toEqual([...want.keys()]);
          for (const [key, series] of want) expect(got.get(key), key).toEqual(series);
          for (const series of want.values())
            for (const row of series.values()) if (row.diffusion_index != null) diffused++;
        },
      ),
      { numRuns: 300 },
    );
    // the index was computed, not only missing: the diffusion index (which counts it) had values
    expect(diffused).toBeGreaterThan(100);
  });
});
