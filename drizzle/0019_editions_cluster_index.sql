CREATE TABLE "definitions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "definitions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"body" jsonb NOT NULL,
	"reason" text,
	"based_on_id" bigint,
	"note" text,
	"created_by" bigint,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_by" bigint,
	"submitted_by_name" text,
	"submitted_at" timestamp with time zone,
	"reviewed_by" bigint,
	"reviewed_by_name" text,
	"reviewed_at" timestamp with time zone,
	"published_by" bigint,
	"published_by_name" text,
	"published_at" timestamp with time zone,
	"withdrawn_by" bigint,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "index_computations" (
	"definition_id" bigint NOT NULL,
	"frequency" text NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rows" integer NOT NULL,
	"data_through" text,
	"sensitivity" jsonb NOT NULL,
	"runs" integer NOT NULL,
	"seed" bigint NOT NULL,
	CONSTRAINT "index_computations_definition_id_frequency_pk" PRIMARY KEY("definition_id","frequency")
);
--> statement-breakpoint
CREATE TABLE "index_results" (
	"definition_id" bigint NOT NULL,
	"frequency" text NOT NULL,
	"period" text NOT NULL,
	"cluster_code" text NOT NULL,
	"region_code" text NOT NULL,
	"firms" integer NOT NULL,
	"score" double precision,
	"rank" integer,
	"band" text,
	"dimensions" jsonb NOT NULL,
	"indicators" jsonb NOT NULL,
	"gates" jsonb NOT NULL,
	"median_rank" double precision,
	"p5_rank" double precision,
	"p95_rank" double precision,
	"median_score" double precision,
	"p5_score" double precision,
	"p95_score" double precision,
	CONSTRAINT "index_results_definition_id_frequency_period_cluster_code_region_code_pk" PRIMARY KEY("definition_id","frequency","period","cluster_code","region_code")
);
--> statement-breakpoint
CREATE TABLE "index_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "definitions_version_idx" ON "definitions" USING btree ("kind","key","version");--> statement-breakpoint
CREATE INDEX "definitions_status_idx" ON "definitions" USING btree ("kind","status");--> statement-breakpoint
CREATE INDEX "index_results_cluster_idx" ON "index_results" USING btree ("cluster_code","period");