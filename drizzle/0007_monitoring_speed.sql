CREATE TABLE "cluster_enterprise_ytd" (
	"cluster_code" text NOT NULL,
	"month" date NOT NULL,
	"enterprise_id" bigint NOT NULL,
	"scale" text NOT NULL,
	"output_ytd" double precision NOT NULL,
	CONSTRAINT "cluster_enterprise_ytd_cluster_code_month_enterprise_id_pk" PRIMARY KEY("cluster_code","month","enterprise_id")
);
--> statement-breakpoint
CREATE INDEX "cluster_enterprise_ytd_rank_idx" ON "cluster_enterprise_ytd" USING btree ("cluster_code","month","scale","output_ytd" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cluster_enterprise_ytd_enterprise_idx" ON "cluster_enterprise_ytd" USING btree ("enterprise_id");