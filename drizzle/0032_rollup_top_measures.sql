ALTER TABLE "cluster_region_month" ADD COLUMN "profit_abs" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "profit_top1" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "profit_top2" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "tax_top1" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "tax_top2" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "energy_tce_top1" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "energy_tce_top2" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "electricity_top1" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "electricity_top2" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "employees_top1" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "employees_top2" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "export_value_top1" double precision;--> statement-breakpoint
ALTER TABLE "cluster_region_month" ADD COLUMN "export_value_top2" double precision;