-- Finding history for trends (keep in step with ../postgres/0004_finding_events.sql): one row
-- per state change of a non-duplicate finding. `delta` is the change of the open (active)
-- count: +1 opened, -1 no longer open, 0 neither; the open count on a day is the sum of deltas
-- up to that day.
CREATE TABLE finding_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    severity TEXT NOT NULL,
    -- created, closed, reactivated, risk_accepted, false_p
    event TEXT NOT NULL,
    delta INTEGER NOT NULL,
    at TEXT NOT NULL,
    day TEXT NOT NULL
);
CREATE INDEX finding_events_day ON finding_events(day, product_id);
CREATE INDEX finding_events_product_day ON finding_events(product_id, day);
-- Backfill: findings stored before this migration open on their creation day and, when not
-- open now, stop being open on the day they were closed (or last changed).
INSERT INTO finding_events (finding_id, product_id, severity, event, delta, at, day)
SELECT id, product_id, severity, 'created', 1, created, substr(created, 1, 10)
FROM findings WHERE NOT duplicate;
INSERT INTO finding_events (finding_id, product_id, severity, event, delta, at, day)
SELECT id, product_id, severity,
    CASE WHEN is_mitigated THEN 'closed' WHEN risk_accepted THEN 'risk_accepted'
         WHEN false_p THEN 'false_p' ELSE 'closed' END,
    -1, COALESCE(mitigated, updated), substr(COALESCE(mitigated, updated), 1, 10)
FROM findings WHERE NOT duplicate AND NOT active;
