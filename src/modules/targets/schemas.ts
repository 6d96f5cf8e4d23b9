// Shapes of the targets capability's API (issue 16), shared with the web.
import { z } from 'zod';
import { queryInt } from '../../domain/query-params.ts';
// the shared schema file, not index.ts: the web imports these schemas and index.ts reaches the database
import { documentFileBody } from '../documents/schemas.ts';

// a year in a query is text, read strictly; in a JSON body it is a number
const year = queryInt({ min: 2000, max: 2100 });
const bodyYear = z.number().int().min(2000).max(2100);
const reportStatus = z.enum(['approved', 'pending', 'returned', 'missing']);

export const ledgerQuery = z.object({
  setCode: z.string().max(80).optional(),
  year: year.optional(),
});
export type LedgerQuery = z.infer<typeof ledgerQuery>;

const setInfo = z.object({ code: z.string(), name: z.string(), status: z.string(), issuedOn: z.string() });

export const ledgerRowSchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  clusterCode: z.string().nullable(),
  unit: z.string(),
  basis: z.string(),
  goal: z.number().nullable(),
  comparator: z.string(),
  deadline: z.string(),
  baselineYear: z.number(),
  baselineValue: z.number().nullable(),
  lead: z.array(z.string()),
  support: z.array(z.string()),
  dataSource: z.string(),
  reviewer: z.string(),
  measurement: z.enum(['computed', 'reported']),
  countySplit: z.enum(['baseline_share', 'equal', 'same', 'entered', 'none']),
  policySection: z.string(),
  measuredBy: z.string(),
  note: z.string().nullable(),
  /** the figure judged: computed, or the approved city-wide report, or the sum of approved county reports */
  value: z.number().nullable(),
  valueYear: z.number().nullable(),
  /** computed | city_report | county_sum | none */
  valueSource: z.enum(['computed', 'city_report', 'county_sum', 'none']),
  /**
   * who reported a reported figure: the reporter of the approved city-wide value (with the unit it reports
   * for), or how many counties' approved values make the sum; and when the city approved it
   */
  reportedBy: z.string().nullable().optional(),
  approvedAt: z.string().nullable().optional(),
  progress: z.number().nullable(),
  /** monitoring's status for computed targets; the city report's review state for reported ones */
  status: z.string(),
  reports: z.object({ approved: z.number(), pending: z.number(), returned: z.number() }),
});
export type LedgerRow = z.infer<typeof ledgerRowSchema>;

export const ledgerAnswerSchema = z.object({
  sets: z.array(setInfo),
  set: setInfo,
  year: z.number(),
  asOf: z.string(),
  cityCode: z.string(),
  rows: z.array(ledgerRowSchema),
});
export type LedgerAnswer = z.infer<typeof ledgerAnswerSchema>;

export const breakdownQuery = z.object({ setCode: z.string().max(80), targetCode: z.string().max(80), year });

export const breakdownAnswerSchema = z.object({
  setCode: z.string(),
  targetCode: z.string(),
  name: z.string(),
  unit: z.string(),
  comparator: z.string(),
  year: z.number(),
  countySplit: z.string(),
  measurement: z.enum(['computed', 'reported']),
  baselineYear: z.number(),
  city: z.object({
    goal: z.number().nullable(),
    value: z.number().nullable(),
    progress: z.number().nullable(),
  }),
  rows: z.array(
    z.object({
      regionCode: z.string(),
      regionName: z.string(),
      baseline: z.number().nullable(),
      share: z.number().nullable(),
      goal: z.number().nullable(),
      goalEntered: z.boolean(),
      value: z.number().nullable(),
      progress: z.number().nullable(),
      reportStatus: reportStatus.nullable(),
      reportId: z.number().nullable(),
    }),
  ),
});
export type BreakdownAnswer = z.infer<typeof breakdownAnswerSchema>;

export const countyGoalsBody = z
  .object({
    setCode: z.string().max(80),
    targetCode: z.string().max(80),
    goals: z
      .array(z.object({ regionCode: z.string().regex(/^\d{6}$/), goal: z.number().finite().nullable() }))
      .max(50),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

export const reportSubmitBody = z
  .object({
    setCode: z.string().max(80),
    targetCode: z.string().max(80),
    regionCode: z.string().regex(/^\d{6}$/),
    year: bodyYear,
    value: z.number().finite(),
    note: z.string().trim().max(2000).optional(),
    evidence: z.array(documentFileBody).max(5).default([]),
  })
  .strict();
export type ReportSubmitBody = z.infer<typeof reportSubmitBody>;

export const reportReviewBody = z
  .object({
    decision: z.enum(['approve', 'return']),
    reason: z.string().trim().max(2000).optional(),
    expectedRevision: z.number().int().positive().optional(),
  })
  .strict();

export const reportListQuery = z.object({
  setCode: z.string().max(80).optional(),
  targetCode: z.string().max(80).optional(),
  year: year.optional(),
  status: z.enum(['approved', 'pending', 'returned']).optional(),
});

export const reportHeadSchema = z.object({
  id: z.number(),
  setCode: z.string(),
  targetCode: z.string(),
  targetName: z.string(),
  unit: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  year: z.number(),
  value: z.number(),
  note: z.string().nullable(),
  status: z.enum(['approved', 'pending', 'returned']),
  revision: z.number(),
  dueOn: z.string(),
  submittedAt: z.string(),
  submittedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  returnReason: z.string().nullable(),
  source: z.string(),
  workItemId: z.number().nullable(),
  /** what this user may do now: approve, return (city), resubmit (the reporter) */
  actions: z.array(z.enum(['approve', 'return', 'resubmit'])),
});
export type ReportHead = z.infer<typeof reportHeadSchema>;

export const reportListSchema = z.object({ items: z.array(reportHeadSchema) });

export const reportDetailSchema = reportHeadSchema.extend({
  revisions: z.array(
    z.object({
      revision: z.number(),
      value: z.number(),
      note: z.string().nullable(),
      username: z.string().nullable(),
      at: z.string(),
    }),
  ),
  documents: z.array(
    z.object({
      id: z.number(),
      revision: z.number(),
      fileName: z.string(),
      sizeBytes: z.number(),
      at: z.string(),
    }),
  ),
  events: z.array(
    z.object({
      at: z.string(),
      transition: z.string().nullable(),
      fromState: z.string().nullable(),
      toState: z.string().nullable(),
      username: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
});
export type ReportDetail = z.infer<typeof reportDetailSchema>;

export const importBody = z.object({ file: documentFileBody }).strict();
export const importResultSchema = z.object({
  fileName: z.string(),
  imported: z.number(),
  problems: z.array(
    z.object({
      file: z.string(),
      row: z.number().nullable(),
      column: z.string().nullable(),
      /** the reason in Chinese (as zh; kept for the clients that read it) */
      reason: z.string(),
      zh: z.string(),
      en: z.string(),
    }),
  ),
});
export type ImportResult = z.infer<typeof importResultSchema>;
