CREATE TABLE "bulletin_files" (
	"bulletin_id" bigint NOT NULL,
	"format" text NOT NULL,
	"content" "bytea" NOT NULL,
	"bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bulletin_files_bulletin_id_format_pk" PRIMARY KEY("bulletin_id","format")
);
--> statement-breakpoint
CREATE TABLE "bulletins" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bulletins_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"month" text NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_code" text,
	"scope_name" text NOT NULL,
	"status" text NOT NULL,
	"job" text,
	"progress" integer DEFAULT 0 NOT NULL,
	"stage" text,
	"error" text,
	"trigger" text NOT NULL,
	"import_id" bigint,
	"template_version" text,
	"data" jsonb,
	"commentary" text DEFAULT '' NOT NULL,
	"demo_data" boolean DEFAULT false NOT NULL,
	"created_by" bigint,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"generated_at" timestamp with time zone,
	"generation_ms" integer,
	"submitted_by" bigint,
	"submitted_by_name" text,
	"submitted_at" timestamp with time zone,
	"published_by" bigint,
	"published_by_name" text,
	"published_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bulletin_files" ADD CONSTRAINT "bulletin_files_bulletin_id_bulletins_id_fk" FOREIGN KEY ("bulletin_id") REFERENCES "public"."bulletins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulletins_month_idx" ON "bulletins" USING btree ("month","scope_kind","scope_code");--> statement-breakpoint
CREATE INDEX "bulletins_job_idx" ON "bulletins" USING btree ("job");