-- gatehouse hub schema, SQLite flavour (keep in step with ../postgres/0001_initial.sql).
-- Timestamps are RFC 3339 text, dates YYYY-MM-DD text, booleans 0/1, lists JSON text.
CREATE TABLE product_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL
);
CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    prod_type_id INTEGER NOT NULL REFERENCES product_types(id),
    sla_critical INTEGER NOT NULL DEFAULT 7,
    sla_high INTEGER NOT NULL DEFAULT 30,
    sla_medium INTEGER NOT NULL DEFAULT 90,
    sla_low INTEGER NOT NULL DEFAULT 120,
    created TEXT NOT NULL
);
CREATE TABLE engagements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id),
    engagement_type TEXT NOT NULL,
    status TEXT NOT NULL,
    target_start TEXT NOT NULL,
    target_end TEXT NOT NULL,
    deduplication_on_engagement BOOLEAN NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX engagements_product ON engagements(product_id, name);
CREATE TABLE tests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    engagement_id INTEGER NOT NULL REFERENCES engagements(id),
    scan_type TEXT NOT NULL,
    title TEXT,
    version TEXT,
    build_id TEXT,
    commit_hash TEXT,
    branch_tag TEXT,
    tags TEXT NOT NULL,
    target_start TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX tests_engagement ON tests(engagement_id, scan_type);
CREATE TABLE findings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    test_id INTEGER NOT NULL REFERENCES tests(id),
    engagement_id INTEGER NOT NULL REFERENCES engagements(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    scan_type TEXT NOT NULL,
    report_pos INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    severity TEXT NOT NULL,
    numerical_severity INTEGER NOT NULL,
    date TEXT NOT NULL,
    sla_expiration_date TEXT,
    file_path TEXT,
    line INTEGER,
    component_name TEXT,
    component_version TEXT,
    vulnerability_ids TEXT NOT NULL,
    cve TEXT,
    cwe INTEGER NOT NULL,
    rule_id TEXT NOT NULL,
    vuln_id_from_tool TEXT,
    unique_id_from_tool TEXT,
    hash_code TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    cross_cve_key TEXT,
    cross_loc_key TEXT,
    service TEXT,
    active BOOLEAN NOT NULL,
    verified BOOLEAN NOT NULL,
    false_p BOOLEAN NOT NULL,
    out_of_scope BOOLEAN NOT NULL,
    risk_accepted BOOLEAN NOT NULL,
    under_review BOOLEAN NOT NULL,
    is_mitigated BOOLEAN NOT NULL,
    mitigated TEXT,
    duplicate BOOLEAN NOT NULL,
    duplicate_of INTEGER REFERENCES findings(id),
    sources TEXT NOT NULL,
    detail TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX findings_test ON findings(test_id);
CREATE INDEX findings_hash ON findings(product_id, hash_code);
CREATE INDEX findings_uid ON findings(product_id, unique_id_from_tool);
CREATE INDEX findings_cross_cve ON findings(product_id, cross_cve_key);
CREATE INDEX findings_cross_loc ON findings(product_id, cross_loc_key);
CREATE INDEX findings_open ON findings(severity, active);
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    key_prefix TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id INTEGER,
    detail TEXT NOT NULL
);
