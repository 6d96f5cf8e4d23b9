CREATE TABLE "index_negative_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "index_negative_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"enterprise_id" bigint NOT NULL,
	"event_date" date NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"source" text NOT NULL,
	"withdrawn" boolean DEFAULT false NOT NULL,
	"entered_by" text NOT NULL,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "index_reported_values" (
	"code" text NOT NULL,
	"period" text NOT NULL,
	"cluster_code" text NOT NULL,
	"region_code" text NOT NULL,
	"value" double precision NOT NULL,
	"unit" text,
	"source" text NOT NULL,
	"note" text,
	"entered_by" text NOT NULL,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "index_reported_values_code_period_cluster_code_region_code_pk" PRIMARY KEY("code","period","cluster_code","region_code")
);
--> statement-breakpoint
ALTER TABLE "index_results" ADD COLUMN "revenue_total" double precision;--> statement-breakpoint
ALTER TABLE "index_results" ADD COLUMN "revenue_top1" double precision;--> statement-breakpoint
ALTER TABLE "index_results" ADD COLUMN "revenue_top2" double precision;--> statement-breakpoint
CREATE UNIQUE INDEX "index_negative_events_key_idx" ON "index_negative_events" USING btree ("enterprise_id","event_date","kind");--> statement-breakpoint
CREATE INDEX "index_negative_events_date_idx" ON "index_negative_events" USING btree ("event_date");