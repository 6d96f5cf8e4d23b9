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
ALTER TABLE "evaluation_results" ADD COLUMN "attributes" jsonb;--> statement-breakpoint
CREATE INDEX "evaluation_flags_year_idx" ON "evaluation_flags" USING btree ("year");