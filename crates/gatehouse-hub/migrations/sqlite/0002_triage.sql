-- Triage (keep in step with ../postgres/0002_triage.sql): risk acceptances and false-positive
-- decisions, each with a justification, an approver and an expiry. Links are released, never
-- deleted, so the history of who suppressed what stays queryable.
CREATE TABLE risk_acceptances (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    -- The finding flag this decision sets: 'risk_accepted' or 'false_p'.
    kind TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    recommendation_details TEXT,
    decision TEXT NOT NULL,
    -- The justification.
    decision_details TEXT NOT NULL,
    accepted_by TEXT NOT NULL,
    owner TEXT NOT NULL,
    expiration_date TEXT NOT NULL,
    expiration_date_handled TEXT,
    reactivate_expired BOOLEAN NOT NULL,
    restart_sla_expired BOOLEAN NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX risk_acceptances_due ON risk_acceptances(expiration_date)
    WHERE expiration_date_handled IS NULL;
CREATE TABLE risk_acceptance_findings (
    risk_acceptance_id INTEGER NOT NULL REFERENCES risk_acceptances(id),
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    -- When the finding left the acceptance (expiry or revert); NULL while it holds.
    released TEXT,
    PRIMARY KEY (risk_acceptance_id, finding_id)
);
CREATE INDEX risk_acceptance_findings_finding ON risk_acceptance_findings(finding_id);
-- DefectDojo's sla_start_date: NULL means the finding's date; set when an expired acceptance
-- restarts the SLA.
ALTER TABLE findings ADD COLUMN sla_start_date TEXT;
CREATE INDEX findings_sla ON findings(product_id, sla_expiration_date) WHERE active;
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
