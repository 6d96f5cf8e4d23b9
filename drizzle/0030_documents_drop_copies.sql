DROP TABLE "cultivation_documents" CASCADE;--> statement-breakpoint
DROP TABLE "project_documents" CASCADE;--> statement-breakpoint
DROP TABLE "service_request_files" CASCADE;--> statement-breakpoint
DROP TABLE "target_report_documents" CASCADE;