-- Data move (issue 11, one mechanism for evidence files): an objection's evidence files move from their own
-- table into "documents" (owner kind evaluation_objection, the objection's firm beside them, as migration
-- 0029 did for the other four). Nothing names these files by id but the audit log, whose rows keep the ids
-- they recorded at the time; the API lists and serves them under their new ids.
INSERT INTO "documents" ("owner_kind", "owner_id", "enterprise_id", "file_name", "content_type", "size_bytes", "sha256", "content", "user_id", "user_name", "created_at")
SELECT 'evaluation_objection', f."objection_id", o."enterprise_id", f."file_name", f."content_type", f."size_bytes", f."sha256", f."content", f."user_id", f."uploaded_by", f."created_at"
FROM "evaluation_objection_files" f LEFT JOIN "evaluation_objections" o ON o."id" = f."objection_id" ORDER BY f."id";
--> statement-breakpoint
DROP TABLE "evaluation_objection_files" CASCADE;
