ALTER TABLE "evaluation_runs" ADD COLUMN "submitted_by" bigint;--> statement-breakpoint
ALTER TABLE "evaluation_runs" ADD COLUMN "published_by" bigint;