// Computes an edition's results: the platform's metrics per unit and period (metrics.ts), then the pure
// pipeline and its Monte Carlo (src/domain/cluster-index) over each level as its own comparison set.
import {
  computeIndex,
  uncertainty,
  type IndexFramework,
  type IndexRow,
  type RowResult,
  type RowBand,
  type SensitivityRow,
} from '../../domain/cluster-index/index.ts';
import type { Db } from '../../db/client.ts';
import { loadUnitMetrics, type Frequency, type UnitMetrics } from './metrics.ts';
import type { EditionBody } from './schemas.ts';

export const LEVELS = ['cluster', 'county'] as const;
export type Level = (typeof LEVELS)[number];

export interface ComputedRow extends RowResult {
  frequency: Frequency;
  clusterCode: string;
  /** '' at the cluster level */
  regionCode: string;
  band: string | null;
  uncertainty: RowBand | null;
  revenue: UnitMetrics['revenue'];
}

export interface Computed {
  frequency: Frequency;
  rows: ComputedRow[];
  sensitivity: Record<Level, SensitivityRow[]>;
}

const yearsOf = (b: EditionBody) =>
  Array.from({ length: b.years.to - b.years.from + 1 }, (_, i) => b.years.from + i);

/** Every result of the edition for one frequency (both levels). */
export async function computeFrequency(db: Db, body: EditionBody, frequency: Frequency): Promise<Computed> {
  const fw = body.framework as IndexFramework;
  const metrics = await loadUnitMetrics(db, yearsOf(body), frequency);
  const rows: ComputedRow[] = [];
  const sensitivity = {} as Record<Level, SensitivityRow[]>;
  for (const level of LEVELS) {
    const inLevel = metrics.filter((m) =>
      level === 'cluster' ? m.regionCode === null : m.regionCode !== null,
    );
    const revenueOf = new Map(
      inLevel.map((m) => [`${m.clusterCode}|${m.regionCode ?? ''}|${m.period}`, m.revenue]),
    );
    const input: IndexRow[] = inLevel.map((m) => ({
      id: `${m.clusterCode}|${m.regionCode ?? ''}|${m.period}`,
      // each cluster (× county) competes with the others in its own period
      unit: `${m.clusterCode}|${m.regionCode ?? ''}`,
      period: m.period,
      firms: m.firms,
      raw: m.raw,
    }));
    const results = computeIndex(fw, input);
    const mc = input.length ? uncertainty(fw, input) : { bands: [], sensitivity: [] };
    sensitivity[level] = mc.sensitivity;
    const bands = new Map(mc.bands.map((b) => [b.id, b]));
    for (const r of results) {
      const [clusterCode, regionCode] = r.id.split('|') as [string, string];
      rows.push({
        ...r,
        frequency,
        clusterCode,
        regionCode,
        uncertainty: bands.get(r.id) ?? null,
        revenue: revenueOf.get(r.id) ?? { total: null, top1: null, top2: null },
      });
    }
  }
  return { frequency, rows, sensitivity };
}
