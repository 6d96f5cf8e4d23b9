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
CREATE UNIQUE INDEX "definitions_version_idx" ON "definitions" USING btree ("kind","key","version");--> statement-breakpoint
CREATE INDEX "definitions_status_idx" ON "definitions" USING btree ("kind","status");