-- Warehouse status for the overview page. Grain: one row.
-- Columns: schema_version, runs, last_run_at
SELECT
    (SELECT max(version) FROM schema_version) AS schema_version,
    (SELECT count(*) FROM ingest_runs) AS runs,
    (SELECT max(finished_at) FROM ingest_runs WHERE status = 'ok') AS last_run_at
