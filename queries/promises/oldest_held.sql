-- The oldest row under each retention rule that retention may delete. Grain: one row per table.
-- Columns: table, oldest_day. Events and visits count only on sealed days, or on days in $due (DATE[]) whose
-- sealing time has passed: an open day's events are kept on purpose, for late lines.
SELECT 'events' AS "table", min(day) AS oldest_day FROM events
WHERE day IN (SELECT day FROM log_days WHERE sealed_at IS NOT NULL) OR list_contains($due::DATE[], day)
UNION ALL
SELECT 'visits', min(day) FROM visits
WHERE day IN (SELECT day FROM log_days WHERE sealed_at IS NOT NULL) OR list_contains($due::DATE[], day)
UNION ALL SELECT 'inquiries', min(day) FROM inquiries
UNION ALL SELECT 'rights_requests (closed)', min(closed_on) FROM rights_requests WHERE closed_on IS NOT NULL
UNION ALL SELECT 'log_rejects', min(CAST(i.started_at AS DATE)) FROM log_rejects r JOIN ingest_runs i USING (run_id)
