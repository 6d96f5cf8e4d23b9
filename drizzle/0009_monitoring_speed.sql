ALTER TABLE "cluster_enterprise_ytd" DROP CONSTRAINT "cluster_enterprise_ytd_cluster_code_month_enterprise_id_pk";--> statement-breakpoint
ALTER TABLE "cluster_enterprise_ytd" ADD CONSTRAINT "cluster_enterprise_ytd_month_cluster_code_enterprise_id_pk" PRIMARY KEY("month","cluster_code","enterprise_id");--> statement-breakpoint
-- Backfill for databases that already hold facts: the rows a full refresh writes (refreshEnterpriseYtd
-- in src/modules/monitoring/rollup.ts; every later import or demo run keeps them up to date).
DELETE FROM "cluster_enterprise_ytd";--> statement-breakpoint
INSERT INTO "cluster_enterprise_ytd" ("cluster_code", "month", "enterprise_id", "scale", "output_ytd")
WITH latest AS (
  SELECT max(month) AS m FROM monthly_stats
),
firsts AS (
  SELECT enterprise_id, date_trunc('year', month)::date AS y, min(month) AS first FROM monthly_stats GROUP BY 1, 2
),
grid AS (
  SELECT f.enterprise_id, g.m::date AS month
  FROM firsts f CROSS JOIN latest l CROSS JOIN LATERAL generate_series(f.first::timestamp,
    least(f.y + interval '11 months', l.m)::timestamp, interval '1 month') AS g(m)
),
ytd AS (
  SELECT g.enterprise_id, g.month, sum(ms.output_value) OVER (
      PARTITION BY g.enterprise_id, date_trunc('year', g.month) ORDER BY g.month) AS v
  FROM grid g LEFT JOIN monthly_stats ms ON ms.enterprise_id = g.enterprise_id AND ms.month = g.month
),
kept AS (
  SELECT y.enterprise_id, y.month, y.v, e.scale FROM ytd y JOIN enterprises e ON e.id = y.enterprise_id WHERE y.v > 0
),
mem AS (
  SELECT ec.enterprise_id, ec.cluster_code, ec.valid_to,
    CASE WHEN ec.valid_from = min(ec.valid_from) OVER (PARTITION BY ec.enterprise_id) THEN NULL ELSE ec.valid_from END AS eff_from
  FROM enterprise_clusters ec WHERE ec.cluster_code IN (SELECT code FROM clusters)
)
SELECT '_all', k.month, k.enterprise_id, k.scale, k.v FROM kept k
UNION ALL
SELECT DISTINCT m.cluster_code, k.month, k.enterprise_id, k.scale, k.v
FROM kept k JOIN mem m ON m.enterprise_id = k.enterprise_id
  AND (m.eff_from IS NULL OR m.eff_from < k.month + interval '1 month')
  AND (m.valid_to IS NULL OR m.valid_to >= k.month + interval '1 month');
