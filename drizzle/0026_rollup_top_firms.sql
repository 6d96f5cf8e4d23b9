ALTER TABLE "cluster_region_month" ADD COLUMN "output_top1" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "output_top2" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "revenue_top1" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "revenue_top2" double precision;