// Statistics of enterprise requests, each a grouped SQL count over the period (by the month received, China
// time); rates and scores are computed from the counts by src/domain/service/scores.ts. Merged and withdrawn
// requests are not counted. Definitions (returned with every answer, for provenance):
//   受理量 received; 直接解答率 direct / received; 办结率 closed / received; 按时办结率 closed with the
//   (last) answer before its deadline / closed; 满意率 (满意 + 基本满意) / closed and rated.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import {
  CATEGORY_ZH,
  CHANNEL_ZH,
  RECURRING_MIN_FIRMS,
  SERVICE_REQUEST_KIND,
  ratesOf,
  scoreUnits,
  type RequestCounts,
} from '../../domain/service/index.ts';
import { unitRows, workItemRows } from '../workitems/index.ts';

export const DEFINITIONS = {
  received: '受理量：期内受理的诉求（不含已合并、已撤回）',
  directRate: '直接解答率 = 受理时直接解答数 / 受理量',
  closeRate: '办结率 = 已办结数 / 受理量',
  onTimeRate: '按时办结率 = 最后一次答复在办理时限内的已办结数 / 已办结数',
  satisfactionRate: '满意率 = （满意 + 基本满意）/ 已办结且已回访数',
  source: '南通、苏州12345公开口径（共享参考资料 §3.3）',
};

export interface Period {
  from: string; // YYYY-MM
  to: string; // YYYY-MM
}

const MONTH = sql`to_char(r.received_at at time zone 'Asia/Shanghai', 'YYYY-MM')`;

function dimension(by: string): { key: SQL; label: SQL } {
  switch (by) {
    case 'channel':
      return { key: sql`r.channel`, label: sql`r.channel` };
    case 'unit':
      return {
        key: sql`w.owner_unit_id::text`,
        label: sql`coalesce((select name from ${unitRows()} u where u.id = w.owner_unit_id), '未分派')`,
      };
    case 'county':
      return {
        key: sql`r.region_code`,
        label: sql`coalesce((select name from regions g where g.code = r.region_code), r.region_code)`,
      };
    case 'cluster':
      return {
        key: sql`r.cluster_code`,
        label: sql`coalesce((select name from clusters c where c.code = r.cluster_code), '未归集群')`,
      };
    case 'category':
      return { key: sql`r.category`, label: sql`r.category` };
    default:
      return { key: MONTH, label: MONTH };
  }
}

/** The counts behind every rate, grouped by one dimension (null = the whole period). */
export async function requestCounts(db: Db, p: Period, by: string | null, extra?: SQL) {
  const d = by ? dimension(by) : { key: sql`null::text`, label: sql`'合计'` };
  const rows = await queryRows<Record<string, string | number | null>>(
    db,
    sql`select ${d.key} as key, ${d.label} as label,
               count(*)::int as received,
               count(*) filter (where r.direct_answer)::int as direct,
               count(*) filter (where w.state = 'closed')::int as closed,
               count(*) filter (where w.state = 'closed' and r.answered_on_time)::int as closed_on_time,
               count(*) filter (where w.state = 'closed' and r.rating is not null)::int as rated,
               count(*) filter (where w.state = 'closed' and r.rating in ('satisfied', 'basic'))::int as satisfied
          from service_requests r
          join ${workItemRows()} w on w.kind = ${SERVICE_REQUEST_KIND} and w.subject_type = 'service_request' and w.subject_id = r.id::text
         where w.state not in ('merged', 'withdrawn')
           and ${MONTH} between ${p.from} and ${p.to}
           ${extra ? sql`and ${extra}` : sql``}
         group by 1, 2
         order by 1`,
  );
  return rows.map((r) => {
    const counts: RequestCounts = {
      received: Number(r.received),
      direct: Number(r.direct),
      closed: Number(r.closed),
      closedOnTime: Number(r.closed_on_time),
      rated: Number(r.rated),
      satisfied: Number(r.satisfied),
    };
    const key = r.key == null ? null : String(r.key);
    let label = String(r.label);
    if (by === 'channel') label = CHANNEL_ZH[label as keyof typeof CHANNEL_ZH] ?? label;
    if (by === 'category') label = CATEGORY_ZH[label as keyof typeof CATEGORY_ZH] ?? label;
    return { key, label, ...counts, ...ratesOf(counts) };
  });
}

export async function requestStats(db: Db, p: Period, by: string, extra?: SQL) {
  const [rows, total] = await Promise.all([
    requestCounts(db, p, by, extra),
    requestCounts(db, p, null, extra),
  ]);
  const empty = {
    key: null,
    label: '合计',
    received: 0,
    direct: 0,
    closed: 0,
    closedOnTime: 0,
    rated: 0,
    satisfied: 0,
    directRate: null,
    closeRate: null,
    onTimeRate: null,
    satisfactionRate: null,
  };
  return { from: p.from, to: p.to, by, total: total[0] ?? empty, rows, definitions: DEFINITIONS };
}

/** Department scores (承办单位评分) of the period by the unit leading each request now. */
export async function unitScores(db: Db, p: Period) {
  const rows = await queryRows<Record<string, string | number>>(
    db,
    sql`select u.id as unit_id, u.name as unit_name, u.kind,
               count(*)::int as assigned,
               count(*) filter (where r.accepted_at is not null and r.accepted_at <= r.accept_due_at)::int as received_on_time,
               count(*) filter (where r.answered_at is not null)::int as answered,
               count(*) filter (where r.answered_at is not null and r.answered_on_time)::int as answered_on_time,
               count(*) filter (where r.rating is not null)::int as rated,
               count(*) filter (where r.rating in ('satisfied', 'basic'))::int as satisfied,
               count(*) filter (where r.contest_count > 0)::int as returned,
               count(*) filter (where r.reopen_count > 0)::int as redone
          from service_requests r
          join ${workItemRows()} w on w.kind = ${SERVICE_REQUEST_KIND} and w.subject_type = 'service_request' and w.subject_id = r.id::text
          join ${unitRows()} u on u.id = w.owner_unit_id
         where w.state not in ('merged', 'withdrawn') and not r.direct_answer
           and ${MONTH} between ${p.from} and ${p.to}
         group by u.id, u.name, u.kind`,
  );
  const items = scoreUnits(
    rows.map((r) => ({
      unitId: Number(r.unit_id),
      unitName: String(r.unit_name),
      group: r.kind === 'county' ? ('county' as const) : ('department' as const),
      assigned: Number(r.assigned),
      receivedOnTime: Number(r.received_on_time),
      answered: Number(r.answered),
      answeredOnTime: Number(r.answered_on_time),
      rated: Number(r.rated),
      satisfied: Number(r.satisfied),
      returned: Number(r.returned),
      redone: Number(r.redone),
    })),
  ).sort((a, b) => (a.group === b.group ? (a.rank ?? 999) - (b.rank ?? 999) : a.group < b.group ? -1 : 1));
  return {
    from: p.from,
    to: p.to,
    items,
    method:
      '及时接收率、按时办结率、满意度、(1−回退率)、(1−重办率) 等权平均×100；红榜前5、黑榜后5，区县与部门分别排名（榆林12345，共享参考资料 §3.4；等权为推断）',
  };
}

/** Recurring problems: a tag raised by at least RECURRING_MIN_FIRMS firms of one cluster in the period. */
export async function recurringTags(db: Db, p: Period, extra?: SQL) {
  const rows = await queryRows<{ cluster_code: string | null; tag: string; firms: number; requests: number }>(
    db,
    sql`select r.cluster_code, t.tag, count(distinct r.enterprise_id)::int as firms, count(*)::int as requests
          from service_requests r
          join ${workItemRows()} w on w.kind = ${SERVICE_REQUEST_KIND} and w.subject_type = 'service_request' and w.subject_id = r.id::text
          cross join lateral jsonb_array_elements_text(r.tags) as t(tag)
         where ${MONTH} between ${p.from} and ${p.to} and r.merged_into is null
           ${extra ? sql`and ${extra}` : sql``}
         group by r.cluster_code, t.tag
        having count(distinct r.enterprise_id) >= ${RECURRING_MIN_FIRMS}
         order by firms desc, requests desc, t.tag
         limit 100`,
  );
  return {
    items: rows.map((r) => ({
      clusterCode: r.cluster_code,
      tag: r.tag,
      firms: Number(r.firms),
      requests: Number(r.requests),
    })),
    minFirms: RECURRING_MIN_FIRMS,
  };
}
