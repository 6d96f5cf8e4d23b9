CREATE TABLE "import_jobs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "import_jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"import_id" bigint NOT NULL,
	"phase" text NOT NULL,
	"status" text NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"bytes_total" bigint DEFAULT 0 NOT NULL,
	"message" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "import_replaced_values" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "import_replaced_values_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"import_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"enterprise_id" bigint NOT NULL,
	"period" text NOT NULL,
	"old_import_id" bigint,
	"old_values" jsonb NOT NULL,
	"replaced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_issues" ADD COLUMN "severity" text DEFAULT 'error' NOT NULL;--> statement-breakpoint
ALTER TABLE "import_issues" ADD COLUMN "file" text;--> statement-breakpoint
ALTER TABLE "import_issues" ADD COLUMN "cells" jsonb;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "file_size" bigint;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "stored_as" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "username" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "region_code" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "committed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "rolled_back_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "rolled_back_by" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "error" text;--> statement-breakpoint
CREATE INDEX "import_jobs_import_idx" ON "import_jobs" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "import_replaced_import_idx" ON "import_replaced_values" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "import_replaced_old_idx" ON "import_replaced_values" USING btree ("old_import_id");--> statement-breakpoint
CREATE INDEX "import_replaced_key_idx" ON "import_replaced_values" USING btree ("kind","enterprise_id","period");--> statement-breakpoint
CREATE UNIQUE INDEX "imports_committed_sha_idx" ON "imports" USING btree ("kind","sha256") WHERE status = 'committed';--> statement-breakpoint
CREATE INDEX "imports_created_idx" ON "imports" USING btree ("created_at");