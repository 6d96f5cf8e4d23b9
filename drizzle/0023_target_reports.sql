CREATE TABLE "target_county_goals" (
	"set_code" text NOT NULL,
	"target_code" text NOT NULL,
	"region_code" text NOT NULL,
	"goal" double precision NOT NULL,
	"note" text,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "target_report_documents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "target_report_documents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"report_id" bigint NOT NULL,
	"revision" integer NOT NULL,
	"region_code" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"user_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "target_report_revisions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "target_report_revisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"report_id" bigint NOT NULL,
	"revision" integer NOT NULL,
	"value" double precision NOT NULL,
	"note" text,
	"user_id" bigint,
	"username" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "target_reports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "target_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"set_code" text NOT NULL,
	"target_code" text NOT NULL,
	"region_code" text NOT NULL,
	"year" integer NOT NULL,
	"value" double precision NOT NULL,
	"note" text,
	"status" text NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"work_item_id" bigint,
	"due_on" date NOT NULL,
	"first_submitted_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"submitted_by" bigint,
	"submitted_by_name" text,
	"reviewed_at" timestamp with time zone,
	"reviewed_by_name" text,
	"return_reason" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "target_county_goals_key_idx" ON "target_county_goals" USING btree ("set_code","target_code","region_code");--> statement-breakpoint
CREATE INDEX "target_report_documents_report_idx" ON "target_report_documents" USING btree ("report_id");--> statement-breakpoint
CREATE UNIQUE INDEX "target_report_revisions_key_idx" ON "target_report_revisions" USING btree ("report_id","revision");--> statement-breakpoint
CREATE UNIQUE INDEX "target_reports_key_idx" ON "target_reports" USING btree ("set_code","target_code","region_code","year");--> statement-breakpoint
CREATE INDEX "target_reports_region_idx" ON "target_reports" USING btree ("region_code","year");