-- SLA configurations as DefectDojo has them (keep in step with
-- ../postgres/0003_sla_configurations.sql): named day counts per severity, each enforced or
-- not; every product uses one (id 1, "Default", 7/30/90/120, unless it names another).
CREATE TABLE sla_configurations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    critical INTEGER NOT NULL,
    enforce_critical BOOLEAN NOT NULL,
    high INTEGER NOT NULL,
    enforce_high BOOLEAN NOT NULL,
    medium INTEGER NOT NULL,
    enforce_medium BOOLEAN NOT NULL,
    low INTEGER NOT NULL,
    enforce_low BOOLEAN NOT NULL,
    restart_sla_on_reactivation BOOLEAN NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
INSERT INTO sla_configurations (name, description, critical, enforce_critical, high,
    enforce_high, medium, enforce_medium, low, enforce_low, restart_sla_on_reactivation,
    created, updated)
VALUES ('Default', 'The SLA of every product that names no other.', 7, TRUE, 30, TRUE, 90, TRUE,
    120, TRUE, FALSE, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'),
    strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
-- SQLite refuses a non-NULL default on an added REFERENCES column; the store checks the id.
ALTER TABLE products ADD COLUMN sla_configuration_id INTEGER NOT NULL DEFAULT 1;
-- The per-product day columns of 0001 were never editable, so every product had the defaults.
ALTER TABLE products DROP COLUMN sla_critical;
ALTER TABLE products DROP COLUMN sla_high;
ALTER TABLE products DROP COLUMN sla_medium;
ALTER TABLE products DROP COLUMN sla_low;
