DROP INDEX "cluster_enterprise_ytd_enterprise_idx";--> statement-breakpoint
DROP INDEX "cluster_enterprise_ytd_rank_idx";--> statement-breakpoint
ALTER TABLE "cluster_enterprise_ytd" DROP CONSTRAINT "cluster_enterprise_ytd_month_cluster_code_enterprise_id_pk";--> statement-breakpoint
CREATE INDEX "cluster_enterprise_ytd_rank_idx" ON "cluster_enterprise_ytd" USING btree ("month","cluster_code","scale","output_ytd" DESC NULLS LAST);