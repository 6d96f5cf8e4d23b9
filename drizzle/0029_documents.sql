CREATE TABLE "documents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "documents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"owner_kind" text NOT NULL,
	"owner_id" bigint NOT NULL,
	"stage" text,
	"revision" integer,
	"region_code" text,
	"enterprise_id" bigint,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"user_id" bigint,
	"user_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "documents_owner_idx" ON "documents" USING btree ("owner_kind","owner_id");--> statement-breakpoint
-- Data move (issue 11, one mechanism for evidence files): every row of the four per-capability file tables
-- moves into "documents"; ids are new (the four tables' ids overlapped), so the references to them are
-- rewritten through legacy_id, a column that lives only inside this migration. Audit rows keep the ids
-- they recorded at the time.
ALTER TABLE "documents" ADD COLUMN "legacy_id" bigint;
--> statement-breakpoint
INSERT INTO "documents" ("owner_kind", "owner_id", "stage", "file_name", "content_type", "size_bytes", "sha256", "content", "user_id", "user_name", "created_at", "legacy_id")
SELECT 'project', "project_id", "stage", "file_name", "content_type", "size_bytes", "sha256", "content", "user_id", "uploaded_by", "created_at", "id"
FROM "project_documents" ORDER BY "id";
--> statement-breakpoint
INSERT INTO "documents" ("owner_kind", "owner_id", "revision", "region_code", "file_name", "content_type", "size_bytes", "sha256", "content", "user_id", "user_name", "created_at", "legacy_id")
SELECT 'target_report', d."report_id", d."revision", d."region_code", d."file_name", d."content_type", d."size_bytes", d."sha256", d."content", d."user_id", u."username", d."created_at", d."id"
FROM "target_report_documents" d LEFT JOIN "users" u ON u."id" = d."user_id" ORDER BY d."id";
--> statement-breakpoint
INSERT INTO "documents" ("owner_kind", "owner_id", "enterprise_id", "file_name", "content_type", "size_bytes", "sha256", "content", "user_id", "user_name", "created_at", "legacy_id")
SELECT 'cultivation_entry', d."entry_id", d."enterprise_id", d."file_name", d."content_type", d."size_bytes", d."sha256", d."content", d."user_id", u."username", d."created_at", d."id"
FROM "cultivation_documents" d LEFT JOIN "users" u ON u."id" = d."user_id" ORDER BY d."id";
--> statement-breakpoint
INSERT INTO "documents" ("owner_kind", "owner_id", "stage", "file_name", "content_type", "size_bytes", "sha256", "content", "user_id", "user_name", "created_at", "legacy_id")
SELECT 'service_request', "request_id", "stage", "file_name", "content_type", "size_bytes", "sha256", "content", "uploaded_by", "uploaded_by_name", "created_at", "id"
FROM "service_request_files" ORDER BY "id";
--> statement-breakpoint
-- a project stage's evidence list points at its files by id: the new ids (a file that no longer exists: null)
UPDATE "project_stages" ps SET "evidence" = (
  SELECT jsonb_agg(
    CASE WHEN jsonb_typeof(x.e -> 'documentId') = 'number'
      THEN jsonb_set(x.e, '{documentId}', coalesce(
        (SELECT to_jsonb(d."id") FROM "documents" d
          WHERE d."owner_kind" = 'project' AND d."legacy_id" = (x.e ->> 'documentId')::bigint),
        'null'::jsonb))
      ELSE x.e END
    ORDER BY x.o)
  FROM jsonb_array_elements(ps."evidence") WITH ORDINALITY AS x(e, o))
WHERE jsonb_typeof(ps."evidence") = 'array'
  AND EXISTS (SELECT 1 FROM jsonb_array_elements(ps."evidence") AS y(e) WHERE jsonb_typeof(y.e -> 'documentId') = 'number');
--> statement-breakpoint
-- a cultivation move cites its recognition notice by id
UPDATE "cultivation_events" ev SET "document_id" = d."id"
FROM "documents" d
WHERE d."owner_kind" = 'cultivation_entry' AND d."legacy_id" = ev."document_id";
--> statement-breakpoint
ALTER TABLE "documents" DROP COLUMN "legacy_id";
