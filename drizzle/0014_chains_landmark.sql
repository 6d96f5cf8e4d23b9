CREATE TABLE "chain_assignment_inputs" (
	"enterprise_id" bigint PRIMARY KEY NOT NULL,
	"digest" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chains" ADD COLUMN "landmark" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "chains" ADD COLUMN "policy_note" text;--> statement-breakpoint
ALTER TABLE "chains" ADD COLUMN "origin" text DEFAULT 'config' NOT NULL;