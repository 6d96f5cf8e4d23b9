CREATE TABLE "cultivation_documents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cultivation_documents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entry_id" bigint NOT NULL,
	"enterprise_id" bigint NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"user_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cultivation_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cultivation_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"enterprise_id" bigint NOT NULL,
	"library" text NOT NULL,
	"stage" text NOT NULL,
	"owner_user_id" bigint,
	"owner_name" text,
	"year" integer NOT NULL,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cultivation_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cultivation_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entry_id" bigint NOT NULL,
	"enterprise_id" bigint NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"note" text,
	"document_id" bigint,
	"user_id" bigint,
	"username" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "cultivation_documents_entry_idx" ON "cultivation_documents" USING btree ("entry_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cultivation_entries_key_idx" ON "cultivation_entries" USING btree ("enterprise_id","library");--> statement-breakpoint
CREATE INDEX "cultivation_entries_library_idx" ON "cultivation_entries" USING btree ("library","stage");--> statement-breakpoint
CREATE INDEX "cultivation_events_entry_idx" ON "cultivation_events" USING btree ("entry_id");