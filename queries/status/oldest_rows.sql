-- Oldest row of each table under a retention rule, to compare with the policy. Grain: one row per table.
SELECT 'events' AS "table", min(day) AS oldest_day, count(*) AS rows FROM events
UNION ALL SELECT 'visits', min(day), count(*) FROM visits
UNION ALL SELECT 'inquiries', min(day), count(*) FROM inquiries
UNION ALL SELECT 'rights_requests (closed)', min(closed_on), count(*) FROM rights_requests WHERE closed_on IS NOT NULL
UNION ALL SELECT 'log_rejects', min(CAST(i.started_at AS DATE)), count(*) FROM log_rejects r JOIN ingest_runs i USING (run_id)
