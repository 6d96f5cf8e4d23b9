// Colours of SLA levels and percent formatting for the service pages.
export const SLA_COLOUR: Record<string, string> = {
  green: 'green',
  yellow: 'gold',
  red: 'red',
  purple: 'purple',
  none: 'default',
};

export const pct = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);

/** An ISO instant as China time 'YYYY-MM-DD HH:mm'. */
export const cst = (iso: string | null | undefined) =>
  iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '—';
