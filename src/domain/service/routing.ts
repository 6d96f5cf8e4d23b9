// Routing a request to its lead unit (主办) [src 衢州 — reference B3.3]: 产业链共性 problems go to the cluster's
// 产业链专班 (the cluster promotion agency); county-level requests to the county's office; the rest to the
// city department whose duties list the request's category. A pure suggestion: the coordinator decides.
import { CATEGORY_DUTY, type Category, type RequestLevel } from './defaults.ts';

export interface RoutableUnit {
  id: number;
  kind: string;
  regionCode: string | null;
  clusterCode: string | null;
  duties: readonly string[];
  active: boolean;
}

export interface RoutableRequest {
  category: Category;
  chainCommon: boolean;
  clusterCode: string | null;
  regionCode: string | null;
  level: RequestLevel;
}

export interface RouteSuggestion {
  leadUnitId: number | null;
  why: { zh: string; en: string };
}

export function suggestRoute(req: RoutableRequest, units: readonly RoutableUnit[]): RouteSuggestion {
  const live = units.filter((u) => u.active);
  if (req.chainCommon && req.clusterCode) {
    const agency = live.find((u) => u.kind === 'cluster_agency' && u.clusterCode === req.clusterCode);
    if (agency)
      return {
        leadUnitId: agency.id,
        why: { zh: '产业链共性问题，交集群专班', en: 'chain-wide problem: the cluster task force' },
      };
  }
  if (req.level !== 'city' && req.regionCode) {
    const county = live.find((u) => u.kind === 'county' && u.regionCode === req.regionCode);
    if (county)
      return {
        leadUnitId: county.id,
        why: { zh: '县级事项，交属地经信部门', en: 'county-level: the county office' },
      };
  }
  const duty = CATEGORY_DUTY[req.category];
  const dept = live.find((u) => u.kind === 'department' && u.duties.includes(duty));
  if (dept)
    return {
      leadUnitId: dept.id,
      why: { zh: '按事项类型交主管部门', en: 'by category: the competent department' },
    };
  return {
    leadUnitId: null,
    why: { zh: '无匹配单位，请协调人指定', en: 'no matching unit: the coordinator decides' },
  };
}
