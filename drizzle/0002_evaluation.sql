CREATE TABLE "evaluation_objections" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "evaluation_objections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" bigint NOT NULL,
	"enterprise_id" bigint NOT NULL,
	"filed_by" bigint,
	"filed_by_name" text NOT NULL,
	"text" text NOT NULL,
	"evidence" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"resolution" text,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_results" (
	"run_id" bigint NOT NULL,
	"enterprise_id" bigint NOT NULL,
	"region_code" text NOT NULL,
	"scale" text NOT NULL,
	"group_key" text,
	"evaluated" boolean NOT NULL,
	"exclusion" text,
	"values" double precision[],
	"scores" double precision[],
	"cells" integer[],
	"adjustment" double precision,
	"total" double precision,
	"rank" integer,
	"group_size" integer,
	"class" text,
	"inputs" double precision[] NOT NULL,
	CONSTRAINT "evaluation_results_run_id_enterprise_id_pk" PRIMARY KEY("run_id","enterprise_id")
);
--> statement-breakpoint
CREATE TABLE "evaluation_rule_sets" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "evaluation_rule_sets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"version" integer NOT NULL,
	"region_code" text NOT NULL,
	"year" integer,
	"name" text NOT NULL,
	"preset" text,
	"definition" jsonb NOT NULL,
	"reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "evaluation_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"year" integer NOT NULL,
	"region_code" text NOT NULL,
	"rule_set_id" bigint NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"supersedes_run_id" bigint,
	"superseded_by_run_id" bigint,
	"reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"summary" jsonb NOT NULL,
	"benchmarks" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_watch_handling" (
	"year" integer NOT NULL,
	"enterprise_id" bigint NOT NULL,
	"status" text NOT NULL,
	"owner" text,
	"deadline" date,
	"progress" text,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_watch_handling_year_enterprise_id_pk" PRIMARY KEY("year","enterprise_id")
);
--> statement-breakpoint
CREATE INDEX "evaluation_objections_run_idx" ON "evaluation_objections" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "evaluation_objections_enterprise_idx" ON "evaluation_objections" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "evaluation_results_enterprise_idx" ON "evaluation_results" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "evaluation_results_class_idx" ON "evaluation_results" USING btree ("run_id","class");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_rule_sets_version_idx" ON "evaluation_rule_sets" USING btree ("code","version");--> statement-breakpoint
CREATE INDEX "evaluation_runs_year_idx" ON "evaluation_runs" USING btree ("year","region_code");