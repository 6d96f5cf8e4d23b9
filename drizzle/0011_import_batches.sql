CREATE TABLE "import_batches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "import_batches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint,
	"username" text,
	"region_code" text,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"committed_at" timestamp with time zone,
	"rolled_back_at" timestamp with time zone,
	"rolled_back_by" text,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "batch_id" bigint;--> statement-breakpoint
CREATE INDEX "import_batches_created_idx" ON "import_batches" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "imports_batch_idx" ON "imports" USING btree ("batch_id");