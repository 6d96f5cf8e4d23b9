CREATE TABLE "unit_members" (
	"unit_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"duty" text DEFAULT 'handler' NOT NULL,
	CONSTRAINT "unit_members_unit_id_user_id_pk" PRIMARY KEY("unit_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "units_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"region_code" text,
	"cluster_code" text,
	"duties" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_item_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "work_item_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"work_item_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"type" text NOT NULL,
	"transition" text,
	"from_state" text,
	"to_state" text,
	"from_unit_id" bigint,
	"to_unit_id" bigint,
	"level" smallint,
	"actor_user_id" bigint,
	"actor_username" text,
	"reason" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_item_parties" (
	"work_item_id" bigint NOT NULL,
	"unit_id" bigint NOT NULL,
	"role" text DEFAULT 'assist' NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"note" text,
	CONSTRAINT "work_item_parties_work_item_id_unit_id_pk" PRIMARY KEY("work_item_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "work_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "work_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"title" text NOT NULL,
	"state" text NOT NULL,
	"owner_unit_id" bigint,
	"owner_user_id" bigint,
	"enterprise_id" bigint,
	"region_code" text,
	"cluster_code" text,
	"timed" boolean DEFAULT false NOT NULL,
	"level" smallint DEFAULT 0 NOT NULL,
	"clock_started_at" timestamp with time zone,
	"deadline_at" timestamp with time zone,
	"remind_at" timestamp with time zone,
	"urge_at" timestamp with time zone,
	"escalate_at" timestamp with time zone,
	"ever_overdue" boolean DEFAULT false NOT NULL,
	"closed_at" timestamp with time zone,
	"close_reason" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"enterprise_id" bigint NOT NULL,
	"region_code" text NOT NULL,
	"cluster_code" text,
	"chain_node_id" text,
	"nature" text NOT NULL,
	"category" text NOT NULL,
	"chain_common" boolean DEFAULT false NOT NULL,
	"level" text DEFAULT 'city' NOT NULL,
	"complex" boolean DEFAULT false NOT NULL,
	"channel" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"contact_name" text,
	"contact_phone" text,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"alert_id" bigint,
	"received_at" timestamp with time zone NOT NULL,
	"first_assigned_at" timestamp with time zone,
	"last_assigned_at" timestamp with time zone,
	"accept_due_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"answer_due_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"answer" text,
	"direct_answer" boolean DEFAULT false NOT NULL,
	"answered_on_time" boolean,
	"rating" text,
	"rating_note" text,
	"rated_at" timestamp with time zone,
	"contest_count" integer DEFAULT 0 NOT NULL,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"merged_into" bigint,
	"closed_at" timestamp with time zone,
	"created_by" bigint,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "unit_members_user_idx" ON "unit_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "units_code_idx" ON "units" USING btree ("code");--> statement-breakpoint
CREATE INDEX "units_kind_idx" ON "units" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "work_item_events_item_idx" ON "work_item_events" USING btree ("work_item_id","id");--> statement-breakpoint
CREATE INDEX "work_item_events_at_idx" ON "work_item_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "work_item_parties_unit_idx" ON "work_item_parties" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "work_items_subject_idx" ON "work_items" USING btree ("kind","subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "work_items_state_idx" ON "work_items" USING btree ("kind","state");--> statement-breakpoint
CREATE INDEX "work_items_owner_idx" ON "work_items" USING btree ("owner_unit_id","state");--> statement-breakpoint
CREATE INDEX "work_items_enterprise_idx" ON "work_items" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "work_items_region_idx" ON "work_items" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "work_items_cluster_idx" ON "work_items" USING btree ("cluster_code");--> statement-breakpoint
CREATE INDEX "work_items_timed_idx" ON "work_items" USING btree ("timed","remind_at");--> statement-breakpoint
CREATE UNIQUE INDEX "service_requests_code_idx" ON "service_requests" USING btree ("code");--> statement-breakpoint
CREATE INDEX "service_requests_enterprise_idx" ON "service_requests" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "service_requests_received_idx" ON "service_requests" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "service_requests_region_idx" ON "service_requests" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "service_requests_cluster_idx" ON "service_requests" USING btree ("cluster_code");