-- Faster bulk imports and lists (keep in step with ../postgres/0005_import_and_list.sql).
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
-- Pages skip `offset` entries of this narrow index instead of whole rows (a finding row is
-- 1-3 KB); an unfiltered count reads it too. (PostgreSQL's primary key index does both.)
CREATE INDEX findings_id ON findings(id);
