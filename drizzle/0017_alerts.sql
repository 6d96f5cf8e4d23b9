CREATE TABLE "alert_evaluations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alert_evaluations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"month" date NOT NULL,
	"rule_set_version" integer NOT NULL,
	"trigger" text NOT NULL,
	"import_id" bigint,
	"counts" jsonb NOT NULL,
	"seconds" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alert_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"alert_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"month" date,
	"level" text,
	"rule_id" text,
	"evidence" jsonb,
	"reason" text,
	"user_id" bigint,
	"username" text
);
--> statement-breakpoint
CREATE TABLE "alert_rule_sets" (
	"version" integer PRIMARY KEY NOT NULL,
	"definition" jsonb NOT NULL,
	"reason" text NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_by" bigint,
	"created_by_name" text,
	"backtest" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"subject_kind" text NOT NULL,
	"subject_key" text NOT NULL,
	"enterprise_id" bigint,
	"cluster_code" text,
	"region_code" text,
	"signal" text NOT NULL,
	"rule_id" text NOT NULL,
	"level" text NOT NULL,
	"rule_set_version" integer NOT NULL,
	"first_month" date NOT NULL,
	"last_month" date NOT NULL,
	"evidence" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"open" boolean DEFAULT true NOT NULL,
	"work_item_id" bigint,
	"closed_reason" text,
	"deadline_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "alert_events_alert_idx" ON "alert_events" USING btree ("alert_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_subject_signal_idx" ON "alerts" USING btree ("subject_key","signal") WHERE open;--> statement-breakpoint
CREATE INDEX "alerts_region_idx" ON "alerts" USING btree ("region_code","open");--> statement-breakpoint
CREATE INDEX "alerts_cluster_idx" ON "alerts" USING btree ("cluster_code","open");--> statement-breakpoint
CREATE INDEX "alerts_enterprise_idx" ON "alerts" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "alerts_last_month_idx" ON "alerts" USING btree ("last_month");