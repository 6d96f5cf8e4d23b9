CREATE TABLE "chain_edges" (
	"chain_code" text NOT NULL,
	"from_code" text NOT NULL,
	"to_code" text NOT NULL,
	CONSTRAINT "chain_edges_chain_code_from_code_to_code_pk" PRIMARY KEY("chain_code","from_code","to_code")
);
--> statement-breakpoint
CREATE TABLE "chain_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "chain_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"chain_code" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" bigint,
	"username" text,
	"action" text NOT NULL,
	"entity_key" text,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "chain_nodes" (
	"chain_code" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"stage" text NOT NULL,
	"industry_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"key_products" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"description" text,
	"known_enterprises" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chain_nodes_chain_code_code_pk" PRIMARY KEY("chain_code","code")
);
--> statement-breakpoint
CREATE TABLE "chain_projects" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "chain_projects_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"chain_code" text NOT NULL,
	"node_code" text,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"owner" text,
	"stage" text DEFAULT 'idea' NOT NULL,
	"investment_project_id" bigint,
	"target_enterprise_id" bigint,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chains" (
	"code" text PRIMARY KEY NOT NULL,
	"cluster_code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"description" text,
	"proposed" boolean DEFAULT true NOT NULL,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprise_chain_nodes" (
	"enterprise_id" bigint NOT NULL,
	"chain_code" text NOT NULL,
	"node_code" text NOT NULL,
	"basis" text NOT NULL,
	"assigned" boolean DEFAULT true NOT NULL,
	"match" text NOT NULL,
	"note" text,
	"decided_by" bigint,
	"decided_by_name" text,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enterprise_chain_nodes_enterprise_id_chain_code_node_code_pk" PRIMARY KEY("enterprise_id","chain_code","node_code")
);
--> statement-breakpoint
CREATE TABLE "target_enterprises" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "target_enterprises_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"headquarters" text,
	"chain_code" text NOT NULL,
	"node_code" text NOT NULL,
	"size_class" text,
	"revenue" double precision,
	"contact_status" text DEFAULT 'none' NOT NULL,
	"expanding" boolean DEFAULT false NOT NULL,
	"source" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "chain_history_chain_idx" ON "chain_history" USING btree ("chain_code","at");--> statement-breakpoint
CREATE INDEX "chain_projects_chain_idx" ON "chain_projects" USING btree ("chain_code");--> statement-breakpoint
CREATE INDEX "chains_cluster_idx" ON "chains" USING btree ("cluster_code");--> statement-breakpoint
CREATE INDEX "enterprise_chain_nodes_node_idx" ON "enterprise_chain_nodes" USING btree ("chain_code","node_code");--> statement-breakpoint
CREATE INDEX "target_enterprises_node_idx" ON "target_enterprises" USING btree ("chain_code","node_code");