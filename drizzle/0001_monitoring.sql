CREATE TABLE "cluster_region_month" (
	"cluster_code" text NOT NULL,
	"region_code" text NOT NULL,
	"zone_code" text DEFAULT '' NOT NULL,
	"scale" text NOT NULL,
	"month" date NOT NULL,
	"output_value" double precision,
	"revenue" double precision,
	"profit" double precision,
	"tax" double precision,
	"energy_tce" double precision,
	"electricity" double precision,
	"employees" bigint,
	"export_value" double precision,
	"enterprises" integer NOT NULL,
	"output_reporters" integer NOT NULL,
	CONSTRAINT "cluster_region_month_cluster_code_month_region_code_zone_code_scale_pk" PRIMARY KEY("cluster_code","month","region_code","zone_code","scale")
);
--> statement-breakpoint
CREATE INDEX "cluster_region_month_region_idx" ON "cluster_region_month" USING btree ("region_code","month");