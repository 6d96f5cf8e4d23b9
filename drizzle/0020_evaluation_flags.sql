CREATE TABLE "evaluation_flags" (
	"enterprise_id" bigint NOT NULL,
	"flag" text NOT NULL,
	"year" integer NOT NULL,
	"evidence" text,
	"import_id" bigint,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_flags_enterprise_id_flag_year_pk" PRIMARY KEY("enterprise_id","flag","year")
);
--> statement-breakpoint
CREATE TABLE "evaluation_objection_files" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "evaluation_objection_files_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"objection_id" bigint NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"user_id" bigint,
	"uploaded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evaluation_results" ADD COLUMN "attributes" jsonb;--> statement-breakpoint
CREATE INDEX "evaluation_flags_year_idx" ON "evaluation_flags" USING btree ("year");--> statement-breakpoint
CREATE INDEX "evaluation_objection_files_objection_idx" ON "evaluation_objection_files" USING btree ("objection_id");