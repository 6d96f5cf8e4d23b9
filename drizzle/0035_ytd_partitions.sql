-- cluster_enterprise_ytd partitioned by year (range on month, issue 13): a refresh that writes many rows of a
-- year detaches that year's partition, loads it without an index and indexes it alone (its rows, not the whole
-- table's); a year not on record is loaded into a fresh partition and indexed once. Hand-written: drizzle-kit
-- cannot declare partitions. The columns and the index are those of src/db/schema-monitoring.ts, and the index
-- is made on the parent (every partition gets its own, attached to it), so drizzle's snapshot still matches.
-- Yearly partitions are named cluster_enterprise_ytd_y<year> (src/modules/monitoring/rollup.ts creates them
-- on demand); the DEFAULT partition takes the rows of any month that has none, so no insert ever fails.
-- Citus-portable: distributed partitioned tables are supported (create_distributed_table on the parent
-- distributes every partition, present and attached later, by enterprise_id); nothing here is PostgreSQL-only
-- beyond declarative partitioning, and the DO block runs on PGlite and PostgreSQL 15 alike.
ALTER TABLE "cluster_enterprise_ytd" RENAME TO "cluster_enterprise_ytd_unpartitioned";--> statement-breakpoint
DROP INDEX "cluster_enterprise_ytd_rank_idx";--> statement-breakpoint
CREATE TABLE "cluster_enterprise_ytd" (
	"cluster_code" text NOT NULL,
	"month" date NOT NULL,
	"enterprise_id" bigint NOT NULL,
	"scale" text NOT NULL,
	"output_ytd" double precision NOT NULL
) PARTITION BY RANGE ("month");--> statement-breakpoint
CREATE TABLE "cluster_enterprise_ytd_default" PARTITION OF "cluster_enterprise_ytd" DEFAULT;--> statement-breakpoint
DO $$
DECLARE y int;
BEGIN
  FOR y IN SELECT DISTINCT extract(year FROM "month")::int FROM "cluster_enterprise_ytd_unpartitioned" LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "cluster_enterprise_ytd" FOR VALUES FROM (%L) TO (%L)',
      'cluster_enterprise_ytd_y' || y, make_date(y, 1, 1), make_date(y + 1, 1, 1));
  END LOOP;
END $$;--> statement-breakpoint
INSERT INTO "cluster_enterprise_ytd" ("cluster_code", "month", "enterprise_id", "scale", "output_ytd")
  SELECT "cluster_code", "month", "enterprise_id", "scale", "output_ytd" FROM "cluster_enterprise_ytd_unpartitioned"
  ORDER BY "month";--> statement-breakpoint
DROP TABLE "cluster_enterprise_ytd_unpartitioned";--> statement-breakpoint
CREATE INDEX "cluster_enterprise_ytd_rank_idx" ON "cluster_enterprise_ytd" USING btree ("month","cluster_code","scale","output_ytd" DESC NULLS LAST,"enterprise_id");--> statement-breakpoint
ANALYZE "cluster_enterprise_ytd";
