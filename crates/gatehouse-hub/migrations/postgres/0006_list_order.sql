-- Findings list pages on PostgreSQL (SQLite needs neither: every SQLite index ends with the
-- rowid, which is the id). A product's findings in id order, so `?product=N&…` pages walk that
-- product's entries instead of the whole primary key (the planner's LIMIT estimate assumes
-- matches spread evenly over ids; a product's are in one stretch). And findings_filter carries
-- the id, so the ids of a filtered page come from the index alone.
CREATE INDEX findings_product_order ON findings(product_id, id);
DROP INDEX findings_filter;
CREATE INDEX findings_filter ON findings(product_id, severity, active, duplicate, verified,
    false_p, is_mitigated, risk_accepted, out_of_scope) INCLUDE (id);
