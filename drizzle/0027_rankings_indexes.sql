DROP INDEX "cluster_enterprise_ytd_rank_idx";--> statement-breakpoint
CREATE INDEX "monthly_stats_nonpositive_output_idx" ON "monthly_stats" USING btree ("month") WHERE "monthly_stats"."output_value" <= 0;--> statement-breakpoint
CREATE INDEX "cluster_enterprise_ytd_rank_idx" ON "cluster_enterprise_ytd" USING btree ("month","cluster_code","scale","output_ytd" DESC NULLS LAST,"enterprise_id");