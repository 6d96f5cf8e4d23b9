// What a bulletin is generated from: the figures of the API answers its sections are bound to, reduced to
// what the report shows (src/modules/bulletin/gather.ts fills it from the services; it is stored with the
// bulletin, so the preview, the PDF and the xlsx always show the numbers of one moment). Money in 万元,
// growth and shares as ratios, exactly as the API answers them.
import type { ScopeKind } from './template.ts';

export interface FigureIn {
  month: number | null;
  ytd: number | null;
  yoy: number | null;
  ytdYoy: number | null;
}

export interface AreaIn {
  code: string;
  name: string;
  enterprises: number;
  output: FigureIn;
  /** 累计 output as a share of all industry in the area */
  shareOfIndustry: number | null;
}

export interface TargetIn {
  name: string;
  unit: string;
  goal: number | null;
  actual: number | null;
  actualYear: number | null;
  progress: number | null;
  deadline: string;
  status: string;
}

export interface RankedFirmIn {
  name: string;
  regionName: string | null;
  /** 1–N月累计 output, and the same months a year earlier (万元) */
  value: number;
  previous: number | null;
  yoy: number | null;
}

export interface AlertIn {
  subjectName: string;
  regionName: string | null;
  level: string;
  rule: string;
  lastMonth: string;
  status: string;
}

export interface ProjectIn {
  code: string;
  name: string;
  regionName: string | null;
  stage: string;
  plannedTotalInvestment: number;
  daysLate: number;
  reasons: string;
}

/** One row of the enterprise-request statistics (GET /api/service/stats): counts and rates (ratios). */
export interface ServiceRowIn {
  label: string;
  received: number;
  closed: number;
  closeRate: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
}

export interface ServiceIn {
  /** the months counted (YYYY-MM, by the month received): 1–N月 of the bulletin's year */
  from: string;
  to: string;
  total: ServiceRowIn;
  byCategory: ServiceRowIn[];
  byUnit: ServiceRowIn[];
}

export interface BulletinData {
  month: string;
  scope: { kind: ScopeKind; code: string | null; name: string };
  demoData: boolean;
  /** per section kind: the API answer (path and query) its figures came from, for provenance */
  sources: Record<string, string>;
  kpi: (AreaIn & { comparableYtdYoy: number | null }) | null;
  clusters: AreaIn[] | null;
  counties: AreaIn[] | null;
  trend: { months: string[]; series: { name: string; values: (number | null)[] }[] } | null;
  targets: TargetIn[] | null;
  rankings: RankedFirmIn[] | null;
  alerts: { total: number; byLevel: Record<string, number>; rows: AlertIn[] } | null;
  /** asOf: the day the delays are counted to (the month's last day) */
  projects: { total: number; rows: ProjectIn[]; asOf?: string } | null;
  /** absent in bulletins generated before the section existed */
  service?: ServiceIn | null;
}
