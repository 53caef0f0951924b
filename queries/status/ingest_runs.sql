-- Last ingest runs, newest first. Grain: one row per run.
-- Columns: run_id, kind, started_at, finished_at, files, lines_read, lines_loaded, lines_rejected,
--          lines_skipped, status
SELECT run_id, kind, started_at, finished_at, files, lines_read, lines_loaded, lines_rejected, lines_skipped, status
FROM ingest_runs
ORDER BY started_at DESC
LIMIT $limit
