ALTER TABLE "import_issues" ADD COLUMN "column_index" integer;--> statement-breakpoint
ALTER TABLE "import_issues" ADD COLUMN "header_row" integer;