CREATE TABLE "investment_statistics" (
	"region_code" text NOT NULL,
	"cluster_code" text NOT NULL,
	"month" date NOT NULL,
	"ytd_investment" double precision NOT NULL,
	"source" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "investment_statistics_region_code_cluster_code_month_pk" PRIMARY KEY("region_code","cluster_code","month")
);
--> statement-breakpoint
CREATE TABLE "project_progress" (
	"project_id" bigint NOT NULL,
	"month" date NOT NULL,
	"investment_month" double precision NOT NULL,
	"investment_cumulative" double precision NOT NULL,
	"status_note" text,
	"reported_by" text,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"import_id" bigint,
	CONSTRAINT "project_progress_project_id_month_pk" PRIMARY KEY("project_id","month")
);
--> statement-breakpoint
CREATE TABLE "project_risks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "project_risks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"severity" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"owner" text,
	"raised_on" date NOT NULL,
	"due_date" date,
	"closed_on" date,
	"resolution" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_stage_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "project_stage_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" bigint NOT NULL,
	"from_stage" text NOT NULL,
	"to_stage" text NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"skipped" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason" text,
	"on" date NOT NULL,
	"user_id" bigint,
	"username" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_stages" (
	"project_id" bigint NOT NULL,
	"stage" text NOT NULL,
	"planned_date" date,
	"actual_date" date,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"note" text,
	CONSTRAINT "project_stages_project_id_stage_pk" PRIMARY KEY("project_id","stage")
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "projects_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"investor_name" text NOT NULL,
	"investor_enterprise_id" bigint,
	"cluster_code" text,
	"chain_node_id" text,
	"region_code" text NOT NULL,
	"zone_code" text,
	"planned_total_investment" double precision NOT NULL,
	"planned_fixed_investment" double precision,
	"land_mu" double precision,
	"expected_output" double precision,
	"expected_tax" double precision,
	"expected_jobs" integer,
	"priority" text DEFAULT 'medium' NOT NULL,
	"likelihood" text DEFAULT 'medium' NOT NULL,
	"owner" text,
	"department" text,
	"stage" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"description" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "project_progress_month_idx" ON "project_progress" USING btree ("month");--> statement-breakpoint
CREATE INDEX "project_risks_project_idx" ON "project_risks" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "project_stage_changes_project_idx" ON "project_stage_changes" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_code_idx" ON "projects" USING btree ("code");--> statement-breakpoint
CREATE INDEX "projects_region_idx" ON "projects" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "projects_cluster_idx" ON "projects" USING btree ("cluster_code");--> statement-breakpoint
CREATE INDEX "projects_stage_idx" ON "projects" USING btree ("stage","status");--> statement-breakpoint
CREATE INDEX "projects_investor_idx" ON "projects" USING btree ("investor_enterprise_id");