// The metric names a framework may use (pure: the web imports them through schemas.ts).
/** Every metric a framework may name; `negative_events` has no source on the platform yet (always null). */
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
  'negative_events',
] as const;
export type Metric = (typeof METRICS)[number];
