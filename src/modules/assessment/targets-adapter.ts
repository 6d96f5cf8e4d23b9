// TEMPORARY (until the targets branch is merged): the targets capability will export
// `reportedTargetsCompletion(db, { year })` from src/modules/targets/index.ts. Until then every county's
// 填报目标按期完成率 is "missing" (no points, and the page says why). Remove this file after the merge.
import type { Db } from '../../db/client.ts';

export interface ReportedCompletion {
  regionCode: string;
  due: number;
  approved: number;
  approvedOnTime: number;
}

export async function reportedTargetsCompletion(
  _db: Db,
  _q: { year: number },
): Promise<ReportedCompletion[] | null> {
  return null;
}
