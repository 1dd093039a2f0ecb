-- Faster bulk imports and lists (keep in step with ../sqlite/0005_import_and_list.sql).
-- Identity keys a finding may lack (tool id, cross-scanner keys) are only looked up by value
-- (`IN (…)`, `=`), so their indexes leave NULLs out: fewer index writes per imported row.
DROP INDEX findings_uid;
DROP INDEX findings_cross_cve;
DROP INDEX findings_cross_loc;
CREATE INDEX findings_uid ON findings(product_id, unique_id_from_tool)
    WHERE unique_id_from_tool IS NOT NULL;
CREATE INDEX findings_cross_cve ON findings(product_id, cross_cve_key)
    WHERE cross_cve_key IS NOT NULL;
CREATE INDEX findings_cross_loc ON findings(product_id, cross_loc_key)
    WHERE cross_loc_key IS NOT NULL;
-- The findings list counts and pages by equality filters on these columns (DefectDojo's
-- product, severity and status filters, in any combination): one narrow index covers them, so
-- `count` reads index entries instead of finding rows, and a product's subset is a range.
CREATE INDEX findings_filter ON findings(product_id, severity, active, duplicate, verified,
    false_p, is_mitigated, risk_accepted, out_of_scope);
-- PostgreSQL only: a finding's engagement_id and product_id are copies of its test's (for
-- filters and dedupe scopes) and a finding event's product_id is its finding's; foreign keys
-- on those copies made every inserted row run two more referential-integrity look-ups, each
-- locking the parent row. test_id and finding_id keep theirs, which imply the others, and the
-- hub never deletes products, engagements or tests. (SQLite keeps them: dropping a constraint
-- there means rebuilding the table.)
ALTER TABLE findings DROP CONSTRAINT IF EXISTS findings_engagement_id_fkey;
ALTER TABLE findings DROP CONSTRAINT IF EXISTS findings_product_id_fkey;
ALTER TABLE finding_events DROP CONSTRAINT IF EXISTS finding_events_product_id_fkey;
