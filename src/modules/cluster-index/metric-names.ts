// The metric names a framework may use (pure: the web imports them through schemas.ts).
/**
 * Every platform metric a framework may name. Besides these, `reported:<code>` names a reported value
 * (index_reported_values, entered with its source). `negative_events` counts negative-list events of the
 * unit's firms in the three years to the period's end, and is null (无数据) until the bureau marks the
 * negative list as maintained.
 */
export const METRICS = [
  'revenue_yi',
  'revenue_growth',
  'profit_margin',
  'output_yi',
  'output_growth_3y',
  'rd_intensity',
  'rd_growth',
  'tax_per_mu',
  'va_per_mu',
  'labour_productivity',
  'tiered_share',
  'top_tier_firms',
  'specialised_firms',
  'a_class_share',
  'platforms',
  'chain_coverage',
  'sme_share',
  'investment_intensity',
  'service_on_time_rate',
  'service_satisfaction_rate',
  'warned_firms_per_100',
  'negative_events',
] as const;
export type Metric = (typeof METRICS)[number];

/** `reported:<code>`: a value entered per unit and period (填报值) rather than computed. */
export const REPORTED_METRIC = /^reported:[a-z][a-z0-9_]{0,39}$/;
export const isReportedMetric = (m: string) => REPORTED_METRIC.test(m);
